"""API of quotes: draft, lines, approval, sending, the client's answer, PDF."""

from django.http import HttpRequest
from ninja import Field, Query, Router

from postdesk.billing import downloads, lists, queries, services
from postdesk.billing.models import (
    Quote,
)
from postdesk.billing.responses_api import (
    QuoteOut,
    QuoteRowOut,
)
from postdesk.billing.serialise import (
    quote_out,
)
from postdesk.billing.shared_api import (
    MAX_LINES,
    LineIn,
    job_for_input,
    line_fields,
    line_on,
)
from postdesk.core.apiutil import (
    FILE_TYPES,
    Day,
    Id,
    InputSchema,
    ListQuery,
    Page,
    changed_fields,
    file_responses,
    get_scoped,
    paged,
    require,
    shown,
)
from postdesk.core.roles import (
    APPROVE_QUOTES,
    CHANGE_MONEY,
    RESPOND_QUOTES,
    VIEW_MONEY,
    can,
    scope_to_client,
)

router = Router(tags=["billing"])


# --- quotes -------------------------------------------------------------------------------


class QuoteQuery(ListQuery):
    job: Id | None = None
    status: Quote.Status | None = None


class QuoteIn(InputSchema):
    job: Id
    valid_until: Day | None = None
    notes: str = ""
    terms: str | None = None
    include_bookings: bool = True
    lines: list[LineIn] = Field([], max_length=MAX_LINES)


class QuotePatch(InputSchema):
    valid_until: Day | None = None
    notes: str | None = None
    terms: str | None = None


def _quotes(request):
    qs = Quote.objects.select_related("job__client", "job__production", "approved_by")
    return queries.hide_drafts_from_clients(request.user, qs)


def _quote(request, pk) -> Quote:
    return get_scoped(request, _quotes(request), pk, "job__client", "quote")


@router.get("/quotes", response=Page[QuoteRowOut])
def list_quotes(request: HttpRequest, query: Query[QuoteQuery]):
    require(request, VIEW_MONEY)
    qs = scope_to_client(request.user, _quotes(request), "job__client")
    return shown(
        Page[QuoteRowOut],
        paged(lists.QUOTES, qs, query, serialise=lambda q: quote_out(q, lines=False)),
    )


@router.post("/quotes", response={201: QuoteOut})
def create_quote(request: HttpRequest, payload: QuoteIn):
    require(request, CHANGE_MONEY)
    job = job_for_input(request, payload.job)
    data = payload.model_dump(exclude={"job", "lines"})
    quote = services.create_quote(
        job=job, actor=request.user, free_lines=[line_fields(x) for x in payload.lines], **data
    )
    return shown(QuoteOut, quote_out(_quote(request, quote.pk)), 201)


@router.get("/quotes/{quote_id}", response=QuoteOut)
def get_quote(request: HttpRequest, quote_id: Id):
    require(request, VIEW_MONEY)
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


@router.patch("/quotes/{quote_id}", response=QuoteOut)
def update_quote(request: HttpRequest, quote_id: Id, payload: QuotePatch):
    require(request, CHANGE_MONEY)
    services.update_quote(_quote(request, quote_id), actor=request.user, **changed_fields(payload))
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


@router.post("/quotes/{quote_id}/lines", response={201: QuoteOut})
def add_quote_line(request: HttpRequest, quote_id: Id, payload: LineIn):
    require(request, CHANGE_MONEY)
    services.add_quote_line(_quote(request, quote_id), actor=request.user, **line_fields(payload))
    return shown(QuoteOut, quote_out(_quote(request, quote_id)), 201)


@router.delete("/quotes/{quote_id}/lines/{line_id}", response=QuoteOut)
def delete_quote_line(request: HttpRequest, quote_id: Id, line_id: Id):
    require(request, CHANGE_MONEY)
    line = line_on(_quote(request, quote_id), line_id, "quote")
    services.delete_quote_line(line, actor=request.user)
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


@router.post("/quotes/{quote_id}/approve", response=QuoteOut)
def approve_quote(request: HttpRequest, quote_id: Id):
    require(request, APPROVE_QUOTES)
    services.approve_quote(_quote(request, quote_id), actor=request.user)
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


@router.post("/quotes/{quote_id}/send", response=QuoteOut)
def send_quote(request: HttpRequest, quote_id: Id):
    require(request, CHANGE_MONEY)
    services.send_quote(_quote(request, quote_id), actor=request.user)
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


def _respond(request, quote_id: Id, accept: bool):
    # The client answers; bookings staff may record an answer given by phone or mail.
    if not (can(request.user, RESPOND_QUOTES) or can(request.user, CHANGE_MONEY)):
        require(request, RESPOND_QUOTES)
    services.respond_quote(_quote(request, quote_id), actor=request.user, accept=accept)
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


@router.post("/quotes/{quote_id}/accept", response=QuoteOut)
def accept_quote(request: HttpRequest, quote_id: Id):
    return _respond(request, quote_id, True)


@router.post("/quotes/{quote_id}/decline", response=QuoteOut)
def decline_quote(request: HttpRequest, quote_id: Id):
    return _respond(request, quote_id, False)


@router.get("/quotes/{quote_id}/pdf", openapi_extra=file_responses(FILE_TYPES["pdf"]))
def quote_pdf(request: HttpRequest, quote_id: Id):
    require(request, VIEW_MONEY)
    quote = _quote(request, quote_id)
    return downloads.quote_pdf(quote)
