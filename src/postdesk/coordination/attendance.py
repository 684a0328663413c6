"""After a screening has begun: who came (each invitee, and walk-ins by name) and the
feedback notes taken from the audience. Refused before the screening starts, since
nobody can have come yet; every change audited on the screening."""

import datetime

from django.db import transaction
from django.utils import timezone

from postdesk.coordination.models import FeedbackNote, Invitee, Screening, WalkIn
from postdesk.coordination.services import need_manage
from postdesk.core import audit, crud
from postdesk.core.errors import InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.core.timeutil import facility_zone

MAX_WALK_INS = 200
MAX_NOTE = 5000


def _started(screening: Screening, now: datetime.datetime, what: str) -> None:
    if now < screening.starts_at:
        start = timezone.localtime(screening.starts_at, facility_zone())
        raise InvalidTransition(
            f"{what} once the screening has started (it starts {start:%a %d %b %H:%M})"
        )


def _names(walk_ins) -> list[str]:
    """The walk-ins' names, trimmed, each once (case aside), in the order given."""
    seen, names = set(), []
    for raw in walk_ins:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > 200:
            raise InvalidInput.field("walk_ins", "A walk-in's name is at most 200 characters")
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    if len(names) > MAX_WALK_INS:
        raise InvalidInput.field("walk_ins", f"At most {MAX_WALK_INS} walk-ins")
    return names


@transaction.atomic
def record_attendance(
    screening: Screening,
    *,
    attended,
    walk_ins,
    actor,
    now: datetime.datetime | None = None,
) -> Screening:
    """Who came: `attended` is the ids of the invitees present (the others did not come),
    `walk_ins` the names of those who came uninvited. The whole list each time, so taking
    it again corrects it."""
    need_manage(actor)
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    _started(screening, now or timezone.now(), "Attendance is taken")
    present = {int(pk) for pk in attended}
    invitees = dict(screening.invitees.values_list("pk", "attended"))
    unknown = present - invitees.keys()
    if unknown:
        raise InvalidInput.field(
            "attended", f"Not invited to this screening: {', '.join(map(str, sorted(unknown)))}"
        )
    names = _names(walk_ins)
    before = {
        "attended": sorted(pk for pk, came in invitees.items() if came),
        "walk_ins": sorted(screening.walk_ins.values_list("name", flat=True), key=str.casefold),
    }
    screening.invitees.update(attended=False)
    Invitee.objects.filter(screening=screening, pk__in=present).update(attended=True)
    screening.walk_ins.all().delete()
    WalkIn.objects.bulk_create([WalkIn(screening=screening, name=n) for n in names])
    after = {"attended": sorted(present), "walk_ins": sorted(names, key=str.casefold)}
    audit.record(
        actor,
        screening,
        AuditEntry.Action.UPDATE,
        audit.diff(before, after),
        f"Attendance taken: {len(present)} invitees, {len(names)} walk-ins",
    )
    return screening


@transaction.atomic
def add_feedback(
    screening: Screening,
    *,
    note: str,
    actor,
    given_by: str = "",
    now: datetime.datetime | None = None,
) -> FeedbackNote:
    """One note of the audience's feedback, written down after the screening began."""
    need_manage(actor)
    now = now or timezone.now()
    _started(screening, now, "Feedback is collected")
    note = (note or "").strip()
    if not note:
        raise InvalidInput.field("note", "The note is empty")
    if len(note) > MAX_NOTE:
        raise InvalidInput.field("note", f"A note is at most {MAX_NOTE} characters")
    return crud.create(
        FeedbackNote,
        actor=actor,
        screening=screening,
        given_by=" ".join((given_by or "").split())[:200],
        note=note,
        recorded_by=actor,
        recorded_at=now,
    )


def attendance(screening: Screening) -> dict:
    """Counts for the screening's page and API (invitees and walk-ins prefetched)."""
    came = [i for i in screening.invitees.all() if i.attended]
    return {
        "invitees_attended": len(came),
        "walk_ins": [w.name for w in screening.walk_ins.all()],
    }
