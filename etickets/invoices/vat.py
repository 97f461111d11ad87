"""Amounts before tax worked out from prices with tax, in integer cents (docs/ARCHITECTURE.md,
« Invoices »): prices in this shop include VAT, an invoice must show both."""

from dataclasses import dataclass
from decimal import Decimal

# A VAT rate in basis points (1000 = 10 %): integers, so that no float rounds an amount.
BASIS_POINTS = 10_000


def basis_points(percent: Decimal) -> int:
    """A rate such as Decimal("5.5") in basis points (550); settings allow two decimals."""
    return int(percent * 100)


def before_tax(with_tax_cents: int, rate: int) -> int:
    """``with_tax_cents`` ÷ (1 + rate), rounded half up to the cent, without leaving integers:
    the rounding is the same on every machine and in every language that redoes it."""
    divisor = BASIS_POINTS + rate
    return (2 * with_tax_cents * BASIS_POINTS + divisor) // (2 * divisor)


@dataclass(frozen=True)
class Amounts:
    """An amount with tax split in two: ``before_tax + vat == with_tax``, exactly."""

    before_tax: int
    vat: int
    with_tax: int


def split(with_tax_cents: int, rate: int) -> Amounts:
    net = before_tax(with_tax_cents, rate)
    return Amounts(before_tax=net, vat=with_tax_cents - net, with_tax=with_tax_cents)
