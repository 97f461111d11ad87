"""CSV files for spreadsheets: every export goes through ``csv_response``.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula: a customer named ``=HYPERLINK(…)`` would put a live link, or
worse, in the back office's hands. Such text cells get a leading ``'``, which spreadsheets show
as text; numbers, and text that is only a number (an amount such as ``-12.50``), carry no
formula and are written as they are.
"""

import csv
import itertools
import re
from collections.abc import Iterable

from django.http import StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def spreadsheet_safe(value):
    """``value`` as a spreadsheet reads it as plain text, never as a formula."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not _NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename: str, header: list, rows: Iterable[list]) -> StreamingHttpResponse:
    """A CSV streamed as ``rows`` yields (semicolons and a BOM, for Excel), each cell made
    spreadsheet-safe."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        for row in itertools.chain([header], rows):
            yield writer.writerow([spreadsheet_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
