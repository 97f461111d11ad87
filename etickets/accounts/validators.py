"""The password rules of the manual (§4.2), one validator per rule so that each broken rule
gets its own message next to the field."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


class _PatternValidator:
    pattern: str
    message: str
    code: str

    def validate(self, password, user=None):
        if not re.search(self.pattern, password or ""):
            raise ValidationError(_(self.message), code=self.code)

    def get_help_text(self):
        return _(self.message)


class UppercaseValidator(_PatternValidator):
    pattern = r"[A-ZÀ-ÖØ-Þ]"
    message = gettext_noop("Le mot de passe doit contenir au moins une lettre majuscule.")
    code = "password_no_upper"


class LowercaseValidator(_PatternValidator):
    pattern = r"[a-zß-öø-ÿ]"
    message = gettext_noop("Le mot de passe doit contenir au moins une lettre minuscule.")
    code = "password_no_lower"


class DigitValidator(_PatternValidator):
    pattern = r"\d"
    message = gettext_noop("Le mot de passe doit contenir au moins un chiffre.")
    code = "password_no_digit"


class SpecialCharacterValidator(_PatternValidator):
    # Anything that is neither a letter, a digit nor a space: !, @, #, $, €, ?, -, …
    pattern = r"[^\w\s]|_"
    message = gettext_noop(
        "Le mot de passe doit contenir au moins un caractère spécial (!, @, #, $, etc.)."
    )
    code = "password_no_special"
