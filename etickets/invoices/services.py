"""Issuing invoices and credit notes (docs/ARCHITECTURE.md, « Invoices »).

Each kind is numbered in one sequence without gaps, in the order of issue. Numbering needs one
issuer at a time, so it is not done while paying (every sale would wait for that one lock):
an order is written with ``invoicing_due``, and once it has committed ``issue_documents``
numbers, under one lock, every order still due — its invoice, and a credit note for each of
its refunds that has none.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, QuerySet, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from etickets.core.jobs import queue_on_commit
from etickets.orders.models import Order, OrderLine
from etickets.payments.models import Refund

from . import tasks, vat
from .models import DocumentKind, Invoice, InvoiceLine, document_number

# The key of PostgreSQL's advisory lock that numbering holds to the end of its transaction;
# any constant that no other advisory lock uses ("JOFACT" in ASCII).
NUMBERING_LOCK = 0x4A4F_4641_4354


def issue_after_commit() -> None:
    """Have the invoices and credit notes due issued once the caller's transaction commits (a
    Celery job; at once, in this process, without a broker)."""
    queue_on_commit(tasks.issue_documents)


# What an invoice says of a buyer whose account was deleted (etickets.privacy).
ERASED_BUYER = "Client (compte supprimé)"


def forget_buyer(*, user_id: int, email: str) -> int:
    """Account deletion (etickets.privacy): the buyer's name and address leave the invoices and
    credit notes of their orders, the one change an issued document ever gets (personal data
    law comes first); numbers, dates and amounts stay for the accounts. How many changed."""
    documents = Invoice.objects.filter(order__user_id=user_id)
    # Past the written-once guard on purpose: QuerySet.update of Django itself.
    return QuerySet.update(documents, buyer_name=ERASED_BUYER, buyer_email=email)


def issue_documents(*, batch: int = 200) -> int:
    """Issue every invoice and credit note due, a batch of orders per transaction; how many."""
    issued = 0
    while True:
        count, more = _issue_batch(batch)
        issued += count
        if not more:
            return issued


def _lock_numbering() -> None:
    """One issuer at a time, to the end of the transaction, so that the next one reads the
    numbers this one wrote. On SQLite the transaction took the database's write lock at BEGIN
    (IMMEDIATE), which already serialises issuers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NUMBERING_LOCK])


@transaction.atomic
def _issue_batch(batch: int) -> tuple[int, bool]:
    _lock_numbering()
    # An order without a payment (only data made by hand: a sale writes both at once) has
    # nothing to invoice; left due, it would stop every batch.
    Order.objects.filter(invoicing_due=True, payment__isnull=True).update(invoicing_due=False)
    # An order whose row another transaction holds (a refund, the confirmation e-mails) is
    # left to the next run: holding the lock every issuer waits for, none waits for a row.
    orders = list(
        Order.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(invoicing_due=True)
        .select_related("user", "payment")
        .order_by("created_at", "id")[:batch]
    )
    if not orders:
        return 0, False
    now = timezone.now()  # after the lock: dates follow numbers
    invoices = {
        invoice.order_id: invoice
        for invoice in Invoice.objects.filter(kind=DocumentKind.INVOICE, order__in=orders)
    }
    new_invoices = _issue_invoices([o for o in orders if o.pk not in invoices], now=now)
    invoices.update((invoice.order_id, invoice) for invoice in new_invoices)
    credit_notes = _issue_credit_notes(invoices, now=now)
    Order.objects.filter(pk__in=[order.pk for order in orders]).update(invoicing_due=False)
    return len(new_invoices) + len(credit_notes), len(orders) == batch


def _next_sequence(kind: str) -> int:
    last = Invoice.objects.filter(kind=kind).aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


def _seller() -> dict[str, str]:
    return {
        "seller_name": settings.INVOICE_SELLER_NAME,
        "seller_address": settings.INVOICE_SELLER_ADDRESS,
        "seller_siret": settings.INVOICE_SELLER_SIRET,
        "seller_vat_number": settings.INVOICE_SELLER_VAT_NUMBER,
    }


def _buyer(order: Order) -> dict[str, str]:
    user = order.user
    if user.deleted_at is not None:  # its invoice comes after the account's deletion
        return {"buyer_name": ERASED_BUYER, "buyer_email": user.email}
    return {
        "buyer_name": f"{user.first_name} {user.last_name}".strip() or user.email,
        "buyer_email": user.email,
    }


def _issue_invoices(orders: list[Order], *, now: datetime.datetime) -> list[Invoice]:
    """The invoices of these orders (in the order of their payments), numbered and saved."""
    if not orders:
        return []
    rate = vat.basis_points(settings.INVOICE_VAT_PERCENT)
    lines_of: defaultdict[int, list[OrderLine]] = defaultdict(list)
    for order_line in OrderLine.objects.filter(order__in=orders).select_related("offer__event"):
        lines_of[order_line.order_id].append(order_line)
    first = _next_sequence(DocumentKind.INVOICE)
    invoices: list[Invoice] = []
    lines: list[InvoiceLine] = []
    for sequence, order in enumerate(orders, start=first):
        invoice_lines = [_invoice_line(order_line, rate) for order_line in lines_of[order.pk]]
        invoice = Invoice(
            kind=DocumentKind.INVOICE,
            sequence=sequence,
            number=document_number(DocumentKind.INVOICE, sequence),
            issued_at=now,
            order=order,
            paid_at=order.created_at,
            payment_brand=order.payment.brand,
            payment_last4=order.payment.last4,
            vat_rate=rate,
            **_seller(),
            **_buyer(order),
            **_totals(invoice_lines),
        )
        invoices.append(invoice)
        for line in invoice_lines:
            line.invoice = invoice
        lines += invoice_lines
    Invoice.objects.bulk_create(invoices)
    InvoiceLine.objects.bulk_create(lines)
    return invoices


