from django import forms
from django.utils.translation import gettext_lazy as _


class JoinForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Nombre de billets"),
        min_value=1,
        max_value=999,
        error_messages={
            "required": _("Indiquez un nombre de billets."),
            "invalid": _("Le nombre de billets doit être un nombre entier."),
            "min_value": _("Choisissez au moins 1 billet."),
            "max_value": _("Ce nombre de billets est trop grand."),
        },
    )
