"""What billing's API routers share: amount and currency fields, the staff-only money
check, free document lines, and how a job or a line named in a request is found."""

import datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from ninja import Field

from postdesk.billing.models import (
    Category,
    LineKind,
    VatCode,
)
from postdesk.core.apiutil import (
    MAX_ID,
    Id,
    InputSchema,
    require,
)
from postdesk.core.errors import InvalidInput, NotFound
from postdesk.core.roles import (
    VIEW_MONEY,
    role_of,
    scope_to_client,
)

Money = Field(..., ge=0, max_digits=12, decimal_places=2)
OptMoney = Field(None, ge=0, max_digits=12, decimal_places=2)
Currency = Literal["GBP", "EUR", "USD", "CAD", "AUD", "CHF", "JPY"]


# Lists in a body are bounded before any work is done per item (issue 10); the services
# check the same bound (settings MAX_DOCUMENT_LINES) for the pages and any other caller.
MAX_LINES = settings.POSTDESK["MAX_DOCUMENT_LINES"]


def is_client(request) -> bool:
    return role_of(request.user) == "client"


def staff_money(request) -> None:
    """Internal prices (rate cards, cost reports) are for the facility's staff only."""
    require(request, VIEW_MONEY, internal="Rate cards and cost reports")


def bad(field: str, pk):
    raise InvalidInput.field(field, f"No {field} with id {pk}")


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def job_for_input(request, pk: int):
    from postdesk.productions.models import Job

    job = (
        scope_to_client(request.user, Job.objects.select_related("client"), "client")
        .filter(pk=pk)
        .first()
    )
    return job or bad("job", pk)


class LineIn(InputSchema):
    kind: LineKind = LineKind.OTHER
    description: str = Field("", max_length=300)
    quantity: Decimal = Field(Decimal(1), gt=0, max_digits=12, decimal_places=4)
    unit_price: Decimal | None = OptMoney
    service: str = Field("", max_length=120)
    category: Category | Literal[""] = ""
    nominal_code: str = Field("", max_length=20)
    vat_code: VatCode | Literal[""] = ""


def line_on(document, line_id: Id, what: str):
    # An id past a bigint is no line; the database would answer it with an error (a 500).
    line = document.lines.filter(pk=line_id).first() if 1 <= line_id <= MAX_ID else None
    if line is None:
        raise NotFound(f"No line {line_id} on this {what}")
    return line


def line_fields(line: LineIn) -> dict:
    data = line.model_dump()
    return {k: v for k, v in data.items() if v not in ("", None) or k == "description"}
