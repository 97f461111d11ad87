import datetime
import functools
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.utils import timezone, translation

from etickets.backoffice.models import AuditEntry
from etickets.catalog.models import Event, OfferKind
from etickets.gate.models import CONTROLLER_GROUP, Scan, Verdict
from etickets.gate.services import redeem_ticket
from etickets.orders.models import OrderStatus
from etickets.payments.models import PaymentStatus, Refund, RefundStatus, SandboxCharge
from etickets.payments.providers import ProcessingError
from etickets.payments.sandbox import SandboxAcquirer
from etickets.payments.services import pay_refund, reconcile_payments
from etickets.tickets.models import TicketState
from etickets.tickets.tokens import issue_token

CONFIRM = {"confirm": "1"}  # an answer to no question the refund asked


def answer(desk, path):
    """What the button of the refund's question posts: the question asked first."""
    return {"confirm": re.search(r'name="confirm" value="([^"]+)"', page(desk.get(path))).group(1)}


def page(response):
    return unescape(response.content.decode())


@pytest.fixture
def order(make_user, make_offer, make_event, buy):
    event = make_event(capacity=30, title="Tennis — Finale")
    customer = make_user(first_name="Rafael", last_name="Nadal", email="rafa@example.fr")
    return buy(customer, make_offer(event=event, kind=OfferKind.DUO, price_cents=20000), 2)


@pytest.mark.django_db
def test_search_by_reference_email_or_name(desk, order):
    for query in (order.reference, order.reference.lower(), "rafa@", "Nadal", "rafael"):
        assert order.reference in page(desk.get("/backoffice/commandes/", {"q": query})), query
    assert order.reference not in page(desk.get("/backoffice/commandes/", {"q": "federer"}))


@pytest.mark.django_db
def test_order_page_shows_lines_payment_tickets_and_scans(desk, order, admin):
    ticket = order.tickets.first()
    redeem_ticket(issue_token(ticket), event=ticket.event, gate="Porte 3", controller=admin)
    html = page(desk.get(f"/backoffice/commandes/{order.reference}/"))
    for text in (
        "Tennis — Finale",
        "Visa •••• 4242",
        order.payment.reference,
        "encaissé",
        ticket.number,
        "Porte 3",
        "VALIDE",
        "Jamais scanné.",
    ):
        assert text in html, text


@pytest.mark.django_db(transaction=True)  # the provider is asked once the refund commits
def test_refund_one_ticket_end_to_end(desk, order, admin):
    ticket, other = order.tickets.all()
    token = issue_token(ticket)
    path = f"/backoffice/commandes/{order.reference}/billets/{ticket.pk}/rembourser/"
    response = desk.post(path, answer(desk, path), follow=True)
    assert "Remboursement de 200,00\u00a0€ effectué" in page(response)  # as every price
    ticket.refresh_from_db()
    order.refresh_from_db()
    assert ticket.state == TicketState.CANCELLED and other.state == TicketState.VALID
    assert order.status == OrderStatus.PARTIALLY_REFUNDED and order.refunded_cents == 20000
    ticket.event.refresh_from_db()
    assert ticket.event.sold == 2  # 4 seats sold, 2 back on sale
    charge = SandboxCharge.objects.get()
    assert (charge.status, charge.refunded_cents) == (PaymentStatus.PARTIALLY_REFUNDED, 20000)
    outcome = redeem_ticket(token, event=ticket.event, gate="Porte 1", controller=admin)
    assert (outcome.verdict, outcome.reason) == (Verdict.INVALID, "cancelled")
    (email,) = mail.outbox[-1:]
    assert email.to == ["rafa@example.fr"] and order.reference in email.subject
    assert "200,00\u00a0€" in email.body
    entry = AuditEntry.objects.get(action="refund")
    assert entry.actor == admin and entry.target == order.reference
    # Kept as written, in French; shown in the reader's language.
    assert entry.summary == "1 billet annulé et remboursé : 200,00\u00a0€."
    with translation.override("en"):
        assert entry.description == "1 ticket cancelled and refunded: €200.00."
    assert "Annulé" in page(desk.get(f"/backoffice/commandes/{order.reference}/"))
    customer = type(desk)()
    customer.force_login(order.user)
    assert "Annulé" in page(customer.get("/mes-billets/"))


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_refund_shows_what_it_will_do_before_doing_it(desk, order, method):
    """One click (the order page's link, or a post without ``confirm=1``) shows the tickets
    cancelled, the amount and the card, and changes nothing."""
    ticket, other = order.tickets.order_by("created_at", "id")
    path = f"/backoffice/commandes/{order.reference}/rembourser/"
    assert f'href="{path}"' in page(desk.get(f"/backoffice/commandes/{order.reference}/"))
    html = page(getattr(desk, method)(path))
    assert f"Rembourser la commande {order.reference} ?" in html
    assert "2 billets seront annulés" in html
    assert "400,00\u00a0€ seront remboursés sur la carte Visa •••• 4242." in html
    assert "rafa@example.fr" in html
    for each in (ticket, other):
        assert f"Billet {each.number} — Tennis — Finale — Duo — 200,00\u00a0€" in html
    ids = ",".join(str(each.pk) for each in (ticket, other))
    assert f'<input type="hidden" name="confirm" value="40000:{ids}">' in html
    assert "Annuler les billets et rembourser 400,00\u00a0€" in html
    assert f'href="/backoffice/commandes/{order.reference}/">Ne pas rembourser</a>' in html

    one = f"/backoffice/commandes/{order.reference}/billets/{ticket.pk}/rembourser/"
    html = page(getattr(desk, method)(one))
    assert f"Rembourser le billet {ticket.number} ?" in html
    assert "1 billet sera annulé" in html and other.number not in html
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.refunded_cents == 0
    assert not Refund.objects.exists() and not AuditEntry.objects.filter(action="refund")


