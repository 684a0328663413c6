"""What the front desk's lists may be searched, sorted and filtered by (core/listing
.ListSpec), declared once for the API and the pages: the traffic log's deliveries and
dispatches (a day's, by `day`), the accident book, catering orders and supplies."""

import datetime

from django.db.models import F

from postdesk.core.listing import Filter, ListSpec
from postdesk.core.timeutil import date_in_window, facility_zone, local_day_bounds

_YES = ("1", "true", "yes", "on")


def parse_day(text) -> datetime.date:
    day = text if isinstance(text, datetime.date) else datetime.date.fromisoformat(text)
    if not date_in_window(day):
        raise ValueError("must be a date within the facility's window")
    return day


def _on_day(column: str):
    def method(qs, day: datetime.date):
        start, end = local_day_bounds(day, facility_zone())
        return qs.filter(**{f"{column}__gte": start, f"{column}__lt": end})

    return method


DELIVERIES = ListSpec(
    search=(
        "courier",
        "tracking",
        "description",
        "sender",
        "recipient_name",
        "recipient__username",
        "recipient__first_name",
        "recipient__last_name",
        "barcodes",
    ),
    sorts={"received": "received_at", "courier": "courier", "id": "pk"},
    default_sort="-received",
    filters={
        "day": Filter(method=_on_day("received_at"), parse=parse_day),
        "recipient": Filter("recipient_id", parse=int),
    },
)

DISPATCHES = ListSpec(
    search=(
        "items",
        "destination",
        "courier",
        "booking_reference",
        "tracking",
        "signed_for_by",
        "barcodes",
    ),
    sorts={"dispatched": "dispatched_at", "courier": "courier", "id": "pk"},
    default_sort="-dispatched",
    filters={"day": Filter(method=_on_day("dispatched_at"), parse=parse_day)},
)

ACCIDENTS = ListSpec(
    search=("person", "place", "what_happened", "injury"),
    sorts={"happened": "happened_at", "person": "person", "id": "pk"},
    default_sort="-happened",
    filters={
        "riddor": Filter("riddor_reportable", parse=lambda t: t.strip().lower() in _YES),
    },
)

CATERING = ListSpec(
    search=("items", "supplier", "dietary", "job__number", "contact__name"),
    sorts={"ordered": "ordered_at", "job": "job__number", "id": "pk"},
    default_sort="-ordered",
    filters={
        "job": Filter("job_id", parse=int),
        "booking": Filter("booking_id", parse=int),
        "day": Filter(method=_on_day("ordered_at"), parse=parse_day),
    },
)


def _to_buy(qs, value: bool):
    return qs.filter(quantity__lte=F("reorder_level")) if value else qs


SUPPLIES = ListSpec(
    search=("name", "supplier"),
    sorts={"name": "name", "quantity": "quantity", "supplier": "supplier", "id": "pk"},
    default_sort="name",
    filters={"to_buy": Filter(method=_to_buy, parse=lambda t: t.strip().lower() in _YES)},
)


def _open_only(qs, value: bool):
    return qs.filter(dealt_with_at__isnull=True) if value else qs


MESSAGES = ListSpec(
    search=("caller", "caller_company", "about", "recipient__username", "recipient__last_name"),
    sorts={"taken": "taken_at", "caller": "caller", "id": "pk"},
    default_sort="-taken",
    filters={"open": Filter(method=_open_only, parse=lambda t: t.strip().lower() in _YES)},
)
