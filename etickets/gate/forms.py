from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from etickets.catalog.models import Event


class EventChoiceField(forms.ModelChoiceField):
    """Events named by their day and time first, as they are listed (a sport is played on
    several days: the steward picks tonight's session, seen even in a narrow list), then
    their title and venue."""

    def label_from_instance(self, obj: Event) -> str:
        starts_at = timezone.localtime(obj.starts_at)
        return gettext("%(date)s à %(time)s — %(title)s (%(venue)s)") % {
            "title": obj.title,
            "date": formats.date_format(starts_at, "j F Y"),
            "time": formats.time_format(starts_at, "H:i"),
            "venue": obj.venue,
        }


class GateForm(forms.Form):
    """Where this scanner stands: the event it admits to, and the gate's name."""

    epreuve = EventChoiceField(
        label=_("Épreuve"),
        queryset=Event.objects.order_by("starts_at"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez une épreuve de la liste.")},
    )
    porte = forms.CharField(
        label=_("Porte"),
        max_length=60,
        help_text=_(
            "Le nom de votre point de contrôle, par exemple « Porte A » ou « Tribune Nord »."
        ),
        error_messages={"required": _("Indiquez le nom de votre porte.")},
    )


class ManualScanForm(forms.Form):
    token = forms.CharField(
        label=_("Numéro ou code du billet"),
        max_length=300,
        help_text=_(
            "Si le QR code ne se lit pas : saisissez le numéro du billet, imprimé sur le "
            "billet (12 caractères), ou collez son code."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": _("Saisissez le numéro ou le code du billet.")},
    )
    # Sent by « Pièce d'identité vérifiée : faire entrer » with the number it confirms.
    identite_verifiee = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, focused: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if focused:  # after a typed check: ready for the next code
            self.fields["token"].widget.attrs["autofocus"] = True
