from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from .models import Order


def orders_of(user) -> QuerySet[Order]:
    return Order.objects.filter(user=user).annotate(tickets_count=Count("tickets"))


def order_for_owner(user, reference: str) -> Order:
    """The user's own order; anyone else's, like an unknown one, is a 404."""
    return get_object_or_404(
        Order.objects.select_related("payment").prefetch_related("lines__offer__event"),
        user=user,
        reference=reference,
    )
