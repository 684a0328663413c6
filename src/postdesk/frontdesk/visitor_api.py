"""API of the visitors: today's expected list, the kiosk's search, sign-in (with the NDA
where the production requires one), the badge PDF, sign-out, pre-registration."""

import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Status

from postdesk.core.apiutil import (
    FILE_TYPES,
    Day,
    Id,
    InputSchema,
    Instant,
    OutSchema,
    QuerySchema,
    file_responses,
    require,
)
from postdesk.core.errors import InvalidInput, NotFound
from postdesk.core.roles import CHANGE_BOOKINGS, HOST_VISITORS, RECEIVE_VISITORS
from postdesk.frontdesk import badges, visitor_queries, visitor_services
from postdesk.frontdesk.models import Visit
from postdesk.productions.queries import contacts_for, productions_for
from postdesk.scheduling.queries import bookings_for

router = Router(tags=["frontdesk"])


class ExpectedVisitorOut(OutSchema):
    source: str
    name: str
    company: str
    contact: int | None
    preregistration: int | None
    booking: int | None
    expected_at: datetime.datetime
    suite: str
    host: str
    host_id: int | None
    production: int | None
    production_title: str
    visit: int | None
    arrived: bool


class VisitorFoundOut(OutSchema):
    source: str
    name: str
    company: str
    expected: bool
    contact: int | None = None
    preregistration: int | None = None
    booking: int | None = None
    host: str = ""
    host_id: int | None = None
    suite: str = ""


class VisitOut(OutSchema):
    id: int
    kind: str
    name: str
    company: str
    host: int | None
    car_registration: str
    contact: int | None
    booking: int | None
    preregistration: int | None
    signed_in_at: datetime.datetime
    signed_out_at: datetime.datetime | None
    auto_signed_out: bool
    nda_version: int | None
    nda_signature: str
    nda_signed_for: str


class VisitorSignInIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    company: str = Field("", max_length=200)
    host: Id | None = None
    car_registration: str = Field("", max_length=20)
    contact: Id | None = None
    booking: Id | None = None
    preregistration: Id | None = None
    production: Id | None = None
    accept_nda_version: int | None = Field(None, ge=1, le=1_000_000)
    # Where the visit requires a signed NDA (a screening's): the visitor's typed name and
    # the ticked box.
    nda_signature: str = Field("", max_length=200)
    nda_agreed: bool = False
    kind: Literal["visitor", "contractor"] = "visitor"


class PreRegistrationIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    company: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    expected_at: Instant
    production: Id | None = None


class PreRegistrationOut(OutSchema):
    id: int
    name: str
    company: str
    host: int
    expected_at: datetime.datetime
    production: int | None


class VisitorNdaIn(InputSchema):
    production: Id
    text: str = Field(..., min_length=1, max_length=20000)


class VisitorNdaOut(OutSchema):
    id: int
    production: int
    version: int
    text: str


class SessionAttendeeIn(InputSchema):
    booking: Id
    contact: Id


class SessionAttendeeOut(OutSchema):
    id: int
    booking: int
    contact: int


class ExpectedVisitorsQuery(QuerySchema):
    day: Day | None = None


class VisitorSearchQuery(QuerySchema):
    q: str = Field(..., max_length=100)


def visit_out(visit: Visit) -> dict:
    return {
        "id": visit.pk,
        "kind": visit.kind,
        "name": visit.name,
        "company": visit.company,
        "host": visit.host_id,
        "car_registration": visit.car_registration,
        "contact": visit.contact_id,
        "booking": visit.booking_id,
        "preregistration": visit.preregistration_id,
        "signed_in_at": visit.signed_in_at,
        "signed_out_at": visit.signed_out_at,
        "auto_signed_out": visit.auto_signed_out,
        "nda_version": visit.nda_accepted.nda.version if visit.nda_accepted_id else None,
        "nda_signature": visit.nda_signature,
        "nda_signed_for": visit.nda_signed_for,
    }


def _one(qs, pk, what: str):
    if pk is None:
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise InvalidInput.field(what, f"No such {what}")
    return found


@router.get("/frontdesk/expected", response=list[ExpectedVisitorOut])
def expected(request: HttpRequest, query: Query[ExpectedVisitorsQuery]):
    """The day's expected visitors (default today) by arrival time, with suite and host."""
    require(request, RECEIVE_VISITORS)
    return visitor_queries.expected(request.user, query.day)


