"""The post schedule on the booking board: each milestone of the productions the board
shows, on the day the schedule now holds (actual, else revised, else planned), drawn as a
band above the rows (scheduling/board_bands.py); a slipped one is flagged. One query per
board request; the board's ETag covers every item, so a re-planned milestone redraws."""

from django.db.models.functions import Coalesce

from postdesk.coordination.models import Milestone
from postdesk.scheduling import board_bands

LABELS = dict(Milestone.Kind.choices)


def milestone_band(productions, first, last) -> list[dict]:
    rows = (
        Milestone.objects.annotate(day=Coalesce("actual", "revised", "planned"))
        .filter(production_id__in=productions, day__gte=first, day__lte=last)
        .order_by("day", "production_id", "id")
        .values_list("id", "production_id", "production__title", "kind", "planned", "actual", "day")
    )
    items = []
    for pk, production, title, kind, planned, actual, day in rows:
        slipped = day > planned
        state = "done" if actual else "planned"
        detail = f"{LABELS[kind]} of {title}: {state} {day:%a %d %b}"
        if slipped:
            detail += f", slipped from {planned:%a %d %b}"
        items.append(
            {
                "key": f"milestone-{pk}",
                "kind": "milestone",
                "production": production,
                "production_title": title,
                "label": LABELS[kind],
                "date": day.isoformat(),
                "flag": "slipped" if slipped else "",
                "detail": detail,
            }
        )
    return items


def register_with_scheduling() -> None:
    board_bands.register(milestone_band)
