"""Time helpers: instants are UTC; local time is for display and for calendar days."""

import datetime
import re
import zoneinfo

from django.conf import settings

UTC = datetime.UTC


def facility_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def zone_or_facility(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone named (a site's), or the facility's when there is no name."""
    return zoneinfo.ZoneInfo(name) if name else facility_zone()


def require_aware(value: datetime.datetime, field: str = "time") -> datetime.datetime:
    """Refuse naive datetimes: an instant without an offset is ambiguous."""
    from postdesk.core.errors import InvalidInput

    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput.field(
            field,
            f"{field} must include a UTC offset or Z (e.g. 2026-03-02T09:00:00Z); "
            "naive times are ambiguous",
        )
    return value.astimezone(UTC)


def local_at(day: datetime.date, at: datetime.time, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The instant of wall-clock time `at` on `day` in `zone`, as UTC.

    Wall times that do not exist (inside a spring-forward gap) resolve forward, and
    ambiguous ones (autumn fall-back) take the first occurrence (fold=0).
    """
    local = datetime.datetime.combine(day, at, tzinfo=zone)
    # Round-trip through UTC normalises a non-existent wall time.
    return local.astimezone(UTC)


def local_day_bounds(day: datetime.date, zone: zoneinfo.ZoneInfo):
    """[start, end) of a local calendar day as UTC instants (23 or 25 hours on clock changes)."""
    start = local_at(day, datetime.time(0, 0), zone)
    end = local_at(day + datetime.timedelta(days=1), datetime.time(0, 0), zone)
    return start, end


def split_by_local_day(start: datetime.datetime, end: datetime.datetime, zone):
    """Yield (local_date, part_start, part_end) pieces of [start, end) cut at local midnights."""
    cursor = start
    while cursor < end:
        day = cursor.astimezone(zone).date()
        _, day_end = local_day_bounds(day, zone)
        part_end = min(day_end, end)
        yield day, cursor, part_end
        cursor = part_end


def hours(delta: datetime.timedelta):
    from decimal import Decimal

    return Decimal(int(delta.total_seconds())) / Decimal(3600)


# --- The accepted window of dates and instants (issue 10) ------------------------------


def date_window() -> tuple[datetime.date, datetime.date]:
    """[first, last) of the dates the system accepts (settings DATE_MIN, DATE_MAX)."""
    return (
        datetime.date.fromisoformat(settings.POSTDESK["DATE_MIN"]),
        datetime.date.fromisoformat(settings.POSTDESK["DATE_MAX"]),
    )


def _window_message(field: str) -> str:
    first, last = date_window()
    return f"{field} must be on or after {first.isoformat()} and before {last.isoformat()}"


def date_in_window(value: datetime.date) -> bool:
    first, last = date_window()
    return first <= value < last


def instant_in_window(value: datetime.datetime) -> bool:
    """Whether an aware instant lies in the window, read in UTC."""
    first, last = date_window()
    # Reject on the wall-clock date first: converting 0001-01-01T00:00+14:00 to UTC
    # overflows. A day's margin covers every UTC offset.
    if not first - datetime.timedelta(days=1) <= value.date() <= last:
        return False
    return first <= value.astimezone(UTC).date() < last


def require_date_in_window(value: datetime.date, field: str = "date") -> datetime.date:
    """A date inside the configured window, else a 422 naming the field."""
    from postdesk.core.errors import InvalidInput

    if isinstance(value, datetime.datetime):
        value = value.date()
    if not date_in_window(value):
        raise InvalidInput.field(field, _window_message(field))
    return value


def require_instant(value: datetime.datetime, field: str = "time") -> datetime.datetime:
    """An aware instant inside the configured window, as UTC; else a 422 naming the field."""
    from postdesk.core.errors import InvalidInput

    if value.tzinfo is None or value.utcoffset() is None:
        return require_aware(value, field)  # refuses it, naming the field
    # The window first: converting 0001-01-01T00:00+14:00 to UTC would overflow.
    if not instant_in_window(value):
        raise InvalidInput.field(field, _window_message(field))
    return value.astimezone(UTC)


# "+01:00" arrives as " 01:00" when a client forgets to percent-encode the plus sign.
_SPACE_OFFSET = re.compile(r"^(.*T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")


def restore_plus_offset(text: str) -> str:
    """An ISO 8601 instant from a query string with its offset's plus sign put back."""
    return _SPACE_OFFSET.sub(r"\1+\2", text)


def check_instant(value: datetime.datetime) -> datetime.datetime:
    """Pydantic validator form of require_instant: ValueError, so ninja answers 422."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must include a UTC offset or Z (e.g. 2026-03-02T09:00:00Z)")
    if not instant_in_window(value):
        first, last = date_window()
        raise ValueError(f"must be on or after {first} and before {last}")
    return value.astimezone(UTC)


def check_date(value: datetime.date) -> datetime.date:
    """Pydantic validator form of require_date_in_window."""
    if not date_in_window(value):
        first, last = date_window()
        raise ValueError(f"must be on or after {first} and before {last}")
    return value
