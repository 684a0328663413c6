"""Finding the booking a job sheet is for: confirmed or completed job bookings without a
sheet, searched by job, client, production, resource and date.

The form validates the chosen booking against `sheetable_bookings()` itself, never a slice
of it: Django cannot look a choice up in a sliced queryset (issue 11: every booking was
refused with "Select a valid choice").
"""

import datetime
import functools
import operator
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from postdesk.core.timeutil import date_in_window, facility_zone, local_day_bounds

# Per group of results, at most this many are shown; the search narrows the rest.
SHOWN = 25

_MONTHS = {abbr: i for i, abbr in enumerate(("jan", "feb", "mar", "apr", "may", "jun"), 1)} | {
    abbr: i for i, abbr in enumerate(("jul", "aug", "sep", "oct", "nov", "dec"), 7)
}
_DAY_MONTH = re.compile(r"^(\d{1,2})\s+([a-z]{3})[a-z]*\.?(?:\s+(\d{4}))?$")


def sheetable_bookings() -> QuerySet:
    """Every booking a job sheet may be made for: confirmed or completed job bookings that
    have none yet (past and future alike, as the service allows)."""
    from postdesk.scheduling.models import Booking

    return Booking.objects.filter(
        kind=Booking.Kind.JOB,
        status__in=[Booking.Status.CONFIRMED, Booking.Status.COMPLETED],
        job_sheet__isnull=True,
    )


def parse_day(text: str, today: datetime.date | None = None) -> datetime.date | None:
    """A date as people type it in a search: 2026-03-02, 02/03/2026 (day first), 2 Mar,
    2 March 2026. None when the text is not a date."""
    text = text.strip().lower()
    today = today or timezone.localdate()
    try:
        found = datetime.date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return found if date_in_window(found) else None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _DAY_MONTH.match(text)
        if not match or match.group(2) not in _MONTHS:
            return None
        day, month = int(match.group(1)), _MONTHS[match.group(2)]
        year = int(match.group(3)) if match.group(3) else today.year
    try:
        found = datetime.date(year, month, day)
    except ValueError:
        return None
    return found if date_in_window(found) else None


def _date_terms(query: str) -> tuple[datetime.date | None, list[str]]:
    """(a date written in the query, the other words). "2 Mar 2026" is one date, not three
    words."""
    words = query.split()
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            day = parse_day(" ".join(words[i : i + size]))
            if day is not None:
                return day, words[:i] + words[i + size :]
    return None, words


def _word(word: str) -> Q:
    from postdesk.scheduling.models import Allocation

    on_resource = Allocation.objects.filter(resource__name__icontains=word).values("booking_id")
    return (
        Q(job__number__icontains=word)
        | Q(job__description__icontains=word)
        | Q(job__client__name__icontains=word)
        | Q(job__production__title__icontains=word)
        | Q(title__icontains=word)
        | Q(status__iexact=word)
        | Q(pk__in=on_resource)
    )


def search(qs: QuerySet, query: str, *, job_id: int | None = None) -> QuerySet:
    """Bookings of `qs` matching every word of `query` (and the date in it, if any)."""
    if job_id is not None:
        qs = qs.filter(job_id=job_id)
    day, words = _date_terms(query)
    if day is not None:
        start, end = local_day_bounds(day, facility_zone())
        qs = qs.filter(start__lt=end, end__gt=start)
    if words:
        qs = qs.filter(functools.reduce(operator.and_, [_word(w) for w in words]))
    return qs


@dataclass
class Results:
    done: list  # finished, waiting for their sheet: most recent first
    upcoming: list  # confirmed, still to come: soonest first
    more_done: int
    more_upcoming: int

    @property
    def empty(self) -> bool:
        return not (self.done or self.upcoming)


def find(query: str = "", *, job_id: int | None = None) -> Results:
    """What the job sheet page lists: each booking with its job, client, production and
    resources, in two bounded groups (a handful of queries whatever the data)."""
    from django.db.models import Prefetch

    from postdesk.scheduling.models import Allocation

    qs = search(sheetable_bookings(), query, job_id=job_id)
    now = timezone.now()
    related = qs.select_related("job__client", "job__production").prefetch_related(
        Prefetch(
            "allocations",
            queryset=Allocation.objects.select_related("resource").order_by("resource__name"),
        )
    )
    done_qs = related.filter(end__lte=now).order_by("-start", "-pk")
    upcoming_qs = related.filter(end__gt=now).order_by("start", "pk")
    done = list(done_qs[: SHOWN + 1])
    upcoming = list(upcoming_qs[: SHOWN + 1])
    return Results(
        done=done[:SHOWN],
        upcoming=upcoming[:SHOWN],
        more_done=done_qs.count() - SHOWN if len(done) > SHOWN else 0,
        more_upcoming=upcoming_qs.count() - SHOWN if len(upcoming) > SHOWN else 0,
    )
