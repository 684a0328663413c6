"""Writes of crew deal memos: offered, accepted (the person pencilled on the board
through the scheduling service), contracted (the booking confirmed), or withdrawn."""

import datetime
from decimal import Decimal

from django.db import transaction

from postdesk.coordination.models import DealMemo
from postdesk.core import audit, crud
from postdesk.core.errors import Forbidden, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.core.money import require_fits_column
from postdesk.core.roles import SUPERVISE_POST, can
from postdesk.core.timeutil import local_at, require_date_in_window
from postdesk.scheduling.models import Booking, Resource
from postdesk.scheduling.overlap import max_span
from postdesk.scheduling.services import cancel_booking, confirm_booking, create_booking

Status = DealMemo.Status
# The crew's booked day, in the person's site's time zone.
DAY_START = datetime.time(9, 0)
DAY_END = datetime.time(19, 0)


def _need(actor) -> None:
    if not can(actor, SUPERVISE_POST):
        raise Forbidden("Your role may not hire crew", details={"needs": SUPERVISE_POST})


@transaction.atomic
def offer_memo(
    *,
    production,
    job,
    person,
    role: str,
    start: datetime.date,
    end: datetime.date,
    day_rate: Decimal,
    actor,
    currency: str = "GBP",
    overtime_terms: str = "",
) -> DealMemo:
    """A deal memo offered to a freelancer for the production: role, dates, day rate and
    overtime terms."""
    _need(actor)
    if job.production_id != production.pk:
        raise InvalidInput.field("job", f"The job is not one of {production.title}'s")
    if person.kind != Resource.Kind.PERSON or person.employment != Resource.Employment.FREELANCE:
        raise InvalidInput.field("person", f"{person.name} is not a freelancer")
    start = require_date_in_window(start, "start")
    end = require_date_in_window(end, "end")
    if end < start:
        raise InvalidInput.field("end", "end must be on or after start")
    if (end - start) + datetime.timedelta(days=1) > max_span():
        raise InvalidInput.field("end", f"A memo may span at most {max_span().days} days")
    if day_rate < 0:
        raise InvalidInput.field("day_rate", "day_rate must not be negative")
    require_fits_column(day_rate, DealMemo, "day_rate")
    return crud.create(
        DealMemo,
        actor=actor,
        production=production,
        job=job,
        person=person,
        role=role,
        start=start,
        end=end,
        day_rate=day_rate,
        currency=currency,
        overtime_terms=overtime_terms,
        created_by=actor,
    )


def _move(memo, *, allowed: tuple, to: str, actor, verb: str) -> DealMemo:
    _need(actor)
    memo = DealMemo.objects.select_for_update().select_related("person__site").get(pk=memo.pk)
    if memo.status not in allowed:
        raise InvalidTransition(
            f"The memo is {memo.get_status_display().lower()}; it cannot be {verb.lower()}",
            details={"status": memo.status},
        )
    before = audit.snapshot(memo, ["status", "booking"])
    memo.status = to
    return memo, before


def _done(memo, before, actor, verb) -> DealMemo:
    memo.save(update_fields=["status", "booking"])
    audit.record(
        actor,
        memo,
        AuditEntry.Action.TRANSITION,
        audit.diff(before, audit.snapshot(memo, before.keys())),
        f"{verb}: {memo.role} ({memo.person.name})",
    )
    return memo


@transaction.atomic
def accept_memo(memo, *, actor) -> DealMemo:
    """The person accepted: pencilled on the board for the memo's days."""
    memo, before = _move(
        memo, allowed=(Status.OFFERED,), to=Status.ACCEPTED, actor=actor, verb="Accepted"
    )
    zone = memo.person.site.zone
    memo.booking = create_booking(
        job=memo.job,
        resources=[memo.person],
        start=local_at(memo.start, DAY_START, zone),
        end=local_at(memo.end, DAY_END, zone),
        status=Booking.Status.PENCIL,
        title=memo.role,
        actor=actor,
    )
    return _done(memo, before, actor, "Accepted")


@transaction.atomic
def contract_memo(memo, *, actor) -> DealMemo:
    """Contracted: the pencil becomes a confirmed booking (a clash is a 409 and the memo
    stays accepted)."""
    memo, before = _move(
        memo, allowed=(Status.ACCEPTED,), to=Status.CONTRACTED, actor=actor, verb="Contracted"
    )
    if memo.booking_id is not None:
        booking = Booking.objects.get(pk=memo.booking_id)
        if booking.status == Booking.Status.PENCIL:
            confirm_booking(booking, actor=actor)
    return _done(memo, before, actor, "Contracted")


@transaction.atomic
def withdraw_memo(memo, *, actor) -> DealMemo:
    """Withdrawn before contract: the pencil, if any, is cancelled."""
    memo, before = _move(
        memo,
        allowed=(Status.OFFERED, Status.ACCEPTED),
        to=Status.WITHDRAWN,
        actor=actor,
        verb="Withdrawn",
    )
    if memo.booking_id is not None:
        booking = Booking.objects.get(pk=memo.booking_id)
        if booking.status == Booking.Status.PENCIL:
            cancel_booking(booking, actor=actor)
    return _done(memo, before, actor, "Withdrawn")
