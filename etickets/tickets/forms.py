from django import forms
from django.utils.translation import gettext_lazy as _


class TransferForm(forms.Form):
    """« Transférer ce billet »: to whom."""

    email = forms.EmailField(
        label=_("Adresse email du destinataire"),
        max_length=254,
        help_text=_(
            "La personne reçoit un lien pour accepter le billet, avec le compte de cette adresse "
            "(elle peut le créer)."
        ),
        error_messages={
            "required": _("Saisissez l'adresse email de la personne à qui vous donnez ce billet."),
            "invalid": _("Saisissez une adresse email valide, par exemple nom@exemple.fr."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
