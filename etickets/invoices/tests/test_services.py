import datetime
from decimal import Decimal

import pytest
from django.test import TestCase
from django.utils import timezone

from conftest import pay
from etickets.cart import services as cart
from etickets.invoices.models import AlreadyIssued, DocumentKind, Invoice, InvoiceLine
from etickets.invoices.services import issue_documents
from etickets.orders import services as orders
from etickets.orders.models import Order
from etickets.resale import services as resale


def invoice_of(order) -> Invoice:
    return Invoice.objects.get(order=order, kind=DocumentKind.INVOICE)


@pytest.mark.django_db
def test_a_paid_order_gets_an_invoice_with_everything_it_prints(paid_order):
    assert issue_documents() == 1
    invoice = invoice_of(paid_order)
    assert (invoice.number, invoice.sequence) == ("F-000001", 1)
    assert invoice.seller_name == "Billetterie Olympique SAS"
    assert invoice.seller_address == "8 rue des Podiums\n93200 Saint-Denis\nFrance"
    assert (invoice.seller_siret, invoice.seller_vat_number) == (
        "552 100 554 00027",
        "FR40552100554",
    )
    assert (invoice.buyer_name, invoice.buyer_email) == ("Camille Martin", paid_order.user.email)
    assert invoice.paid_at == paid_order.created_at
    assert (invoice.payment_brand, invoice.payment_last4) == ("Visa", "4242")
    assert invoice.vat_rate == 1000
    lines = list(invoice.lines.all())
    assert [
        (
            line.quantity,
            line.unit_price_cents,
            line.unit_price_before_tax_cents,
            line.total_before_tax_cents,
            line.total_vat_cents,
            line.total_cents,
        )
        for line in lines
    ] == [(2, 5000, 4545, 9091, 909, 10000), (1, 9500, 8636, 8636, 864, 9500)]
    assert lines[0].description.startswith("Finale du 100 m — ")
    assert lines[0].description.endswith("Solo (1 personne)")
    assert lines[1].description.endswith("Duo (2 personnes)")
    # The lines add up to the totals, and before tax + VAT = the price paid, to the cent.
    assert (invoice.total_before_tax_cents, invoice.total_vat_cents) == (17727, 1773)
    assert invoice.total_cents == paid_order.total_cents == 19500
    assert not Order.objects.get(pk=paid_order.pk).invoicing_due


@pytest.mark.django_db
def test_the_job_queued_after_the_payment_issues_it(make_user, make_offer):
    user = make_user()
    cart.add_to_cart(user, offer=make_offer(), quantity=1)
    order = pay(user, run_on_commit=True)
    assert invoice_of(order).number == "F-000001"


@pytest.mark.django_db
def test_invoices_are_numbered_in_the_order_of_payment(make_user, make_offer):
    offer = make_offer()
    paid = []
    for _ in range(3):
        user = make_user()
        cart.add_to_cart(user, offer=offer, quantity=1)
        paid.append(pay(user))
    # Paid in this order, whatever their ids.
    now = timezone.now()
    for minutes, order in zip((3, 1, 2), paid, strict=True):
        Order.objects.filter(pk=order.pk).update(
            created_at=now - datetime.timedelta(minutes=minutes)
        )
    assert issue_documents(batch=2) == 3
    numbers = [invoice_of(order).number for order in paid]
    assert numbers == ["F-000001", "F-000003", "F-000002"]


@pytest.mark.django_db
def test_issuing_again_changes_nothing_and_nothing_issued_is_edited(paid_order, settings):
    issue_documents()
    invoice = invoice_of(paid_order)
    before = list(Invoice.objects.values()), list(InvoiceLine.objects.values())
    settings.INVOICE_SELLER_NAME = "Une autre société"
    settings.INVOICE_VAT_PERCENT = Decimal("20")
    Order.objects.filter(pk=paid_order.pk).update(invoicing_due=True)
    assert issue_documents() == 0
    assert (list(Invoice.objects.values()), list(InvoiceLine.objects.values())) == before
    invoice.buyer_name = "Quelqu'un d'autre"
    with pytest.raises(AlreadyIssued):
        invoice.save()
    with pytest.raises(AlreadyIssued):
        Invoice.objects.filter(pk=invoice.pk).update(total_cents=0)
    with pytest.raises(AlreadyIssued):
        InvoiceLine.objects.filter(invoice=invoice).delete()
    with pytest.raises(AlreadyIssued):
        invoice.delete()
    assert invoice_of(paid_order).buyer_name == "Camille Martin"


