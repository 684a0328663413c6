"""API of scheduling: resources, skills, bookings, board, availability."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router
from pydantic import AfterValidator

from postdesk.core.apiutil import (
    Day,
    Id,
    InputSchema,
    Instant,
    Page,
    QueryInstant,
    QuerySchema,
    changed_fields,
    get_scoped,
    json_response,
    paged,
    require,
    shown,
)
from postdesk.core.errors import InvalidInput
from postdesk.core.ids import MAX_ID, MAX_IDS, id_list, is_id
from postdesk.core.models import Site
from postdesk.core.roles import CHANGE_BOOKINGS, MANAGE_RESOURCES, VIEW_BOARD
from postdesk.productions.queries import job_with_names
from postdesk.scheduling import lists, queries, services
from postdesk.scheduling.models import Resource, Skill
from postdesk.scheduling.responses_api import (
    BookingOut,
    ChallengeOut,
    OutlookOut,
    RepeatOut,
    ResourceOut,
    ResourceRemovedOut,
    SkillOut,
    SlotsOut,
    SplitOut,
    UtilisationOut,
)
from postdesk.scheduling.spans import MAX_REPEAT_DAYS, parse_clock, weekday_spans
from postdesk.scheduling.visibility import BOOKING, RESOURCE

router = Router(tags=["scheduling"])

BookingKind = Literal["job", "maintenance", "leave", "internal"]
NewStatus = Literal["pencil", "confirmed"]
ResourceIds = Field(..., min_length=1, max_length=MAX_IDS)
# Query-string text: an instant, a comma-separated list, a search, an ordering.
ListText = Field(None, max_length=1000)
Weekday = Annotated[int, Field(ge=0, le=6)]


def _skill_ref(value: int | str) -> int | str:
    if isinstance(value, int) and not is_id(value):
        raise ValueError(f"a skill id is between 1 and {MAX_ID}")
    if isinstance(value, str) and not 1 <= len(value) <= 100:
        raise ValueError("a skill name has 1 to 100 characters")
    return value


# A skill by id or by name.
SkillRef = Annotated[int | str, AfterValidator(_skill_ref)]
# {"mon": [["09:00", "19:00"]], ...}; spans.validate_working_hours checks the meaning.
ClockText = Annotated[str, Field(max_length=8)]
WorkingHours = Annotated[
    dict[
        Annotated[str, Field(max_length=20)],
        Annotated[list[Annotated[list[ClockText], Field(max_length=4)]], Field(max_length=48)],
    ],
    Field(max_length=7),
]


def window(
    start: datetime.datetime | None, end: datetime.datetime | None
) -> tuple[datetime.datetime, datetime.datetime]:
    if start is None or end is None:
        raise InvalidInput.field("start" if start is None else "end", "start and end are required")
    return start, end


def _words(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


# --- bookings ---------------------------------------------------------------------------


class BookingIn(InputSchema):
    job: Id | None = None
    resources: list[Id] = ResourceIds
    start: Instant
    end: Instant
    status: NewStatus | None = Field(
        None, description="Default: pencil; maintenance and leave are confirmed"
    )
    kind: BookingKind = "job"
    title: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)


class RepeatIn(InputSchema):
    job: Id | None = None
    resources: list[Id] = ResourceIds
    status: NewStatus | None = None
    kind: BookingKind = "job"
    title: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)
    first_day: Day
    last_day: Day = Field(
        ..., description=f"At most {MAX_REPEAT_DAYS} days from first_day, both included"
    )
    start_time: str = Field(
        "09:00", max_length=5, description="Local wall-clock time at the resources' site"
    )
    end_time: str = Field("19:00", max_length=5, description="'24:00' for midnight")
    weekdays: list[Weekday] = Field(
        [0, 1, 2, 3, 4], description="Mon=0 ... Sun=6", min_length=1, max_length=7
    )
    skip_conflicts: bool = False


class BookingPatch(InputSchema):
    start: Instant | None = None
    end: Instant | None = None
    resources: list[Id] | None = Field(None, min_length=1, max_length=MAX_IDS)
    title: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=5000)


class ResourcesChange(InputSchema):
    add: list[Id] = Field([], max_length=MAX_IDS)
    remove: list[Id] = Field([], max_length=MAX_IDS)


class SplitIn(InputSchema):
    day_start: str | None = Field(
        None, max_length=5, description="Local time each day starts, e.g. 09:00"
    )
    day_end: str | None = Field(
        None, max_length=5, description="Local time each day ends, e.g. 19:00"
    )
    weekdays: list[Weekday] | None = Field(None, max_length=7)


class BookingQuery(QuerySchema):
    job: Id | None = None
    resource: Id | None = None
    client: Id | None = None
    production: Id | None = None
    status: str | None = Field(None, max_length=200, description="Comma-separated statuses")
    kind: BookingKind | None = None
    start: QueryInstant = Field(None, description="Bookings ending after this instant")
    end: QueryInstant = Field(None, description="Bookings starting before this instant")
    ordering: str | None = Field(None, max_length=200)
    page: int = 1
    page_size: int | None = None


def _job_for_input(job_id: int | None):
    if job_id is None:
        return None
    job = job_with_names(job_id)
    if job is None:
        raise InvalidInput.field("job", f"No job with id {job_id}")
    return job


def _booking(request, booking_id: int):
    return get_scoped(request, queries.bookings_for(request.user), booking_id, None, "booking")


def _out(request, booking) -> dict:
    """The booking as this reader may see it (BOOKING: internal notes are staff's)."""
    data = queries.booking_dict(booking)
    return BOOKING.strip(request.user, data, client_id=data["client"], row=True)


def _reply(request, booking, status=200):
    return shown(BookingOut, _out(request, booking), status)


def _fresh(booking_id: int):
    return queries.bookings_for(None).get(pk=booking_id)


@router.post("/bookings", response={201: BookingOut})
def create_booking(request: HttpRequest, payload: BookingIn):
    require(request, CHANGE_BOOKINGS)
    booking = services.create_booking(
        job=_job_for_input(payload.job),
        resources=payload.resources,
        start=payload.start,
        end=payload.end,
        status=payload.status,
        kind=payload.kind,
        title=payload.title,
        notes=payload.notes,
        actor=request.user,
    )
    return _reply(request, booking, 201)


def _start_clock(value: str) -> datetime.time:
    parsed = parse_clock(value, "start_time")
    if parsed is None:
        raise InvalidInput.field("start_time", "start_time must be before 24:00")
    return parsed


@router.post("/bookings/repeat", response={201: RepeatOut})
def create_repeating(request: HttpRequest, payload: RepeatIn):
    """Every chosen weekday between two dates, local hours; all-or-nothing unless
    skip_conflicts, which books the free days and lists the skipped ones."""
    require(request, CHANGE_BOOKINGS)
    occurrences = weekday_spans(
        payload.first_day,
        payload.last_day,
        start_time=_start_clock(payload.start_time),
        end_time=parse_clock(payload.end_time, "end_time"),
        zone=queries.zone_of_resources(payload.resources),
        weekdays=payload.weekdays,
    )
    made, skipped = services.create_repeating(
        job=_job_for_input(payload.job),
        resources=payload.resources,
        occurrences=occurrences,
        status=payload.status,
        kind=payload.kind,
        title=payload.title,
        notes=payload.notes,
        skip_conflicts=payload.skip_conflicts,
        actor=request.user,
    )
    return shown(RepeatOut, {"bookings": [_out(request, b) for b in made], "skipped": skipped}, 201)


@router.get("/bookings", response=Page[BookingOut])
def list_bookings(request: HttpRequest, query: Query[BookingQuery]):
    require(request, VIEW_BOARD)
    # filter_bookings with no filter adds what a booking's dict reads (its allocations).
    qs = queries.filter_bookings(queries.bookings_for(request.user))
    return shown(
        Page[BookingOut], paged(lists.BOOKINGS, qs, query, serialise=lambda b: _out(request, b))
    )


@router.get("/bookings/{booking_id}", response=BookingOut)
def get_booking(request: HttpRequest, booking_id: Id):
    require(request, VIEW_BOARD)
    return _reply(request, _booking(request, booking_id))


@router.patch("/bookings/{booking_id}", response=BookingOut)
def update_booking(request: HttpRequest, booking_id: Id, payload: BookingPatch):
    require(request, CHANGE_BOOKINGS)
    booking = _booking(request, booking_id)
    changes = changed_fields(payload)
    for field in ("start", "end", "resources", "title", "notes"):
        if field in changes and changes[field] is None:
            raise InvalidInput.field(field, f"{field} cannot be null")
    services.update_booking(
        booking,
        actor=request.user,
        start=changes.get("start", services.UNSET),
        end=changes.get("end", services.UNSET),
        resources=changes.get("resources"),
        title=changes.get("title"),
        notes=changes.get("notes"),
    )
    return _reply(request, _fresh(booking.pk))


@router.delete("/bookings/{booking_id}", response=BookingOut)
def delete_booking(request: HttpRequest, booking_id: Id):
    """Cancels the booking (kept for the record; bookings are never deleted)."""
    require(request, CHANGE_BOOKINGS)
    services.cancel_booking(_booking(request, booking_id), actor=request.user)
    return _reply(request, _fresh(booking_id))


def _transition(request, booking_id: int, service):
    require(request, CHANGE_BOOKINGS)
    service(_booking(request, booking_id), actor=request.user)
    return _reply(request, _fresh(booking_id))


@router.post("/bookings/{booking_id}/confirm", response=BookingOut)
def confirm_booking(request: HttpRequest, booking_id: Id):
    return _transition(request, booking_id, services.confirm_booking)


@router.post("/bookings/{booking_id}/release", response=BookingOut)
def release_booking(request: HttpRequest, booking_id: Id):
    return _transition(request, booking_id, services.release_booking)


@router.post("/bookings/{booking_id}/cancel", response=BookingOut)
def cancel_booking(request: HttpRequest, booking_id: Id):
    return _transition(request, booking_id, services.cancel_booking)


@router.post("/bookings/{booking_id}/complete", response=BookingOut)
def complete_booking(request: HttpRequest, booking_id: Id):
    return _transition(request, booking_id, services.complete_booking)


@router.post("/bookings/{booking_id}/challenge", response=ChallengeOut)
def challenge_booking(request: HttpRequest, booking_id: Id):
    """This pencil challenges every higher pencil it overlaps: each holder must confirm
    or release by the deadline."""
    require(request, CHANGE_BOOKINGS)
    challenged = services.challenge_booking(_booking(request, booking_id), actor=request.user)
    return shown(
        ChallengeOut,
        {
            "booking": _out(request, _fresh(booking_id)),
            "challenged": [_out(request, _fresh(b.pk)) for b in challenged],
        },
    )


@router.post("/bookings/{booking_id}/resources", response=BookingOut)
def change_resources(request: HttpRequest, booking_id: Id, payload: ResourcesChange):
    require(request, CHANGE_BOOKINGS)
    if not payload.add and not payload.remove:
        raise InvalidInput.field("add", "Name resources to add or remove")
    services.update_booking(
        _booking(request, booking_id),
        add=payload.add,
        remove=payload.remove,
        actor=request.user,
    )
    return _reply(request, _fresh(booking_id))


@router.post("/bookings/{booking_id}/split", response=SplitOut)
def split_booking(request: HttpRequest, booking_id: Id, payload: SplitIn):
    require(request, CHANGE_BOOKINGS)
    made = services.split_into_days(
        _booking(request, booking_id),
        actor=request.user,
        day_start=parse_clock(payload.day_start, "day_start") if payload.day_start else None,
        day_end=parse_clock(payload.day_end, "day_end") if payload.day_end else None,
        weekdays=payload.weekdays,
    )
    return shown(SplitOut, {"bookings": [_out(request, _fresh(b.pk)) for b in made]})


# --- board and availability -------------------------------------------------------------


class BoardQuery(QuerySchema):
    start: QueryInstant = None
    end: QueryInstant = None
    site: str | None = Field(None, max_length=100, description="Site id or code")
    kind: str | None = Field(None, max_length=20)
    skill: str | None = Field(
        None, max_length=1000, description="Comma-separated skill ids or names (all)"
    )
    client: Id | None = None
    production: Id | None = None
    status: str | None = Field(
        None, max_length=200, description="Comma-separated; default all active"
    )
    q: str | None = Field(None, max_length=100)


@router.get("/board")
def board(request: HttpRequest, query: Query[BoardQuery]):
    """Resources and allocations for a window. Poll with If-None-Match: 304 if unchanged."""
    require(request, VIEW_BOARD)
    start, end = window(query.start, query.end)
    queries.check_window(start, end)
    args = {
        "start": start,
        "end": end,
        "site": query.site,
        "kind": query.kind,
        "skills": _words(query.skill),
        "client": query.client,
        "production": query.production,
        "status": query.status,
        "q": query.q,
    }
    # A poll (If-None-Match) is answered from two aggregates, 304 when nothing changed; a
    # full read takes its ETag from the rows it fetches, so it reads the window once.
    known = request.headers.get("If-None-Match", "")
    etag = queries.board_etag(request.user, **args) if known else None
    if etag is not None and etag in known:
        response = HttpResponse(status=304)
    else:
        payload, etag = queries.board(request.user, **args)
        response = json_response(payload)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


class AvailabilityQuery(QuerySchema):
    start: QueryInstant = None
    end: QueryInstant = None
    kind: str | None = Field(None, max_length=20)
    skill: str | None = ListText
    site: str | None = Field(None, max_length=100)
    pencils_block: bool = False


@router.get("/availability")
def availability(request: HttpRequest, query: Query[AvailabilityQuery]):
    require(request, VIEW_BOARD)
    start, end = window(query.start, query.end)
    return json_response(
        queries.free_resources(
            start=start,
            end=end,
            kind=query.kind,
            skills=_words(query.skill),
            site=query.site,
            pencils_block=query.pencils_block,
            user=request.user,
        )
    )


class SlotsQuery(QuerySchema):
    resources: str | None = Field(
        None, max_length=1000, description="Comma-separated ids, all needed together"
    )
    duration: datetime.timedelta = Field(..., description="ISO 8601 duration, e.g. PT10H")
    from_: QueryInstant = Field(None, alias="from")
    to: QueryInstant = None
    working_hours: bool = False
    pencils_block: bool = Field(
        False,
        description="Only time no pencil holds (by default held time is offered, "
        "each span saying how many pencils hold it)",
    )
    any_kind: str | None = Field(
        None, max_length=40, description="Also any one resource of this kind…"
    )
    any_skill: str | None = Field(
        None, max_length=1000, description="…with all these skills (comma-separated ids or names)"
    )
    limit: int = Field(10, ge=1, le=100)


@router.get("/availability/slots", response=SlotsOut)
def availability_slots(request: HttpRequest, query: Query[SlotsQuery]):
    """The earliest spans where the resources are free together, each with how many
    pencils hold it; with any_kind/any_skill, also any one resource of that kind and
    skills, each span listing the candidates free for all of it."""
    require(request, VIEW_BOARD)
    start = query.from_ or datetime.datetime.now(datetime.UTC)
    end = query.to or start + datetime.timedelta(days=28)
    queries.check_window(start, end, fields=("from", "to"))
    ids = id_list(query.resources, "resources")
    if len(set(ids)) != len(ids):
        raise InvalidInput.field("resources", "A resource is listed more than once")
    if len(ids) > 100:
        raise InvalidInput.field("resources", "At most 100 resources")
    need = None
    if query.any_kind or query.any_skill:
        need = {"kind": query.any_kind or None, "skills": _words(query.any_skill)}
    return shown(
        SlotsOut,
        queries.earliest_slots(
            resource_ids=ids,
            duration=query.duration,
            start=start,
            end=end,
            working_hours=query.working_hours,
            pencils_block=query.pencils_block,
            limit=query.limit,
            need=need,
        ),
    )


class CheckQuery(QuerySchema):
    resources: str = Field(..., max_length=1000, description="Comma-separated resource ids")
    start: QueryInstant = None
    end: QueryInstant = None
    status: NewStatus = "pencil"


@router.get("/availability/check", response=OutlookOut)
def availability_check(request: HttpRequest, query: Query[CheckQuery]):
    """Before saving a booking: the blocking bookings it would overlap (a pencil would
    rank behind them; a confirmed booking would be refused) and the pencils already
    holding each resource, with warnings in words. Changes nothing."""
    require(request, CHANGE_BOOKINGS)
    start, end = window(query.start, query.end)
    ids = id_list(query.resources, "resources")
    if len(set(ids)) != len(ids):
        raise InvalidInput.field("resources", "A resource is listed more than once")
    if len(ids) > 100:
        raise InvalidInput.field("resources", "At most 100 resources")
    return shown(
        OutlookOut,
        queries.booking_outlook(
            resource_ids=ids, start=start, end=end, status=query.status, user=request.user
        ),
    )


# --- resources --------------------------------------------------------------------------

Colour = Field("#64748b", pattern=r"^#[0-9a-fA-F]{6}$")


class ResourceIn(InputSchema):
    kind: Resource.Kind
    name: str = Field(..., min_length=1, max_length=120)
    site: Id
    skills: list[SkillRef] = Field([], max_length=50)
    capacity: int | None = Field(None, ge=0, le=10000)
    bookable: bool = True
    colour: str = Colour
    working_hours: WorkingHours | None = None
    notes: str = Field("", max_length=5000)
    employment: Literal["", "staff", "freelance"] = ""
    day_rate: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    currency: Literal["GBP", "EUR", "USD", "CAD", "AUD", "CHF", "JPY"] = "GBP"
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    location: Id | None = None
    sort_order: int = Field(0, ge=-1_000_000, le=1_000_000)


class ResourcePatch(InputSchema):
    kind: Resource.Kind | None = None
    name: str | None = Field(None, min_length=1, max_length=120)
    site: Id | None = None
    skills: list[SkillRef] | None = Field(None, max_length=50)
    capacity: int | None = Field(None, ge=0, le=10000)
    bookable: bool | None = None
    colour: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    working_hours: WorkingHours | None = None
    notes: str | None = Field(None, max_length=5000)
    employment: Literal["", "staff", "freelance"] | None = None
    day_rate: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    currency: Literal["GBP", "EUR", "USD", "CAD", "AUD", "CHF", "JPY"] | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    location: Id | None = None
    sort_order: int | None = Field(None, ge=-1_000_000, le=1_000_000)


class ResourceQuery(QuerySchema):
    kind: str | None = Field(None, max_length=20)
    site: str | None = Field(None, max_length=100)
    skill: str | None = ListText
    archived: bool = False
    bookable: bool | None = None
    q: str | None = Field(None, max_length=200)
    ordering: str | None = Field(None, max_length=200)
    page: int = 1
    page_size: int | None = None


def resource_dict(resource: Resource) -> dict:
    """Every field of a resource; `RESOURCE` strips what the reader may not see."""
    return {
        "id": resource.pk,
        "kind": resource.kind,
        "name": resource.name,
        "site": resource.site_id,
        "site_name": resource.site.name,
        "skills": sorted(s.name for s in resource.skills.all()),
        "capacity": resource.capacity,
        "bookable": resource.bookable,
        "colour": resource.colour,
        "working_hours": resource.working_hours,
        "notes": resource.notes,
        "employment": resource.employment,
        "email": resource.email,
        "phone": resource.phone,
        "location": resource.location_id,
        "sort_order": resource.sort_order,
        "archived_at": resource.archived_at,
        "day_rate": resource.day_rate,
        "currency": resource.currency,
    }


def _resources():
    return Resource.objects.select_related("site").prefetch_related("skills")


def _resource(request, resource_id: int) -> Resource:
    return get_scoped(request, _resources(), resource_id, None, "resource")


def _resource_fields(data: dict) -> dict:
    """Turn ids in a resource body into objects; unknown ones are 422."""
    if "site" in data:
        site = Site.objects.filter(pk=data.pop("site")).first()
        if site is None:
            raise InvalidInput.field("site", "No such site")
        data["site"] = site
    if "location" in data:
        # Whether the location exists and is a room is the resource services' rule.
        data["location_id"] = data.pop("location")
    if data.get("working_hours", "") is None:
        data.pop("working_hours")
    for field in (
        "kind",
        "name",
        "bookable",
        "colour",
        "notes",
        "employment",
        "currency",
        "email",
        "phone",
        "sort_order",
    ):
        if field in data and data[field] is None:
            raise InvalidInput.field(field, f"{field} cannot be null")
    return data


def _show(request, resource: Resource, status=200):
    data = resource_dict(_resources().get(pk=resource.pk))
    return shown(ResourceOut, RESOURCE.strip(request.user, data), status)


@router.get("/resources", response=Page[ResourceOut])
def list_resources(request: HttpRequest, query: Query[ResourceQuery]):
    require(request, VIEW_BOARD)
    qs = Resource.objects.select_related("site").prefetch_related("skills")
    strip = RESOURCE.stripper(request.user)
    return shown(
        Page[ResourceOut],
        paged(lists.RESOURCES, qs, query, serialise=lambda r: strip(resource_dict(r))),
    )


@router.post("/resources", response={201: ResourceOut})
def create_resource(request: HttpRequest, payload: ResourceIn):
    require(request, MANAGE_RESOURCES)
    data = _resource_fields(payload.model_dump())
    resource = services.create_resource(actor=request.user, **data)
    return _show(request, resource, 201)


@router.get("/resources/{resource_id}", response=ResourceOut)
def get_resource(request: HttpRequest, resource_id: Id):
    require(request, VIEW_BOARD)
    return _show(request, _resource(request, resource_id))


@router.patch("/resources/{resource_id}", response=ResourceOut)
def update_resource(request: HttpRequest, resource_id: Id, payload: ResourcePatch):
    require(request, MANAGE_RESOURCES)
    resource = _resource(request, resource_id)
    data = _resource_fields(changed_fields(payload))
    services.update_resource(resource, actor=request.user, **data)
    return _show(request, resource)


@router.delete("/resources/{resource_id}", response=ResourceRemovedOut)
def delete_resource(request: HttpRequest, resource_id: Id):
    """Deletes a resource never booked; one with bookings is archived instead."""
    require(request, MANAGE_RESOURCES)
    outcome = services.delete_resource(_resource(request, resource_id), actor=request.user)
    return shown(ResourceRemovedOut, {"id": resource_id, "outcome": outcome})


@router.post("/resources/{resource_id}/archive", response=ResourceOut)
def archive_resource(request: HttpRequest, resource_id: Id):
    require(request, MANAGE_RESOURCES)
    resource = services.archive_resource(_resource(request, resource_id), actor=request.user)
    return _show(request, resource)


@router.post("/resources/{resource_id}/restore", response=ResourceOut)
def restore_resource(request: HttpRequest, resource_id: Id):
    require(request, MANAGE_RESOURCES)
    resource = services.restore_resource(_resource(request, resource_id), actor=request.user)
    return _show(request, resource)


class UtilisationQuery(QuerySchema):
    start: QueryInstant = None
    end: QueryInstant = None


@router.get("/resources/{resource_id}/utilisation", response=UtilisationOut)
def resource_utilisation(request: HttpRequest, resource_id: Id, query: Query[UtilisationQuery]):
    require(request, VIEW_BOARD)
    resource = _resource(request, resource_id)
    start, end = window(query.start, query.end)
    return shown(
        UtilisationOut, queries.utilisation(resource_ids=[resource.pk], start=start, end=end)[0]
    )


# --- skills -----------------------------------------------------------------------------


class SkillIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)


