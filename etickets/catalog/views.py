from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from etickets.resale.selectors import listings_on_sale
from etickets.waitingroom import passes
from etickets.waitingroom.services import QueueRequired, check_admission

from . import selectors
from .forms import OfferFilterForm


@require_safe
def home(request):
    return render(request, "catalog/home.html", {"offers": selectors.featured_offers()})


@require_safe
def offer_list(request):
    form = OfferFilterForm(request.GET, choices=selectors.filter_choices())
    filters, number, query = form.filters(), form.page_number(), form.query_string()
    # htmx asks for the results only when a filter changes (but to restore a page of its
    # history it had not kept); a plain request gets the page.
    results_only = bool(request.htmx) and not request.htmx.history_restore_request
    context = {
        "form": form,
        "query": query,
        "page_number": number,
        # Loaded only if the template's few-seconds copy of the results has expired.
        "page": SimpleLazyObject(lambda: selectors.catalogue_page(filters=filters, number=number)),
        "results_only": results_only,
    }
    template = "catalog/_offer_results.html" if results_only else "catalog/offer_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    if form.errors:
        # Not a copy for everyone (core/pagecache.py): the refused values are as many as the
        # visitors care to type, and their copies would push the useful ones out.
        patch_cache_control(response, private=True)
    if results_only:
        # The address bar shows the filters chosen, not the empty fields the form sends too.
        response["HX-Push-Url"] = f"{request.path}?{query}" if query else request.path
    return response


@require_safe
def offer_detail(request, slug):
    offer = selectors.get_published_offer(slug)
    try:
        check_admission(
            user=request.user,
            event_ids=[offer.event_id],
            passes=passes.of_request(request),
            now=timezone.now(),
        )
    except QueueRequired as refusal:
        # From shortly before a queued sale opens, its offers are seen from its queue.
        if refusal.in_force:
            return passes.send_to_queue(request, refusal)
    return offer_page(request, offer)


def offer_page(request, offer, *, quantity="1", quantity_error=""):
    """An offer's page; after a refused addition to the cart, with the quantity as typed and
    why it was refused, next to the field."""
    context = {
        "offer": offer,
        "other_offers": selectors.other_offers_of_event(offer),
        "quantity": quantity,
        "quantity_error": quantity_error,
        # The official resale's tickets, once the event's own are sold out.
        "resale_listings": listings_on_sale(offer=offer) if offer.is_sold_out else [],
    }
    return render(request, "catalog/offer_detail.html", context)
