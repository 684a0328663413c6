"""Quotes: made from a job's planned bookings and free lines, approved above the
threshold, sent (the worker mails the PDF), accepted, declined or expired."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from postdesk.billing import limits
from postdesk.billing import lines as L
from postdesk.billing.models import Quote, QuoteLine
from postdesk.billing.rates import RateBook
from postdesk.billing.services.document_lines import (
    _append_free_line,
    _retotal,
    _save_lines,
)
from postdesk.billing.services.records import _transition, _user
from postdesk.core import audit, events, jobs
from postdesk.core.errors import InvalidInput, InvalidTransition


class ApprovalRequired(InvalidTransition):
    code = "approval_required"


def _planned_bookings(job):
    from postdesk.scheduling.models import Booking

    return job.bookings.filter(
        kind=Booking.Kind.JOB, status__in=[Booking.Status.PENCIL, Booking.Status.CONFIRMED]
    ).order_by("start", "pk")


@transaction.atomic
def create_quote(
    *,
    job,
    actor,
    valid_until: datetime.date | None = None,
    notes: str = "",
    terms: str | None = None,
    include_bookings: bool = True,
    free_lines: list[dict] = (),
) -> Quote:
    """A new version of the job's quote, priced from its planned bookings plus free lines."""
    from postdesk.productions.models import Job

    limits.require_day(valid_until, "valid_until")
    limits.require_line_count(len(free_lines))
    job = Job.objects.select_for_update().select_related("client").get(pk=job.pk)
    client = job.client
    currency = client.currency
    today = timezone.localdate()
    version = (job.quotes.aggregate(v=Max("version"))["v"] or 0) + 1
    quote = Quote.objects.create(
        job=job,
        version=version,
        currency=currency,
        valid_until=valid_until
        or today + datetime.timedelta(days=settings.POSTDESK["QUOTE_VALID_DAYS"]),
        notes=notes,
        terms=settings.POSTDESK["QUOTE_TERMS"] if terms is None else terms,
        created_by=_user(actor),
    )
    book = RateBook(client=client, currency=currency)
    priced = []
    if include_bookings:
        for booking in _planned_bookings(job):
            priced += L.booking_lines(booking=booking, book=book, client=client, currency=currency)
    priced += [
        L.free_line(book=book, client=client, currency=currency, on=today, **f) for f in free_lines
    ]
    _save_lines(QuoteLine, "quote", quote, priced)
    _retotal(quote, QuoteLine, "quote")
    quote.save()
    audit.record_create(actor, quote, summary=f"Quote {quote.reference}")
    _ask_for_approval(quote, actor)
    return quote


def _ask_for_approval(quote: Quote, actor) -> None:
    """A draft priced over the threshold waits for a supervisor's approval: say so (the
    notifications app tells each approver of a quote once, however often it is repriced)."""
    if quote.needs_approval and quote.approved_at is None:
        events.publish(events.QUOTE_TO_APPROVE, subject=quote, actor=actor)


def _draft_quote(quote: Quote) -> Quote:
    quote = Quote.objects.select_for_update().select_related("job__client").get(pk=quote.pk)
    if quote.status != Quote.Status.DRAFT:
        raise InvalidTransition(f"Quote {quote.reference} is {quote.status}; only drafts change")
    return quote


@transaction.atomic
def update_quote(quote: Quote, *, actor, **changes) -> Quote:
    limits.require_day(changes.get("valid_until"), "valid_until")
    for name in ("notes", "terms"):
        # Text is cleared with "", not null: the columns hold text, never NULL.
        if name in changes and changes[name] is None:
            raise InvalidInput.field(name, f'{name} cannot be null; send "" to clear it')
    quote = _draft_quote(quote)
    before = audit.snapshot(quote)
    for name in ("valid_until", "notes", "terms"):
        if name in changes:
            setattr(quote, name, changes[name])
    quote.save()
    audit.record_update(actor, quote, before)
    return quote


