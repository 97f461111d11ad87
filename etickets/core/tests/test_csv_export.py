import pytest

from etickets.core.csv_export import spreadsheet_safe


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil","x")',
        "@SUM(1+1)",
        "+33 6 12",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "-",
        "=-1",
    ],
)
def test_text_that_a_spreadsheet_would_run_is_quoted(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Judo", "a=b", "12.50", "-12.50", "-3", "+1,5", 7, -12, None])
def test_plain_text_and_numbers_are_kept(value):
    assert spreadsheet_safe(value) == value
