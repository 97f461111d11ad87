from django.utils import translation

from etickets.core.templatetags.etickets import euros


def test_euros_in_french():
    with translation.override("fr"):
        assert euros(5000) == "50,00\u00a0€"
        assert euros(5) == "0,05\u00a0€"
        assert euros(123456).replace("\u202f", " ").replace("\u00a0", " ") == "1 234,56 €"


def test_euros_in_english():
    with translation.override("en"):
        assert euros(5000) == "€50.00"
        assert euros(123456) == "€1,234.56"
