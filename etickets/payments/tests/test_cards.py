import datetime
import uuid

import pytest
from django.utils import translation

from etickets.payments.cards import Card, detect_brand, is_expired, luhn_valid
from etickets.payments.forms import CardForm


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242424242424242", "visa"),
        ("4000000000000002", "visa"),
        ("5555555555554444", "mastercard"),
        ("2223003122003222", "mastercard"),
        ("378282246310005", "amex"),
        ("371449635398431", "amex"),
        ("6011111111111117", None),  # Discover
        ("3530111333300000", None),  # JCB
        ("36227206271667", None),  # Diners
    ],
)
def test_brand_detection(number, brand):
    assert detect_brand(number) == brand


def test_luhn():
    assert luhn_valid("4242424242424242")
    assert not luhn_valid("4242424242424241")
    assert not luhn_valid("abcd")


def test_expiry_runs_to_the_end_of_its_month():
    today = datetime.date(2026, 11, 26)
    assert not is_expired(11, 2026, today)
    assert is_expired(10, 2026, today)
    assert not is_expired(1, 2027, today)


def test_card_repr_hides_the_number_and_code():
    card = Card(number="4242424242424242", exp_month=8, exp_year=2030, cvv="123")
    assert repr(card) == "Card(brand=visa, last4=4242, exp=08/2030)"
    assert "424242424242" not in str(card) and "123" not in repr(card)


def form(**overrides):
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "number": "4242 4242 4242 4242",
        "expiry": "08/30",
        "cvv": "123",
    }
    data.update(overrides)
    return CardForm(data)


def test_valid_card():
    valid = form()
    assert valid.is_valid(), valid.errors
    card = valid.card()
    assert (card.number, card.exp_month, card.exp_year, card.brand) == (
        "4242424242424242",
        8,
        2030,
        "visa",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"number": "4242 4242 4242 4241"}, "number", "Ce numéro de carte n'est pas valide"),
        ({"number": "6011 1111 1111 1117"}, "number", "Visa, Mastercard et American Express"),
        ({"number": "4242-abcd"}, "number", "que des chiffres"),
        ({"number": "4242424242424²42"}, "number", "que des chiffres"),  # isdigit() took it
        ({"number": "４２４２４２４２４２４２４２４２"}, "number", "que des chiffres"),
        ({"cvv": "１２３"}, "cvv", "3 chiffres"),
        ({"cvv": "²²²"}, "cvv", "3 chiffres"),
        ({"number": ""}, "number", "Saisissez le numéro de votre carte."),
        ({"expiry": ""}, "expiry", "Saisissez la date d'expiration de votre carte."),
        ({"cvv": ""}, "cvv", "Saisissez le code de sécurité de votre carte."),
        ({"expiry": "13/30"}, "expiry", "format MM/AA"),
        ({"expiry": "083"}, "expiry", "format MM/AA"),
        ({"expiry": "8/3"}, "expiry", "format MM/AA"),
        ({"expiry": "1330"}, "expiry", "format MM/AA"),
        ({"expiry": "01/20"}, "expiry", "Cette carte est expirée"),
        ({"cvv": "12"}, "cvv", "3 chiffres"),
        ({"cvv": "1234"}, "cvv", "3 chiffres"),
        ({"cvv": "12a"}, "cvv", "3 chiffres"),
        ({"number": "3782 822463 10005", "cvv": "123"}, "cvv", "American Express a 4 chiffres"),
        ({"idempotency_key": "pas-un-uuid"}, "idempotency_key", ""),
    ],
)
def test_each_invalid_input_gets_a_french_message_on_its_field(overrides, field, message):
    invalid = form(**overrides)
    assert not invalid.is_valid()
    assert message in invalid.errors[field][0]


@pytest.mark.parametrize(
    "typed", ["08/30", "8/30", "0830", "08 30", "08-30", " 08 / 30 ", "08/2030", "082030"]
)
def test_the_expiry_is_read_however_a_phone_keypad_typed_it(typed):
    valid = form(expiry=typed)
    assert valid.is_valid(), valid.errors
    assert valid.cleaned_data["expiry"] == (8, 2030)


def test_amex_takes_a_four_digit_code():
    assert form(number="378282246310005", cvv="1234").is_valid()


def test_the_expiry_placeholder_speaks_the_pages_language():
    with translation.override("en"):
        assert 'placeholder="MM/YY"' in str(form()["expiry"])
    with translation.override("fr"):
        assert 'placeholder="MM/AA"' in str(form()["expiry"])
