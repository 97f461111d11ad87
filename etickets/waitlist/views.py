from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from etickets.catalog import selectors as catalog
from etickets.core.confirmation import ask, confirmed
from etickets.core.errors import DomainError

from . import selectors, services
from .forms import JoinForm
from .models import EntryState


@login_required
@require_http_methods(["GET", "POST"])
def join(request, slug):
    """Join the waiting list of a sold-out offer; a refusal is shown next to the field."""
    offer = catalog.get_published_offer(slug)
    if request.method == "GET":  # back from the login page: the offer's page has the form
        return redirect(offer)
    form = JoinForm(request.POST)
    if form.is_valid():
        quantity = form.cleaned_data["quantity"]
        try:
            entry = services.join_waiting_list(user=request.user, offer=offer, quantity=quantity)
        except DomainError as error:
            form.add_error("quantity", str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "Inscription en liste d'attente enregistrée : %(count)s billet « %(offer)s ».",
                    "Inscription en liste d'attente enregistrée : %(count)s billets « %(offer)s ».",
                    quantity,
                )
                % {"count": quantity, "offer": offer.title},
            )
            return redirect(reverse("waitlist:list") + f"#entry-{entry.pk}")
    context = {"offer": offer, "form": form, "offer_minutes": settings.WAITLIST_OFFER_MINUTES}
    return render(request, "waitlist/join.html", context, status=400)


@login_required
def my_entries(request):
    services.run_without_beat(now=timezone.now())
    return render(
        request, "waitlist/list.html", {"entries": selectors.entries_of(user=request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, entry_id):
    entry = selectors.user_entry(user=request.user, entry_id=entry_id)
    if entry is None or entry.state not in (EntryState.WAITING, EntryState.OFFERED):
        raise Http404
    offered = entry.state == EntryState.OFFERED
    if not confirmed(request):
        consequences = [
            _(
                "Votre place dans la liste est perdue : pour revenir, il faudra vous "
                "réinscrire en dernière position."
            )
        ]
        if offered:
            consequences.append(
                _(
                    "Les billets déjà mis dans votre panier y restent jusqu'à la fin de leur "
                    "réservation."
                )
            )
        return ask(
            request,
            title=_("Quitter la liste d'attente ?"),
            consequences=consequences,
            items=[
                ngettext(
                    "%(offer)s, %(count)s billet", "%(offer)s, %(count)s billets", entry.quantity
                )
                % {"offer": entry.offer.title, "count": entry.quantity}
            ],
            confirm_label=_("Quitter la liste d'attente"),
            cancel_label=_("Annuler, rester dans la liste"),
            cancel_url=reverse("waitlist:list"),
        )
    try:
        services.leave_waiting_list(user=request.user, entry_id=entry.pk)
    except DomainError as error:  # left already (a second click), or a rush: « réessayez »
        messages.error(request, str(error))
        return redirect("waitlist:list")
    messages.success(
        request,
        _("Vous avez quitté la liste d'attente « %(offer)s ».") % {"offer": entry.offer.title},
    )
    return redirect("waitlist:list")
