from django.forms.renderers import DjangoTemplates


class SiteFormRenderer(DjangoTemplates):
    """Django's form rendering (which ties help texts and errors to their field with
    ``aria-describedby`` and marks invalid fields ``aria-invalid``), in the site's markup."""

    field_template_name = "core/field.html"
