"""« File d'attente » in the back office: settings, live figures, pause and rate, audit log."""

import datetime
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone, translation

from etickets.backoffice.models import AuditAction, AuditEntry
from etickets.gate.models import CONTROLLER_GROUP
from etickets.waitingroom import selectors, services, store
from etickets.waitingroom.models import QueueConfig

from .conftest import verified_client, with_2fa

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def queue(monkeypatch) -> store.QueueStore:
    chosen = store.InProcessQueueStore()
    monkeypatch.setattr(store, "_store", chosen)
    return chosen


def page(response) -> str:
    return unescape(response.content.decode())


def local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def in_an_hour() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0) + datetime.timedelta(hours=1)


def settings_data(when=None, **overrides):
    data = {
        "enabled": "on",
        "opens_at": local_input(when or in_an_hour()),
        "admission_rate": "50",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_only_verified_administrators_see_or_run_the_queue(make_event, make_user, desk):
    event = make_event()
    base = f"/backoffice/epreuves/{event.pk}/file-attente/"
    pages, actions = [base, base + "chiffres/"], [base, base + "pause/", base + "debit/"]
    controller = with_2fa(make_user())
    controller.groups.add(Group.objects.get_or_create(name=CONTROLLER_GROUP)[0])
    staff_only = with_2fa(make_user(is_staff=True))
    for path in pages:
        assert Client().get(path).url.startswith("/connexion/?next=")
        assert verified_client(controller).get(path).status_code == 404
        assert verified_client(staff_only).get(path).status_code == 404
        assert desk.get(path).status_code == 200
    for path in actions:
        assert Client().post(path, settings_data()).url.startswith("/connexion/?next=")
        assert verified_client(staff_only).post(path, {"paused": "1"}).status_code == 404
    assert not QueueConfig.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_event_pages_link_to_its_queue(make_event, desk):
    event = make_event()
    url = f'href="/backoffice/epreuves/{event.pk}/file-attente/"'
    assert url in desk.get("/backoffice/epreuves/").content.decode()
    assert url in desk.get(f"/backoffice/epreuves/{event.pk}/").content.decode()


@pytest.mark.django_db
def test_turn_the_queue_on_then_off(make_event, desk, admin):
    event = make_event()
    url = f"/backoffice/epreuves/{event.pk}/file-attente/"
    assert "Pas de file d'attente" in page(desk.get(url))
    opens_at = in_an_hour()
    response = desk.post(url, settings_data(opens_at))
    assert response.url == url
    config = QueueConfig.objects.get(event=event)
    assert (config.enabled, config.opens_at, config.admission_rate) == (True, opens_at, 50)
    html = page(desk.get(url))
    assert "File d'attente enregistrée." in html
    assert "Vente pas encore ouverte. Personne n'attend." in html
    assert config.seed_commitment in html
    entry = AuditEntry.objects.get(action=AuditAction.QUEUE_CONFIGURED)
    assert entry.actor == admin and entry.target == event.title_fr
    assert "activée : ouverture le" in entry.summary and "50 acheteurs admis" in entry.summary

    desk.post(url, settings_data(opens_at, enabled=""))
    config.refresh_from_db()
    assert not config.enabled
    assert "File d'attente désactivée : la vente n'attend personne." in page(desk.get(url))
    assert AuditEntry.objects.latest("id").summary == (
        f"File d'attente de « {event.title_fr} » désactivée."
    )


@pytest.mark.django_db
def test_an_opening_set_to_the_second_is_not_moved_by_the_form(make_event, desk):
    event = make_event()
    opens_at = timezone.now() - datetime.timedelta(minutes=10, seconds=17)
    services.configure_queue(event=event, opens_at=opens_at, admission_rate=10, enabled=True)
    url = f"/backoffice/epreuves/{event.pk}/file-attente/"
    assert desk.post(url, settings_data(opens_at, admission_rate="20")).status_code == 302
    config = QueueConfig.objects.get(event=event)
    assert (config.opens_at, config.admission_rate) == (opens_at, 20)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("admission_rate", "0", "Le débit doit être d'au moins 1 acheteur par minute."),
        ("admission_rate", "100001", "Le débit ne peut dépasser 100000 acheteurs par minute."),
        ("admission_rate", "dix", "Saisissez un nombre entier d'acheteurs par minute."),
        ("admission_rate", "", "Ce champ est obligatoire."),
        ("opens_at", "", "Ce champ est obligatoire."),
        ("opens_at", "demain", "Saisissez une date et une heure valides."),
        ("opens_at", "9999-12-31T23:59", "Choisissez une date entre l'an 2000 et l'an 2100."),
    ],
)
def test_bad_settings_are_explained_next_to_their_field(make_event, desk, field, value, message):
    event = make_event()
    response = desk.post(
        f"/backoffice/epreuves/{event.pk}/file-attente/", settings_data(**{field: value})
    )
    html = page(response)
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html and message in html
    assert "Il y a un problème" in html
    assert not QueueConfig.objects.exists()


