"""A sale's waiting room in Chromium, as a buyer meets it: join before the opening, watch one's
place fall without reloading, get in at one's turn, buy; the draw's page; on a phone, in
English, and without JavaScript."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, TEST_CARD

from .browser import (
    LONG_TITLE,
    assert_accessible,
    assert_no_horizontal_overflow,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.e2e

AHEAD = re.compile(r"^(\d+) personnes? devant vous\.$")


@pytest.fixture
def queue(monkeypatch):
    """A fresh in-process line, shared with the live server's thread (with or without Redis)."""
    from etickets.waitingroom import store

    chosen = store.InProcessQueueStore()
    monkeypatch.setattr(store, "_store", chosen)
    return chosen


@pytest.fixture
def buyer(transactional_db, make_user):
    from django.utils import timezone

    return make_user(email_verified_at=timezone.now())


@pytest.fixture
def sale(buyer, make_event, make_offer, queue):
    """An offer of an event with a long title whose sale opens, behind a queue, at ``opens_in``
    from now, ``rate`` buyers a minute."""
    from django.utils import timezone

    from etickets.waitingroom import services

    def make(*, opens_in: datetime.timedelta, rate: int):
        offer = make_offer(event=make_event(title=LONG_TITLE))
        services.configure_queue(
            event=offer.event, opens_at=timezone.now() + opens_in, admission_rate=rate, enabled=True
        )
        return offer

    return make


def drawn_ahead(queue, *, event, buyer, count):
    """Put in the line ``count`` accounts that the draw will place before ``buyer``: its
    positions to watch fall, whatever the seed."""
    from django.utils import timezone

    from etickets.waitingroom import store
    from etickets.waitingroom.fairness import fair_order
    from etickets.waitingroom.models import QueueConfig

    seed = QueueConfig.objects.get(event=event).seed
    mine = store.entry_id(event_id=event.pk, account_key=str(buyer.pk))
    candidates = (f"fan{n}" for n in range(10**7))
    for _ in range(count):
        account = next(
            account
            for account in candidates
            if fair_order(
                seed=seed,
                entry_ids=[mine, store.entry_id(event_id=event.pk, account_key=account)],
            )[0]
            != mine
        )
        queue.join(event.pk, account, timezone.now())


