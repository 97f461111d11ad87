"""Payments reconcile themselves: captures retried, orphan authorisations voided, each call
made once however many reconcilers run."""

import datetime
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from conftest import TEST_CARD, pay
from etickets.cart import services as cart
from etickets.payments.cards import Card
from etickets.payments.models import (
    OrphanAuthorisation,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    SandboxCharge,
)
from etickets.payments.providers import ProcessingError
from etickets.payments.sandbox import SandboxAcquirer
from etickets.payments.services import capture_payment, card_authoriser, reconcile_payments


def ago(seconds: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


@pytest.fixture
def buyer(make_user, make_offer):
    user = make_user()
    cart.add_to_cart(user, offer=make_offer(price_cents=5000), quantity=2)
    return user


@pytest.fixture
def failing_captures(monkeypatch):
    """The provider refuses the first two captures, then takes them; the references asked."""
    sandbox_capture, calls = SandboxAcquirer.capture, []

    def capture(acquirer, reference):
        calls.append(reference)
        if len(calls) <= 2:
            raise ProcessingError()
        sandbox_capture(acquirer, reference)

    monkeypatch.setattr(SandboxAcquirer, "capture", capture)
    return calls


@pytest.mark.django_db
def test_a_failed_capture_is_retried_with_backoff_until_it_succeeds(buyer, failing_captures):
    order = pay(buyer)  # the capture right after the order fails
    payment = Payment.objects.get()
    assert (payment.status, order.status) == (PaymentStatus.AUTHORISED, "paid")
    assert reconcile_payments().captured == 0  # still the request's for PAYMENT_RETRY_SECONDS
    Payment.objects.update(created_at=ago(31))
    assert reconcile_payments().captured == 0  # the second refusal: next try in 30 s
    payment.refresh_from_db()
    assert (payment.attempts, payment.status) == (1, PaymentStatus.AUTHORISED)
    assert "ProcessingError" in payment.last_error
    assert 25 <= (payment.retry_at - timezone.now()).total_seconds() <= 30
    assert reconcile_payments().captured == 0  # not due yet
    Payment.objects.update(retry_at=ago(1))
    assert reconcile_payments().captured == 1
    payment.refresh_from_db()
    assert (payment.status, payment.attempts, payment.last_error) == (
        PaymentStatus.CAPTURED,
        2,
        "",
    )
    assert SandboxCharge.objects.get().status == PaymentStatus.CAPTURED
    assert len(failing_captures) == 3
    assert reconcile_payments().captured == 0


@pytest.mark.django_db
def test_the_wait_between_tries_doubles(buyer, monkeypatch):
    def refuse(acquirer, reference):
        raise ProcessingError()

    monkeypatch.setattr(SandboxAcquirer, "capture", refuse)
    pay(buyer)
    Payment.objects.update(created_at=ago(31))
    waits = []
    for _ in range(3):
        Payment.objects.update(retry_at=ago(1))
        reconcile_payments()
        payment = Payment.objects.get()
        waits.append(round((payment.retry_at - timezone.now()).total_seconds() / 10) * 10)
    assert waits == [30, 60, 120]
    assert payment.attempts == 3


def authorise_without_order(amount_cents: int = 7000) -> str:
    card = Card(number=TEST_CARD, exp_month=8, exp_year=2030, cvv="123")
    return card_authoriser(card, idempotency_key=str(uuid.uuid4()))(amount_cents, "lost").reference


@pytest.mark.django_db
def test_an_authorisation_without_order_is_voided_after_the_grace_period(buyer, settings):
    orphan = authorise_without_order()
    pay(buyer)  # an order's authorisation (captured) is none of the job's business
    assert reconcile_payments().voided == 0  # within AUTHORISATION_GRACE_SECONDS
    assert SandboxCharge.objects.get(reference=orphan).status == PaymentStatus.AUTHORISED
    SandboxCharge.objects.filter(reference=orphan).update(
        created_at=ago(settings.AUTHORISATION_GRACE_SECONDS + 1)
    )
    assert reconcile_payments().voided == 1
    assert SandboxCharge.objects.get(reference=orphan).status == PaymentStatus.VOIDED
    found = OrphanAuthorisation.objects.get()
    assert (found.reference, found.amount_cents) == (orphan, 7000)
    assert found.voided_at is not None
    assert reconcile_payments().voided == 0
    assert SandboxCharge.objects.exclude(reference=orphan).get().status == PaymentStatus.CAPTURED


@pytest.mark.django_db
def test_an_orphan_that_got_its_order_meanwhile_is_not_voided(buyer, settings):
    """Found without an order, then the void failed; an order was written with it since (it
    cannot be any more: orders.services._check_fresh, but the void checks again)."""
    order = pay(buyer)
    OrphanAuthorisation.objects.create(
        reference=order.payment.reference,
        idempotency_key="k",
        amount_cents=10000,
        authorised_at=ago(300),
    )
    assert reconcile_payments().voided == 0
    assert SandboxCharge.objects.get().status == PaymentStatus.CAPTURED


@pytest.mark.django_db
def test_an_order_whose_capture_failed_keeps_its_authorisation(buyer, failing_captures, settings):
    failing_captures.clear()
    pay(buyer)
    SandboxCharge.objects.update(created_at=ago(settings.AUTHORISATION_GRACE_SECONDS + 1))
    assert reconcile_payments().voided == 0
    assert not OrphanAuthorisation.objects.exists()


@pytest.mark.django_db
def test_two_reconcilers_at_once_make_each_call_once(buyer, monkeypatch, settings):
    """A second reconciler starting while the first waits for the provider finds every call
    taken: the capture and the void are each sent once."""
    sandbox_capture, sandbox_void = SandboxAcquirer.capture, SandboxAcquirer.void
    calls, runs = [], []

    def capture(acquirer, reference):
        calls.append(("capture", reference))
        if len(calls) == 1:
            raise ProcessingError()  # the order's own capture
        runs.append(reconcile_payments())  # meanwhile, another node runs the job
        sandbox_capture(acquirer, reference)

    def void(acquirer, reference):
        calls.append(("void", reference))
        runs.append(reconcile_payments())  # and another
        sandbox_void(acquirer, reference)

    monkeypatch.setattr(SandboxAcquirer, "capture", capture)
    monkeypatch.setattr(SandboxAcquirer, "void", void)
    pay(buyer)
    orphan = authorise_without_order()
    Payment.objects.update(created_at=ago(31))
    SandboxCharge.objects.filter(reference=orphan).update(
        created_at=ago(settings.AUTHORISATION_GRACE_SECONDS + 1)
    )
    runs.append(reconcile_payments())
    assert [kind for kind, _ in calls] == ["capture", "capture", "void"]
    assert sum(run.captured for run in runs) == 1 and sum(run.voided for run in runs) == 1
    assert SandboxCharge.objects.get(reference=orphan).status == PaymentStatus.VOIDED
    assert capture_payment(payment_id=Payment.objects.get().pk) is False  # done already


@pytest.mark.django_db(transaction=True)
def test_four_reconcilers_in_parallel_make_each_call_once(make_user, make_offer, monkeypatch):
    """Four nodes run the job at the same moment, each on its own connection, over three
    failed captures, three refunds owed and three orphan authorisations: the provider is
    asked nine times, once for each."""
    sandbox = {name: getattr(SandboxAcquirer, name) for name in ("capture", "refund", "void")}
    calls: list[tuple[str, str]] = []
    checkout = threading.local()

    def counted(name):
        def call(acquirer, reference, **kwargs):
            if getattr(checkout, "refuse", False):
                raise ProcessingError()
            calls.append((name, reference))
            time.sleep(0.05)  # a bank's answer: the other nodes are all inside by then
            sandbox[name](acquirer, reference, **kwargs)

        return call

    offer = make_offer(price_cents=2000)

    def order():
        user = make_user()
        cart.add_to_cart(user, offer=offer, quantity=1)
        return pay(user)

    refunded = [order() for _ in range(3)]  # captured at once
    for payment in Payment.objects.filter(order__in=refunded):
        Refund.objects.create(
            payment=payment, amount_cents=1000, idempotency_key=f"refund-{payment.pk}"
        )
    for name in sandbox:
        monkeypatch.setattr(SandboxAcquirer, name, counted(name))
    checkout.refuse = True
    for _ in range(3):
        order()  # their capture fails
    checkout.refuse = False
    orphans = [authorise_without_order() for _ in range(3)]
    SandboxCharge.objects.filter(reference__in=orphans).update(created_at=ago(600))
    Payment.objects.update(created_at=ago(60))
    Refund.objects.update(created_at=ago(60))

    start = threading.Barrier(4)

    def node(_):
        start.wait()
        try:
            return reconcile_payments()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(node, range(4), timeout=60))

    assert sorted(kind for kind, _ in calls) == ["capture"] * 3 + ["refund"] * 3 + ["void"] * 3
    assert len(set(calls)) == 9
    assert sum(run.captured for run in runs) == 3
    assert sum(run.refunded for run in runs) == 3
    assert sum(run.voided for run in runs) == 3
    assert not Payment.objects.exclude(status=PaymentStatus.CAPTURED).exists()
    assert not Refund.objects.exclude(status=RefundStatus.DONE).exists()
    assert OrphanAuthorisation.objects.filter(voided_at__isnull=False).count() == 3
