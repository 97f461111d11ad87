from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from etickets.catalog import selectors as catalog
from etickets.catalog.views import offer_page
from etickets.core.confirmation import ask, confirmed, leave
from etickets.core.errors import DomainError
from etickets.core.unavailable import is_unavailable
from etickets.resale.errors import ListingUnavailable
from etickets.resale.selectors import listing_to_buy
from etickets.waitingroom import passes
from etickets.waitingroom.services import QueueRequired

from . import pending, selectors, services
from .forms import QuantityForm
from .models import CartLine
from .selectors import CartSummary


def report_adjustments(request, adjustments) -> None:
    for adjustment in adjustments:
        if adjustment.hold_ended:
            text = _(
                "Votre réservation de « %(offer)s », déjà prolongée une fois, a expiré : ces "
                "billets ont été retirés de votre panier."
            )
        elif adjustment.kept:
            text = _(
                "Il ne reste que %(kept)s billet(s) « %(offer)s » : votre panier en garde "
                "%(kept)s au lieu de %(wanted)s."
            )
        else:
            text = _("« %(offer)s » n'est plus disponible : il a été retiré de votre panier.")
        messages.warning(
            request,
            text
            % {
                "offer": adjustment.offer.title,
                "kept": adjustment.kept,
                "wanted": adjustment.wanted,
            },
        )


