from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from . import selectors
from .forms import OfferFilterForm


@require_safe
def home(request):
    return render(request, "catalog/home.html", {"offers": selectors.featured_offers()})


@require_safe
def offer_list(request):
    form = OfferFilterForm(request.GET or None)
    offers = selectors.upcoming_offers(kind=form.selected_kind())
    context = {"form": form, "offers": offers}
    # htmx asks for the results only when the filter changes; a plain request gets the page.
    template = "catalog/_offer_catalogue.html" if request.htmx else "catalog/offer_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_safe
def offer_detail(request, slug):
    return offer_page(request, selectors.get_published_offer(slug))


def offer_page(request, offer, *, quantity="1", quantity_error=""):
    """An offer's page; after a refused addition to the cart, with the quantity as typed and
    why it was refused, next to the field."""
    context = {
        "offer": offer,
        "other_offers": selectors.other_offers_of_event(offer),
        "quantity": quantity,
        "quantity_error": quantity_error,
    }
    return render(request, "catalog/offer_detail.html", context)
