import io
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.test import TestCase
from django.utils import timezone

from conftest import TEST_CARD
from conftest import pay as pay_with_test_card
from etickets.cart import services as cart
from etickets.cart.models import CartLine
from etickets.catalog.models import Event, OfferKind
from etickets.inventory import services as pool
from etickets.inventory.models import Hold
from etickets.orders import selectors, services, tasks
from etickets.orders.models import Order
from etickets.payments.cards import Card
from etickets.payments.models import Payment, PaymentStatus, SandboxCharge
from etickets.payments.providers import InsufficientFunds, PaymentDeclined, ProcessingError
from etickets.payments.services import card_authoriser, reconcile_payments
from etickets.tickets.models import Ticket
from etickets.tickets.tests.test_views import decode_pdf
from etickets.tickets.tokens import issue_token


def card(number=TEST_CARD, cvv="123"):
    return Card(number=number, exp_month=8, exp_year=2030, cvv=cvv)


def pay(user, number=TEST_CARD, key=None):
    return pay_with_test_card(user, key=key, number=number, run_on_commit=True)


@pytest.fixture
def basket(make_user, make_offer, make_event):
    """A buyer with 2 Solo (50 €) and 1 Familiale (180 €) of one event in the cart."""
    user = make_user()
    event = make_event(capacity=20)
    solo = make_offer(event=event, price_cents=5000)
    familiale = make_offer(event=event, kind=OfferKind.FAMILIALE, price_cents=18000)
    cart.add_to_cart(user, offer=solo, quantity=2)
    cart.add_to_cart(user, offer=familiale, quantity=1)
    return user, event


@pytest.mark.django_db
def test_approved_card_sells_the_seats_and_issues_the_tickets(basket):
    user, event = basket
    order = pay(user)
    assert order.reference.startswith("JO24-") and len(order.reference) == 14
    assert order.total_cents == 28000
    event.refresh_from_db()
    assert event.sold == 6
    assert not CartLine.objects.exists() and not Hold.objects.exists()
    tickets = Ticket.objects.filter(order=order)
    assert sorted(t.persons for t in tickets) == [1, 1, 4]
    assert {t.holder_id for t in tickets} == {user.pk}
    assert len(bytes(order.purchase_key)) == 32
    payment = order.payment
    assert (payment.brand, payment.last4, payment.amount_cents, payment.status) == (
        "Visa",
        "4242",
        28000,
        PaymentStatus.CAPTURED,
    )
    assert SandboxCharge.objects.get().status == PaymentStatus.CAPTURED


@pytest.mark.django_db
def test_confirmation_email(basket):
    user, _ = basket
    order = pay(user)
    (email,) = mail.outbox
    assert email.to == [user.email]
    assert email.subject == f"Votre commande {order.reference} est confirmée"
    assert "280,00\u00a0€" in email.body
    assert "/mes-billets/" in email.body
    assert order.reference in email.alternatives[0][0]
    ((filename, content, mimetype),) = email.attachments
    assert (filename, mimetype) == (f"billets-{order.reference}.pdf", "application/pdf")
    # One page per ticket, each with the QR code of that ticket.
    tickets = order.tickets.select_related("holder", "order").order_by(
        "order_line_id", "created_at"
    )
    assert decode_pdf(content) == [[issue_token(ticket)] for ticket in tickets]


@pytest.mark.django_db
def test_an_english_buyer_s_confirmation_names_the_event_in_english(basket):
    user, event = basket
    user.language = "en"
    user.save()
    Event.objects.filter(pk=event.pk).update(title_en="Athletics — Finals", venue_en="Stadium")
    pay(user)
    (email,) = mail.outbox
    for part in (email.body, email.alternatives[0][0]):
        assert "Athletics — Finals" in part and "Stadium" in part
        assert event.title_fr not in part


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "refusal", "message"),
    [
        ("4000000000000002", PaymentDeclined, "Paiement refusé par votre banque"),
        ("4000000000009995", InsufficientFunds, "provision insuffisante"),
        ("4000000000000119", ProcessingError, "erreur technique"),
    ],
)
def test_refused_cards_keep_the_cart(basket, number, refusal, message):
    user, event = basket
    with pytest.raises(refusal) as refused:
        pay(user, number)
    assert message in str(refused.value)
    assert not Order.objects.exists()
    assert CartLine.objects.count() == 2 and Hold.objects.count() == 2
    event.refresh_from_db()
    assert event.sold == 0


