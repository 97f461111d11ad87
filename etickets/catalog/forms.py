import datetime
from typing import cast

from django import forms
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import OfferKind
from .selectors import CatalogueFilters, FilterChoices

# As many as settings.ANONYMOUS_PAGE_CACHE lets a copy have.
MAX_PAGE = 999


class OfferFilterForm(forms.Form):
    """The search and filters of the offers list (``?q=…&sport=…&jour=…&lieu=…&type=…``), all
    in the address: each may be left empty, and one that is invalid is ignored, which its
    field says."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Épreuve, sport, lieu…")}),
        error_messages={
            "max_length": _(
                "Saisissez au plus %(limit_value)d caractères : la recherche est ignorée "
                "en attendant."
            )
        },
    )
    sport = forms.ChoiceField(
        label=_("Sport"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Aucune épreuve de ce sport n'est en vente. Choisissez un sport de la liste : "
                "ce filtre est ignoré en attendant."
            )
        },
    )
    jour = forms.TypedChoiceField(
        label=_("Date"),
        required=False,
        coerce=datetime.date.fromisoformat,
        empty_value=None,
        error_messages={
            "invalid_choice": _(
                "Aucune épreuve n'est en vente ce jour-là. Choisissez un jour de la liste : "
                "ce filtre est ignoré en attendant."
            )
        },
    )
    lieu = forms.ChoiceField(
        label=_("Lieu"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Aucune épreuve n'est en vente en ce lieu. Choisissez un lieu de la liste : "
                "ce filtre est ignoré en attendant."
            )
        },
    )
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

    def __init__(self, data, *, choices: FilterChoices):
        super().__init__(data)
        days = [(day.isoformat(), capfirst(date_format(day, "l j F"))) for day in choices.days]
        for name, empty, options in [
            ("sport", _("Tous les sports"), choices.sports),
            ("jour", _("Tous les jours"), days),
            ("lieu", _("Tous les lieux"), choices.venues),
        ]:
            cast(forms.ChoiceField, self.fields[name]).choices = [("", empty), *options]
        self.is_valid()  # ``cleaned_data`` keeps the valid fields; the others say why

    def filters(self) -> CatalogueFilters:
        """The valid filters (an invalid one filters nothing)."""
        data = self.cleaned_data
        kind = data.get("type")
        return CatalogueFilters(
            text=data.get("q", ""),
            sport=data.get("sport", ""),
            day=data.get("jour"),
            venue=data.get("lieu", ""),
            kind=OfferKind(kind.upper()) if kind else None,
        )

    def query_string(self) -> str:
        """The valid filters that filter something, as a query string: for the address bar
        and the pages' links."""
        return urlencode({name: str(value) for name, value in self.cleaned_data.items() if value})

    def page_number(self) -> int:
        """The page asked for (``?page=``); anything but a whole number is the first. At most
        ``MAX_PAGE``: the results' few-seconds copy is keyed by it (a page past the end shows
        the last one anyway)."""
        try:
            return min(max(int(self.data.get("page", "")), 1), MAX_PAGE)
        except ValueError:
            return 1
