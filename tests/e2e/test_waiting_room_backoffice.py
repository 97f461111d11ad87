"""« File d'attente » in the back office, in Chromium: turn it on for an event, watch the line
grow without reloading, pause and resume the admissions; on a phone too."""

import datetime

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

from .browser import (
    LONG_TITLE,
    assert_accessible,
    assert_no_horizontal_overflow,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def queue(monkeypatch):
    """A fresh in-process line, shared with the live server's thread."""
    from etickets.waitingroom import store

    chosen = store.InProcessQueueStore()
    monkeypatch.setattr(store, "_store", chosen)
    return chosen


def test_turn_on_watch_pause_and_resume_the_queue(page, base_url, administrator, make_event, queue):
    from django.utils import timezone

    from etickets.waitingroom.models import QueueConfig

    event = make_event(title=LONG_TITLE)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, "direction@example.fr", PASSWORD, administrator)
    page.goto(f"{base_url}/backoffice/epreuves/{event.pk}/")
    page.get_by_role("link", name="File d'attente", exact=True).click()
    expect(page.get_by_text("Pas de file d'attente")).to_be_visible()

    opens_at = timezone.localtime() + datetime.timedelta(days=1)
    page.get_by_label("Ouverture de la vente").fill(opens_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Acheteurs admis par minute", exact=True).fill("0")
    page.get_by_role("button", name="Enregistrer la file d'attente").click()
    expect(page.locator("#id_admission_rate_error")).to_contain_text(
        "Le débit doit être d'au moins 1 acheteur par minute."
    )
    assert_accessible(page)
    page.get_by_label("Acheteurs admis par minute", exact=True).fill("120")
    page.get_by_role("button", name="Enregistrer la file d'attente").click()
    expect(page.get_by_role("status")).to_contain_text("File d'attente enregistrée.")
    status = page.locator("#queue-status")
    expect(status).to_have_text("Vente pas encore ouverte. Personne n'attend.")
    commitment = QueueConfig.objects.get(event=event).seed_commitment
    expect(page.get_by_text(commitment)).to_be_visible()

    for account in range(3):
        queue.join(event.pk, f"fan{account}", timezone.now())
    # The page asks for the figures every 3 s: no reload.
    expect(status).to_have_text("Vente pas encore ouverte. Des personnes attendent.", timeout=8000)
    expect(page.locator('[data-figure="waiting"]')).to_have_text("3")
    expect(page.locator('[data-figure="clear"]')).to_have_text("1 minute")
    assert_accessible(page)
    screenshot(page, "backoffice-queue")

    page.get_by_role("button", name="Mettre en pause les admissions").click()
    expect(status).to_have_text("Admissions suspendues. Des personnes attendent.")
    expect(page.locator('[data-figure="clear"]')).to_have_text("aucun : admissions suspendues")
    assert QueueConfig.objects.get(event=event).paused
    page.get_by_role("button", name="Reprendre les admissions").click()
    expect(status).to_have_text("Vente pas encore ouverte. Des personnes attendent.")
    page.get_by_label("Nouveau débit (acheteurs admis par minute)").fill("2")
    page.get_by_role("button", name="Changer le débit").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Débit changé : 2 acheteurs admis par minute."
    )
    expect(page.locator('[data-figure="clear"]')).to_have_text("2 minutes")
    assert not QueueConfig.objects.get(event=event).paused

    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, "backoffice-queue-360")
    page.goto(f"{base_url}/backoffice/epreuves/")
    assert_no_horizontal_overflow(page)
