"""Availability: which resources are free over a span, the earliest spans when named
resources (and any one more of a kind) are free together, what stands in the way of a
booking before it is saved, and how much of their working time resources are booked.

Each function issues a fixed number of queries whatever the number of resources.
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Lower

from postdesk.core.errors import InvalidInput
from postdesk.core.roles import scope_to_client
from postdesk.core.timeutil import hours, zone_or_facility
from postdesk.scheduling import slots, spans
from postdesk.scheduling.board import _resource_dicts, check_window, resources_queryset
from postdesk.scheduling.db import UtcInstant
from postdesk.scheduling.models import Allocation, Booking, Resource, Skill
from postdesk.scheduling.overlap import max_span, overlapping
from postdesk.scheduling.visibility import BOOKING

Status = Booking.Status


# A free resource's pencils, as the availability answer lists them.
PENCIL_KEYS = (
    "booking",
    "start",
    "end",
    "hold_rank",
    "job_number",
    "client_name",
    "challenge_deadline",
)
PENCIL_COLUMNS = (
    "booking_id",
    UtcInstant("start"),
    UtcInstant("end"),
    "hold_rank",
    "booking__job__number",
    "booking__job__client__name",
    UtcInstant("booking__challenge_deadline"),
)


def _pencils_by_resource(window, ids, user) -> dict[int, list[dict]]:
    """{resource id: its pencils in `window` (a queryset of pencil allocations), earliest
    first}; for a client user only their company's."""
    listed = window if user is None else scope_to_client(user, window, "booking__job__client")
    pencils = defaultdict(list)
    rows = (
        listed.filter(resource_id__in=ids)
        .order_by("start", "id")
        .values_list("resource_id", *PENCIL_COLUMNS)
    )
    for resource_id, *values in rows:
        pencils[resource_id].append(dict(zip(PENCIL_KEYS, values, strict=True)))
    return pencils


def free_resources(
    *, start, end, kind=None, skills=(), site=None, pencils_block=False, user=None
) -> dict:
    """(a) Bookable resources (kind, all skills, site) free for the whole of [start, end).

    Pencils do not make a resource busy unless pencils_block; the pencils touching each
    free resource are listed with it (for a client user, only their company's).
    """
    check_window(start, end)
    resource_qs = resources_queryset(site=site, kind=kind, skills=skills).filter(bookable=True)
    # Blocking allocations of a resource never overlap, so the one that starts last before
    # `end` also ends last: the resource is free iff that one ends by `start`. One short
    # backward index probe per resource instead of reading every allocation in the span.
    last_blocking_end = Subquery(
        Allocation.objects.filter(resource_id=OuterRef("pk"), blocking=True, start__lt=end)
        .order_by("-start")
        .values("end")[:1]
    )
    free_qs = resource_qs.annotate(last_end=last_blocking_end).filter(
        Q(last_end__isnull=True) | Q(last_end__lte=start)
    )
    window = overlapping(Allocation.objects.filter(status=Status.PENCIL), start, end)
    if pencils_block:
        free_qs = free_qs.exclude(
            pk__in=window.filter(resource_id__in=Subquery(resource_qs.values("pk"))).values(
                "resource_id"
            )
        )
    out = _resource_dicts(free_qs, user)
    ids = [item["id"] for item in out]
    pencils = _pencils_by_resource(window, ids, user) if ids and not pencils_block else {}
    for item in out:
        item["pencils"] = pencils.get(item["id"], [])
    return {"start": start, "end": end, "pencils_block": pencils_block, "resources": out}


def zone_of_resources(ids: Iterable[int]) -> zoneinfo.ZoneInfo:
    """The time zone of the first resource's site (the facility's when unknown)."""
    ids = list(ids)
    name = (
        Resource.objects.filter(pk=ids[0]).values_list("site__time_zone", flat=True).first()
        if ids
        else None
    )
    return zone_or_facility(name)


def _bookable_rows(resource_ids) -> dict[int, tuple]:
    rows = Resource.objects.filter(pk__in=resource_ids).values_list(
        "id", "name", "working_hours", "site__time_zone", "archived_at"
    )
    found = {row[0]: row for row in rows}
    for pk in resource_ids:
        if pk not in found:
            raise InvalidInput.field("resources", f"No resource with id {pk}")
    return found


