"""Choosing spans to offer from free time, honest about pencils.

Pencils do not make time busy (they rank), but a span offered as "free" that three pencils
already hold is not the same offer as an empty one. So each offered span carries how many
pencils hold it, and besides the earliest start of each free interval, a later start in
the same interval is offered where fewer pencils hold the time.

For "any one of" a requirement (any free colourist), each candidate is an option with its
own free time and pencils; a span lists the candidates that fit it, least held first.

Pure functions over sorted, merged spans; the database reads are in
queries.earliest_slots.
"""

import bisect
import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

Span = tuple[datetime.datetime, datetime.datetime]


@dataclass
class Option:
    """One way to meet the request: `key` is the candidate resource (None when every
    resource is named), `free` the sorted, merged spans in which all of the option's
    resources are free, `holds` the pencil spans of each of its resources."""

    key: int | None
    free: list[Span]
    holds: Sequence[Sequence[Span]]
    starts: list[datetime.datetime] = field(init=False)

    def __post_init__(self):
        self.starts = [lo for lo, _ in self.free]

    def interval_of(self, lo: datetime.datetime, duration: datetime.timedelta) -> Span | None:
        """The free interval holding [lo, lo + duration), if any."""
        i = bisect.bisect_right(self.starts, lo) - 1
        if i >= 0 and self.free[i][1] >= lo + duration:
            return self.free[i]
        return None

    def held_by(self, lo: datetime.datetime, hi: datetime.datetime) -> int:
        """The most pencils overlapping [lo, hi) on any one of the option's resources:
        a new pencil there ranks after at least that many."""
        return max(
            (sum(1 for a, b in spans if a < hi and b > lo) for spans in self.holds), default=0
        )


@dataclass(frozen=True)
class Fit:
    key: int | None
    holds: int
    free_until: datetime.datetime
    interval: Span


def _candidate_starts(option: Option, duration: datetime.timedelta) -> Iterator[datetime.datetime]:
    """The start of each free interval long enough, and each later moment in it at which
    a pencil ends (from there fewer pencils may hold the span)."""
    ends = sorted({hi for spans in option.holds for _, hi in spans})
    for lo, hi in option.free:
        if hi - lo < duration:
            continue
        yield lo
        latest = hi - duration
        yield from ends[bisect.bisect_right(ends, lo) : bisect.bisect_right(ends, latest)]


def _adds_nothing(fits: list[Fit], previous: dict) -> bool:
    """Whether the span offered just before already offers everything these fits do:
    each one the same option in the same free interval, held by no more pencils."""
    for fit in fits:
        before = previous.get(fit.key)
        if before is None or before.interval != fit.interval or before.holds > fit.holds:
            return False
    return True


def choose(
    options: list[Option], duration: datetime.timedelta, limit: int
) -> list[tuple[datetime.datetime, list[Fit]]]:
    """Up to `limit` spans of `duration`, earliest first: (start, the options that fit
    it, least held first, then in the order given)."""
    order = {option.key: i for i, option in enumerate(options)}
    starts = sorted({s for option in options for s in _candidate_starts(option, duration)})
    out: list[tuple[datetime.datetime, list[Fit]]] = []
    previous: dict = {}
    for start in starts:
        end = start + duration
        fits = []
        for option in options:
            interval = option.interval_of(start, duration)
            if interval is not None:
                fits.append(Fit(option.key, option.held_by(start, end), interval[1], interval))
        if not fits or _adds_nothing(fits, previous):
            continue
        fits.sort(key=lambda f: (f.holds, order[f.key]))
        out.append((start, fits))
        previous = {fit.key: fit for fit in fits}
        if len(out) >= limit:
            break
    return out
