from django import forms
from django.utils.translation import gettext_lazy as _


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantité"),
        min_value=0,
        max_value=999,
        error_messages={
            "required": _("Indiquez une quantité."),
            "invalid": _("La quantité doit être un nombre entier."),
            "min_value": _("La quantité ne peut pas être négative."),
            "max_value": _("Cette quantité est trop grande."),
        },
    )
    # The « − » and « + » buttons send a step; typing sends the quantity alone.
    step = forms.TypedChoiceField(
        choices=[("-1", "-1"), ("1", "1")],
        coerce=int,
        required=False,
        empty_value=0,  # type: ignore[arg-type]  # the stubs want a str; Django takes any value
        error_messages={
            "invalid_choice": _(
                "Changez la quantité avec les boutons « − » et « + » ou en la saisissant."
            )
        },
    )

    def refusal(self) -> str:
        """Why the form was refused: its quantity's error, else its step's (only a hand-made
        request sends another step than the buttons')."""
        return str((self.errors.get("quantity") or self.errors["step"])[0])

    def requested_quantity(self) -> int:
        return max(self.cleaned_data["quantity"] + self.cleaned_data["step"], 0)
