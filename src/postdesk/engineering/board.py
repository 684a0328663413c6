"""The board's "room down" banner: engineering tells scheduling's board which of the rows
it draws are rooms down (scheduling/board_notices.py), one query per board request.

The query asks for every open room-down ticket, not for the drawn rows' ids: there are
a handful at most, and a board of 300 rows would otherwise send 300 parameters each time."""

from postdesk.engineering.models import FaultTicket
from postdesk.scheduling import board_notices


def room_down_notices(resource_ids: list[int]) -> dict[int, list[str]]:
    drawn = set(resource_ids)
    out: dict[int, list[str]] = {}
    rows = (
        FaultTicket.objects.filter(
            severity=FaultTicket.Severity.ROOM_DOWN,
            state__in=FaultTicket.OPEN_STATES,
        )
        .order_by("opened_at", "pk")
        .values_list("room_id", "pk")
    )
    for room_id, pk in rows:
        if room_id in drawn:
            out.setdefault(room_id, []).append(f"ROOM DOWN (fault {pk})")
    return out


board_notices.register(room_down_notices)