def refreshed_summary(request) -> CartSummary:
    """The cart (``services.refresh_cart``), the buyer told what its renewal changed."""
    try:
        refreshed = services.refresh_cart(user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return selectors.cart_summary(request.user)
    if refreshed.renewed:
        messages.info(
            request,
            _(
                "Votre réservation avait expiré : les places encore disponibles sont de nouveau "
                "réservées pour vous."
            ),
        )
        report_adjustments(request, refreshed.adjustments)
    return refreshed.summary


def _render_cart(request, refused=None):
    """The cart; ``refused``: a line's change that was refused ({offer_id, quantity, message}),
    shown next to that line's quantity."""
    context = {"summary": refreshed_summary(request), "refused": refused}
    template = "cart/_cart.html" if request.htmx else "cart/cart.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def cart_page(request):
    _add_pending(request)
    return _render_cart(request)


def _add_pending(request) -> None:
    """What the buyer chose before logging in, added now (login sends them here), each
    refusal said in the cart."""
    additions = pending.read(request.session)
    try:
        outcomes = services.add_pending(
            user=request.user, additions=additions, passes=passes.of_request(request)
        )
        for outcome in outcomes:
            pending.forget(request.session, offer_id=outcome.offer_id)
            _report_pending(request, outcome)
    except Exception as error:
        # A 5xx answer does not save the session: save it here, without what was added. What
        # is left waits for the next load if a dependency is down; after a bug, it is dropped
        # (else every load would fail again).
        if not is_unavailable(error):
            pending.clear(request.session)
        request.session.save()
        raise


def _report_pending(request, outcome: services.PendingOutcome) -> None:
    if outcome.offer is None:
        messages.error(
            request,
            _(
                "Une offre choisie avant votre connexion n'est plus en vente : elle n'a pas "
                "été ajoutée à votre panier."
            ),
        )
    elif outcome.refusal is not None:
        messages.error(
            request,
            _("« %(offer)s » n'a pas été ajouté à votre panier : %(reason)s")
            % {"offer": outcome.offer.title, "reason": outcome.refusal},
        )
    else:
        report_adjustments(request, outcome.adjustments)
        _say_added(request, outcome.offer, outcome.quantity)


@require_POST
def add(request, slug):
    offer = catalog.get_published_offer(slug)
    form = QuantityForm(request.POST)
    if not form.is_valid():
        return _refused_addition(request, offer, form.refusal())
    quantity = form.cleaned_data["quantity"]
    if not request.user.is_authenticated:
        return _add_after_login(request, offer, quantity)
    try:
        _add(request, offer, quantity)
    except QueueRequired as refusal:
        return passes.send_to_queue(request, refusal)
    except DomainError as error:
        return _refused_addition(request, offer, str(error))
    return redirect(offer)


def _add(request, offer, quantity):
    """Add to the user's cart and say so; DomainError when refused."""
    adjustments = services.add_to_cart(
        request.user, offer=offer, quantity=quantity, passes=passes.of_request(request)
    ).adjustments
    report_adjustments(request, adjustments)
    _say_added(request, offer, quantity)


def _say_added(request, offer, quantity):
    messages.success(
        request,
        ngettext(
            "%(count)s billet « %(offer)s » ajouté à votre panier.",
            "%(count)s billets « %(offer)s » ajoutés à votre panier.",
            quantity,
        )
        % {"count": quantity, "offer": offer.title},
    )


def _add_after_login(request, offer, quantity):
    """Keep the choice, and ask to log in first: the cart page, where the login leads, adds it.
    What can be refused before knowing who asks is refused here."""
    try:
        services.check_quantity(offer=offer, quantity=quantity)
        pending.remember(request.session, offer=offer, quantity=quantity)
    except DomainError as error:
        return _refused_addition(request, offer, str(error))
    messages.info(
        request,
        ngettext(
            "Connectez-vous pour ajouter ce billet à votre panier (« %(offer)s »). Pas encore "
            "de compte ? Inscrivez-vous : votre choix vous attendra.",
            "Connectez-vous pour ajouter ces %(count)s billets à votre panier (« %(offer)s »). "
            "Pas encore de compte ? Inscrivez-vous : votre choix vous attendra.",
            quantity,
        )
        % {"count": quantity, "offer": offer.title},
    )
    return redirect_to_login(reverse("cart:cart"))


def _refused_addition(request, offer, message):
    """The offer's page again, the quantity as typed and the reason next to it."""
    return offer_page(
        request, offer, quantity=request.POST.get("quantity", ""), quantity_error=message
    )


def _line_offer(request, offer_id):
    """The offer of one of the user's own cart lines; anyone else's is a 404."""
    line = get_object_or_404(
        CartLine.objects.select_related("offer__event"), cart__user=request.user, offer_id=offer_id
    )
    return line.offer


@login_required
@require_POST
def update(request, offer_id):
    offer = _line_offer(request, offer_id)
    form = QuantityForm(request.POST)
    if not form.is_valid():
        return _refused_change(request, offer, form.refusal())
    quantity = form.requested_quantity()
    try:
        report_adjustments(
            request,
            services.set_quantity(
                request.user, offer=offer, quantity=quantity, passes=passes.of_request(request)
            ),
        )
    except QueueRequired as refusal:
        return passes.send_to_queue(request, refusal)
    except DomainError as error:
        return _refused_change(request, offer, str(error))
    if quantity == 0:
        _removed(request, offer)
    return _after_change(request)


def _refused_change(request, offer, message):
    """The cart again, the reason next to the line's quantity (which shows the quantity still
    in the cart, the one its subtotal is computed on)."""
    refused = {"offer_id": offer.pk, "message": message}
    return _render_cart(request, refused)


def _removed(request, offer):
    messages.success(
        request, _("« %(offer)s » a été retiré de votre panier.") % {"offer": offer.title}
    )


@login_required
@require_POST
def remove(request, offer_id):
    offer = _line_offer(request, offer_id)
    services.remove_line(request.user, offer=offer)
    _removed(request, offer)
    return _after_change(request)


@login_required
@require_http_methods(["GET", "POST"])
def clear(request):
    summary = selectors.cart_summary(request.user)
    if summary.is_empty:
        return leave(request, reverse("cart:cart"))
    if not confirmed(request):
        count = summary.ticket_count
        return ask(
            request,
            title=_("Vider le panier ?"),
            consequences=[
                ngettext(
                    "Le billet réservé sera libéré : d'autres pourront l'acheter.",
                    "Les %(count)s billets réservés seront libérés : d'autres pourront les "
                    "acheter.",
                    count,
                )
                % {"count": count}
            ],
            items=[f"{line.quantity} × {line.offer.title}" for line in summary.lines]
            + [
                _("Revente officielle : %(offer)s") % {"offer": line.listing.offer.title}
                for line in summary.resale_lines
            ],
            confirm_label=_("Vider le panier"),
            cancel_label=_("Annuler, garder mon panier"),
            cancel_url=reverse("cart:cart"),
        )
    services.clear_cart(request.user)
    messages.success(request, _("Votre panier a été vidé."))
    return redirect("cart:cart")


def _after_change(request):
    """htmx swaps the cart in place; without JavaScript, back to the cart page."""
    if request.htmx:
        return _render_cart(request)
    return redirect("cart:cart")


@require_POST
def add_resale(request, listing_id):
    """« Ajouter au panier » a ticket of the official resale."""
    listing = listing_to_buy(listing_id=listing_id)
    if listing is None:
        messages.error(request, str(ListingUnavailable.message))
        return redirect("catalog:offer_list")
    if not request.user.is_authenticated:
        messages.info(
            request, _("Connectez-vous pour ajouter ce billet de revente à votre panier.")
        )
        return redirect_to_login(listing.offer.get_absolute_url())
    try:
        services.add_listing(request.user, listing=listing, passes=passes.of_request(request))
    except QueueRequired as refusal:
        return passes.send_to_queue(request, refusal)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(listing.offer)
    messages.success(
        request,
        _(
            "Billet de revente « %(offer)s » ajouté à votre panier, réservé pour vous "
            "%(minutes)s minutes."
        )
        % {"offer": listing.offer.title, "minutes": settings.CART_HOLD_MINUTES},
    )
    return redirect("cart:cart")


@login_required
@require_POST
def remove_resale(request, listing_id):
    services.remove_listing(request.user, listing_id=listing_id)
    messages.success(request, _("Billet de revente retiré de votre panier."))
    return _after_change(request)