@router.get("/frontdesk/search", response=list[VisitorFoundOut])
def search(request: HttpRequest, query: Query[VisitorSearchQuery]):
    """The kiosk's name search: from three letters, today's expected visitors first."""
    require(request, RECEIVE_VISITORS)
    return visitor_queries.search(request.user, query.q)


@router.post("/frontdesk/visits", response={201: VisitOut})
def sign_in(request: HttpRequest, payload: VisitorSignInIn):
    """Sign a visitor in. 422 `nda_required` (with the text) until the production's
    current NDA is accepted (`accept_nda_version`); 422 `nda_signature_required` (with
    the reason and the text) where the visit requires a signed NDA, such as a screening's,
    until the visitor signs (`nda_signature`, their typed name, and `nda_agreed`)."""
    require(request, RECEIVE_VISITORS)
    from django.contrib.auth import get_user_model

    from postdesk.frontdesk.models import PreRegistration

    user = request.user
    visit = visitor_services.sign_in(
        actor=user,
        name=payload.name,
        company=payload.company,
        host=_one(get_user_model().objects.filter(is_active=True), payload.host, "host"),
        car_registration=payload.car_registration,
        contact=_one(contacts_for(user), payload.contact, "contact"),
        booking=_one(bookings_for(user).select_related("owner"), payload.booking, "booking"),
        preregistration=_one(PreRegistration.objects, payload.preregistration, "preregistration"),
        production=_one(productions_for(user), payload.production, "production"),
        accept_nda_version=payload.accept_nda_version,
        nda_signature=payload.nda_signature,
        nda_agreed=payload.nda_agreed,
        kind=payload.kind,
    )
    return Status(201, visit_out(visit))


@router.get("/frontdesk/visits/on-site", response=list[VisitOut])
def on_site(request: HttpRequest):
    """Visitors signed in and not yet out."""
    require(request, RECEIVE_VISITORS)
    return [visit_out(v) for v in visitor_queries.on_site().select_related("nda_accepted__nda")]


@router.post("/frontdesk/visits/{visit_id}/sign-out", response=VisitOut)
def sign_out(request: HttpRequest, visit_id: Id):
    require(request, RECEIVE_VISITORS)
    return visit_out(visitor_services.sign_out(visit_id, actor=request.user))


@router.get(
    "/frontdesk/visits/{visit_id}/badge.pdf", openapi_extra=file_responses(FILE_TYPES["pdf"])
)
def badge(request: HttpRequest, visit_id: Id):
    """The visitor's badge, 62 x 100 mm, for the label printer."""
    require(request, RECEIVE_VISITORS)
    visit = Visit.objects.select_related("host").filter(pk=visit_id).first()
    if visit is None:
        raise NotFound("No such visit")
    response = HttpResponse(badges.badge_pdf(visit), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{visit.pk}.pdf"'
    return response


@router.post("/frontdesk/preregistrations", response={201: PreRegistrationOut})
def pre_register(request: HttpRequest, payload: PreRegistrationIn):
    """Announce a visitor; you are their host."""
    require(request, HOST_VISITORS)
    reg = visitor_services.pre_register(
        actor=request.user,
        name=payload.name,
        company=payload.company,
        email=payload.email,
        expected_at=payload.expected_at,
        production=_one(productions_for(request.user), payload.production, "production"),
    )
    return Status(
        201,
        {
            "id": reg.pk,
            "name": reg.name,
            "company": reg.company,
            "host": reg.host_id,
            "expected_at": reg.expected_at,
            "production": reg.production_id,
        },
    )


@router.post("/frontdesk/ndas", response={201: VisitorNdaOut})
def publish_nda(request: HttpRequest, payload: VisitorNdaIn):
    """A new version of a production's NDA: visitors accept it again at next sign-in."""
    require(request, RECEIVE_VISITORS)
    production = _one(productions_for(request.user), payload.production, "production")
    nda = visitor_services.publish_nda(actor=request.user, production=production, text=payload.text)
    return Status(
        201, {"id": nda.pk, "production": production.pk, "version": nda.version, "text": nda.text}
    )


@router.post("/frontdesk/attendees", response={201: SessionAttendeeOut})
def add_attendee(request: HttpRequest, payload: SessionAttendeeIn):
    """Name a client contact as attending a booking's session."""
    require(request, CHANGE_BOOKINGS)
    user = request.user
    booking = _one(bookings_for(user), payload.booking, "booking")
    contact = _one(contacts_for(user), payload.contact, "contact")
    row = visitor_services.add_attendee(actor=user, booking=booking, contact=contact)
    return Status(201, {"id": row.pk, "booking": row.booking_id, "contact": row.contact_id})
