import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from etickets.core.clock import calendar_now
from etickets.core.confirmation import ask, confirmed, leave
from etickets.core.errors import DomainError
from etickets.resale import selectors as resale_selectors
from etickets.resale import services as resale

from . import selectors, services, transfers
from .advice import INSTRUCTIONS
from .forms import TransferForm
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
    now = calendar_now()
    sent = {
        transfer.ticket_id: transfer
        for transfer in selectors.transfers_sent(user=request.user, now=now)
    }
    codes = [selectors.ticket_code(ticket=ticket, now=now) for ticket in tickets]
    static = [ticket for ticket, code in zip(tickets, codes, strict=True) if code.kind == "static"]
    drawn = dict(zip(static, qr_svgs([issue_token(ticket) for ticket in static]), strict=True))
    cards = [
        (
            ticket,
            code,
            drawn.get(ticket),
            sent.get(ticket.pk),
            ticket.pk not in sent and services.can_transfer(ticket=ticket, now=now),
        )
        for ticket, code in zip(tickets, codes, strict=True)
    ]
    return render(
        request,
        "tickets/ticket_list.html",
        {
            "cards": cards,
            "rotating": any(code.kind == "rotating" for code in codes),
            "server_time": _server_time(),
        },
    )


def _server_time() -> int:
    """Milliseconds since the epoch: the page's rotating codes measure the phone's clock
    against it."""
    return int(time.time() * 1000)


@never_cache
@login_required
@require_safe
def ticket_detail(request, ticket_id):
    ticket = selectors.ticket_for_owner(request.user, ticket_id=ticket_id)
    now = calendar_now()
    pending = _pending_transfer(request.user, ticket, now)
    code = selectors.ticket_code(ticket=ticket, now=now)
    context = {
        "ticket": ticket,
        "code": code,
        "qr": qr_svg(issue_token(ticket)) if code.kind == "static" else None,
        "server_time": _server_time(),
        "instructions": INSTRUCTIONS,
        "can_regenerate": services.can_regenerate(ticket=ticket),
        "can_resell": resale.can_list(ticket=ticket, now=now),
        "listing": resale_selectors.live_listing_of(ticket_id=ticket.pk)
        if ticket.state == TicketState.LISTED
        else None,
        "transfer": pending,
        "can_transfer": pending is None and services.can_transfer(ticket=ticket, now=now),
        "transfers_close_at": services.transfers_close_at(event=ticket.event),
    }
    return render(request, "tickets/ticket_detail.html", context)


@never_cache
@login_required
@require_POST
def rotating_key(request, ticket_id):
    """The certificate and private key of the ticket's rotating code, for the holder's phone to
    keep (IndexedDB) and draw the code offline: asked once per device and key version."""
    ticket = selectors.ticket_for_owner(request.user, ticket_id=ticket_id)
    try:
        key = selectors.rotating_code_key(ticket=ticket, now=calendar_now())
    except selectors.CodeNotShown:
        message = _("Le QR code de ce billet ne s'affiche pas maintenant : rechargez la page.")
        return JsonResponse({"code": "code_not_shown", "message": message}, status=409)
    return JsonResponse({**key, "server_time": _server_time()})


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


def _pending_transfer(user, ticket, now):
    sent = selectors.transfers_sent(user=user, now=now)
    return next((transfer for transfer in sent if transfer.ticket_id == ticket.pk), None)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def transfer(request, ticket_id):
    """« Transférer ce billet »: the recipient's address; the link goes to it."""
    ticket = selectors.ticket_for_owner(request.user, ticket_id=ticket_id)
    now = calendar_now()
    refusal = services.transfer_refusal(ticket=ticket, now=now)
    if refusal:
        messages.error(request, str(refusal))
        return redirect(ticket)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            transfers.offer_transfer(ticket=ticket, sender=request.user, email=email, now=now)
        except DomainError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                _(
                    "Transfert proposé : %(email)s a reçu un lien pour accepter le billet. "
                    "Jusque-là, il reste à vous et vous pouvez annuler le transfert."
                )
                % {"email": email},
            )
            return redirect("tickets:list")
    context = {
        "ticket": ticket,
        "form": form,
        "transfers_close_at": services.transfers_close_at(event=ticket.event),
    }
    return render(request, "tickets/transfer.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_transfer(request, transfer_id):
    transfer = selectors.pending_transfer_of(user=request.user, transfer_id=transfer_id)
    ticket = transfer.ticket
    if not confirmed(request):
        return ask(
            request,
            title=_("Annuler le transfert ?"),
            consequences=[
                _("Le lien envoyé à %(email)s ne permettra plus d'accepter le billet.")
                % {"email": transfer.recipient_email},
                _("Le billet reste à vous, avec le même QR code."),
            ],
            items=[
                _("%(event)s, billet n° %(number)s")
                % {"event": ticket.event.title, "number": ticket.number}
            ],
            confirm_label=_("Annuler le transfert"),
            cancel_label=_("Garder le transfert"),
            cancel_url=reverse("tickets:list"),
        )
    try:
        transfers.cancel_transfer(transfer=transfer, sender=request.user)
    except DomainError as error:  # accepted meanwhile
        messages.error(request, str(error))
        return leave(request, reverse("tickets:list"))
    messages.success(request, _("Transfert annulé : le billet reste à vous."))
    return redirect("tickets:list")


@never_cache
@require_http_methods(["GET", "POST"])
def accept_transfer(request, token):
    """The e-mailed link: whoever is not logged in is asked to, or to sign up, and comes
    back here; only the account of the address it was sent to may accept."""
    try:
        transfer = transfers.pending_transfer_for(token=token)
    except DomainError as invalid:
        return render(request, "tickets/transfer_accept.html", {"error": invalid}, status=404)
    refusal = services.transfer_refusal(ticket=transfer.ticket, now=calendar_now())
    if refusal is None and request.user.is_authenticated:
        try:
            transfers.check_recipient(transfer=transfer, user=request.user)
            if request.method == "POST":
                new = transfers.accept_transfer(token=token, user=request.user, now=calendar_now())
                messages.success(
                    request, _("Billet accepté : il est à votre nom, avec son propre QR code.")
                )
                return redirect(new)
        except DomainError as refused:
            refusal = refused
    context = {"transfer": transfer, "ticket": transfer.ticket, "error": refusal}
    status = refusal.status if refusal else 200
    return render(request, "tickets/transfer_accept.html", context, status=status)


@require_safe
@cache_control(public=True, max_age=3600)
def public_key(request):
    """The key scanners use to check QR codes offline (PEM)."""
    return HttpResponse(public_key_pem(), content_type="application/x-pem-file")