def test_join_before_the_opening_wait_get_in_and_pay(page, base_url, buyer, sale, queue, settings):
    from django.utils import timezone

    settings.QUEUE_ADMIT_ON_POLL = True  # no Celery beat here: the polls admit
    # Thirty a minute, five ahead: a place that falls every two seconds, polled every three.
    offer = sale(opens_in=datetime.timedelta(seconds=12), rate=30)
    event = offer.event
    drawn_ahead(queue, event=event, buyer=buyer, count=5)
    opens_at = timezone.localtime(event.queue_config.opens_at)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, buyer.email, PASSWORD)

    page.goto(f"{base_url}/file-attente/{event.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(LONG_TITLE)
    expect(page.locator(".queue-panel")).to_contain_text(
        re.compile(rf"La vente ouvre le \S+ {opens_at.day} \S+ à {opens_at:%H:%M}\. Toutes les")
    )
    assert_accessible(page)
    screenshot(page, "queue-join-1280")
    page.get_by_role("button", name="Prendre ma place dans la file").click()

    headline = page.locator("#queue-line .queue-headline")
    expect(headline).to_have_text(
        re.compile(rf"^Vous êtes dans la file\. La vente ouvre le .* à {opens_at:%H:%M}\.$")
    )
    announcer = page.locator("#queue-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text("")  # what the page says on arrival is not announced
    assert_accessible(page)
    screenshot(page, "queue-before-opening-1280")
    page.evaluate("window.__sameDocument = true")

    # The opening: the draw puts the five others first, then the place falls.
    expect(headline).to_have_text(AHEAD, timeout=20_000)
    first = int(AHEAD.match(headline.inner_text())[1])
    assert first >= 3
    expect(announcer).to_have_text(re.compile(r"personnes? devant vous\.$"))
    expect(page.locator("#queue-progress")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "queue-waiting-1280")
    expect(headline).to_have_text(
        re.compile(rf"^((?!{first} )\d+ personnes? devant vous|Vous êtes le prochain)"),
        timeout=10_000,
    )
    assert page.evaluate("window.__sameDocument") is True, "the queue page reloaded"

    # One's turn: the page goes to the offers by itself, with the pass.
    expect(page).to_have_url(re.compile(re.escape(offer.get_absolute_url()) + "$"), timeout=20_000)
    expect(page.get_by_role("status")).to_contain_text("C'est votre tour !")
    page.get_by_label("Quantité").fill("2")
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_role("status")).to_contain_text("ajoutés")
    page.goto(base_url + "/paiement/")
    page.get_by_label("Numéro de carte").fill(TEST_CARD)
    page.get_by_label("Date d'expiration").fill("08/30")
    page.get_by_label("Code de sécurité (CVV)").fill("123")
    page.get_by_role("button", name="Payer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmation de commande")

    # The draw's record: the seed revealed, the buyer's entry sixth.
    page.goto(f"{base_url}/file-attente/{event.slug}/equite/")
    mine = queue.current_entry(event.pk, str(buyer.pk))
    expect(page.locator(".queue-entries .is-own")).to_have_text(mine)
    expect(page.locator(".queue-entries li")).to_have_count(6)
    expect(page.get_by_text(event.queue_config.seed)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "queue-fairness-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    assert_no_horizontal_overflow(page)
    screenshot(page, "queue-fairness-360")


def test_the_queue_on_a_phone_and_in_english(page, base_url, buyer, sale):
    offer = sale(opens_in=datetime.timedelta(minutes=10), rate=60)
    slug = offer.event.slug
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base_url, buyer.email, PASSWORD)
    page.goto(f"{base_url}/file-attente/{slug}/")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "queue-join-360")
    page.get_by_role("button", name="Prendre ma place dans la file").click()
    expect(page.locator("#queue-line .queue-headline")).to_contain_text("Vous êtes dans la file.")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "queue-before-opening-360")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waiting room")
    expect(page.locator("#queue-line .queue-headline")).to_contain_text(
        "You are in the queue. The sale opens on"
    )
    expect(page.get_by_text("Keep this page open", exact=False)).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base_url}/file-attente/{slug}/equite/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fairness of the waiting room")
    expect(page.get_by_text("Revealed when the sale opens", exact=False)).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    assert_no_horizontal_overflow(page)
    screenshot(page, "queue-fairness-english-360")


def test_the_queue_without_javascript(browser, base_url, buyer, sale, queue, settings):
    """The page reloads itself (a <noscript> refresh); each load shows the place as it is.
    (axe-core needs JavaScript: the other journeys check the same pages with it.)"""
    from django.utils import timezone

    from etickets.waitingroom import services

    settings.QUEUE_ADMIT_ON_POLL = False  # the test admits
    # One a minute: the test's admissions only (a minute ahead of the clock each).
    offer = sale(opens_in=-datetime.timedelta(seconds=1), rate=1)
    event = offer.event
    for account in range(3):  # arrived first, after the opening: in order
        queue.join(event.pk, f"fan{account}", timezone.now())
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    log_in(page, base_url, buyer.email, PASSWORD)
    page.goto(f"{base_url}/file-attente/{event.slug}/")
    page.get_by_role("button", name="Prendre ma place dans la file").click()
    headline = page.locator("#queue-line .queue-headline")
    expect(headline).to_have_text("La vente est ouverte : tirage au sort des places en cours…")
    refresh = page.locator('noscript meta[http-equiv="refresh"], meta[http-equiv="refresh"]')
    expect(refresh.first).to_have_attribute("content", re.compile(r"^\d+$"))

    services.admit_due(event=event, now=timezone.now())  # the line is made, nobody let in
    page.reload()
    expect(headline).to_have_text("3 personnes devant vous.")
    services.admit_due(event=event, now=timezone.now() + datetime.timedelta(minutes=2))
    page.reload()
    expect(headline).to_have_text("1 personne devant vous.")
    screenshot(page, "queue-nojs-1280")
    services.admit_due(event=event, now=timezone.now() + datetime.timedelta(minutes=4))
    page.reload()
    expect(page.locator(".queue-headline")).to_have_text("C'est votre tour !")
    page.get_by_role("link", name="Choisir mes billets").click()
    expect(page.get_by_role("status")).to_contain_text("C'est votre tour !")
    page.get_by_label("Quantité").fill("1")
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_role("status")).to_contain_text("ajouté")
    context.close()
