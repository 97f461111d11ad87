"""The password rules of the manual (§4.2), one validator per rule so that each broken rule
gets its own message next to the field.

Letters and digits are told apart by their Unicode category, exactly as the strength indicator
does in the browser (static/js/password-strength.js: \\p{Lu}, \\p{Ll}, \\p{Nd}), so that « Ł »
counts as a capital on both sides."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


def _is_special(char: str) -> bool:
    # Anything that is neither a letter, a number nor a space: !, @, #, $, €, ?, -, _, …
    return char == "_" or not (unicodedata.category(char)[0] in "LN" or char.isspace())


class _CharacterValidator:
    message: str
    code: str

    @staticmethod
    def matches(char: str) -> bool:
        raise NotImplementedError

    def validate(self, password, user=None):
        if not any(self.matches(char) for char in password or ""):
            raise ValidationError(_(self.message), code=self.code)

    def get_help_text(self):
        return _(self.message)


class UppercaseValidator(_CharacterValidator):
    message = gettext_noop("Le mot de passe doit contenir au moins une lettre majuscule.")
    code = "password_no_upper"

    @staticmethod
    def matches(char):
        return unicodedata.category(char) == "Lu"


class LowercaseValidator(_CharacterValidator):
    message = gettext_noop("Le mot de passe doit contenir au moins une lettre minuscule.")
    code = "password_no_lower"

    @staticmethod
    def matches(char):
        return unicodedata.category(char) == "Ll"


class DigitValidator(_CharacterValidator):
    message = gettext_noop("Le mot de passe doit contenir au moins un chiffre.")
    code = "password_no_digit"

    @staticmethod
    def matches(char):
        return unicodedata.category(char) == "Nd"


class SpecialCharacterValidator(_CharacterValidator):
    message = gettext_noop(
        "Le mot de passe doit contenir au moins un caractère spécial (!, @, #, $, etc.)."
    )
    code = "password_no_special"
    matches = staticmethod(_is_special)