@transaction.atomic
def add_quote_line(quote: Quote, *, actor, **line) -> QuoteLine:
    quote = _draft_quote(quote)
    obj = _append_free_line(quote, QuoteLine, "quote", client=quote.job.client, line=line)
    _reprice_quote_totals(quote, actor)
    audit.record_create(actor, obj, summary=f"Line on quote {quote.reference}")
    return obj


@transaction.atomic
def delete_quote_line(line: QuoteLine, *, actor) -> None:
    quote = _draft_quote(line.quote)
    before = audit.snapshot(line)
    line.delete()
    _reprice_quote_totals(quote, actor)
    audit.record_delete(actor, line, before)


def _reprice_quote_totals(quote: Quote, actor) -> None:
    before = audit.snapshot(quote, ["net", "vat", "gross", "approved_by_id"])
    _retotal(quote, QuoteLine, "quote")
    # A changed quote must be approved again: the approval was for other figures.
    quote.approved_by, quote.approved_at = None, None
    quote.save()
    audit.record_update(actor, quote, before)
    _ask_for_approval(quote, actor)


@transaction.atomic
def approve_quote(quote: Quote, *, actor) -> Quote:
    quote = _draft_quote(quote)
    before = audit.snapshot(quote, ["approved_by_id", "approved_at"])
    quote.approved_by = _user(actor)
    quote.approved_at = timezone.now()
    quote.save()
    _transition(actor, quote, "approve", before=before)
    return quote


@transaction.atomic
def send_quote(quote: Quote, *, actor) -> Quote:
    """Send a draft to the job's contact, PDF attached (mailed by the worker once the
    commit succeeds)."""
    quote = _draft_quote(quote)
    if quote.needs_approval and quote.approved_at is None:
        raise ApprovalRequired(
            f"Quote {quote.reference} is over {settings.POSTDESK['QUOTE_APPROVAL_THRESHOLD']} "
            f"{quote.currency} and needs a supervisor's approval before it is sent",
            details={"net": str(quote.net)},
        )
    if not quote.lines.exists():
        raise InvalidInput("A quote with no lines cannot be sent")
    contact = quote.job.contact
    if contact is None or not contact.email:
        raise InvalidInput.field("contact", "The job has no contact with an email address")
    before = audit.snapshot(quote, ["status", "sent_at"])
    quote.status = Quote.Status.SENT
    quote.sent_at = timezone.now()
    quote.save()
    _transition(actor, quote, "send", {"to": contact.email}, before=before)
    # The worker renders the PDF from the committed quote and mails it, retrying when
    # the mail server fails; a mail server down never undoes or fails the sending.
    jobs.enqueue_on_commit("postdesk.billing.tasks.mail_quote", quote.pk, contact.email)
    # The contact gets the PDF above; the client's users of the portal hear that a quote
    # waits for their answer (notifications app).
    events.publish(events.QUOTE_TO_ACCEPT, subject=quote, actor=actor)
    return quote


@transaction.atomic
def respond_quote(quote: Quote, *, actor, accept: bool) -> Quote:
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.status != Quote.Status.SENT:
        raise InvalidTransition(f"Quote {quote.reference} is {quote.status}, not awaiting reply")
    if quote.valid_until < timezone.localdate():
        raise InvalidTransition(
            f"Quote {quote.reference} expired on {quote.valid_until}", code="quote_expired"
        )
    before = audit.snapshot(quote, ["status", "responded_at", "responded_by"])
    quote.status = Quote.Status.ACCEPTED if accept else Quote.Status.DECLINED
    quote.responded_at = timezone.now()
    quote.responded_by = audit.actor_label(actor)
    quote.save()
    _transition(actor, quote, "accept" if accept else "decline", before=before)
    return quote


@transaction.atomic
def expire_quotes(*, actor=audit.SYSTEM, today: datetime.date | None = None) -> int:
    """Sent quotes past their validity date become expired; returns how many."""
    today = today or timezone.localdate()
    stale = list(
        Quote.objects.select_for_update().filter(status=Quote.Status.SENT, valid_until__lt=today)
    )
    for quote in stale:
        before = audit.snapshot(quote, ["status"])
        quote.status = Quote.Status.EXPIRED
        quote.save()
        _transition(actor, quote, "expire", before=before)
    return len(stale)
