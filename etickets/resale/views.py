from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from etickets.core.clock import calendar_now
from etickets.core.confirmation import ask, confirmed, leave
from etickets.core.errors import DomainError
from etickets.core.templatetags.etickets import euros
from etickets.tickets import selectors as tickets

from . import selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def sell(request, ticket_id):
    """« Revendre ce billet », after a question saying what it does."""
    ticket = tickets.ticket_for_owner(request.user, ticket_id=ticket_id)
    refusal = services.listing_refusal(ticket=ticket, now=calendar_now())
    if refusal is not None:
        messages.error(request, str(refusal))
        return leave(request, ticket.get_absolute_url())
    price = ticket.order_line.unit_price_cents
    if not confirmed(request):
        return ask(
            request,
            title=_("Revendre ce billet ?"),
            consequences=[
                _(
                    "Il sera proposé sur la revente officielle à son prix d'achat, %(price)s : "
                    "ni plus, ni moins."
                )
                % {"price": euros(price)},
                _(
                    "Une fois vendu, %(payout)s vous seront remboursés sur la carte qui l'a "
                    "payé, et son QR code ne permettra plus d'entrer."
                )
                % {"payout": euros(services.payout_of(price))},
                _(
                    "Tant qu'il est en revente, il ne peut ni entrer ni être transféré ; vous "
                    "pouvez le retirer de la revente jusqu'à ce qu'il soit vendu."
                ),
            ],
            items=[
                _("%(event)s, billet n° %(number)s")
                % {"event": ticket.event.title, "number": ticket.number}
            ],
            confirm_label=_("Mettre en revente"),
            cancel_label=_("Annuler, garder ce billet"),
            cancel_url=ticket.get_absolute_url(),
        )
    try:
        services.list_ticket(user=request.user, ticket=ticket)
    except DomainError as error:
        messages.error(request, str(error))
        return leave(request, ticket.get_absolute_url())
    messages.success(
        request,
        _("Votre billet est en revente. Vous serez prévenu par e-mail dès qu'il sera vendu."),
    )
    return leave(request, ticket.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, listing_id):
    """« Retirer de la revente »."""
    listing = selectors.listing_for_seller(request.user, listing_id=listing_id)
    ticket_url = listing.ticket.get_absolute_url()
    if not confirmed(request):
        return ask(
            request,
            title=_("Retirer ce billet de la revente ?"),
            consequences=[
                _(
                    "Il ne sera plus proposé aux acheteurs, et son QR code permettra de nouveau "
                    "d'entrer."
                )
            ],
            items=[
                _("%(event)s, billet n° %(number)s")
                % {"event": listing.event.title, "number": listing.ticket.number}
            ],
            confirm_label=_("Retirer de la revente"),
            cancel_label=_("Annuler, laisser en revente"),
            cancel_url=ticket_url,
        )
    try:
        services.withdraw_listing(user=request.user, listing=listing)
    except DomainError as error:
        messages.error(request, str(error))
        return leave(request, reverse("tickets:list"))  # sold meanwhile: no longer theirs
    messages.success(request, _("Votre billet n'est plus en revente : il est de nouveau valable."))
    return leave(request, ticket_url)