def _invoice_line(line: OrderLine, rate: int) -> InvoiceLine:
    """The invoice's line for an order's line: its VAT worked out on the line's total, so that
    the lines add up to the invoice's totals, and each line's before tax + VAT = with tax."""
    amounts = vat.split(line.subtotal_cents, rate)
    return InvoiceLine(
        description=_describe(line),
        quantity=line.quantity,
        unit_price_before_tax_cents=vat.before_tax(line.unit_price_cents, rate),
        unit_price_cents=line.unit_price_cents,
        total_before_tax_cents=amounts.before_tax,
        total_vat_cents=amounts.vat,
        total_cents=amounts.with_tax,
    )


def _describe(line: OrderLine) -> str:
    """« Finale 100 m — 4 août 2024, 21:20 — Stade de France — Duo (2 personnes) », in French:
    the language of the invoice, whoever reads it later."""
    offer, event = line.offer, line.offer.event
    with translation.override("fr"):
        starts_at = formats.date_format(timezone.localtime(event.starts_at), "j F Y, H:i")
        persons = ngettext("%(n)s personne", "%(n)s personnes", line.persons) % {"n": line.persons}
        return (
            f"{event.title} — {starts_at} — {event.venue} — {offer.get_kind_display()} ({persons})"
        )


def _totals(lines: Iterable[InvoiceLine]) -> dict[str, int]:
    lines = list(lines)
    return {
        "total_before_tax_cents": sum(line.total_before_tax_cents for line in lines),
        "total_vat_cents": sum(line.total_vat_cents for line in lines),
        "total_cents": sum(line.total_cents for line in lines),
    }


def _issue_credit_notes(invoices: dict[int, Invoice], *, now: datetime.datetime) -> list[Invoice]:
    """A credit note for each refund of these orders that has none, in the order of the
    refunds, each on its order's invoice and at its VAT rate."""
    refunds = list(
        Refund.objects.filter(payment__order__in=list(invoices), credit_note__isnull=True)
        .select_related("payment__order__user")
        .order_by("created_at", "id")
    )
    if not refunds:
        return []
    credited = _credited_so_far({invoices[r.payment.order_id] for r in refunds})
    first = _next_sequence(DocumentKind.CREDIT_NOTE)
    notes, lines = [], []
    for sequence, refund in enumerate(refunds, start=first):
        invoice = invoices[refund.payment.order_id]
        amounts = _credited_amounts(invoice, refund.amount_cents, credited[invoice.pk])
        credited[invoice.pk] = vat.Amounts(
            before_tax=credited[invoice.pk].before_tax + amounts.before_tax,
            vat=credited[invoice.pk].vat + amounts.vat,
            with_tax=credited[invoice.pk].with_tax + amounts.with_tax,
        )
        number = document_number(DocumentKind.CREDIT_NOTE, sequence)
        note = Invoice(
            kind=DocumentKind.CREDIT_NOTE,
            sequence=sequence,
            number=number,
            issued_at=now,
            order_id=invoice.order_id,
            credited=invoice,
            refund=refund,
            paid_at=refund.created_at,
            payment_brand=refund.payment.brand,
            payment_last4=refund.payment.last4,
            vat_rate=invoice.vat_rate,
            total_before_tax_cents=amounts.before_tax,
            total_vat_cents=amounts.vat,
            total_cents=amounts.with_tax,
            **_seller(),
            **_buyer(refund.payment.order),
        )
        notes.append(note)
        with translation.override("fr"):
            description = _("Remboursement sur la facture %(number)s") % {"number": invoice.number}
        lines.append(
            InvoiceLine(
                invoice=note,
                description=description,
                quantity=1,
                unit_price_before_tax_cents=amounts.before_tax,
                unit_price_cents=amounts.with_tax,
                total_before_tax_cents=amounts.before_tax,
                total_vat_cents=amounts.vat,
                total_cents=amounts.with_tax,
            )
        )
    Invoice.objects.bulk_create(notes)
    InvoiceLine.objects.bulk_create(lines)
    return notes


def _credited_so_far(invoices: set[Invoice]) -> defaultdict[int, vat.Amounts]:
    """What the credit notes already issued on each of these invoices add up to."""
    credited: defaultdict[int, vat.Amounts] = defaultdict(lambda: vat.Amounts(0, 0, 0))
    for row in (
        Invoice.objects.filter(credited__in=invoices)
        .values("credited")
        .annotate(
            before_tax=Sum("total_before_tax_cents"),
            vat=Sum("total_vat_cents"),
            with_tax=Sum("total_cents"),
        )
        .order_by()
    ):
        credited[row["credited"]] = vat.Amounts(row["before_tax"], row["vat"], row["with_tax"])
    return credited


def _credited_amounts(invoice: Invoice, refunded: int, so_far: vat.Amounts) -> vat.Amounts:
    """A refund's amounts before tax and VAT. The one that refunds the rest of the invoice
    takes what is left of each, so that a wholly refunded invoice nets to zero to the cent
    however its refunds were rounded."""
    if so_far.with_tax + refunded == invoice.total_cents:
        net = invoice.total_before_tax_cents - so_far.before_tax
        return vat.Amounts(before_tax=net, vat=refunded - net, with_tax=refunded)
    return vat.split(refunded, invoice.vat_rate)
