"""The board's "room down" banner: engineering tells scheduling's board which of the rows
it draws are rooms down (scheduling/board_notices.py), one query per board request."""

from postdesk.engineering.models import FaultTicket
from postdesk.scheduling import board_notices


def room_down_notices(resource_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    rows = (
        FaultTicket.objects.filter(
            room_id__in=resource_ids,
            severity=FaultTicket.Severity.ROOM_DOWN,
            state__in=FaultTicket.OPEN_STATES,
        )
        .order_by("opened_at", "pk")
        .values_list("room_id", "pk")
    )
    for room_id, pk in rows:
        out.setdefault(room_id, []).append(f"ROOM DOWN (fault {pk})")
    return out


board_notices.register(room_down_notices)