# "Any one of": at most this many candidates are weighed (a kind and skill that fits more
# is too wide a question to answer span by span).
MAX_CANDIDATES = 200


def _check_skills_exist(skills) -> None:
    """422 for a skill (id or name, any case) that does not exist, rather than an answer
    that no one is free; one query."""
    wanted = [str(s).strip() for s in skills if str(s).strip()]
    ids = {int(s) for s in wanted if s.isdigit()}
    names = {s.lower() for s in wanted if not s.isdigit()}
    known = set(
        Skill.objects.annotate(lname=Lower("name"))
        .filter(Q(pk__in=ids) | Q(lname__in=names))
        .values_list("pk", "lname")
    )
    known_ids, known_names = {k[0] for k in known}, {k[1] for k in known}
    for skill in wanted:
        if (int(skill) not in known_ids) if skill.isdigit() else (skill.lower() not in known_names):
            raise InvalidInput.field("any_skill", f"No skill {skill!r}")


def _candidate_rows(need: dict, exclude) -> list[tuple]:
    """Bookable, unarchived resources of the requirement's kind with all its skills, by
    name: (id, name, working_hours, time zone, archived_at), as _bookable_rows."""
    kind, skills = need.get("kind"), list(need.get("skills") or ())
    if kind and kind not in Resource.Kind.values:
        raise InvalidInput.field(
            "any_kind", f"any_kind must be one of {', '.join(Resource.Kind.values)}"
        )
    if not kind and not skills:
        raise InvalidInput.field("any_kind", "Say what any one resource must be: a kind or skills")
    _check_skills_exist(skills)
    rows = list(
        resources_queryset(kind=kind, skills=skills)
        .filter(bookable=True)
        .exclude(pk__in=list(exclude))
        .order_by("name", "pk")
        .values_list("id", "name", "working_hours", "site__time_zone", "archived_at")
        .distinct()[: MAX_CANDIDATES + 1]
    )
    if len(rows) > MAX_CANDIDATES:
        raise InvalidInput.field(
            "any_kind", f"More than {MAX_CANDIDATES} resources fit; name a skill to narrow it"
        )
    return rows


def _check_slot_question(resource_ids, duration, start, end, need) -> None:
    check_window(start, end)
    if not resource_ids and need is None:
        raise InvalidInput.field("resources", "Name at least one resource")
    if duration <= datetime.timedelta(0):
        raise InvalidInput.field("duration", "duration must be positive")
    if duration > max_span():
        raise InvalidInput.field("duration", "duration is longer than the longest booking")


def _busy_and_held(ids, start, end, pencils_block) -> tuple[dict, dict]:
    """({resource id: spans no booking may take}, {resource id: spans pencils hold}) over
    [start, end); with `pencils_block` pencils make a resource busy too. One query."""
    busy, held = defaultdict(list), defaultdict(list)
    if ids:
        for resource_id, lo, hi, status in overlapping(
            Allocation.objects.filter(resource_id__in=ids, status__in=Booking.ACTIVE_STATUSES),
            start,
            end,
        ).values_list("resource_id", "start", "end", "status"):
            pencil = status == Status.PENCIL
            (held if pencil and not pencils_block else busy)[resource_id].append((lo, hi))
    return busy, held


def _free_spans(row, busy, start, end, working_hours) -> list[spans.Span]:
    """When the resource of `row` (as _bookable_rows) is free in [start, end), within
    its working hours when asked; never, once archived."""
    pk, _, hours_json, zone_name, archived = row
    if archived is not None:
        return []
    free = spans.subtract([(start, end)], busy[pk])
    if working_hours:
        free = spans.intersect(
            free,
            spans.merge(
                spans.working_spans(hours_json or {}, start, end, zone_or_facility(zone_name))
            ),
        )
    return free


def _slot_dicts(chosen, duration, names: dict | None) -> list[dict]:
    """The spans slots.choose picked, as the API answers them; with `names` ({candidate
    id: name}, when any one more resource was asked for) the candidates free for each."""
    out = []
    for lo, fits in chosen:
        slot = {
            "start": lo,
            "end": lo + duration,
            "free_until": fits[0].free_until,
            "holds": fits[0].holds,
        }
        if names is not None:
            slot["candidates"] = [
                {"id": f.key, "name": names[f.key], "holds": f.holds, "free_until": f.free_until}
                for f in fits
            ]
        out.append(slot)
    return out