@pytest.mark.django_db
def test_any_other_valid_card_is_approved(basket):
    user, _ = basket
    assert pay(user, "5555555555554444").payment.brand == "Mastercard"


@pytest.mark.django_db
def test_the_same_key_twice_makes_one_order_and_one_charge(basket):
    user, event = basket
    key = uuid.uuid4()
    first = pay(user, key=key)
    second = pay(user, key=key)
    assert first == second
    assert Order.objects.count() == 1
    assert SandboxCharge.objects.count() == 1
    assert len(mail.outbox) == 1
    event.refresh_from_db()
    assert event.sold == 6


@pytest.mark.django_db
def test_the_same_key_after_the_cart_was_filled_again_gives_the_first_order(basket, make_offer):
    user, event = basket
    key = uuid.uuid4()
    first = pay(user, key=key)
    cart.add_to_cart(
        user, offer=make_offer(event=event, kind=OfferKind.DUO, price_cents=7000), quantity=1
    )
    assert pay(user, key=key) == first
    assert Order.objects.count() == 1
    assert SandboxCharge.objects.get().status == PaymentStatus.CAPTURED
    assert CartLine.objects.filter(cart__user=user).count() == 1  # the new cart is left as is


@pytest.mark.django_db
def test_a_key_used_meanwhile_shows_inside_the_lock_and_its_charge_is_kept(basket, make_offer):
    """The second of two « Payer » that both passed the first check: its cart holds other
    tickets by the time it has the lock, so the amounts differ; the first order still wins
    (rather than « cart changed », which would void the first order's charge)."""
    user, event = basket
    key = uuid.uuid4()
    first = pay(user, key=key)
    cart.add_to_cart(
        user, offer=make_offer(event=event, kind=OfferKind.DUO, price_cents=7000), quantity=1
    )
    authorisation = card_authoriser(card(), idempotency_key=str(key))(28000, "replayed")
    with pytest.raises(services._AlreadyPlaced) as placed:
        services._record_order(user, key, authorisation, "sandbox", with_resale=False)
    assert placed.value.order == first
    assert SandboxCharge.objects.get().status == PaymentStatus.CAPTURED


@pytest.mark.django_db
def test_someone_elses_key_is_refused(basket, make_user):
    user, _ = basket
    key = uuid.uuid4()
    pay(user, key=key)
    with pytest.raises(services.KeyAlreadyUsed):
        pay(make_user(), key=key)


