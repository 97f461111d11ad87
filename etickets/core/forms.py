from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext as _


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


@dataclass(frozen=True)
class Problem:
    """One line of a page's error summary."""

    message: str
    target: str = ""  # the id of the control its link leads to; none for a hidden field's error
    field_id: str = ""  # the field in error: the summary's line goes once it is corrected


def problems_of(*forms: forms.Form | None) -> list[Problem]:
    """What the error summary lists for ``forms``: each form's own errors first, then every
    field in error, named by its label (« Ce champ est obligatoire. » alone says nothing at the
    top of the page). A form's own errors link to its ``non_field_errors_target`` field, if it
    names one, the field to change first (the card number after a refused payment)."""
    found = []
    for form in forms:
        if not form:  # None, or a template's missing variable
            continue
        target_name = getattr(form, "non_field_errors_target", None)
        target = form[target_name].id_for_label if target_name else ""
        found += [Problem(message=str(error), target=target) for error in form.non_field_errors()]
        for field in form:
            if not field.errors:
                continue
            errors = " ".join(str(error) for error in field.errors)
            if field.is_hidden:
                found.append(Problem(message=errors))
                continue
            message = _("%(label)s : %(errors)s") % {"label": field.label, "errors": errors}
            found.append(
                Problem(message=message, target=field.id_for_label, field_id=field.id_for_label)
            )
    return found
