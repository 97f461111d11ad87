"""The chaos run's books: each invariant holds on a sound shop and breaks when its rule does."""

import datetime
import json
import uuid

import pytest
from django.test import TestCase
from django.utils import timezone

from conftest import TEST_CARD, pay
from etickets.cart import services as cart
from etickets.catalog.models import Event
from etickets.core.models import OutgoingEmail
from etickets.payments.cards import Card
from etickets.payments.models import PaymentStatus, SandboxCharge
from etickets.payments.services import card_authoriser
from tools.chaos import books


@pytest.fixture
def sold(make_user, make_offer, make_event, tmp_path):
    event = make_event(capacity=10)
    offer = make_offer(event=event)
    for _ in range(3):
        user = make_user()
        cart.add_to_cart(user, offer=offer, quantity=2)
        with TestCase.captureOnCommitCallbacks(execute=True):
            pay(user)
    log = tmp_path / "server.log"
    log.write_text(
        "booting\n"
        + json.dumps({"method": "POST", "path": "/api/v1/checkout", "status": 201})
        + "\n"
        + json.dumps({"method": "POST", "path": "/api/v1/checkout", "status": 503})
        + "\n"
    )
    return event, log


def broken(event, log, grace=20):
    found = books.check(event_id=event.pk, grace_seconds=grace, access_log=log)
    return [invariant.name for invariant in found if not invariant.holds]


@pytest.mark.django_db
def test_a_sound_shop_keeps_every_invariant(sold):
    event, log = sold
    lines = [
        invariant.line()
        for invariant in books.check(event_id=event.pk, grace_seconds=20, access_log=log)
    ]
    assert lines[0] == "ok    sold ≤ capacity: 6 ≤ 10"
    assert "ok    every confirmation sent: 3 of 3" in lines
    assert broken(event, log) == []


@pytest.mark.django_db
def test_each_broken_rule_is_reported(sold):
    event, log = sold
    Event.objects.filter(pk=event.pk).update(sold=7)
    assert broken(event, log) == ["seats sold = seats on tickets not cancelled"]
    Event.objects.filter(pk=event.pk).update(sold=6)

    SandboxCharge.objects.filter(pk=SandboxCharge.objects.first().pk).update(
        status=PaymentStatus.AUTHORISED  # a paid order whose capture never happened
    )
    assert broken(event, log) == ["every paid order has its capture"]
    SandboxCharge.objects.update(status=PaymentStatus.CAPTURED)

    card = Card(number=TEST_CARD, exp_month=8, exp_year=2030, cvv="123")
    card_authoriser(card, idempotency_key=str(uuid.uuid4()))(5000, "lost")
    SandboxCharge.objects.filter(status=PaymentStatus.AUTHORISED).update(
        created_at=timezone.now() - datetime.timedelta(seconds=21)
    )
    assert broken(event, log) == ["no authorisation older than 20 s left"]
    SandboxCharge.objects.filter(status=PaymentStatus.AUTHORISED).update(
        status=PaymentStatus.CAPTURED  # money taken for no order
    )
    assert broken(event, log) == ["every captured charge has its order"]
    SandboxCharge.objects.filter(description="lost").delete()

    with log.open("a") as file:
        file.write(json.dumps({"method": "POST", "path": "/api/v1/cart/items", "status": 500}))
    assert broken(event, log) == ["no 500 in the access log"]
    assert broken(event, None) == ["no 500 in the access log"]  # no log, no proof


@pytest.mark.django_db
def test_an_unsent_confirmation_is_reported(sold):
    event, log = sold
    OutgoingEmail.objects.filter(pk=OutgoingEmail.objects.first().pk).update(sent_at=None)
    assert broken(event, log) == ["every confirmation sent"]