@pytest.mark.django_db
def test_a_failure_after_authorisation_voids_it_and_keeps_the_cart(basket):
    user, event = basket
    with (
        mock.patch.object(pool, "sell_held_seats", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        pay(user)
    charge = SandboxCharge.objects.get()
    assert charge.status == PaymentStatus.VOIDED
    assert not Order.objects.exists() and not Payment.objects.exists()
    assert not Ticket.objects.exists()
    assert CartLine.objects.count() == 2 and Hold.objects.count() == 2
    event.refresh_from_db()
    assert event.sold == 0


@pytest.mark.django_db
def test_a_retry_after_a_worker_killed_mid_checkout_gets_one_order_and_one_charge(basket):
    """The web worker was killed (SIGKILL: no except clause ran) between the card's
    authorisation and the order's commit; the buyer sends « Payer » again, with the same key."""
    user, event = basket
    key = uuid.uuid4()
    card_authoriser(card(), idempotency_key=str(key))(28000, "killed")  # all the worker did
    order = pay(user, key=key)
    charge = SandboxCharge.objects.get()
    assert (charge.reference, charge.status) == (order.payment.reference, PaymentStatus.CAPTURED)
    assert Order.objects.count() == 1
    event.refresh_from_db()
    assert event.sold == 6


@pytest.mark.django_db
def test_a_database_failure_keeps_the_authorisation_for_the_buyers_retry(basket):
    """The database failed while the order was written: the buyer is asked to retry (503) and
    does, with the same key; the authorisation is still open for that retry: one charge."""
    user, event = basket
    key = uuid.uuid4()
    lost = OperationalError("server closed the connection unexpectedly")
    with (
        mock.patch.object(pool, "sell_held_seats", side_effect=lost),
        pytest.raises(OperationalError),
    ):
        pay(user, key=key)
    assert SandboxCharge.objects.get().status == PaymentStatus.AUTHORISED
    assert not Order.objects.exists()
    order = pay(user, key=key)
    charge = SandboxCharge.objects.get()
    assert (charge.reference, charge.status) == (order.payment.reference, PaymentStatus.CAPTURED)
    event.refresh_from_db()
    assert event.sold == 6


@pytest.mark.django_db
def test_an_authorisation_past_half_the_grace_period_is_not_used(basket, settings):
    """A retry long after the first try: the reconciliation may be voiding that authorisation
    as an orphan, so the order is not written with it; the buyer is asked to pay again."""
    user, event = basket
    key = uuid.uuid4()
    card_authoriser(card(), idempotency_key=str(key))(28000, "killed")
    SandboxCharge.objects.update(
        created_at=timezone.now() - timedelta(seconds=settings.AUTHORISATION_GRACE_SECONDS / 2 + 1)
    )
    with pytest.raises(services.AuthorisationExpired):
        pay(user, key=key)
    assert SandboxCharge.objects.get().status == PaymentStatus.VOIDED
    assert not Order.objects.exists() and CartLine.objects.count() == 2
    order = pay(user)  # a new payment, with a new key
    assert order.payment.status == PaymentStatus.CAPTURED
    event.refresh_from_db()
    assert event.sold == 6


@pytest.mark.django_db
def test_a_retry_after_the_orphan_was_voided_is_refused_and_keeps_the_cart(basket, settings):
    """The buyer came back after the grace period: the reconciliation has voided the lost
    authorisation. The same key is refused cleanly, nothing is charged, the cart stays."""
    user, _ = basket
    key = uuid.uuid4()
    card_authoriser(card(), idempotency_key=str(key))(28000, "killed")
    SandboxCharge.objects.update(
        created_at=timezone.now() - timedelta(seconds=settings.AUTHORISATION_GRACE_SECONDS + 1)
    )
    assert reconcile_payments().voided == 1
    with pytest.raises(PaymentDeclined):
        pay(user, key=key)
    assert not Order.objects.exists()
    assert SandboxCharge.objects.get().status == PaymentStatus.VOIDED
    assert CartLine.objects.count() == 2


@pytest.mark.django_db
def test_the_amount_comes_from_the_database(basket):
    user, _ = basket
    key = uuid.uuid4()
    charged = []

    def authorise(amount_cents, description):
        charged.append(amount_cents)
        return card_authoriser(card(), idempotency_key=str(key))(amount_cents, description)

    services.place_order(user=user, idempotency_key=key, authorise=authorise)
    assert charged == [28000]


@pytest.mark.django_db
def test_an_expired_hold_is_sold_while_seats_remain(basket):
    user, event = basket
    Hold.objects.update(expires_at="2000-01-01T00:00:00Z")
    order = pay(user)
    event.refresh_from_db()
    assert event.sold == 6 and order.total_cents == 28000


@pytest.mark.django_db
def test_an_expired_hold_whose_seats_were_taken_is_refused_and_voided(basket):
    user, event = basket
    Hold.objects.update(expires_at="2000-01-01T00:00:00Z")
    Event.objects.filter(pk=event.pk).update(sold=18)
    with pytest.raises(services.HoldLost):
        pay(user)
    assert SandboxCharge.objects.get().status == PaymentStatus.VOIDED
    assert CartLine.objects.count() == 2


@pytest.mark.django_db
def test_seats_lost_in_one_event_sell_none_in_the_others(basket, make_offer, make_event):
    user, event = basket
    other = make_event(capacity=10)
    cart.add_to_cart(user, offer=make_offer(event=other), quantity=2)
    Hold.objects.filter(event=event).update(expires_at="2000-01-01T00:00:00Z")
    Event.objects.filter(pk=event.pk).update(sold=18)
    with pytest.raises(services.HoldLost):
        pay(user)
    other.refresh_from_db()
    assert other.sold == 0 and not Order.objects.exists() and not Ticket.objects.exists()
    assert CartLine.objects.count() == 3


@pytest.mark.django_db
def test_empty_cart(make_user):
    with pytest.raises(services.CartEmpty):
        pay(make_user())
    assert not SandboxCharge.objects.exists()


@pytest.mark.django_db
def test_a_reference_already_taken_is_drawn_again(basket, make_user, make_offer, make_event):
    user, *_ = basket
    first = pay(user)
    other = make_user()
    cart.add_to_cart(other, offer=make_offer(event=make_event(capacity=5)), quantity=1)
    drawn = iter([first.reference, "JO24-2345-6789"])
    with mock.patch.object(services, "new_reference", lambda: next(drawn)):
        second = pay(other)
    assert second.reference == "JO24-2345-6789"
    assert Order.objects.filter(reference=first.reference).get() == first


@pytest.fixture
def paid_with_a_broker(basket, settings, make_user, make_offer):
    """Pays ``count`` orders as with a broker (their confirmations wait in the outbox), then lets
    the sweep's own jobs run here, for the test. The first is the basket's buyer's; the others,
    a Duo each by other buyers of the same event."""
    user, event = basket
    duo = make_offer(event=event, kind=OfferKind.DUO)

    def place(count=1):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        orders = [pay(user)]
        for _ in range(count - 1):
            buyer = make_user()
            cart.add_to_cart(buyer, offer=duo, quantity=1)
            orders.append(pay(buyer))
        settings.CELERY_TASK_ALWAYS_EAGER = True
        return orders

    return place


def sweep(**options) -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.send_pending_confirmations(**options)


def periodic_sweep() -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return tasks.send_pending_confirmations()


@pytest.mark.django_db
def test_with_a_broker_the_confirmation_waits_in_the_outbox(paid_with_a_broker):
    """Paying publishes nothing; the periodic sweep sends each confirmation once."""
    (order,) = paid_with_a_broker()
    assert mail.outbox == []
    assert Order.objects.get(pk=order.pk).confirmation_due
    assert sweep() == 1
    (email,) = mail.outbox
    assert order.reference in email.subject
    assert not Order.objects.get(pk=order.pk).confirmation_due
    assert sweep() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_outbox_can_be_swept_from_cron(paid_with_a_broker):
    (order,) = paid_with_a_broker()
    output = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_pending_confirmations", stdout=output)
    assert "1 e-mail(s) de confirmation envoyé(s)." in output.getvalue()
    assert [email.subject for email in mail.outbox] == [
        f"Votre commande {order.reference} est confirmée"
    ]


@pytest.mark.django_db
def test_during_a_rush_the_confirmations_wait_for_it_to_pass(paid_with_a_broker, settings):
    """The periodic job leaves the outbox alone while CONFIRMATION_RUSH_ORDERS orders keep
    coming within CONFIRMATION_QUIET_SECONDS, and sends it once the rush is over, or once one
    has waited CONFIRMATION_MAX_DELAY_SECONDS."""
    settings.CONFIRMATION_QUIET_SECONDS, settings.CONFIRMATION_RUSH_ORDERS = 2, 2
    settings.CONFIRMATION_MAX_DELAY_SECONDS = 60
    first, second = paid_with_a_broker(2)
    assert periodic_sweep() == 0  # two orders within 2 s: a rush
    assert mail.outbox == []

    def placed(order, seconds_ago):
        created = timezone.now() - timedelta(seconds=seconds_ago)
        Order.objects.filter(pk=order.pk).update(created_at=created)

    settings.CONFIRMATION_RUSH_ORDERS = 1  # the rush goes on with the second order alone...
    placed(first, 59)
    assert selectors.confirmations_may_wait()
    placed(first, 61)
    assert not selectors.confirmations_may_wait()  # ...but the first has waited long enough

    placed(first, 4)
    placed(second, 3)
    assert periodic_sweep() == 2  # no order for 3 s: the rush is over
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_steady_sales_get_their_confirmations_at_once(paid_with_a_broker, settings):
    settings.CONFIRMATION_QUIET_SECONDS, settings.CONFIRMATION_RUSH_ORDERS = 2, 20
    paid_with_a_broker()  # one order a moment ago: no rush
    assert periodic_sweep() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_with_no_quiet_period_the_confirmations_leave_at_once(paid_with_a_broker, settings):
    settings.CONFIRMATION_QUIET_SECONDS, settings.CONFIRMATION_RUSH_ORDERS = 0, 1
    paid_with_a_broker()
    assert periodic_sweep() == 1


@pytest.mark.django_db
def test_a_sweep_stops_between_batches_when_a_rush_begins(paid_with_a_broker):
    paid_with_a_broker(2)
    answers = iter([False, True])  # quiet before the first batch, a rush before the second
    assert sweep(batch=1, may_wait=lambda: next(answers)) == 1
    assert len(mail.outbox) == 1
    assert Order.objects.filter(confirmation_due=True).count() == 1
