from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from etickets.core.confirmation import ask, confirmed, leave
from etickets.resale import selectors as resale_selectors
from etickets.resale import services as resale

from . import selectors, services
from .advice import INSTRUCTIONS
from .models import TicketState
from .pdf import tickets_pdf
from .qr import qr_svg, qr_svgs
from .signing import public_key_pem
from .tokens import issue_token


@never_cache  # live QR codes: a shared or back-button copy must not outlive a regeneration
@login_required
@require_safe
def ticket_list(request):
    """« Mes billets »."""
    tickets = list(selectors.tickets_of(request.user))
    cards = list(zip(tickets, qr_svgs([issue_token(ticket) for ticket in tickets]), strict=True))
    return render(request, "tickets/ticket_list.html", {"cards": cards})


@never_cache
@login_required
@require_safe
def ticket_detail(request, ticket_id):
    ticket = selectors.ticket_for_owner(request.user, ticket_id=ticket_id)
    context = {
        "ticket": ticket,
        "qr": qr_svg(issue_token(ticket)),
        "instructions": INSTRUCTIONS,
        "can_regenerate": services.can_regenerate(ticket=ticket),
        "can_resell": resale.can_list(ticket=ticket, now=timezone.now()),
        "listing": resale_selectors.live_listing_of(ticket_id=ticket.pk)
        if ticket.state == TicketState.LISTED
        else None,
    }
    return render(request, "tickets/ticket_detail.html", context)


def _pdf_response(tickets, filename):
    response = HttpResponse(tickets_pdf(tickets, get_language()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def ticket_pdf(request, ticket_id):
    ticket = selectors.ticket_for_owner(request.user, ticket_id=ticket_id)
    slug = ticket.event.slug[:40]
    return _pdf_response([ticket], f"billet-{ticket.order.reference}-{slug}-{ticket.number}.pdf")


@login_required
@require_safe
def order_pdf(request, reference):
    tickets = selectors.order_tickets_for_owner(request.user, reference=reference)
    return _pdf_response(tickets, f"billets-{reference}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def regenerate(request, ticket_id):
    ticket = selectors.ticket_for_owner(request.user, ticket_id=ticket_id)
    if not services.can_regenerate(ticket=ticket):
        return _not_regenerated(request, ticket)
    if not confirmed(request):
        return ask(
            request,
            title=_("Régénérer le QR code ?"),
            consequences=[
                _(
                    "Le QR code actuel ne permettra plus d'entrer : sur les billets imprimés, les "
                    "PDF déjà téléchargés, les captures d'écran et toutes leurs copies, il sera "
                    "refusé à l'entrée."
                ),
                _(
                    "Le numéro du billet ne change pas : saisi à l'entrée, il ne fait entrer que "
                    "sur présentation d'une pièce d'identité au nom du titulaire."
                ),
                _(
                    "Le nouveau QR code s'affiche aussitôt dans « Mes billets » : téléchargez de "
                    "nouveau le PDF si vous voulez l'imprimer."
                ),
            ],
            items=[
                _("%(event)s, billet n° %(number)s")
                % {"event": ticket.event.title, "number": ticket.number}
            ],
            confirm_label=_("Régénérer le QR code"),
            cancel_label=_("Annuler, garder ce QR code"),
            cancel_url=ticket.get_absolute_url(),
        )
    if not services.regenerate_qr_code(ticket):  # used or cancelled meanwhile
        return _not_regenerated(request, ticket)
    messages.success(
        request,
        _(
            "Nouveau QR code créé : l'ancien, et toute copie ou capture d'écran de celui-ci, "
            "ne permet plus d'entrer. Pensez à télécharger de nouveau le PDF."
        ),
    )
    return redirect(ticket)


def _not_regenerated(request, ticket):
    messages.error(request, _("Ce billet ne peut plus entrer : son QR code n'a pas changé."))
    return leave(request, ticket.get_absolute_url())


@require_safe
@cache_control(public=True, max_age=3600)
def public_key(request):
    """The key scanners use to check QR codes offline (PEM)."""
    return HttpResponse(public_key_pem(), content_type="application/x-pem-file")
