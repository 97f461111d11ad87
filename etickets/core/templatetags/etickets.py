from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import get_language

from etickets.core.forms import problems_of

register = template.Library()

NBSP = "\u00a0"


@register.filter
def euros(cents: int) -> str:
    """Integer euro cents as the interface shows them: « 1 250,00 € » in French, €1,250.00 in
    English."""
    amount = formats.number_format(
        Decimal(int(cents)) / 100, decimal_pos=2, use_l10n=True, force_grouping=True
    )
    if (get_language() or "fr").startswith("fr"):
        return f"{amount}{NBSP}€"
    return f"€{amount}"


@register.inclusion_tag("core/error_summary.html")
def error_summary(*forms):
    """« Il y a un problème »: the errors of a page's ``forms``, at its top, each a link to its
    field (static/js/form-errors.js gives it the focus). Nothing when they have none."""
    return {"problems": problems_of(*forms)}