@pytest.mark.django_db
def test_the_rate_is_a_setting(paid_order, settings):
    settings.INVOICE_VAT_PERCENT = Decimal("5.5")
    issue_documents()
    invoice = invoice_of(paid_order)
    assert invoice.vat_rate == 550
    assert invoice.total_before_tax_cents + invoice.total_vat_cents == 19500
    assert invoice.total_before_tax_cents == 9479 + 9005  # 9478.67… and 9004.73…


def tickets_of(order, kind):
    return list(
        order.tickets.filter(order_line__offer__kind=kind)
        .select_related("order_line")
        .order_by("pk")
    )


@pytest.mark.django_db
def test_a_refund_gets_a_credit_note_on_the_invoice(paid_order):
    issue_documents()
    invoice = invoice_of(paid_order)
    with TestCase.captureOnCommitCallbacks(execute=True):
        refunded = orders.refund_tickets(order=paid_order, tickets=tickets_of(paid_order, "DUO"))
    note = Invoice.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert (note.number, note.sequence) == ("AV-000001", 1)
    assert note.credited == invoice and note.refund == refunded.refund
    assert note.order_id == paid_order.pk
    assert (note.total_before_tax_cents, note.total_vat_cents, note.total_cents) == (
        8636,
        864,
        9500,
    )
    assert note.vat_rate == invoice.vat_rate
    assert note.paid_at == refunded.refund.created_at
    assert (note.payment_brand, note.payment_last4) == ("Visa", "4242")
    (line,) = note.lines.all()
    assert line.description == "Remboursement sur la facture F-000001"
    # The invoice itself is untouched: a credit note corrects it.
    assert invoice_of(paid_order).total_cents == 19500


@pytest.mark.django_db
def test_a_wholly_refunded_invoice_nets_to_zero_to_the_cent(paid_order):
    issue_documents()
    solos = tickets_of(paid_order, "SOLO")
    for ticket in solos:  # 50 € each: 45.45 € before tax each, where the invoice says 90.91 €
        orders.refund_tickets(order=paid_order, tickets=[ticket])
    orders.refund_tickets(order=paid_order, tickets=tickets_of(paid_order, "DUO"))
    assert issue_documents() == 3
    invoice = invoice_of(paid_order)
    notes = list(invoice.credit_notes.order_by("sequence"))
    assert [note.number for note in notes] == ["AV-000001", "AV-000002", "AV-000003"]
    assert [note.total_cents for note in notes] == [5000, 5000, 9500]
    for field in ("total_before_tax_cents", "total_vat_cents", "total_cents"):
        assert sum(getattr(note, field) for note in notes) == getattr(invoice, field)


@pytest.mark.django_db
def test_a_refund_before_the_invoice_is_issued_comes_after_it(paid_order):
    orders.refund_tickets(order=paid_order, tickets=tickets_of(paid_order, "DUO"))
    assert issue_documents() == 2
    note = Invoice.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert note.credited == invoice_of(paid_order)


@pytest.mark.django_db
def test_a_ticket_resold_gets_its_seller_a_credit_note_and_its_buyer_an_invoice(
    make_user, make_offer
):
    seller, buyer = make_user(), make_user(first_name="Paul")
    cart.add_to_cart(seller, offer=make_offer(price_cents=12000), quantity=1)
    sold = pay(seller)
    listing = resale.list_ticket(user=seller, ticket=sold.tickets.get())
    cart.add_listing(buyer, listing=listing)
    bought = pay(buyer, run_on_commit=True)
    note = Invoice.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert note.credited == invoice_of(sold) and note.total_cents == 12000
    assert note.buyer_name == "Camille Martin"
    assert (invoice_of(sold).number, invoice_of(bought).number) == ("F-000001", "F-000002")
    assert invoice_of(bought).buyer_name == "Paul Martin"


@pytest.mark.django_db
def test_an_order_without_a_payment_does_not_stop_the_others(paid_order, make_user):
    """Only data made by hand has no payment: it is left out, and the rest is numbered."""
    import uuid

    from etickets.orders.models import new_reference

    stray = Order.objects.create(
        reference=new_reference(), user=make_user(), idempotency_key=uuid.uuid4(), total_cents=1
    )
    issue_documents()
    assert invoice_of(paid_order).number == "F-000001"
    assert not Invoice.objects.filter(order=stray).exists()
    assert not Order.objects.get(pk=stray.pk).invoicing_due
