import datetime
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from etickets.accounts.models import User
from etickets.orders.models import Order

from .models import DocumentKind, Invoice

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def document_for_owner(user: User, number: str) -> Invoice:
    """An invoice or credit note of the user's own orders, with its lines; anyone else's, like
    an unknown one, is a 404."""
    return get_object_or_404(
        Invoice.objects.prefetch_related("lines").select_related("credited", "order"),
        number=number,
        order__user=user,
    )


def invoice_of_order_for_owner(user: User, reference: str) -> Invoice | None:
    """The invoice of the user's own order (a 404 for anyone else's); None until issued."""
    order = get_object_or_404(Order.objects.only("pk"), user=user, reference=reference)
    return (
        Invoice.objects.prefetch_related("lines")
        .select_related("order")
        .filter(order=order, kind=DocumentKind.INVOICE)
        .first()
    )


def document_for_desk(number: str) -> Invoice:
    return get_object_or_404(
        Invoice.objects.prefetch_related("lines").select_related("credited", "order"), number=number
    )


def _issued_between(
    date_from: datetime.date | None, date_to: datetime.date | None
) -> QuerySet[Invoice]:
    """The invoices and credit notes issued within these days (Paris time), oldest first."""
    documents = Invoice.objects.all()
    if date_from:
        start = datetime.datetime.combine(date_from, datetime.time.min, PARIS)
        documents = documents.filter(issued_at__gte=start)
    if date_to:
        next_day = date_to + datetime.timedelta(days=1)
        end = datetime.datetime.combine(next_day, datetime.time.min, PARIS)
        documents = documents.filter(issued_at__lt=end)
    return documents.order_by("issued_at", "kind", "sequence")


def documents(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> QuerySet[Invoice]:
    """The back office's list: with their orders and the invoices credit notes correct."""
    return _issued_between(date_from, date_to).select_related("order", "credited")


def documents_for_export(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> Iterator[tuple[Any, ...]]:
    """Rows of the accountants' CSV, streamed from the database."""
    return (
        _issued_between(date_from, date_to)
        .values_list(
            "number",
            "issued_at",
            "order__reference",
            "buyer_name",
            "total_before_tax_cents",
            "total_vat_cents",
            "total_cents",
            "kind",
            "vat_rate",
            "credited__number",
        )
        .iterator(chunk_size=2000)
    )