def earliest_slots(
    *,
    resource_ids,
    duration: datetime.timedelta,
    start,
    end,
    working_hours=False,
    pencils_block=False,
    limit=10,
    need: dict | None = None,
) -> dict:
    """(b) The earliest spans in [start, end) where all the resources are free for
    `duration` (within each resource's working hours when asked): the first possible
    start in each common free interval, with how long the interval lasts, and later
    starts in it where fewer pencils hold the time (slots.choose).

    Each span says how many pencils hold it (`holds`: the most on any one resource; a
    new pencil there ranks after them). `pencils_block` offers only time no pencil holds.
    `need` ({"kind", "skills"}) asks for any one more resource of that kind with those
    skills besides the named ones: each span lists the `candidates` free for all of it,
    least held first. Three queries whatever the number of resources and candidates.
    """
    _check_slot_question(resource_ids, duration, start, end, need)
    found = _bookable_rows(resource_ids) if resource_ids else {}
    candidates = _candidate_rows(need, resource_ids) if need is not None else []
    ids = [*resource_ids, *(row[0] for row in candidates)]
    busy, held = _busy_and_held(ids, start, end, pencils_block)

    def free_of(row) -> list[spans.Span]:
        return _free_spans(row, busy, start, end, working_hours)

    common = [(start, end)]
    for pk in resource_ids:
        common = spans.intersect(common, free_of(found[pk]))
    named_holds = [sorted(held[pk]) for pk in resource_ids]
    if need is None:
        options = [slots.Option(None, common, named_holds)]
    else:
        options = [
            slots.Option(
                row[0], spans.intersect(common, free_of(row)), [*named_holds, sorted(held[row[0]])]
            )
            for row in candidates
        ]
    names = {row[0]: row[1] for row in candidates} if need is not None else None
    out = _slot_dicts(slots.choose(options, duration, limit), duration, names)
    return {
        "resources": list(resource_ids),
        "duration_hours": duration.total_seconds() / 3600,
        "working_hours": working_hours,
        "pencils_block": pencils_block,
        "any": None
        if need is None
        else {
            "kind": need.get("kind") or None,
            "skills": list(need.get("skills") or ()),
            "candidates": len(candidates),
        },
        "slots": out,
    }


# How each kind of blocking booking is named in a warning.
_BLOCKING_WHAT = {
    "job": "a confirmed booking",
    "maintenance": "maintenance",
    "leave": "leave",
    "internal": "internal use",
}


def _span_text(start: datetime.datetime, end: datetime.datetime, zone) -> str:
    """ "Mon 2 Mar 09:00–19:00", or "Mon 2 Mar 09:00 – Tue 3 Mar 19:00", local."""
    lo, hi = start.astimezone(zone), end.astimezone(zone)

    def day(d):
        return f"{d:%a} {d.day} {d:%b}"

    last = (end - datetime.timedelta(microseconds=1)).astimezone(zone)
    if lo.date() == last.date():
        return f"{day(lo)} {lo:%H:%M}–{hi:%H:%M}"
    return f"{day(lo)} {lo:%H:%M} – {day(hi)} {hi:%H:%M}"


def _outlook_warnings(blocking: list[dict], holds: list[dict], found: dict, status) -> list[str]:
    """The booking outlook in words: each blocking booking in the way (named in its
    resource's local time), then, for a pencil, how many pencils it would rank after."""
    warnings = []
    lead = (
        "This pencil would rank behind"
        if status == Status.PENCIL
        else "This booking would clash with"
    )
    for item in blocking:
        zone = zone_or_facility(found[item["resource"]][3])
        label = item.get("job_number") or (item["kind"] != "job" and item.get("title")) or ""
        parts = [item["resource_name"], label, _span_text(item["start"], item["end"], zone)]
        what = _BLOCKING_WHAT.get(item["kind"], "a confirmed booking")
        warnings.append(f"{lead} {what}: {', '.join(p for p in parts if p)}")
    if status == Status.PENCIL:
        for hold in holds:
            n = hold["pencils"]
            if n:
                warnings.append(
                    f"{n} pencil{'s' if n > 1 else ''} already hold{'' if n > 1 else 's'} "
                    f"{hold['resource_name']} then: this one would rank after "
                    f"{'them' if n > 1 else 'it'}."
                )
    return warnings


