"""Job sheets: what a booking actually took, priced from its actual times, with extra
lines, signed by the operator and the client."""

from django.db import transaction
from django.utils import timezone

from postdesk.billing import limits
from postdesk.billing import lines as L
from postdesk.billing.models import JobSheet, JobSheetLine
from postdesk.billing.rates import RateBook
from postdesk.billing.services.document_lines import (
    _append_free_line,
    _retotal,
    _save_lines,
    _totals_of,
)
from postdesk.billing.services.records import _transition, _user
from postdesk.core import audit
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from postdesk.core.roles import role_of
from postdesk.core.timeutil import require_instant


@transaction.atomic
def create_job_sheet(*, booking, actor, notes: str = "") -> JobSheet:
    """A job sheet for a confirmed or completed booking, priced from the booked times."""
    from postdesk.productions.models import Job
    from postdesk.scheduling.models import Booking

    if booking.kind != Booking.Kind.JOB or booking.status not in (
        Booking.Status.CONFIRMED,
        Booking.Status.COMPLETED,
    ):
        raise InvalidInput.field(
            "booking", "Job sheets are for confirmed or completed job bookings"
        )
    if JobSheet.objects.filter(booking=booking).exists():
        raise Conflict(f"Booking {booking.pk} already has a job sheet", code="job_sheet_exists")
    job = Job.objects.select_related("client").get(pk=booking.job_id)
    sheet = JobSheet.objects.create(
        job=job,
        booking=booking,
        currency=job.client.currency,
        actual_start=booking.start,
        actual_end=booking.end,
        notes=notes,
    )
    _reprice_sheet(sheet)
    audit.record_create(actor, sheet, summary=f"Job sheet for booking {booking.pk}")
    return sheet


@transaction.atomic
def create_job_sheets_for_job(*, job, actor) -> list[JobSheet]:
    """A sheet for each completed booking of the job that has none yet (completed bookings
    feed job sheets)."""
    from postdesk.scheduling.models import Booking

    pending = Booking.objects.filter(
        job=job, kind=Booking.Kind.JOB, status=Booking.Status.COMPLETED, job_sheet__isnull=True
    ).order_by("start", "pk")
    return [create_job_sheet(booking=booking, actor=actor) for booking in pending]


def _reprice_sheet(sheet: JobSheet) -> None:
    """Rebuild the booking lines from the actual times; extra lines stay."""
    sheet.lines.filter(kind="booking").delete()
    client = sheet.job.client
    if sheet.booking_id:
        book = RateBook(client=client, currency=sheet.currency)
        priced = L.booking_lines(
            booking=sheet.booking,
            book=book,
            client=client,
            currency=sheet.currency,
            start=sheet.actual_start,
            end=sheet.actual_end,
        )
        _save_lines(JobSheetLine, "sheet", sheet, priced)
    _retotal(sheet, JobSheetLine, "sheet")
    sheet.save()


def _open_sheet(sheet: JobSheet) -> JobSheet:
    sheet = JobSheet.objects.select_for_update().select_related("job__client").get(pk=sheet.pk)
    if sheet.status != JobSheet.Status.DRAFT or sheet.operator_signed_at or sheet.client_signed_at:
        raise InvalidTransition("A signed job sheet cannot be changed")
    return sheet


@transaction.atomic
def update_job_sheet(sheet: JobSheet, *, actor, **changes) -> JobSheet:
    for name in ("actual_start", "actual_end"):
        if changes.get(name) is not None:
            changes[name] = require_instant(changes[name], name)
    sheet = _open_sheet(sheet)
    before = audit.snapshot(sheet)
    for name in ("actual_start", "actual_end", "notes"):
        if name in changes:
            setattr(sheet, name, changes[name])
    if sheet.actual_start and sheet.actual_end and sheet.actual_start >= sheet.actual_end:
        raise InvalidInput.field("actual_end", "The actual end must be after the actual start")
    # Pricing walks the span day by day: bound it like a booking before any of that work.
    booking = sheet.booking
    start = sheet.actual_start or (booking.start if booking else None)
    end = sheet.actual_end or (booking.end if booking else None)
    if start is not None and end is not None:
        limits.require_span(start, end)
    _reprice_sheet(sheet)
    audit.record_update(actor, sheet, before)
    return sheet


@transaction.atomic
def add_job_sheet_line(sheet: JobSheet, *, actor, **line) -> JobSheetLine:
    sheet = _open_sheet(sheet)
    before = _totals_of(sheet)
    obj = _append_free_line(sheet, JobSheetLine, "sheet", client=sheet.job.client, line=line)
    _retotal(sheet, JobSheetLine, "sheet")
    sheet.save()
    audit.record_create(actor, obj, summary=f"Line on job sheet {sheet.pk}")
    audit.record_update(actor, sheet, before)
    return obj


@transaction.atomic
def delete_job_sheet_line(line: JobSheetLine, *, actor) -> None:
    sheet = _open_sheet(line.sheet)
    before = audit.snapshot(line)
    totals_before = _totals_of(sheet)
    line.delete()
    _retotal(sheet, JobSheetLine, "sheet")
    sheet.save()
    audit.record_delete(actor, line, before)
    audit.record_update(actor, sheet, totals_before)


@transaction.atomic
def sign_job_sheet(sheet: JobSheet, *, actor, party: str, name: str) -> JobSheet:
    """The operator or the client contact signs (name and time); both make it signed off.
    Staff sign for either party at the desk; a client user signs for the client only."""
    if role_of(_user(actor)) == "client" and party != "client":
        raise Forbidden("A client user signs for the client only")
    sheet = JobSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.status != JobSheet.Status.DRAFT:
        raise InvalidTransition("This job sheet is already signed off")
    if not name.strip():
        raise InvalidInput.field("name", "Sign with a name")
    now = timezone.now()
    before = audit.snapshot(
        sheet,
        ["status", "operator_name", "operator_signed_at", "client_name", "client_signed_at"],
    )
    if party == "operator":
        if sheet.operator_signed_at:
            raise InvalidTransition("The operator has already signed")
        sheet.operator_name, sheet.operator_signed_at = name.strip(), now
    elif party == "client":
        if sheet.client_signed_at:
            raise InvalidTransition("The client has already signed")
        sheet.client_name, sheet.client_signed_at = name.strip(), now
    else:
        raise InvalidInput.field("party", "party is 'operator' or 'client'")
    if sheet.operator_signed_at and sheet.client_signed_at:
        sheet.status = JobSheet.Status.SIGNED_OFF
    sheet.save()
    _transition(actor, sheet, f"sign ({party})", before=before)
    return sheet
