"""What the lists of bookings, resources and skills may be searched, sorted and filtered
by (core/listing.ListSpec), declared once for the API and the pages. The filters apply
the board's own (queries.filter_bookings, queries.resources_queryset), so a list and the
board never disagree about what a filter means."""

from functools import partial

from postdesk.core.listing import Filter, ListSpec, instant
from postdesk.scheduling import queries
from postdesk.scheduling.models import Booking


def _booking_filter(name: str, qs, value):
    return queries.filter_bookings(qs, **{name: value})


def _resource_filter(name: str, qs, value):
    # A subquery keeps the caller's queryset as it is (its select_related) and, unlike
    # joining the skills table once per skill, never repeats a resource.
    matching = queries.resources_queryset(archived=None, **{name: value})
    return qs.filter(pk__in=matching.values("pk"))


def _words(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _flag(text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


def _bookings(name: str, **kwargs) -> Filter:
    return Filter(method=partial(_booking_filter, name), **kwargs)


BOOKINGS = ListSpec(
    sorts={"start": "start", "created": "created_at", "updated": "updated_at", "id": "pk"},
    default_sort="start",
    filters={
        "job": _bookings("job", parse=int),
        "resource": _bookings("resource", parse=int),
        "client": _bookings("client", parse=int),
        "production": _bookings("production", parse=int),
        # Comma-separated statuses; an unknown one is refused naming `status`.
        "status": _bookings("status", parse=queries.board_status),
        "kind": _bookings("kind", parse=Booking.Kind),
        "start": _bookings("start", parse=instant),
        "end": _bookings("end", parse=instant),
    },
)

RESOURCES = ListSpec(
    search=("name",),
    sorts={
        "name": "name",
        "kind": "kind",
        "site": "site__name",
        "sort_order": "sort_order",
        "id": "pk",
    },
    default_sort="site,kind,sort_order,name",
    filters={
        # A site by id or code, a kind, skills (ids or names, comma-separated, all needed).
        "site": Filter(method=partial(_resource_filter, "site")),
        "kind": Filter(method=partial(_resource_filter, "kind")),
        "skill": Filter(method=partial(_resource_filter, "skills"), parse=_words),
        "archived": Filter(
            method=lambda qs, value: qs.filter(archived_at__isnull=not value), parse=_flag
        ),
        "bookable": Filter("bookable", parse=_flag),
    },
)

SKILLS = ListSpec(search=("name",), sorts={"name": "name"}, default_sort="name")
