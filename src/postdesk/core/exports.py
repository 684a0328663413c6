"""Cells for every CSV and XLSX export, made safe to open in a spreadsheet.

A text cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which
some spreadsheets skip before reading a formula) is run as a formula when the file is
opened: `=HYPERLINK(...)` in an invoice line's description would reach the accountant as a
live link (CSV injection). OWASP's rule: prefix such text with a single quote, which
spreadsheets show as text. Only text is changed: numbers (Decimal, int, float) stay
numbers, so a negative amount such as -12.50 still sums in the spreadsheet.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text value that cannot start a formula; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """CSV of `rows`, every text cell made safe. Give amounts as Decimals, not strings:
    they are written as they print (1000.00, -12.50) and left alone."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue()


def append_xlsx_row(sheet, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet, every text cell made safe (openpyxl itself
    stores a string that begins with `=` as a formula)."""
    sheet.append(safe_row(values))
