"""The weeks or months a report covers, as local calendar periods turned into instants."""

import datetime
from dataclasses import dataclass

from postdesk.core.errors import InvalidInput
from postdesk.core.timeutil import facility_zone, local_at, require_date_in_window

PERIODS = ("week", "month")
MAX_BUCKETS = {"week": 106, "month": 36}


@dataclass(frozen=True)
class Bucket:
    index: int
    first_day: datetime.date
    next_day: datetime.date  # the day after the bucket's last
    start: datetime.datetime
    end: datetime.datetime

    @property
    def label(self) -> str:
        return self.first_day.isoformat()


def _month_after(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def buckets(period: str, first: datetime.date, count: int, zone=None) -> list[Bucket]:
    """`count` weeks (from the Monday of `first`) or months (from its 1st), local midnight
    to local midnight in `zone` (the facility's by default)."""
    if period not in PERIODS:
        raise InvalidInput.field("period", f"period is one of {', '.join(PERIODS)}")
    if not 1 <= count <= MAX_BUCKETS[period]:
        raise InvalidInput.field("count", f"count is 1 to {MAX_BUCKETS[period]} {period}s")
    require_date_in_window(first, "start")
    zone = zone or facility_zone()
    day = (
        first - datetime.timedelta(days=first.weekday())
        if period == "week"
        else first.replace(day=1)
    )
    out = []
    midnight = datetime.time(0, 0)
    for i in range(count):
        nxt = day + datetime.timedelta(days=7) if period == "week" else _month_after(day)
        require_date_in_window(nxt, "count")
        out.append(
            Bucket(i, day, nxt, local_at(day, midnight, zone), local_at(nxt, midnight, zone))
        )
        day = nxt
    return out