@pytest.mark.django_db
def test_a_refund_that_cannot_be_made_is_refused_before_the_question(desk, order, admin):
    ticket = order.tickets.first()
    redeem_ticket(issue_token(ticket), event=ticket.event, gate="A", controller=admin)
    path = f"/backoffice/commandes/{order.reference}/rembourser/"
    # htmx asked for the question's dialog: the whole page goes back to the order instead.
    response = desk.get(path, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"/backoffice/commandes/{order.reference}/"
    response = desk.get(path, follow=True)
    assert "déjà été utilisé" in page(response)
    assert "Cette action est définitive" not in page(response)


@pytest.mark.django_db
def test_another_orders_ticket_is_a_404(desk, order, make_user, make_offer, buy):
    other = buy(make_user(), make_offer(), 1).tickets.get()
    path = f"/backoffice/commandes/{order.reference}/billets/{other.pk}/rembourser/"
    assert desk.get(path).status_code == 404
    assert desk.post(path, CONFIRM).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_refund_whole_order_and_twice_is_refused(desk, order):
    path = f"/backoffice/commandes/{order.reference}/rembourser/"
    yes = answer(desk, path)
    desk.post(path, yes)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and order.refunded_cents == 40000
    assert SandboxCharge.objects.get().status == PaymentStatus.REFUNDED
    response = desk.post(path, yes, follow=True)  # the same button, pressed again
    assert "Aucun billet remboursable" in page(response)
    assert SandboxCharge.objects.get().refunded_cents == 40000


@pytest.mark.django_db(transaction=True)
def test_a_question_answered_after_the_order_changed_is_asked_again(desk, order):
    """Asked for the whole order (400 €), answered after one of its tickets was refunded by
    someone else: nothing is refunded on that answer, and the question shows the 200 € left."""
    ticket = order.tickets.order_by("created_at", "id").first()
    whole = f"/backoffice/commandes/{order.reference}/rembourser/"
    stale = answer(desk, whole)
    one = f"/backoffice/commandes/{order.reference}/billets/{ticket.pk}/rembourser/"
    desk.post(one, answer(desk, one))
    html = page(desk.post(whole, stale))
    assert "1 billet sera annulé" in html and "200,00\u00a0€ seront remboursés" in html
    order.refresh_from_db()
    assert order.refunded_cents == 20000 and SandboxCharge.objects.get().refunded_cents == 20000
    desk.post(whole, answer(desk, whole))
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and order.refunded_cents == 40000


@pytest.mark.django_db
def test_a_used_ticket_is_not_refunded(desk, order, admin):
    ticket = order.tickets.first()
    redeem_ticket(issue_token(ticket), event=ticket.event, gate="A", controller=admin)
    response = desk.post(
        f"/backoffice/commandes/{order.reference}/billets/{ticket.pk}/rembourser/",
        CONFIRM,
        follow=True,
    )
    assert "déjà été utilisé" in page(response)
    assert SandboxCharge.objects.get().refunded_cents == 0


@pytest.mark.django_db(transaction=True)
def test_a_refund_the_provider_fails_is_kept_and_paid_once_later(desk, order, monkeypatch):
    """The provider is asked after the cancellation commits, outside any transaction (no row
    locked while it answers); when it fails, the cancellation stands, the refund stays owed
    and the periodic job pays it, once, however often it runs."""
    sandbox_refund, calls = SandboxAcquirer.refund, []

    def refund(acquirer, reference, **details):
        calls.append(connection.in_atomic_block)
        if len(calls) == 1:
            raise ProcessingError()
        sandbox_refund(acquirer, reference, **details)

    monkeypatch.setattr(SandboxAcquirer, "refund", refund)
    path = f"/backoffice/commandes/{order.reference}/rembourser/"
    response = desk.post(path, answer(desk, path), follow=True)
    assert "n'a pas encore accepté le remboursement de 400,00\u00a0€" in page(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and order.refunded_cents == 40000
    assert set(order.tickets.values_list("state", flat=True)) == {TicketState.CANCELLED}
    assert Event.objects.get().sold == 0
    refund_row = Refund.objects.get()
    assert (refund_row.status, refund_row.attempts) == (RefundStatus.PENDING, 1)
    assert SandboxCharge.objects.get().refunded_cents == 0

    assert reconcile_payments().refunded == 0  # not before PAYMENT_RETRY_SECONDS
    Refund.objects.update(retry_at=timezone.now() - datetime.timedelta(seconds=1))
    assert reconcile_payments().refunded == 1
    assert reconcile_payments().refunded == 0
    assert pay_refund(refund_id=refund_row.pk)  # paid already: nothing sent again
    assert calls == [False, False]
    assert SandboxCharge.objects.get().refunded_cents == 40000
    assert Refund.objects.get().status == RefundStatus.DONE


@pytest.mark.django_db
def test_give_and_take_roles(desk, admin, make_user):
    person = make_user(email="nouveau@example.fr")
    assert "nouveau@example.fr" in page(desk.get("/backoffice/personnel/", {"q": "nouveau"}))
    desk.post("/backoffice/personnel/", {"user": person.pk, "role": "controller", "grant": "1"})
    assert person.groups.filter(name=CONTROLLER_GROUP).exists()
    assert "nouveau@example.fr" in page(desk.get("/backoffice/personnel/"))
    desk.post("/backoffice/personnel/", {"user": person.pk, "role": "admin", "grant": "1"})
    person.refresh_from_db()
    assert person.is_staff and person.is_superuser
    desk.post("/backoffice/personnel/", {"user": person.pk, "role": "admin", "grant": "0"})
    desk.post("/backoffice/personnel/", {"user": person.pk, "role": "controller", "grant": "0"})
    person.refresh_from_db()
    assert not person.is_superuser and not person.groups.exists()
    assert AuditEntry.objects.filter(target="nouveau@example.fr").count() == 4
    granted = AuditEntry.objects.filter(action="role_granted").last()  # the first granted
    assert granted.summary == "Rôle « Contrôleur » accordé à nouveau@example.fr."
    with translation.override("en"):
        assert granted.description == "“Controller” role granted to nouveau@example.fr."
    desk.post("/langue/", {"language": "en", "next": "/backoffice/journal/"})
    assert "“Controller” role granted to nouveau@example.fr." in page(
        desk.get("/backoffice/journal/")
    )
    desk.post("/langue/", {"language": "fr", "next": "/backoffice/journal/"})
    response = desk.post(
        "/backoffice/personnel/", {"user": admin.pk, "role": "admin", "grant": "0"}, follow=True
    )
    assert "votre propre rôle" in page(response)
    admin.refresh_from_db()
    assert admin.is_superuser


@pytest.mark.django_db
def test_scan_log_and_offline_conflicts(desk, order, admin):
    ticket = order.tickets.first()
    token = issue_token(ticket)
    redeem_ticket(token, event=ticket.event, gate="Porte Nord", controller=admin)
    redeem_ticket(token, event=ticket.event, gate="Porte Sud", controller=admin, offline=True)
    html = page(desk.get("/backoffice/controles/"))
    assert "Conflits de synchronisation hors ligne" in html
    assert "Porte Sud" in html and "Porte Nord" in html
    assert "<td>Billet déjà utilisé.</td>" in html and "<td>already_used<" not in html
    html = page(desk.get("/backoffice/controles/", {"verdict": "valid"}))
    assert Scan.objects.filter(verdict="conflict").count() == 1
    assert "CONFLIT" not in html.split("Journal des contrôles")[-1]


@pytest.mark.django_db
def test_scan_log_shows_number_lookups_and_refused_entries(desk, order, admin):
    """A number looked up, then entered a month before its event: both in the log, neither an
    entry."""
    ticket = order.tickets.first()
    scan = functools.partial(
        redeem_ticket, ticket.number, event=ticket.event, gate="Porte Est", controller=admin
    )
    assert scan().verdict == Verdict.CHECK_IDENTITY
    assert scan(identity_checked=True).verdict == Verdict.NUMBER_REFUSED
    html = page(desk.get("/backoffice/controles/"))
    log = html.split("Journal des contrôles")[-1]
    assert '<td>VÉRIFIEZ L\'IDENTITÉ <span class="tag">par numéro</span></td>' in log
    assert '<td>NUMÉRO REFUSÉ <span class="tag">par numéro</span></td>' in log
    assert "Entrée par numéro possible seulement le jour de l'épreuve" in log
    for verdict in ("check_identity", "number_refused"):
        assert f'<option value="{verdict}">' in html
        filtered = page(desk.get("/backoffice/controles/", {"verdict": verdict}))
        assert filtered.count('<span class="tag">par numéro</span>') == 1
    desk.post("/langue/", {"language": "en", "next": "/backoffice/controles/"})
    english = page(desk.get("/backoffice/controles/"))
    assert "CHECK IDENTITY" in english and "NUMBER REFUSED" in english
    assert "by number" in english and "only on the day of the event" in english


@pytest.mark.django_db
@pytest.mark.parametrize("event", ["99999999999999999999", "²", "-1", "abc", "0"])
def test_scan_log_ignores_an_event_filter_no_row_can_have(desk, event):
    response = desk.get("/backoffice/controles/", {"epreuve": event})
    assert response.status_code == 200 and "Journal des contrôles" in page(response)


@pytest.mark.django_db
def test_controller_role_given_in_the_back_office_opens_the_gate(desk, make_user):
    person = make_user()
    desk.post("/backoffice/personnel/", {"user": person.pk, "role": "controller", "grant": "1"})
    assert person.groups.filter(name=CONTROLLER_GROUP).exists()
    assert Group.objects.filter(name=CONTROLLER_GROUP).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"user": "abc", "role": "admin", "grant": "1"},
        {"user": "1", "role": "roi", "grant": "1"},
        {},
    ],
)
def test_malformed_role_requests_are_refused_not_a_500(desk, data):
    response = desk.post("/backoffice/personnel/", data, follow=True)
    assert response.status_code == 200
    assert "Demande invalide" in page(response)


