import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cards import BRAND_NAMES, Card, detect_brand, digits_only, is_digits, is_expired, luhn_valid
from .cards import security_code_length as cvv_length


class CardForm(forms.Form):
    """The card fields of the payment page; the card goes to the acquirer, nowhere else."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    number = forms.CharField(
        label=_("Numéro de carte"),
        max_length=23,
        error_messages={"required": _("Saisissez le numéro de votre carte.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "cc-number",
                "inputmode": "numeric",
                "placeholder": "1234 5678 9012 3456",
                "class": "input-card",
            }
        ),
    )
    expiry = forms.CharField(
        label=_("Date d'expiration"),
        help_text=_("MM/AA"),
        max_length=7,
        error_messages={"required": _("Saisissez la date d'expiration de votre carte.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-exp", "inputmode": "numeric", "placeholder": _("MM/AA")}
        ),
    )
    cvv = forms.CharField(
        label=_("Code de sécurité (CVV)"),
        help_text=_("3 chiffres au dos de la carte, 4 au recto pour American Express."),
        max_length=4,
        error_messages={"required": _("Saisissez le code de sécurité de votre carte.")},
        # Never sent back to the browser, even when the form has errors.
        widget=forms.PasswordInput(
            render_value=False,
            attrs={"autocomplete": "cc-csc", "inputmode": "numeric", "class": "input-cvv"},
        ),
    )

    refusal = None  # the acquirer's answer to the last attempt
    non_field_errors_target = "number"  # after a refusal, the card to change (core.forms)

    @classmethod
    def new(cls, **initial):
        """A form with a fresh idempotency key: one per rendering of the page."""
        return cls(initial={"idempotency_key": uuid.uuid4(), **initial})

    @classmethod
    def after_refusal(cls, form, refusal):
        """The refused card's number and expiry, never its code, under a new key: the next
        « Payer » is a new attempt, not a replay of the refused one."""
        fresh = cls.new(number=form.data.get("number", ""), expiry=form.data.get("expiry", ""))
        fresh.refusal = _("%(refusal)s Votre panier est conservé.") % {"refusal": refusal}
        return fresh

    def non_field_errors(self):
        """The acquirer's refusal is the form's own error: the fields themselves were valid."""
        errors = super().non_field_errors()
        if not self.refusal:
            return errors
        return self.error_class(
            [self.refusal, *errors], error_class="nonfield", renderer=self.renderer
        )

    def clean_number(self):
        number = digits_only(self.cleaned_data["number"])
        if not is_digits(number):
            raise forms.ValidationError(
                _("Le numéro de carte ne doit contenir que des chiffres."), code="digits"
            )
        if not luhn_valid(number):
            raise forms.ValidationError(
                _("Ce numéro de carte n'est pas valide : vérifiez-le chiffre par chiffre."),
                code="luhn",
            )
        if detect_brand(number) is None:
            raise forms.ValidationError(
                _("Nous acceptons les cartes Visa, Mastercard et American Express uniquement."),
                code="brand",
            )
        return number

    def clean_expiry(self):
        # A phone's numeric keypad has no « / »: 1228 and 12 28 are 12/28 too.
        value = re.sub(r"\s+", "", self.cleaned_data["expiry"])
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{2}|\d{4})", value) or re.fullmatch(
            r"(\d{2})(\d{2}|\d{4})", value
        )
        if not match or not 1 <= int(match.group(1)) <= 12:
            raise forms.ValidationError(
                _("Saisissez la date d'expiration au format MM/AA, par exemple 08/27."),
                code="format",
            )
        month, year = int(match.group(1)), int(match.group(2))
        year = year + 2000 if year < 100 else year
        if is_expired(month, year, timezone.localdate()):
            raise forms.ValidationError(
                _("Cette carte est expirée. Utilisez une carte en cours de validité."),
                code="expired",
            )
        return month, year

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        if "cvv" in cleaned:
            cvv = cleaned["cvv"].strip()
            brand = detect_brand(cleaned.get("number") or "")
            # Without a valid number the brand is unknown: 3 or 4 digits may be right.
            lengths = (cvv_length(brand),) if brand else (3, 4)
            if not is_digits(cvv) or len(cvv) not in lengths:
                if lengths == (4,):
                    message = _("Le code de sécurité d'une carte American Express a 4 chiffres.")
                else:
                    message = _("Le code de sécurité a 3 chiffres, au dos de votre carte.")
                self.add_error("cvv", forms.ValidationError(message, code="cvv"))
        return cleaned

    @property
    def brand_name(self) -> str | None:
        brand = detect_brand(digits_only(self.data.get("number", "")))
        return BRAND_NAMES.get(brand) if brand else None

    def card(self) -> Card:
        month, year = self.cleaned_data["expiry"]
        return Card(
            number=self.cleaned_data["number"],
            exp_month=month,
            exp_year=year,
            cvv=self.cleaned_data["cvv"].strip(),
        )
