from decimal import Decimal

import pytest

from etickets.invoices import vat


@pytest.mark.parametrize(
    ("with_tax", "rate", "before_tax"),
    [
        (5000, 1000, 4545),  # 4545.45…
        (9500, 1000, 8636),  # 8636.36…
        (1100, 1000, 1000),
        (5000, 550, 4739),  # 4739.33…
        (3, 2000, 3),  # 2.5: half a cent goes up
        (9, 2000, 8),  # 7.5
        (7, 2000, 6),  # 5.83…
        (5000, 0, 5000),
    ],
)
def test_before_tax_rounds_half_up_to_the_cent(with_tax, rate, before_tax):
    assert vat.before_tax(with_tax, rate) == before_tax


def test_the_split_adds_up_exactly():
    for with_tax in range(0, 20_000, 7):
        for rate in (550, 1000, 2000):
            amounts = vat.split(with_tax, rate)
            assert amounts.before_tax + amounts.vat == amounts.with_tax == with_tax
            assert amounts.vat >= 0


def test_basis_points():
    assert vat.basis_points(Decimal("10")) == 1000
    assert vat.basis_points(Decimal("5.5")) == 550
