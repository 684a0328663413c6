"""Bounds on billing input: amounts that fit their columns, spans and line counts that keep
the work of one request small (issue 10). Checked before any pricing or saving."""

import datetime

from django.conf import settings

from postdesk.core.errors import InvalidInput
from postdesk.core.money import require_fits_column
from postdesk.core.timeutil import require_date_in_window, require_instant
from postdesk.scheduling.overlap import max_span

# The quantities and amounts of a priced line, and of a document's totals.
LINE_NUMBERS = ("quantity", "unit_price", "net", "vat", "gross")
TOTALS = ("net", "vat", "gross")


def max_lines() -> int:
    return int(settings.POSTDESK["MAX_DOCUMENT_LINES"])


def require_line_fits(line: dict, model) -> dict:
    """A priced line (a dict of fields) whose numbers all fit `model`'s columns."""
    for name in LINE_NUMBERS:
        if line.get(name) is not None:
            require_fits_column(line[name], model, name)
    return line


def require_totals_fit(doc) -> None:
    """The document's totals fit its columns (a sum of lines that each fit may not)."""
    for name in TOTALS:
        require_fits_column(getattr(doc, name), type(doc), name)


def require_line_count(count: int, field: str = "lines") -> None:
    """One document holds at most MAX_DOCUMENT_LINES lines: every request that adds lines
    does work in proportion to them (pricing, PDFs, exports)."""
    if count > max_lines():
        raise InvalidInput.field(
            field, f"A document holds at most {max_lines()} lines; this would make {count}"
        )


def require_span(
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    start_field: str = "actual_start",
    end_field: str = "actual_end",
) -> tuple[datetime.datetime, datetime.datetime]:
    """A priced span: both instants in the window, start before end, and no longer than
    the longest booking (settings MAX_BOOKING_DAYS), so pricing it is bounded work."""
    start = require_instant(start, start_field)
    end = require_instant(end, end_field)
    if end <= start:
        raise InvalidInput.field(end_field, "The end must be after the start")
    if end - start > max_span():
        raise InvalidInput.field(end_field, f"A span may last at most {max_span().days} days")
    return start, end


def require_day(value: datetime.date | None, field: str) -> datetime.date | None:
    """A date inside the configured window (None passes: the caller picks a default)."""
    return None if value is None else require_date_in_window(value, field)
