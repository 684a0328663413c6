"""What every router shares: authentication, the input base schema, pagination, permission
checks and fast JSON responses. Routers parse, call a service or query, serialise."""

import datetime
import functools
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.renderers import BaseRenderer
from ninja.security import HttpBearer, SessionAuth
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    WithJsonSchema,
    field_validator,
)

from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.core.ids import MAX_ID
from postdesk.core.roles import can, is_outside
from postdesk.core.services import authenticate_token
from postdesk.core.timeutil import check_date, check_instant, restore_plus_offset


class BearerToken(HttpBearer):
    """Personal API tokens: `Authorization: Bearer pd_...`."""

    def authenticate(self, request: HttpRequest, token: str):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class PageSession(SessionAuth):
    """The pages' own calls ride on the login session (CSRF-checked for writes)."""


API_AUTH = [BearerToken(), PageSession()]


# A larger number than a bigint holds is refused up front: passed to the database it
# would be an error there (a 500).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# An aware instant or a date inside the configured window (settings DATE_MIN, DATE_MAX);
# anything else is a 422 naming the field, never an overflow further down (issue 10).
Instant = Annotated[datetime.datetime, AfterValidator(check_instant)]
Day = Annotated[datetime.date, AfterValidator(check_date)]


def _query_instant_text(value: Any) -> Any:
    """A query string's instant before pydantic parses it: empty is absent, at most 64
    characters, and an unencoded plus sign read back as the offset it was."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if len(text) > 64:
        raise ValueError("an instant has at most 64 characters")
    return restore_plus_offset(text)


def _optional_instant(value: datetime.datetime | None) -> datetime.datetime | None:
    return None if value is None else check_instant(value)


# An instant in a query string (?start=...): optional, aware, inside the window; as
# `Instant`, but tolerant of what a browser's address bar does to the plus sign.
QueryInstant = Annotated[
    datetime.datetime | None,
    BeforeValidator(_query_instant_text),
    AfterValidator(_optional_instant),
]
# Deeper pages than this are refused: an offset past it only costs the database time.
MAX_PAGE = 1_000_000


def _refuse_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL characters; refuse them as bad input, not a 500."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if isinstance(value, list | tuple | set):
        for item in value:
            _refuse_nul(item)
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)
    return value


class QuerySchema(Schema):
    """Base for query-string parameters (filters, search, ordering, pages)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _refuse_nul(value)


class ListQuery(QuerySchema):
    """The parameters of a paged list (`paged`); a list's filters are added by subclassing."""

    q: str | None = Field(None, max_length=200, description="Search")
    ordering: str | None = Field(
        None, max_length=200, description="Sort keys, comma-separated; -key sorts descending"
    )
    page: int = 1
    page_size: int | None = None


class InputSchema(QuerySchema):
    """Base for request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutSchema(Schema):
    """Base for response bodies. A key the schema does not declare is an error, so the
    OpenAPI document names every key a response carries.

    Fields a role may not see (core/visibility.py) are declared optional, with a default
    of None, and documented so; the response leaves them out entirely (see `shown`)."""

    model_config = ConfigDict(extra="forbid")


class ModelOutSchema(Schema):
    """Base for response bodies read from a model (`from_orm`, dotted aliases such as
    `client.name`): the model's other attributes are not keys of the body, so only the
    document says the body has no others; `extra="forbid"` would break the aliases."""

    model_config = ConfigDict(json_schema_extra={"additionalProperties": False})


T = TypeVar("T")


class Page(OutSchema, Generic[T]):
    """One page of a list (`paginate`)."""

    count: int
    page: int
    page_size: int
    pages: int
    results: list[T]


# Money and other exact amounts: a Decimal, written as its string ("1200.00", "1.168500"),
# never a float; the string keeps the amount's own places.
Money = Annotated[
    Decimal,
    # No pattern: an amount made in the request (not read back from its column) writes as
    # Python writes that Decimal, which may be "1E+1".
    WithJsonSchema({"type": "string", "format": "decimal", "example": "1200.00"}),
]


@functools.cache
def _adapter(schema) -> TypeAdapter:
    return TypeAdapter(schema)


def shown(schema: Any, data: Any, status: int = 200) -> HttpResponse:
    """`data` checked against the response `schema`, then written as it is by
    `json_response`. `schema` is a response schema or a list of one (`list[XOut]`).

    Why validate and then write `data` rather than the model: a role's view leaves out
    the fields it may not see (absent, never null), the keys keep the order the
    serialiser gave them, and amounts keep their exact text, so the JSON is byte for byte
    what the endpoint wrote before it had a schema. A dict that breaks its schema is a
    bug; it fails here (a 500 in tests and the fuzz) instead of reaching a client."""
    _adapter(schema).validate_python(data)
    return json_response(data, status)


FILE_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_responses(*media_types: str, status: int = 200) -> dict:
    """`openapi_extra` for a route that answers a file (a PDF, a CSV): its response
    described as binary content of these media types, beside any JSON one."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {status: {"description": "OK", "content": {t: binary for t in media_types}}}
    }


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS, default=_default)