# The allocations in the way of a booking, as booking_outlook reads them.
OUTLOOK_COLUMNS = (
    "resource_id",
    "booking_id",
    "start",
    "end",
    "status",
    "blocking",
    "booking__kind",
    "booking__title",
    "booking__job__number",
    "booking__job__client_id",
    "booking__job__client__name",
)


def booking_outlook(*, resource_ids, start, end, status=Status.PENCIL, user=None) -> dict:
    """What stands in the way of booking these resources over [start, end), before it is
    saved: the blocking bookings overlapping it (a pencil would rank behind them; a
    confirmed booking would be refused) and how many pencils already hold each resource
    then. `warnings` says it in words for the booking form; nothing is refused here.

    A client user reads another company's booking as when and where only (BOOKING).
    Two queries whatever the number of resources.
    """
    check_window(start, end, max_days=max_span().days)
    if not resource_ids:
        raise InvalidInput.field("resources", "Name at least one resource")
    found = _bookable_rows(resource_ids)
    rows = (
        overlapping(
            Allocation.objects.filter(
                resource_id__in=resource_ids, status__in=Booking.ACTIVE_STATUSES
            ),
            start,
            end,
        )
        .order_by("start", "resource_id", "id")
        .values_list(*OUTLOOK_COLUMNS)
    )
    blocking, pencils = [], defaultdict(int)
    for resource_id, booking, lo, hi, state, blocks, kind, title, number, client, name in rows:
        if not blocks:
            pencils[resource_id] += 1
            continue
        item = {
            "booking": booking,
            "resource": resource_id,
            "resource_name": found[resource_id][1],
            "start": lo,
            "end": hi,
            "status": state,
            "kind": kind,
            "title": title,
            "job_number": number,
            "client_name": name,
        }
        blocking.append(BOOKING.strip(user, item, client_id=client, row=True) if user else item)
    holds = [
        {"resource": pk, "resource_name": found[pk][1], "pencils": pencils[pk]}
        for pk in resource_ids
    ]
    warnings = _outlook_warnings(blocking, holds, found, status)
    return {
        "start": start,
        "end": end,
        "status": status,
        "blocking": blocking,
        "holds": holds,
        "warnings": warnings,
    }


def utilisation(*, resource_ids, start, end) -> list[dict]:
    """(c) Per resource over [start, end): booked (confirmed or completed) hours, pencilled
    hours, working hours and booked / working."""
    check_window(start, end)
    found = _bookable_rows(resource_ids)
    booked = defaultdict(list)
    pencilled = defaultdict(list)
    for resource_id, lo, hi, status in overlapping(
        Allocation.objects.filter(resource_id__in=resource_ids, status__in=Booking.ACTIVE_STATUSES),
        start,
        end,
    ).values_list("resource_id", "start", "end", "status"):
        target = pencilled if status == Status.PENCIL else booked
        target[resource_id].append((max(lo, start), min(hi, end)))
    out = []
    for pk in resource_ids:
        _, name, hours_json, zone_name, _ = found[pk]
        working = sum(
            (
                hi - lo
                for lo, hi in spans.working_spans(
                    hours_json or {}, start, end, zone_or_facility(zone_name)
                )
            ),
            datetime.timedelta(0),
        )
        booked_time = sum((hi - lo for lo, hi in spans.merge(booked[pk])), datetime.timedelta(0))
        pencil_time = sum((hi - lo for lo, hi in spans.merge(pencilled[pk])), datetime.timedelta(0))
        out.append(
            {
                "resource": pk,
                "name": name,
                "start": start,
                "end": end,
                "booked_hours": float(hours(booked_time)),
                "pencilled_hours": float(hours(pencil_time)),
                "working_hours": float(hours(working)),
                "utilisation": round(booked_time / working, 4) if working else None,
            }
        )
    return out