@pytest.mark.django_db
def test_order_page_shows_a_tickets_transfers(desk, order, make_user):
    from etickets.tickets import transfers
    from etickets.tickets.models import Transfer

    ticket = order.tickets.select_related("event").first()
    recipient = make_user(email="teddy@example.fr")
    transfer = transfers.offer_transfer(
        ticket=ticket, sender=order.user, email="teddy@example.fr", now=timezone.now()
    )
    transfers.cancel_transfer(transfer=transfer, sender=order.user)
    transfers.offer_transfer(
        ticket=ticket, sender=order.user, email="teddy@example.fr", now=timezone.now()
    )
    html = page(desk.get(f"/backoffice/commandes/{order.reference}/"))
    assert "Transfert à teddy@example.fr" in html and ": Annulé." in html
    assert ": En attente d'acceptation." in html
    token = Transfer.objects.get(state="pending")
    token.token_hash = transfers._token_hash("t")
    token.save()
    new = transfers.accept_transfer(token="t", user=recipient, now=timezone.now())
    html = page(desk.get(f"/backoffice/commandes/{order.reference}/"))
    assert "Titulaire : teddy@example.fr (transfert)" in html and new.number in html
    assert ": Accepté." in html
    audit = page(desk.get("/backoffice/journal/"))
    assert "Transfert accepté" in audit


@pytest.mark.django_db
def test_scan_log_tells_printed_tickets(desk, order, admin):
    """Where the event's codes rotate, a static code is a printed ticket: let in after an
    identity check, and said so in the log."""
    ticket = order.tickets.first()
    type(ticket.event).objects.filter(pk=ticket.event_id).update(rotating_codes=True)
    scan = functools.partial(
        redeem_ticket,
        issue_token(ticket),
        event=ticket.event_id,
        gate="Porte Est",
        controller=admin,
    )
    assert scan().verdict == Verdict.CHECK_IDENTITY
    assert scan(identity_checked=True).verdict == Verdict.VALID
    log = page(desk.get("/backoffice/controles/")).split("Journal des contrôles")[-1]
    assert '<td>VALIDE <span class="tag">billet imprimé</span></td>' in log
    assert '<td>VÉRIFIEZ L\'IDENTITÉ <span class="tag">billet imprimé</span></td>' in log
