"""API of the client portal: the company's home in one answer, answering a quote, and
booking requests (made by clients; placed or declined by the bookings office)."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Status

from postdesk.billing.models import Quote
from postdesk.core.apiutil import Id, InputSchema, Instant, Money, OutSchema, get_scoped, require
from postdesk.core.errors import Forbidden, InvalidInput, NotFound
from postdesk.core.roles import CHANGE_BOOKINGS, RESPOND_QUOTES, VIEW_BOARD
from postdesk.productions.models import Production
from postdesk.scheduling.models import Booking

from . import queries, services
from .models import BookingRequest

router = Router(tags=["portal"])


class PortalQuoteOut(OutSchema):
    id: int
    reference: str
    production: str
    status: str
    net: Money
    gross: Money
    currency: str
    valid_until: datetime.date


class PortalInvoiceOut(OutSchema):
    id: int
    number: str
    issue_date: datetime.date
    due_date: datetime.date | None
    gross: Money
    outstanding: Money
    currency: str


class PortalMediaOut(OutSchema):
    id: int
    barcode: str
    title: str
    kind: str
    custody: str


class BookingRequestOut(OutSchema):
    id: int
    production: int
    production_title: str
    what: str
    start: datetime.datetime
    end: datetime.datetime
    notes: str
    status: Literal["open", "placed", "declined"]
    booking: int | None
    answer: str


class PortalHomeOut(OutSchema):
    company: str
    bookings: list[dict[str, Any]]
    unavailable: list[dict[str, Any]]
    quotes: list[PortalQuoteOut]
    invoices: list[PortalInvoiceOut]
    media: list[PortalMediaOut]
    requests: list[BookingRequestOut]


class PortalDeliverableOut(OutSchema):
    id: int
    production: int
    production_title: str
    name: str
    spec: str
    due: datetime.date | None
    status: str
    flag: Literal["", "overdue", "at_risk"]
    rejection_reason: str
    delivered_to: str
    delivered_at: datetime.datetime | None
    method: str
    reference: str
    accepted_by: str
    accepted_at: datetime.datetime | None


class PortalInviteeOut(OutSchema):
    name: str
    response: Literal["pending", "accepted", "declined"]
    plus_ones: int
    mine: bool
    rsvp_url: str | None


class PortalScreeningOut(OutSchema):
    id: int
    production: int
    production_title: str
    starts_at: datetime.datetime
    venue: str
    cut_version: str
    nda_required: bool
    plus_ones_allowed: int
    invitees: list[PortalInviteeOut]


class QuoteAnswerIn(InputSchema):
    accept: bool
    name: str = Field(..., min_length=1, max_length=150)


class BookingRequestIn(InputSchema):
    production: Id
    what: str = Field(..., min_length=1, max_length=200)
    start: Instant
    end: Instant
    notes: str = Field("", max_length=2000)


class PlaceIn(InputSchema):
    booking: Id


class DeclineIn(InputSchema):
    answer: str = Field(..., min_length=1, max_length=300)


def _client(request) -> None:
    require(request, VIEW_BOARD)
    if not getattr(request.user, "client_id", None):
        raise Forbidden("The portal is for clients' users")


def _quote(q) -> dict:
    return {
        "id": q.pk,
        "reference": q.reference,
        "production": q.job.production.title,
        "status": q.status,
        "net": q.net,
        "gross": q.gross,
        "currency": q.currency,
        "valid_until": q.valid_until,
    }


def _request(r: BookingRequest) -> dict:
    return {
        "id": r.pk,
        "production": r.production_id,
        "production_title": r.production.title,
        "what": r.what,
        "start": r.start,
        "end": r.end,
        "notes": r.notes,
        "status": r.status,
        "booking": r.booking_id,
        "answer": r.answer,
    }


@router.get("/portal/home", response=PortalHomeOut)
def portal_home(request: HttpRequest):
    """The client's company at a glance: bookings, quotes, invoices, media, requests."""
    _client(request)
    home = queries.home(request.user)
    return {
        "company": request.user.client.name,
        "bookings": [
            {
                "booking": b["booking_id"],
                "start": b["start"],
                "end": b["end"],
                "status": b["status"],
                "resource": b["resource__name"],
                "job_number": b["booking__job__number"],
                "production_title": b["booking__job__production__title"],
            }
            for b in home["bookings"]
        ],
        "unavailable": [
            {
                "resource": u["resource__name"],
                "start": u["start"],
                "end": u["end"],
                "label": u["label"],
            }
            for u in home["unavailable"]
        ],
        "quotes": [_quote(q) for q in home["quotes"]],
        "invoices": [
            {
                "id": i.pk,
                "number": i.number,
                "issue_date": i.issue_date,
                "due_date": i.due_date,
                "gross": i.gross,
                "outstanding": i.owed,
                "currency": i.currency,
            }
            for i in home["invoices"]
        ],
        "media": [
            {
                "id": m.pk,
                "barcode": m.barcode,
                "title": m.title,
                "kind": m.kind,
                "custody": m.custody,
            }
            for m in home["media"]
        ],
        "requests": [_request(r) for r in home["requests"]],
    }


