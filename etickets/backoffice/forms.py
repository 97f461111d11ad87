import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.catalog import selectors as catalog
from etickets.catalog.models import Event, Offer

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
# The days the back office deals in: a date input takes years 1 to 9999, where a day more or a
# time zone's offset overflows Python's dates.
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def within_calendar(value):
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(
            _("Choisissez une date entre l'an %(first)s et l'an %(last)s."),
            code="out_of_range",
            params={"first": FIRST_DAY.year, "last": LAST_DAY.year},
        )


def _sports_with_events():
    return [("", _("Tous les sports")), *catalog.sports_with_events()]


class DateRangeForm(forms.Form):
    """Days from and to, both optional (the invoices' list)."""

    date_from = forms.DateField(
        label=_("Du"),
        required=False,
        validators=[within_calendar],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Au"),
        required=False,
        validators=[within_calendar],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("La date de fin doit suivre la date de début."))
        return cleaned


class SalesFilterForm(DateRangeForm):
    # Only the sports that have events: the others would always show nothing.
    sport = forms.ChoiceField(label=_("Sport"), required=False, choices=_sports_with_events)

    field_order = ["sport", "date_from", "date_to"]


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "sport",
            "title_fr",
            "title_en",
            "description_fr",
            "description_en",
            "venue_fr",
            "venue_en",
            "city_fr",
            "city_en",
            "starts_at",
            "capacity",
            "image",
            "image_alt_fr",
            "image_alt_en",
            "is_published",
            "rotating_codes",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description_fr": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            **dict.fromkeys(
                ["title_en", "description_en", "venue_en", "city_en", "image_alt_en"],
                _("Vide : les visiteurs anglophones lisent le texte français."),
            ),
            "capacity": _("Jamais moins que les places déjà vendues ou réservées."),
            "image": _("JPEG, PNG ou WebP, 5 Mo au plus. Sans image, l'illustration du sport."),
            "is_published": _("Une épreuve non publiée n'apparaît nulle part sur le site."),
        }

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        within_calendar(starts_at)
        return starts_at

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "image"):  # a new upload, opened by Pillow
            if image.size > MAX_IMAGE_BYTES:
                raise forms.ValidationError(_("L'image dépasse 5 Mo."), code="too_big")
            if image.image.format not in IMAGE_FORMATS:
                raise forms.ValidationError(
                    _("Format refusé : choisissez une image JPEG, PNG ou WebP."), code="format"
                )
        return image


class OfferForm(forms.ModelForm):
    price = forms.DecimalField(
        label=_("Prix (€)"),
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        localize=True,
        error_messages={"min_value": _("Le prix doit être supérieur à 0 €.")},
    )

    class Meta:
        model = Offer
        fields = ["kind", "max_per_order", "is_published"]
        help_texts = {"max_per_order": _("Vide : la limite du site (20 billets).")}

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event or self.instance.event
        if self.instance.pk:
            self.fields["price"].initial = Decimal(self.instance.price_cents) / 100
            self.fields["kind"].disabled = True  # other tickets already carry this type

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        others = Offer.objects.filter(event=self.event, kind=kind).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Cette épreuve a déjà une offre de ce type."), code="duplicate"
            )
        return kind

    def save(self, commit=True):
        self.instance.event = self.event
        self.instance.price_cents = int(self.cleaned_data["price"] * 100)
        return super().save(commit=commit)


class OrderSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Référence, email ou nom"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Email, nom ou nom d'utilisateur"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )


class RoleForm(forms.Form):
    """One role given or taken from one account (the buttons of the staff page)."""

    user = forms.ModelChoiceField(queryset=get_user_model().objects.all())
    role = forms.ChoiceField(choices=[("controller", "controller"), ("admin", "admin")])
    grant = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


# A rate no sale needs more than: beyond, the queue would let everyone in at once anyway.
MAX_ADMISSION_RATE = 100_000


def _rate_field(label: "StrOrPromise") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_ADMISSION_RATE,
        error_messages={
            "invalid": _("Saisissez un nombre entier d'acheteurs par minute."),
            "min_value": _("Le débit doit être d'au moins 1 acheteur par minute."),
            "max_value": _("Le débit ne peut dépasser %(limit_value)s acheteurs par minute."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class QueueRateForm(forms.Form):
    admission_rate = _rate_field(_("Nouveau débit (acheteurs admis par minute)"))


class QueueConfigForm(forms.Form):
    """« File d'attente » on or off, with the sale's opening and the admission rate."""

    enabled = forms.BooleanField(label=_("File d'attente active"), required=False)
    opens_at = forms.DateTimeField(
        label=_("Ouverture de la vente"),
        help_text=_("Heure de Paris. Elle ne peut plus changer une fois la vente ouverte."),
        validators=[within_calendar],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    admission_rate = _rate_field(_("Acheteurs admis par minute"))

    def __init__(self, *args, opens_at: datetime.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_opens_at = opens_at

    def clean_opens_at(self):
        opens_at = self.cleaned_data["opens_at"]
        current = self.current_opens_at
        # The input shows minutes only: an opening set to the second is sent back unchanged,
        # and must not count as moved.
        if current and opens_at == timezone.localtime(current).replace(second=0, microsecond=0):
            return current
        return opens_at


class QueuePauseForm(forms.Form):
    """The « Mettre en pause » and « Reprendre » buttons."""

    paused = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
