from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from etickets.accounts.security import verified_staff_required
from etickets.gate.models import Verdict
from etickets.tickets.errors import REASONS

from . import selectors, services
from .forms import GateForm, ManualScanForm

controller_required = verified_staff_required(services.may_scan)


def scanner_texts() -> dict:
    """The words the scanner's script shows, in the page's language."""
    return {
        "labels": {
            **{verdict.value: str(verdict.label) for verdict in Verdict},
            # A code this scanner let in seconds ago, typed again: not checked, nor logged.
            "recent": _("Validé ici à l'instant"),
            # The server would not check it (too many numbers typed): it says why.
            "unchecked": _("NON VÉRIFIÉ"),
        },
        "letInJustNow": _("Entré par cet appareil il y a quelques secondes."),
        "identityToCheck": str(services.IDENTITY_TO_CHECK),
        "printedToCheck": str(services.PRINTED_TO_CHECK),
        "admittedPrinted": str(services.ADMITTED_PRINTED),
        "qrRegenerated": str(services.QR_REGENERATED),
        "identityChecked": _("Pièce d'identité vérifiée : faire entrer"),
        "cancel": _("Annuler"),
        "admittedByNumber": str(services.ADMITTED_BY_NUMBER),
        "reasons": {code: str(text) for code, text in REASONS.items()},
        "admitted": str(services.ADMITTED),
        "persons": _("Personnes à faire entrer :"),
        # What a refused ticket was for, by plural category (Intl.PluralRules) of its persons.
        "personCount": {
            "one": ngettext("%(n)s personne", "%(n)s personnes", 1),
            "other": ngettext("%(n)s personne", "%(n)s personnes", 2),
        },
        "usedAt": _("Utilisé le %(date)s à %(time)s, porte « %(gate)s »."),
        # The time of entry in the server's zone, as the page without JavaScript shows it,
        # whatever zone the scanning phone is set to.
        "timeZone": timezone.get_current_timezone_name(),
        "online": _("En ligne"),
        "offline": _("Hors ligne : contrôle avec la liste des billets de cet appareil"),
        "pending": _("passage(s) en attente d'envoi"),
        "synced": _("Passages hors ligne envoyés."),
        "conflicts": _("conflit(s) signalé(s) : billet déjà entré par une autre porte"),
        "refused": _("passage(s) refusé(s) : heure de l'appareil incohérente"),
        "numberRefused": _(
            "entrée(s) par numéro refusée(s) par le serveur : billet(s) non validé(s), "
            "voyez le back-office"
        ),
        "noBundle": _("Liste hors ligne pas encore chargée : reconnectez-vous."),
        "cameraError": _(
            "Caméra indisponible : autorisez-la dans le navigateur, ou saisissez le code."
        ),
        "sessionExpired": _("Votre session a expiré : reconnectez-vous."),
    }


@controller_required
@require_safe
def choose_gate(request):
    form = GateForm(request.GET or None)
    if request.GET and form.is_valid():
        return _scanner(request, form.cleaned_data["epreuve"], form.cleaned_data["porte"])
    return render(request, "gate/choose.html", {"form": form})


@controller_required
@require_http_methods(["POST"])
def manual_scan(request):
    """The scanner without JavaScript: a typed code, checked and shown by the server; a typed
    number comes back with « identite_verifiee » once its holder's identity was checked."""
    gate_form = GateForm(request.POST)
    if not gate_form.is_valid():
        return render(request, "gate/choose.html", {"form": gate_form})
    event, gate = gate_form.cleaned_data["epreuve"], gate_form.cleaned_data["porte"]
    form = ManualScanForm(request.POST, focused=True)
    outcome, identity_code = None, ""
    if form.is_valid():
        try:
            outcome = services.redeem_ticket(
                form.cleaned_data["token"],
                event=event,
                gate=gate,
                controller=request.user,
                identity_checked=form.cleaned_data["identite_verifiee"],
            )
        except services.TooManyNumbers as error:
            form.add_error("token", str(error))
        else:
            # What « Pièce d'identité vérifiée » sends back: the printed ticket's own code, or
            # the number.
            if outcome.printed:
                identity_code = form.cleaned_data["token"]
            elif outcome.ticket is not None:
                identity_code = outcome.ticket.number
            # Waiting for the identity check, the page shows its buttons, not a keyboard.
            form = ManualScanForm(focused=outcome.verdict != services.CHECK_IDENTITY)
    return _scanner(request, event, gate, form=form, outcome=outcome, identity_code=identity_code)


def _scanner(request, event, gate, form=None, outcome=None, identity_code=""):
    context = {
        "event": event,
        "gate": gate,
        "form": form or ManualScanForm(),
        "outcome": outcome,
        "identity_code": identity_code,
        "scanner_query": urlencode({"epreuve": event.pk, "porte": gate}),
        "entries": selectors.entries_let_in(event, gate=gate, controller=request.user),
        "texts": scanner_texts(),
        "urls": {
            "scan": reverse("api:scan"),
            "bundle": reverse("api:bundle", kwargs={"event_id": event.pk}),
            "sync": reverse("api:sync"),
        },
    }
    return render(request, "gate/scanner.html", context)
