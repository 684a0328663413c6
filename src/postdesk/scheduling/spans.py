"""Calendar arithmetic for bookings: local working days and hours turned into UTC spans.

Days are local (the site's zone); the spans are instants, so a 09:00-19:00 day is ten
hours on the days the clocks change too (DOMAIN rule 4).
"""

import datetime
import zoneinfo
from collections.abc import Iterable, Iterator

from postdesk.core.errors import InvalidInput
from postdesk.core.timeutil import local_at, require_date_in_window
from postdesk.scheduling.models import WEEKDAYS

Span = tuple[datetime.datetime, datetime.datetime]

MAX_OCCURRENCES = 370
# The longest range one repeat request may walk (a leap year, first to last day).
MAX_REPEAT_DAYS = 366


def parse_clock(value: str, field: str = "time") -> datetime.time | None:
    """ "09:00" -> time(9, 0); "24:00" -> None, meaning the end of the day."""
    try:
        hour, minute = (int(part) for part in value.split(":"))
    except (AttributeError, ValueError):
        raise InvalidInput.field(field, f"{value!r} is not a time of day like '09:00'") from None
    if (hour, minute) == (24, 0):
        return None
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise InvalidInput.field(field, f"{value!r} is not a time of day like '09:00'")
    return datetime.time(hour, minute)


def _instant(day: datetime.date, at: datetime.time | None, zone) -> datetime.datetime:
    if at is None:
        return local_at(day + datetime.timedelta(days=1), datetime.time(0, 0), zone)
    return local_at(day, at, zone)


def day_span(day: datetime.date, start: datetime.time, end: datetime.time | None, zone) -> Span:
    """[start, end) of one local day's hours as UTC instants; end None = midnight after."""
    return _instant(day, start, zone), _instant(day, end, zone)


def weekday_spans(
    first_day: datetime.date,
    last_day: datetime.date,
    *,
    start_time: datetime.time,
    end_time: datetime.time | None,
    zone: zoneinfo.ZoneInfo,
    weekdays: Iterable[int] = (0, 1, 2, 3, 4),
) -> list[Span]:
    """One span per chosen weekday (Mon=0) from first_day to last_day inclusive.

    weekday_spans(Mon 23 Mar, Fri 3 Apr 2026, 09:00, 19:00, London) gives ten spans of
    ten hours each, although the clocks go forward on Sunday 29 March.
    """
    # Checked before any day is walked: the range, not the answer, bounds the work.
    require_date_in_window(first_day, "first_day")
    require_date_in_window(last_day, "last_day")
    if last_day < first_day:
        raise InvalidInput.field("last_day", "last_day must not be before first_day")
    if (last_day - first_day).days >= MAX_REPEAT_DAYS:
        raise InvalidInput.field(
            "last_day", f"A repeat may span at most {MAX_REPEAT_DAYS} days, first to last"
        )
    days = set(weekdays)
    if not days:
        raise InvalidInput.field("weekdays", "Choose at least one weekday")
    if not days <= set(range(7)):
        raise InvalidInput.field("weekdays", "weekdays are 0 (Monday) to 6 (Sunday)")
    if end_time is not None and end_time <= start_time:
        raise InvalidInput.field("end_time", "end_time must be after start_time")
    spans = []
    day = first_day
    while day <= last_day:
        if day.weekday() in days:
            spans.append(day_span(day, start_time, end_time, zone))
            if len(spans) > MAX_OCCURRENCES:
                raise InvalidInput.field(
                    "last_day", f"At most {MAX_OCCURRENCES} occurrences in one call"
                )
        day += datetime.timedelta(days=1)
    if not spans:
        raise InvalidInput.field("weekdays", "No day in that range falls on the chosen weekdays")
    return spans


def validate_working_hours(value) -> dict:
    """{"mon": [["09:00", "19:00"]], ...}: known days, ordered non-overlapping ranges."""
    if not isinstance(value, dict):
        raise InvalidInput.field("working_hours", "working_hours must be an object of weekdays")
    clean = {}
    for day, ranges in value.items():
        if day not in WEEKDAYS:
            raise InvalidInput.field(
                "working_hours", f"{day!r} is not a weekday; use {', '.join(WEEKDAYS)}"
            )
        if not isinstance(ranges, list):
            raise InvalidInput.field("working_hours", f"{day}: a list of [start, end] pairs")
        previous_end = datetime.time(0, 0)
        out = []
        for pair in ranges:
            if not (isinstance(pair, list | tuple) and len(pair) == 2):
                raise InvalidInput.field("working_hours", f"{day}: each range is [start, end]")
            start = parse_clock(pair[0], "working_hours")
            end = parse_clock(pair[1], "working_hours")
            if start is None or (end is not None and end <= start) or start < previous_end:
                raise InvalidInput.field(
                    "working_hours", f"{day}: {pair[0]}-{pair[1]} is not an ordered range"
                )
            previous_end = end or datetime.time.max
            out.append([pair[0], pair[1]])
        clean[day] = out
    return clean


def working_spans(
    working_hours: dict, start: datetime.datetime, end: datetime.datetime, zone
) -> Iterator[Span]:
    """The resource's working hours inside [start, end), clipped, in time order."""
    day = start.astimezone(zone).date() - datetime.timedelta(days=1)
    last = end.astimezone(zone).date()
    parsed = {
        d: [(parse_clock(a), parse_clock(b)) for a, b in working_hours.get(d, [])] for d in WEEKDAYS
    }
    while day <= last:
        for open_at, close_at in parsed[WEEKDAYS[day.weekday()]]:
            lo, hi = day_span(day, open_at, close_at, zone)
            lo, hi = max(lo, start), min(hi, end)
            if lo < hi:
                yield lo, hi
        day += datetime.timedelta(days=1)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted union of spans (touching spans join: [9, 10) + [10, 11) = [9, 11))."""
    out: list[list] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def subtract(free: list[Span], busy: list[Span]) -> list[Span]:
    """free minus busy; both sorted and merged."""
    out = []
    busy = merge(busy)
    for lo, hi in free:
        cursor = lo
        for b_lo, b_hi in busy:
            if b_hi <= cursor:
                continue
            if b_lo >= hi:
                break
            if b_lo > cursor:
                out.append((cursor, b_lo))
            cursor = max(cursor, b_hi)
            if cursor >= hi:
                break
        if cursor < hi:
            out.append((cursor, hi))
    return out


def intersect(a: list[Span], b: list[Span]) -> list[Span]:
    """Intersection of two sorted, merged span lists."""
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out
