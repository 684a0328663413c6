"""The accident book: entries written by reception (or a supervisor, or an admin) and
read by them only. An entry is kept at least three years from the accident (the law asks
for three; `keep_until` says when it may go): nothing here deletes or anonymises one,
the visitor sweep (privacy.py) leaves them alone and the admin only reads them."""

import datetime

from django.db import transaction
from django.utils import timezone

from postdesk.core import audit
from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.core.roles import KEEP_ACCIDENT_BOOK, can
from postdesk.core.timeutil import facility_zone, require_instant
from postdesk.frontdesk.models import AccidentEntry

KEEP_YEARS = 3
# A clock a little ahead at the desk is not an accident in the future.
CLOCK_SLACK = datetime.timedelta(minutes=5)


def keep_until(happened_at: datetime.datetime) -> datetime.date:
    """The accident's local date, three years on (29 February keeps to 1 March)."""
    day = timezone.localtime(happened_at, facility_zone()).date()
    try:
        return day.replace(year=day.year + KEEP_YEARS)
    except ValueError:
        return datetime.date(day.year + KEEP_YEARS, 3, 1)


def require_keeper(user) -> None:
    if not can(user, KEEP_ACCIDENT_BOOK):
        raise Forbidden(
            "Only admins, supervisors and reception keep the accident book",
            details={"needs": KEEP_ACCIDENT_BOOK},
        )


def _text(field: str, value, limit: int, *, required: bool = True) -> str:
    value = value.strip() if isinstance(value, str) else value
    if not isinstance(value, str) or "\x00" in value:
        raise InvalidInput.field(field, f"{field.replace('_', ' ')} must be plain text")
    if len(value) > limit:
        raise InvalidInput.field(field, f"{field.replace('_', ' ')} is at most {limit} characters")
    if required and not value:
        raise InvalidInput.field(field, f"{field.replace('_', ' ')} is required")
    return value


@transaction.atomic
def record_accident(
    *,
    actor,
    person: str,
    happened_at: datetime.datetime,
    place: str,
    what_happened: str,
    injury: str,
    person_kind: str = AccidentEntry.Person.STAFF,
    first_aid: str = "",
    first_aider: str = "",
    riddor_reportable: bool = False,
) -> AccidentEntry:
    require_keeper(actor)
    happened_at = require_instant(happened_at, "happened_at")
    now = timezone.now()
    if happened_at > now + CLOCK_SLACK:
        raise InvalidInput.field("happened_at", "An accident is recorded after it happens")
    if person_kind not in AccidentEntry.Person.values:
        raise InvalidInput.field("person_kind", "staff, visitor or contractor")
    entry = AccidentEntry.objects.create(
        person=_text("person", person, 200),
        person_kind=person_kind,
        happened_at=happened_at,
        place=_text("place", place, 200),
        what_happened=_text("what_happened", what_happened, 5000),
        injury=_text("injury", injury, 2000),
        first_aid=_text("first_aid", first_aid, 2000, required=False),
        first_aider=_text("first_aider", first_aider, 200, required=False),
        riddor_reportable=bool(riddor_reportable),
        keep_until=keep_until(happened_at),
        recorded_by=actor,
        recorded_at=now,
    )
    audit.record_create(actor, entry, summary=f"Accident book entry for {entry.person}")
    return entry


def entries(user):
    """The book, for those who keep it (Forbidden for anyone else)."""
    require_keeper(user)
    return AccidentEntry.objects.select_related("recorded_by")
