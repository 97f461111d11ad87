from django import template
from django.conf import settings
from django.utils import timezone

from etickets.catalog.models import Offer

from .. import selectors, services

register = template.Library()


@register.inclusion_tag("waitlist/_join.html", takes_context=True)
def waiting_list_panel(context, offer: Offer) -> dict:
    """The waiting list of a sold-out offer on its page: the form to join it, or the user's
    place in it (one query, only for a signed-in visitor of a sold-out offer)."""
    user = context["request"].user
    services.run_without_beat(now=timezone.now())
    entry = selectors.live_entry(user=user, offer=offer) if user.is_authenticated else None
    return {
        "offer": offer,
        "offer_minutes": settings.WAITLIST_OFFER_MINUTES,
        "entry": entry,
        "user": user,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
