from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


class SiteBoundField(BoundField):
    """A refused form keeps what the user typed (GOV.UK), passwords included where their widget
    renders its value: a password is typed again only when it is itself in error, when the one
    it confirms is (``Form.password_confirmations``: confirmation field → password field), or
    when the form's own error (« email ou mot de passe incorrect ») may be about it."""

    def value(self) -> Any:
        if isinstance(self.field.widget, forms.PasswordInput) and self._typed_again():
            return None
        return super().value()

    def _typed_again(self) -> bool:
        confirmed = getattr(self.form, "password_confirmations", {}).get(self.name)
        errors = self.form.errors
        return any(name in errors for name in (self.name, confirmed, NON_FIELD_ERRORS) if name)


class SiteFormRenderer(DjangoTemplates):
    """Django's form rendering (which ties help texts and errors to their field with
    ``aria-describedby`` and marks invalid fields ``aria-invalid``), in the site's markup."""

    field_template_name = "core/field.html"
    bound_field_class = SiteBoundField
