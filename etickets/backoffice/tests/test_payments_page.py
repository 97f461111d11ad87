import datetime
from html import unescape

import pytest
from django.utils import timezone

from etickets.backoffice.selectors import reconciliation
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


@pytest.mark.django_db
def test_every_pending_call_is_counted_even_past_those_shown(buy, make_user, make_offer):
    orders = [buy(make_user(), make_offer(price_cents=1000), 1) for _ in range(3)]
    Payment.objects.filter(order__in=orders).update(
        status=PaymentStatus.AUTHORISED, created_at=ago(minutes=30)
    )
    for n in range(60):  # an old orphan the provider still refuses to void, among many voided
        OrphanAuthorisation.objects.create(
            reference=f"sbx_{n}",
            idempotency_key=str(n),
            amount_cents=1000,
            authorised_at=ago(minutes=40),
            voided_at=None if n == 0 else ago(minutes=1),
        )
    OrphanAuthorisation.objects.filter(reference="sbx_0").update(created_at=ago(minutes=38))
    found = reconciliation(shown=2)
    assert (len(found.captures.shown), found.captures.total, found.captures.late) == (2, 3, 3)
    assert [orphan.reference for orphan in found.orphans] == ["sbx_0"]
    assert len(found.voided) == 2
    assert found.anomalies == 4
