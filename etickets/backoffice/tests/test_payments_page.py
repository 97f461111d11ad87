import datetime
from html import unescape

import pytest
from django.utils import timezone

from etickets.payments.models import OrphanAuthorisation, Payment, PaymentStatus


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


@pytest.mark.django_db
def test_the_reconciliation_shows_what_is_pending_and_flags_anomalies(
    desk, buy, make_user, make_offer
):
    late = buy(make_user(), make_offer(price_cents=4500), 2)
    recent = buy(make_user(), make_offer(price_cents=1000), 1)
    Payment.objects.filter(order=late).update(
        status=PaymentStatus.AUTHORISED,
        created_at=ago(minutes=20),
        attempts=4,
        last_error="ProcessingError()",
    )
    Payment.objects.filter(order=recent).update(status=PaymentStatus.AUTHORISED)
    OrphanAuthorisation.objects.create(
        reference="sbx_orphan",
        idempotency_key="k",
        amount_cents=7000,
        authorised_at=ago(minutes=5),
        voided_at=ago(minutes=2),
    )
    html = unescape(desk.get("/backoffice/paiements/").content.decode())
    assert "1 anomalie : en échec depuis plus de 15 minutes." in html
    for text in (
        late.reference,
        "90,00\u00a0€",
        "ProcessingError()",
        recent.reference,
        "sbx_orphan",
    ):
        assert text in html, text
    assert html.count("Anomalie</strong>") == 1
    assert "Annulée le" in html


@pytest.mark.django_db
def test_nothing_pending_says_so(desk):
    html = unescape(desk.get("/backoffice/paiements/").content.decode())
    assert "Aucune anomalie." in html
    assert "chaque commande payée est encaissée" in html


@pytest.mark.django_db
def test_only_administrators_see_the_payments(client, make_user):
    client.force_login(make_user())
    assert client.get("/backoffice/paiements/").status_code == 404
