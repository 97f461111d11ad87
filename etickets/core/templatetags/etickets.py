from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import get_language

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
