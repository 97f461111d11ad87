"""Card numbers as the card form sees them: brand, checksum, expiry, security code.

A ``Card`` lives only for the request that carries it to the acquirer: it is never saved, and
its ``repr`` hides the number and the code so that no log or error report can show them.
"""

import datetime
import re
from dataclasses import dataclass, field

VISA, MASTERCARD, AMEX = "visa", "mastercard", "amex"
BRAND_NAMES = {VISA: "Visa", MASTERCARD: "Mastercard", AMEX: "American Express"}


def digits_only(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def is_digits(value: str) -> bool:
    """Only the digits 0 to 9 (str.isdigit() also takes « ² » and other scripts' digits)."""
    return value.isascii() and value.isdigit()


def detect_brand(number: str) -> str | None:
    """Visa, Mastercard or American Express from the number's prefix and length; else None."""
    if not is_digits(number):
        return None
    if number.startswith("4") and len(number) in (13, 16, 19):
        return VISA
    if len(number) == 16 and (51 <= int(number[:2]) <= 55 or 2221 <= int(number[:4]) <= 2720):
        return MASTERCARD
    if len(number) == 15 and number[:2] in ("34", "37"):
        return AMEX
    return None


def luhn_valid(number: str) -> bool:
    if not is_digits(number):
        return False
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def security_code_length(brand: str) -> int:
    return 4 if brand == AMEX else 3


def is_expired(month: int, year: int, today: datetime.date) -> bool:
    """A card is valid through the last day of its expiry month."""
    return (year, month) < (today.year, today.month)


@dataclass(frozen=True)
class Card:
    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvv: str = field(repr=False)

    @property
    def brand(self) -> str | None:
        return detect_brand(self.number)

    @property
    def last4(self) -> str:
        return self.number[-4:]

    def __repr__(self):
        expiry = f"{self.exp_month:02d}/{self.exp_year}"
        return f"Card(brand={self.brand}, last4={self.last4}, exp={expiry})"