def _default(value: Any):
    from decimal import Decimal

    from django.utils.functional import Promise

    if isinstance(value, Decimal | Promise):
        # Promise: lazy translatable strings such as a model's verbose_name.
        return str(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_NAIVE_UTC


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """Bulk reads skip pydantic: rows from values() go straight to orjson (DESIGN).

    Naive datetimes are UTC: bulk reads on PostgreSQL take instants that way (UtcInstant
    in scheduling.queries), and the application has no other naive ones (USE_TZ)."""
    return HttpResponse(
        orjson.dumps(data, option=JSON_OPTIONS, default=_default),
        status=status,
        content_type="application/json",
    )


def require(request: HttpRequest, capability: str, *, internal: str | None = None) -> None:
    """403 unless the user's role holds `capability`. `internal` names what the route
    shows that is the facility's own ("Locations"): users outside it (clients) are refused
    it whatever their capabilities, as the pages' `internal=True` does."""
    if not can(request.user, capability):
        raise Forbidden(
            f"Your role may not do this (needs {capability.replace('_', ' ')})",
            details={"needs": capability},
        )
    if internal is not None and is_outside(request.user):
        raise Forbidden(f"{internal} are internal to the facility")


def paginate(queryset, *, page: int, page_size: int | None, serialise) -> dict[str, Any]:
    """One page of a queryset: {"count", "page", "page_size", "pages", "results"}."""
    max_size = settings.POSTDESK["API_MAX_PAGE_SIZE"]
    size = settings.POSTDESK["API_PAGE_SIZE"] if page_size is None else page_size
    if size < 1 or size > max_size:
        raise InvalidInput.field("page_size", f"page_size must be between 1 and {max_size}")
    if page < 1 or page > MAX_PAGE:
        raise InvalidInput.field("page", f"page must be between 1 and {MAX_PAGE}")
    count = queryset.count()
    offset = (page - 1) * size
    rows = list(queryset[offset : offset + size])
    return {
        "count": count,
        "page": page,
        "page_size": size,
        "pages": max(1, -(-count // size)),
        "results": [serialise(r) for r in rows],
    }


def paged(spec, queryset, query, *, serialise) -> dict[str, Any]:
    """A list endpoint's page: `spec` (a core/listing.ListSpec) applied strictly from the
    query schema `query` (its `q` and `ordering` when it has them, and every filter the
    spec declares), then `paginate`. The one way an API list searches, filters, orders
    and pages."""
    rows = spec.strict(
        queryset,
        q=getattr(query, "q", None),
        ordering=getattr(query, "ordering", None),
        filters={name: getattr(query, name) for name in spec.filters},
    )
    return paginate(rows, page=query.page, page_size=query.page_size, serialise=serialise)


def get_scoped(request: HttpRequest, queryset, pk: int, client_field: str | None, label: str):
    """The object `pk` if the user may see it, else a 404 that says what was missing.

    Objects of another company answer 404 to a client user, exactly like missing ones.
    """
    from postdesk.core.errors import NotFound
    from postdesk.core.roles import scope_to_client

    if not 1 <= pk <= MAX_ID:
        raise NotFound(f"No {label} with id {pk}")
    if client_field is not None:
        queryset = scope_to_client(request.user, queryset, client_field)
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"No {label} with id {pk}")
    return obj


def changed_fields(payload: Schema) -> dict[str, Any]:
    """The fields a PATCH body actually sent."""
    return payload.model_dump(exclude_unset=True)
