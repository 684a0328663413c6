"""Invoice this job: one step from a job to its draft invoice.

Finished work gets its job sheets (drafts, for the operator and the client to sign), and
the sheets already signed off are raised as one draft invoice. Running it again makes no
second sheet for a booking and no second invoice for a sheet: what is done stays done, and
each run says what it did and what still waits.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from postdesk.billing import services
from postdesk.billing.models import Invoice, JobSheet
from postdesk.core import audit
from postdesk.core.models import AuditEntry


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class JobInvoicing:
    """What one run of `invoice_job` did, and what is left for people to do."""

    job: object
    prepared: list[JobSheet] = field(default_factory=list)  # made now, to be signed
    awaiting: list[JobSheet] = field(default_factory=list)  # every sheet still unsigned
    invoice: Invoice | None = None
    invoiced: list[JobSheet] = field(default_factory=list)  # signed sheets now on `invoice`

    @property
    def did_something(self) -> bool:
        return bool(self.prepared or self.invoice)

    @property
    def message(self) -> str:
        parts = []
        if self.prepared:
            parts.append(f"Prepared {_plural(len(self.prepared), 'job sheet')} for sign-off")
        if self.invoice is not None:
            parts.append(
                f"invoice draft #{self.invoice.pk} raised from "
                f"{_plural(len(self.invoiced), 'signed sheet')}"
            )
        earlier = len(self.awaiting) - len(self.prepared)
        if earlier:
            parts.append(
                f"{_plural(earlier, 'earlier job sheet')} still "
                f"{'awaits' if earlier == 1 else 'await'} sign-off"
            )
        if not self.did_something:
            nothing = (
                f"Nothing to invoice on {self.job.number}: no finished booking without a job "
                "sheet and no signed-off sheet waiting"
            )
            return "; ".join([nothing, *parts[-1:]]) if earlier else nothing
        text = "; ".join(parts)
        return text[0].upper() + text[1:]


def finished_bookings_without_sheet(job):
    """The job's bookings whose work is done (completed, or confirmed and over) and that
    have no job sheet yet, in time order."""
    from postdesk.scheduling.models import Booking

    done = Q(status=Booking.Status.COMPLETED) | Q(
        status=Booking.Status.CONFIRMED, end__lte=timezone.now()
    )
    return (
        Booking.objects.filter(job=job, kind=Booking.Kind.JOB, job_sheet__isnull=True)
        .filter(done)
        .order_by("start", "pk")
    )


@transaction.atomic
def invoice_job(job, *, actor) -> JobInvoicing:
    """Prepare job sheets for the job's finished bookings that have none, then raise a draft
    invoice from its signed-off sheets. All or nothing: a booking that cannot be priced
    (no rate) refuses the whole run, naming it, and leaves nothing behind."""
    from postdesk.productions.models import Job

    # One run per job at a time: a second waits here and then finds the work done.
    job = Job.objects.select_for_update().select_related("client").get(pk=job.pk)
    result = JobInvoicing(job=job)
    for booking in finished_bookings_without_sheet(job):
        result.prepared.append(services.create_job_sheet(booking=booking, actor=actor))
    signed = list(
        JobSheet.objects.filter(job=job, status=JobSheet.Status.SIGNED_OFF).order_by(
            "actual_start", "pk"
        )
    )
    if signed:
        result.invoice = services.create_invoice(job=job, sheets=signed, actor=actor)
        result.invoiced = signed
    result.awaiting = list(
        JobSheet.objects.filter(job=job, status=JobSheet.Status.DRAFT).order_by(
            "actual_start", "pk"
        )
    )
    if result.did_something:
        audit.record(
            actor,
            job,
            AuditEntry.Action.TRANSITION,
            {
                "job_sheets_prepared": [None, [s.pk for s in result.prepared]],
                "invoice_id": [None, result.invoice.pk if result.invoice else None],
                "job_sheets_invoiced": [None, [s.pk for s in result.invoiced]],
            },
            result.message,
        )
    return result
