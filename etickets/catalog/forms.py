from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OfferKind


class OfferFilterForm(forms.Form):
    """The « Filtrer par type » selector of the offers page (``?type=duo``)."""

    type = forms.ChoiceField(
        label=_("Filtrer par type"),
        required=False,
        choices=[
            ("", _("Tous les types")),
            ("solo", _("Solo (1 personne)")),
            ("duo", _("Duo (2 personnes)")),
            ("familiale", _("Familiale (4 personnes)")),
        ],
        error_messages={
            "invalid_choice": _(
                "Ce type d'offre n'existe pas. Choisissez Solo, Duo ou Familiale : "
                "toutes les offres sont affichées en attendant."
            )
        },
    )

    def selected_kind(self) -> OfferKind | None:
        """The chosen kind, or None for all kinds (also when the input is invalid)."""
        if self.is_valid() and self.cleaned_data["type"]:
            return OfferKind(self.cleaned_data["type"].upper())
        return None