@router.get("/portal/deliverables", response=list[PortalDeliverableOut])
def portal_deliverables(request: HttpRequest):
    """The status of the deliverables of the company's productions."""
    _client(request)
    fields = set(PortalDeliverableOut.model_fields) - {"production", "production_title"}
    return [
        {
            **{k: d[k] for k in fields},
            "production": d["production_id"],
            "production_title": d["production__title"],
        }
        for d in queries.deliverables(request.user)
    ]


@router.get("/portal/screenings", response=list[PortalScreeningOut])
def portal_screenings(request: HttpRequest):
    """The company's screenings from a month back, whom each invites and their answers;
    the caller's own invitation carries its RSVP link."""
    _client(request)
    found = queries.screenings(request.user)
    for s in found:
        s["invitees"] = [
            {
                "name": i["name"],
                "response": i["response"],
                "plus_ones": i["plus_ones"],
                "mine": i["mine"],
                "rsvp_url": request.build_absolute_uri(
                    reverse("coordination:rsvp", args=[s["id"], i["token"]])
                )
                if i["token"]
                else None,
            }
            for i in s["invitees"]
        ]
    return found


@router.post("/portal/quotes/{quote_id}/respond", response=PortalQuoteOut)
def respond(request: HttpRequest, quote_id: Id, payload: QuoteAnswerIn):
    """Accept or decline a sent quote, signed with the client's typed name."""
    _client(request)
    require(request, RESPOND_QUOTES)
    quote = get_scoped(
        request,
        Quote.objects.select_related("job__production").exclude(status="draft"),
        quote_id,
        "job__client",
        "quote",
    )
    answered = services.respond_to_quote(
        quote=quote, accept=payload.accept, name=payload.name, actor=request.user
    )
    return _quote(answered)


@router.get("/portal/booking-requests", response=list[BookingRequestOut])
def list_requests(request: HttpRequest):
    """A client's own requests; to the bookings office, the open ones of every client."""
    require(request, VIEW_BOARD)
    if getattr(request.user, "client_id", None):
        return [_request(r) for r in queries.requests(request.user)]
    require(request, CHANGE_BOOKINGS, internal="Booking requests")
    return [_request(r) for r in queries.open_requests()[:100]]


@router.post("/portal/booking-requests", response={201: BookingRequestOut})
def make_request(request: HttpRequest, payload: BookingRequestIn):
    _client(request)
    production = get_scoped(request, Production.objects, payload.production, "client", "production")
    made = services.request_booking(
        production=production,
        what=payload.what,
        start=payload.start,
        end=payload.end,
        notes=payload.notes,
        actor=request.user,
    )
    return Status(201, _request(made))


def _open(request, request_id: int) -> BookingRequest:
    require(request, CHANGE_BOOKINGS, internal="Booking requests")
    found = BookingRequest.objects.select_related("production").filter(pk=request_id).first()
    if found is None:
        raise NotFound(f"No booking request {request_id}")
    return found


@router.post("/portal/booking-requests/{request_id}/place", response=BookingRequestOut)
def place_request(request: HttpRequest, request_id: Id, payload: PlaceIn):
    """Record the pencil the bookings office made on the board for the request."""
    found = _open(request, request_id)
    booking = Booking.objects.select_related("job").filter(pk=payload.booking).first()
    if booking is None:
        raise InvalidInput.field("booking", f"No booking {payload.booking}")
    return _request(services.place_request(found, booking=booking, actor=request.user))


@router.post("/portal/booking-requests/{request_id}/decline", response=BookingRequestOut)
def decline_request(request: HttpRequest, request_id: Id, payload: DeclineIn):
    found = _open(request, request_id)
    return _request(services.decline_request(found, answer=payload.answer, actor=request.user))