@pytest.mark.django_db
def test_an_opening_that_passed_cannot_move(make_event, desk):
    event = make_event()
    opens_at = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    services.configure_queue(event=event, opens_at=opens_at, admission_rate=10, enabled=True)
    response = desk.post(
        f"/backoffice/epreuves/{event.pk}/file-attente/", settings_data(in_an_hour())
    )
    html = page(response)
    assert response.status_code == 200
    assert 'id="id_opens_at_error"' in html
    assert "La vente est déjà ouverte : son heure d'ouverture ne peut plus changer." in html
    assert QueueConfig.objects.get().opens_at == opens_at
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_pause_resume_and_change_the_rate(make_event, desk, admin):
    event = make_event()
    services.configure_queue(event=event, opens_at=in_an_hour(), admission_rate=10, enabled=True)
    url = f"/backoffice/epreuves/{event.pk}/file-attente/"

    assert desk.post(url + "pause/", {"paused": "1"}).url == url
    assert QueueConfig.objects.get().paused
    html = page(desk.get(url))
    assert "Admissions suspendues." in html and "Reprendre les admissions" in html
    assert "aucun : admissions suspendues" in html

    desk.post(url + "pause/", {"paused": "0"})
    assert not QueueConfig.objects.get().paused
    assert "Mettre en pause les admissions" in page(desk.get(url))

    assert desk.post(url + "debit/", {"rate-admission_rate": "250"}).url == url
    assert QueueConfig.objects.get().admission_rate == 250
    assert "Débit changé : 250 acheteurs admis par minute." in page(desk.get(url))

    entries = AuditEntry.objects.filter(actor=admin).order_by("id")
    assert [e.action for e in entries] == ["queue_paused", "queue_resumed", "queue_rate"]
    assert [e.summary for e in entries] == [
        f"Admissions de la file d'attente de « {event.title_fr} » suspendues.",
        f"Admissions de la file d'attente de « {event.title_fr} » reprises.",
        f"Débit de la file d'attente de « {event.title_fr} » : 250 acheteurs admis par minute.",
    ]
    with translation.override("en"):
        assert entries[2].description == (
            f"Rate of the waiting room of “{event.title_fr}”: 250 buyers admitted per minute."
        )
    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(desk.get(url))
    assert "Admissions under way" not in html and "Sale not open yet. Nobody is waiting." in html
    assert "Resume admissions" not in html and "Pause admissions" in html
    assert "Estimated time to clear the queue" in html and "0 minutes" in html


@pytest.mark.django_db
def test_bad_controls_change_nothing(make_event, desk):
    event = make_event()
    url = f"/backoffice/epreuves/{event.pk}/file-attente/"
    desk.post(url + "pause/", {"paused": "1"})
    assert "Cette épreuve n'a pas de file d'attente : activez-la d'abord." in page(desk.get(url))
    services.configure_queue(event=event, opens_at=in_an_hour(), admission_rate=10, enabled=True)
    assert desk.post(url + "pause/", {"paused": "peut-être"}).status_code == 302
    response = desk.post(url + "debit/", {"rate-admission_rate": "-5"})
    html = page(response)
    assert response.status_code == 200
    assert 'id="id_rate-admission_rate_error"' in html
    assert "Le débit doit être d'au moins 1 acheteur par minute." in html
    config = QueueConfig.objects.get()
    assert (config.paused, config.admission_rate) == (False, 10)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_overview_counts_the_line(make_event, queue):
    event = make_event(capacity=100)
    opens_at = timezone.now() - datetime.timedelta(minutes=2)
    assert selectors.queue_overview(event=event, now=timezone.now()) is None
    services.configure_queue(event=event, opens_at=opens_at, admission_rate=3, enabled=True)
    for account in range(10):
        queue.join(event.pk, f"a{account}", opens_at - datetime.timedelta(minutes=1))
    before = selectors.queue_overview(event=event, now=opens_at - SECOND)
    assert before is not None and not before.is_open
    assert (before.waiting, before.admitted, before.minutes_to_clear) == (10, 0, 4)

    now = opens_at + datetime.timedelta(minutes=1)
    assert len(services.admit_due(event=event, now=now)) == 3
    overview = selectors.queue_overview(event=event, now=now)
    assert overview == selectors.QueueOverview(
        enabled=True,
        opens_at=opens_at,
        paused=False,
        admission_rate=3,
        waiting=7,
        admitted=3,
        passes_out=3,
        minutes_to_clear=3,
        seed_commitment=QueueConfig.objects.get().seed_commitment,
        is_open=True,
    )
    services.set_paused(event=event, paused=True)
    assert selectors.queue_overview(event=event, now=now).minutes_to_clear is None


@pytest.mark.django_db
def test_the_figures_fragment_carries_the_status_out_of_band(make_event, desk, queue):
    event = make_event()
    opens_at = timezone.now() - datetime.timedelta(minutes=1)
    services.configure_queue(event=event, opens_at=opens_at, admission_rate=60, enabled=True)
    for account in range(2):
        queue.join(event.pk, f"a{account}", opens_at - SECOND)
    html = page(desk.get(f"/backoffice/epreuves/{event.pk}/file-attente/chiffres/"))
    assert '<span id="queue-status" hx-swap-oob="innerHTML">' in html
    assert "Admissions en cours. Des personnes attendent." in html
    assert '<dd data-figure="waiting">2</dd>' in html
    assert '<dd data-figure="clear">1 minute</dd>' in html
    full = page(desk.get(f"/backoffice/epreuves/{event.pk}/file-attente/"))
    assert 'hx-trigger="every 3s"' in full and 'aria-live="polite"' in full
    assert full.count("aria-live") == 1