class SkillQuery(QuerySchema):
    q: str | None = Field(None, max_length=100)
    page: int = 1
    page_size: int | None = None


def _skill_dict(skill: Skill) -> dict:
    return {
        "id": skill.pk,
        "name": skill.name,
        "resources_count": getattr(skill, "resources_count", None),
    }


def _skill(request, skill_id: int) -> Skill:
    return get_scoped(request, queries.skills_list(), skill_id, None, "skill")


@router.get("/skills", response=Page[SkillOut])
def list_skills(request: HttpRequest, query: Query[SkillQuery]):
    require(request, VIEW_BOARD)
    return shown(
        Page[SkillOut], paged(lists.SKILLS, queries.skills_list(), query, serialise=_skill_dict)
    )


@router.post("/skills", response={201: SkillOut})
def create_skill(request: HttpRequest, payload: SkillIn):
    require(request, MANAGE_RESOURCES)
    skill = services.create_skill(actor=request.user, name=payload.name)
    return shown(SkillOut, _skill_dict(_skill(request, skill.pk)), 201)


@router.get("/skills/{skill_id}", response=SkillOut)
def get_skill(request: HttpRequest, skill_id: Id):
    require(request, VIEW_BOARD)
    return shown(SkillOut, _skill_dict(_skill(request, skill_id)))


@router.patch("/skills/{skill_id}", response=SkillOut)
def update_skill(request: HttpRequest, skill_id: Id, payload: SkillIn):
    require(request, MANAGE_RESOURCES)
    skill = services.update_skill(_skill(request, skill_id), actor=request.user, name=payload.name)
    return shown(SkillOut, _skill_dict(_skill(request, skill.pk)))


@router.delete("/skills/{skill_id}", response={204: None})
def delete_skill(request: HttpRequest, skill_id: Id):
    require(request, MANAGE_RESOURCES)
    services.delete_skill(_skill(request, skill_id), actor=request.user)
    return HttpResponse(status=204)
