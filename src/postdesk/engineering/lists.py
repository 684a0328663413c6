"""What the lists of assets, fault tickets, maintenance schedules and machines may be
searched, sorted and filtered by (core/listing.ListSpec), declared once for the API and
the pages."""

from postdesk.core.listing import Filter, ListSpec
from postdesk.engineering.models import Asset, FaultTicket, QcReport


def _yes(text: str) -> bool:
    """A page's checkbox or link (`?open=1`); the API's `open` arrives typed as a bool."""
    return text.strip().lower() in ("1", "true", "yes", "on")


def _open(qs, value: bool):
    # `open=false` means "do not narrow", not "closed only", as it always has in the API.
    return qs.filter(state__in=FaultTicket.OPEN_STATES) if value else qs


ASSETS = ListSpec(
    search=("tag", "serial", "make", "model", "room__name"),
    sorts={
        "tag": "tag",
        "model": "model",
        "room": "room__name",
        "status": "status",
        "id": "pk",
    },
    default_sort="tag",
    filters={
        "room": Filter("room_id", parse=int),
        "status": Filter("status", parse=Asset.Status),
    },
)

TICKETS = ListSpec(
    search=("description", "room__name", "asset__tag"),
    sorts={"opened": "opened_at", "state": "state", "severity": "severity", "id": "pk"},
    default_sort="-opened",
    filters={
        "state": Filter("state", parse=FaultTicket.State),
        "severity": Filter("severity", parse=FaultTicket.Severity),
        "open": Filter(method=_open, parse=_yes),
        "room": Filter("room_id", parse=int),
    },
)

SCHEDULES = ListSpec(
    search=("title", "room__name", "asset__tag"),
    sorts={"room": "room__name", "title": "title", "last_done": "last_done_at", "id": "pk"},
    default_sort="room,title",
    filters={"room": Filter("room_id", parse=int), "asset": Filter("asset_id", parse=int)},
)

MACHINES = ListSpec(
    search=("hostname", "ip_address", "os", "switch_port"),
    sorts={"hostname": "hostname", "room": "room__name", "id": "pk"},
    default_sort="hostname",
    filters={"room": Filter("room_id", parse=int)},
)

QC_REPORTS = ListSpec(
    search=("filename", "spec_name", "path"),
    sorts={
        "created": "created_at",
        "file": "filename",
        "spec": "spec_name",
        "state": "state",
        "verdict": "verdict",
        "id": "pk",
    },
    default_sort="-created",
    filters={
        "state": Filter("state", parse=QcReport.State),
        "verdict": Filter("verdict", parse=QcReport.Verdict),
        "spec": Filter("spec_id", parse=int),
    },
)
