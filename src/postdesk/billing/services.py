"""Every write of billing: rate cards, quotes, job sheets, invoices, credit notes, payments,
budgets. Each is one transaction with its audit record; mail goes out on commit."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from postdesk.billing import limits, queries, supplier, vat
from postdesk.billing import lines as L
from postdesk.billing.models import (
    BudgetLine,
    Category,
    ClientDeal,
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    JobSheet,
    JobSheetLine,
    Payment,
    Quote,
    QuoteLine,
    RateCard,
    RateEntry,
    VatTreatment,
)
from postdesk.billing.pricing import vat_on, vat_rate
from postdesk.billing.rates import RateBook
from postdesk.core import audit, crud, facility, jobs
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from postdesk.core.inserts import insert_rows
from postdesk.core.models import AuditEntry
from postdesk.core.money import DEFAULT_CURRENCY, require_fits_column, round_money
from postdesk.core.roles import role_of
from postdesk.core.sequences import next_value
from postdesk.core.timeutil import require_date_in_window, require_instant


class ApprovalRequired(InvalidTransition):
    code = "approval_required"


class AlreadyIssued(InvalidTransition):
    code = "already_issued"


def _transition(actor, obj, verb: str, changes: dict | None = None, *, before=None):
    """Record a transition: every field that differs from `before` (a snapshot taken before
    the change), plus `changes` (facts that are not fields, such as where a quote went)."""
    recorded = {} if before is None else audit.diff(before, audit.snapshot(obj, before.keys()))
    recorded.update(changes or {})
    audit.record(actor, obj, AuditEntry.Action.TRANSITION, recorded, verb)


def _insert_entries(entries: list) -> None:
    """Several audit entries in one INSERT (none: nothing to write)."""
    if entries:
        insert_rows(entries)


def _user(actor):
    return actor if hasattr(actor, "_meta") else None


# --- rate cards and deals ---------------------------------------------------------------


@transaction.atomic
def create_rate_card(*, actor, **fields) -> RateCard:
    if fields.get("valid_from") is not None:
        require_date_in_window(fields["valid_from"], "valid_from")
    _require_one_standard_per_date(
        is_standard=fields.get("is_standard", False),
        currency=fields.get("currency", DEFAULT_CURRENCY),
        valid_from=fields.get("valid_from"),
    )
    return crud.create(RateCard, actor=actor, **fields)


@transaction.atomic
def update_rate_card(card: RateCard, *, actor, **changes) -> RateCard:
    card = _live_card(card)
    if changes.get("valid_from") is not None:
        require_date_in_window(changes["valid_from"], "valid_from")
    merged = {k: changes.get(k, getattr(card, k)) for k in ("is_standard", "valid_from")}
    _require_one_standard_per_date(currency=card.currency, exclude=card.pk, **merged)
    return crud.update(card, actor=actor, **changes)


def _require_one_standard_per_date(
    *, is_standard: bool, currency: str, valid_from, exclude: int | None = None
) -> None:
    """A second standard card from the same date (or a second without one) would replace
    the whole standard price list unseen: refuse it, naming the card in force."""
    if not is_standard:
        return
    clash = (
        RateCard.objects.select_for_update()
        .filter(is_standard=True, currency=currency, archived_at__isnull=True)
        .filter(valid_from=valid_from)
        .exclude(pk=exclude)
        .first()
    )
    if clash is None:
        return
    since = f"from {valid_from:%d %b %Y}" if valid_from else "without a start date"
    raise InvalidInput(
        f"{clash.name} is already the standard {currency} card {since}. Give this card the "
        "date it takes over (valid_from), or archive the other card first",
        details={
            "fields": {"valid_from": [f"A standard {currency} card {since} exists already"]},
            "card": clash.pk,
        },
        code="standard_card_exists",
    )


def _live_card(card: RateCard) -> RateCard:
    card = RateCard.objects.select_for_update().get(pk=card.pk)
    if card.is_archived:
        raise InvalidTransition(f"Rate card {card.name} is archived and can no longer change")
    return card


def _entry_values(card: RateCard) -> list[dict]:
    """What the audit keeps of a card's prices when the card goes or stops applying."""
    return [audit.snapshot(entry) for entry in card.entries.order_by("pk")]


def rate_card_uses(card: RateCard) -> list[str]:
    """Why a card may not be deleted (empty: nothing depends on it)."""
    reasons = []
    if card.is_standard:
        reasons.append("it is a standard card")
    deals = ClientDeal.objects.filter(card=card).count()
    if deals:
        reasons.append(f"{deals} client deal{'s name' if deals != 1 else ' names'} it")
    entry_ids = list(card.entries.values_list("pk", flat=True))
    if entry_ids:
        for model, what in (
            (QuoteLine, "quote"),
            (JobSheetLine, "job sheet"),
            (InvoiceLine, "invoice"),
        ):
            # Lines keep the entry that priced them in their breakdown (lines.booking_lines).
            if model.objects.filter(breakdown__rate__entry__in=entry_ids).exists():
                reasons.append(f"{what} lines were priced from it")
    return reasons


@transaction.atomic
def delete_rate_card(card: RateCard, *, actor) -> None:
    """Only a card nothing depends on can go; the others are archived instead."""
    card = RateCard.objects.select_for_update().get(pk=card.pk)
    reasons = rate_card_uses(card)
    if reasons:
        raise Conflict(
            f"Rate card {card.name} cannot be deleted: {'; '.join(reasons)}. Archive it instead",
            details={"reasons": reasons},
            code="rate_card_in_use",
        )
    before = audit.snapshot(card)
    entries = list(card.entries.order_by("pk"))
    values = [audit.snapshot(entry) for entry in entries]
    card.delete()
    audit.record(
        actor,
        card,
        AuditEntry.Action.DELETE,
        {**audit.diff(before, {}), "entries": [values, None]},
        f"Rate card {before['name']} deleted with its {len(values)} entries",
        object_id=before["id"],
    )
    _insert_entries(
        [
            audit.entry(
                actor, entry, AuditEntry.Action.DELETE, audit.diff(value, {}), object_id=value["id"]
            )
            for entry, value in zip(entries, values, strict=True)
        ]
    )


@transaction.atomic
def archive_rate_card(card: RateCard, *, actor) -> RateCard:
    """The card stops pricing (quotes, job sheets and free lines fall back to the standard
    card); its entries stay, for the documents priced from them."""
    card = _live_card(card)
    values = _entry_values(card)
    before = audit.snapshot(card, ["archived_at"])
    card.archived_at = timezone.now()
    card.save(update_fields=["archived_at"])
    _transition(actor, card, "archive", {"entries": [values, values]}, before=before)
    return card


@transaction.atomic
def create_rate_entry(*, actor, card: RateCard, **fields) -> RateEntry:
    card = _live_card(card)
    _check_entry(fields)
    return crud.create(RateEntry, actor=actor, card=card, **fields)


@transaction.atomic
def update_rate_entry(entry: RateEntry, *, actor, **changes) -> RateEntry:
    _live_card(entry.card)
    merged = {k: getattr(entry, k) for k in ("resource", "skill", "resource_kind", "service")}
    merged.update({k: v for k, v in changes.items() if k in merged})
    _check_entry(merged)
    return crud.update(entry, actor=actor, **changes)


@transaction.atomic
def delete_rate_entry(entry: RateEntry, *, actor) -> None:
    _live_card(entry.card)
    crud.delete(entry, actor=actor)


def _check_entry(fields: dict) -> None:
    targets = [k for k in ("resource", "skill", "resource_kind", "service") if fields.get(k)]
    if targets == ["skill", "resource_kind"]:
        return  # a skill on one kind of resource: "Baselight" rooms, not Baselight people
    if len(targets) != 1:
        raise InvalidInput.field(
            "resource",
            "An entry prices exactly one of: a resource, a skill (optionally of "
            "one kind), a kind, a service",
        )


@transaction.atomic
def set_client_deal(
    *, actor, client, card: RateCard | None, discount_percent: Decimal, notes: str = ""
) -> ClientDeal:
    if not Decimal(0) <= Decimal(discount_percent) <= Decimal(100):
        raise InvalidInput.field("discount_percent", "Discount must be between 0 and 100")
    if card is not None:
        card = RateCard.objects.select_for_update().get(pk=card.pk)
    if card is not None and card.is_archived:
        raise InvalidInput.field("card", f"Rate card {card.name} is archived")
    if card is not None and card.currency != client.currency:
        raise InvalidInput.field("card", f"{client.name} is billed in {client.currency}")
    deal = ClientDeal.objects.filter(client=client).first()
    if deal is None:
        return crud.create(
            ClientDeal,
            actor=actor,
            client=client,
            card=card,
            discount_percent=discount_percent,
            notes=notes,
        )
    return crud.update(deal, actor=actor, card=card, discount_percent=discount_percent, notes=notes)


# --- quotes -----------------------------------------------------------------------------


def _save_lines(model, parent_field: str, parent, lines: list[dict], start: int = 0):
    """Save priced lines on a document: each must fit its columns, and the document may
    not pass MAX_DOCUMENT_LINES."""
    existing = model.objects.filter(**{parent_field: parent}).count() if parent.pk else 0
    limits.require_line_count(existing + len(lines))
    objs = []
    for i, line in enumerate(lines):
        line = limits.require_line_fits(dict(line), model)
        line.setdefault("position", start + i)
        objs.append(model(**{parent_field: parent}, **line))
    model.objects.bulk_create(objs)
    return objs


def _append_free_line(doc, line_model, parent_field: str, *, client, line: dict):
    """Price a free line for the document's client and currency today and put it last."""
    book = RateBook(client=client, currency=doc.currency)
    priced = L.free_line(
        book=book, client=client, currency=doc.currency, on=timezone.localdate(), **line
    )
    position = (doc.lines.aggregate(p=Max("position"))["p"] or 0) + 1
    (obj,) = _save_lines(line_model, parent_field, doc, [priced], start=position)
    return obj


def _retotal(doc, line_model, parent_field: str) -> None:
    """Totals from the saved lines; a sum too large for the document's columns is a 422."""
    net, vat, gross = L.totals(list(line_model.objects.filter(**{parent_field: doc})))
    doc.net, doc.vat, doc.gross = net, vat, gross
    limits.require_totals_fit(doc)


def _totals_of(doc) -> dict:
    return audit.snapshot(doc, ["net", "vat", "gross"])


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
    return quote


def _draft_quote(quote: Quote) -> Quote:
    quote = Quote.objects.select_for_update().select_related("job__client").get(pk=quote.pk)
    if quote.status != Quote.Status.DRAFT:
        raise InvalidTransition(f"Quote {quote.reference} is {quote.status}; only drafts change")
    return quote


@transaction.atomic
def update_quote(quote: Quote, *, actor, **changes) -> Quote:
    limits.require_day(changes.get("valid_until"), "valid_until")
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


# --- job sheets -------------------------------------------------------------------------


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


# --- invoices ---------------------------------------------------------------------------


@transaction.atomic
def create_invoice(*, job, sheets, actor, notes: str = "") -> Invoice:
    """A draft invoice from signed-off job sheets of one job (one, several, or all)."""

    ids = sorted({s.pk for s in sheets})
    if not ids:
        raise InvalidInput.field("job_sheets", "Choose at least one signed-off job sheet")
    limits.require_line_count(len(ids), "job_sheets")
    locked = list(JobSheet.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise InvalidInput.field("job_sheets", "Unknown job sheet")
    for sheet in locked:
        if sheet.job_id != job.pk:
            raise InvalidInput.field("job_sheets", f"Job sheet {sheet.pk} is for another job")
        if sheet.status != JobSheet.Status.SIGNED_OFF:
            raise InvalidTransition(
                f"Job sheet {sheet.pk} is {sheet.get_status_display().lower()}; only signed-off "
                "sheets not yet invoiced can be invoiced",
                code="job_sheet_not_ready",
            )
    client = job.client
    invoice = Invoice.objects.create(
        job=job, client=client, currency=client.currency, notes=notes, created_by=_user(actor)
    )
    copied = [
        L.copy_line(line)
        for line in JobSheetLine.objects.filter(sheet__in=locked).order_by(
            "sheet_id", "position", "pk"
        )
    ]
    for i, line in enumerate(copied):
        line["position"] = i
    _save_lines(InvoiceLine, "invoice", invoice, copied)
    _retotal(invoice, InvoiceLine, "invoice")
    invoice.save()
    JobSheet.objects.filter(pk__in=ids).update(status=JobSheet.Status.INVOICED, invoice=invoice)
    audit.record_create(actor, invoice, summary=f"Draft invoice for job {job.number}")
    _record_sheets_moved(actor, locked, JobSheet.Status.INVOICED, invoice.pk, "invoice")
    return invoice


def _record_sheets_moved(actor, sheets, status: str, invoice_id, verb: str) -> None:
    """One transition per job sheet that a bulk update moved on or off an invoice."""
    _insert_entries(
        [
            audit.entry(
                actor,
                sheet,
                AuditEntry.Action.TRANSITION,
                {"status": [sheet.status, status], "invoice_id": [sheet.invoice_id, invoice_id]},
                verb,
            )
            for sheet in sheets
        ]
    )


def _draft_invoice(invoice: Invoice) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.Status.DRAFT:
        raise AlreadyIssued(f"Invoice {invoice.number} is issued and can never be changed")
    return invoice


@transaction.atomic
def update_invoice(invoice: Invoice, *, actor, notes: str) -> Invoice:
    invoice = _draft_invoice(invoice)
    before = audit.snapshot(invoice)
    invoice.notes = notes
    invoice.save()
    audit.record_update(actor, invoice, before)
    return invoice


@transaction.atomic
def add_invoice_line(invoice: Invoice, *, actor, **line) -> InvoiceLine:
    invoice = _draft_invoice(invoice)
    before = _totals_of(invoice)
    obj = _append_free_line(invoice, InvoiceLine, "invoice", client=invoice.client, line=line)
    _retotal(invoice, InvoiceLine, "invoice")
    invoice.save()
    audit.record_create(actor, obj, summary=f"Line on draft invoice {invoice.pk}")
    audit.record_update(actor, invoice, before)
    return obj


@transaction.atomic
def delete_invoice(invoice: Invoice, *, actor) -> None:
    """Only a draft can go; its job sheets become invoiceable again."""
    invoice = _draft_invoice(invoice)
    before = audit.snapshot(invoice)
    sheets = list(invoice.job_sheets.select_for_update().order_by("pk"))
    invoice.job_sheets.update(status=JobSheet.Status.SIGNED_OFF, invoice=None)
    _record_sheets_moved(actor, sheets, JobSheet.Status.SIGNED_OFF, None, "release from invoice")
    invoice.lines.all().delete()
    invoice.delete()
    audit.record_delete(actor, invoice, before)


def format_number(fmt: str, *, year: int, number: int) -> str:
    # Numbers read INV-YYYY-NNNNNN: the date window keeps years at four digits, and a year
    # outside them would make numbers that sort and parse wrongly (INV-1-000001).
    if not 1000 <= year <= 9999:
        raise InvalidInput.field("issue_date", f"Year {year} cannot number a document")
    return fmt.format(year=year, number=number)


def require_issue_date(issue_date: datetime.date, *, actor, reason: str) -> None:
    """An issue date in the window, not far ahead, and far back only with an
    administrator's say-so and a reason (which the audit keeps)."""
    require_date_in_window(issue_date, "issue_date")
    today = timezone.localdate()
    ahead = settings.POSTDESK["INVOICE_FUTURE_DAYS"]
    if issue_date > today + datetime.timedelta(days=ahead):
        raise InvalidInput.field(
            "issue_date", f"An invoice may be dated at most {ahead} days ahead"
        )
    back = settings.POSTDESK["INVOICE_BACKDATE_DAYS"]
    if issue_date >= today - datetime.timedelta(days=back):
        return
    if _user(actor) is None:
        # System actors (the demo loader, management commands) are the operator's own code,
        # not a person at a screen; the audit still records the date and any reason.
        return
    if role_of(actor) != "admin":
        raise Forbidden(
            f"Dating an invoice more than {back} days back needs an administrator",
            details={"needs": "admin"},
        )
    if not reason.strip():
        raise InvalidInput.field(
            "reason", f"Say why the invoice is dated more than {back} days back"
        )


def _levy_vat_at_tax_point(invoice: Invoice, treatment: str, actor) -> None:
    """Apply to each line the VAT that the treatment decided at the tax point gives its own
    code (billing/vat.py). A draft priced when the client belonged elsewhere, or at another
    rate, is corrected here; each corrected line is saved and audited."""
    changed, entries = [], []
    for line in invoice.lines.all():
        code = vat.line_code(treatment, vat.supply_code_of(line))
        rate = vat_rate(code)
        amount = vat_on(line.net, code, invoice.currency)
        if (line.vat_code, line.vat_rate, line.vat) == (code, rate, amount):
            continue
        before = audit.snapshot(line, ["vat_code", "vat_rate", "vat", "gross"])
        line.vat_code, line.vat_rate, line.vat = code, rate, amount
        line.gross = line.net + amount
        changed.append(line)
        entries.append(
            audit.entry(
                actor,
                line,
                AuditEntry.Action.UPDATE,
                audit.diff(before, audit.snapshot(line, before.keys())),
                f"VAT at the tax point: {VatTreatment(treatment).label}",
            )
        )
    if changed:
        InvoiceLine.objects.bulk_update(changed, ["vat_code", "vat_rate", "vat", "gross"])
    _insert_entries(entries)


@transaction.atomic
def issue_invoice(
    invoice: Invoice, *, actor, issue_date: datetime.date | None = None, reason: str = ""
) -> Invoice:
    """Number and freeze a draft: the next number of the year's series, in this transaction."""
    issue_date = issue_date or timezone.localdate()
    require_issue_date(issue_date, actor=actor, reason=reason)
    invoice = _draft_invoice(invoice)
    if not invoice.lines.exists():
        raise InvalidInput("An invoice with no lines cannot be issued")
    before = audit.snapshot(invoice)
    client = invoice.client
    home = facility.current()
    treatment = vat.treatment_of_client(client, home=home.country)
    _levy_vat_at_tax_point(invoice, treatment, actor)
    _retotal(invoice, InvoiceLine, "invoice")
    invoice.client_name = client.name
    invoice.client_address = client.billing_address
    invoice.client_country = client.country
    invoice.client_vat_number = client.vat_number
    invoice.vat_treatment = treatment
    invoice.reverse_charge = treatment == VatTreatment.REVERSE_CHARGE
    invoice.supplier = supplier.snapshot(home)
    invoice.issue_date = issue_date
    invoice.due_date = issue_date + datetime.timedelta(days=client.payment_terms_days)
    invoice.issued_at = timezone.now()
    year = issue_date.year
    invoice.number = format_number(
        settings.POSTDESK["INVOICE_NUMBER_FORMAT"], year=year, number=next_value(f"invoice-{year}")
    )
    invoice.status = Invoice.Status.ISSUED
    invoice.save()
    _transition(
        actor,
        invoice,
        f"issue {invoice.number}",
        {"reason": reason.strip()} if reason.strip() else None,
        before=before,
    )
    return invoice


@transaction.atomic
def record_payment(
    invoice: Invoice, *, actor, amount: Decimal, received_on: datetime.date, reference: str = ""
) -> Payment:
    require_date_in_window(received_on, "received_on")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.Status.ISSUED:
        raise InvalidTransition("Payments are recorded against issued invoices only")
    if received_on < invoice.issue_date:
        raise InvalidInput.field(
            "received_on",
            f"{invoice.number} was issued on {invoice.issue_date}; a payment cannot be "
            "received before that",
        )
    amount = Decimal(amount)
    if amount <= 0 or amount != round_money(amount, invoice.currency):
        raise InvalidInput.field("amount", "Amount must be positive, in whole minor units")
    outstanding = queries.invoice_amounts(invoice)["outstanding"]
    if amount > outstanding:
        raise InvalidInput.field(
            "amount", f"Only {outstanding} {invoice.currency} is outstanding on {invoice.number}"
        )
    payment = Payment.objects.create(
        invoice=invoice,
        amount=amount,
        received_on=received_on,
        reference=reference,
        created_by=_user(actor),
    )
    audit.record_create(actor, payment, summary=f"Payment on {invoice.number}")
    return payment


# --- credit notes -----------------------------------------------------------------------


def remaining_by_line(invoice: Invoice) -> dict[int, tuple[Decimal, Decimal]]:
    """{invoice line id: (net, vat) not yet credited}."""
    credited = {
        row["invoice_line_id"]: (row["net"], row["vat"])
        for row in CreditNoteLine.objects.filter(invoice_line__invoice=invoice)
        .values("invoice_line_id")
        .annotate(net=Sum("net"), vat=Sum("vat"))
    }
    remaining = {}
    for line in invoice.lines.all():
        net, vat = credited.get(line.pk, (Decimal(0), Decimal(0)))
        remaining[line.pk] = (line.net - net, line.vat - vat)
    return remaining


@transaction.atomic
def create_credit_note(
    *,
    invoice: Invoice,
    actor,
    reason: str,
    lines: list[dict] | None = None,
    issue_date: datetime.date | None = None,
) -> CreditNote:
    """Credit an issued invoice, whole (lines=None: all that remains) or by line amounts
    [{"invoice_line": id, "net": Decimal}], never beyond what is left to credit."""
    if issue_date is not None:
        require_date_in_window(issue_date, "issue_date")
    if lines is not None:
        limits.require_line_count(len(lines))
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.Status.ISSUED:
        raise InvalidTransition("Only an issued invoice can be credited; edit the draft instead")
    if not reason.strip():
        raise InvalidInput.field("reason", "Say why the invoice is credited")
    remaining = remaining_by_line(invoice)
    by_id = {line.pk: line for line in invoice.lines.all()}
    if lines is None:
        wanted = [(pk, net) for pk, (net, _) in remaining.items() if net > 0]
    else:
        wanted = []
        for item in lines:
            pk, net = item["invoice_line"], Decimal(item["net"])
            if pk not in by_id:
                raise InvalidInput.field("lines", f"Line {pk} is not on invoice {invoice.number}")
            if net <= 0 or net != round_money(net, invoice.currency):
                raise InvalidInput.field("lines", "Credit amounts are positive, in minor units")
            wanted.append((pk, net))
    if not wanted:
        raise Conflict(f"Nothing is left to credit on {invoice.number}", code="fully_credited")
    asked: dict[int, Decimal] = {}
    for pk, net in wanted:
        asked[pk] = asked.get(pk, Decimal(0)) + net
    for pk, net in asked.items():
        if net > remaining[pk][0]:
            raise Conflict(
                f"Line {pk} has only {remaining[pk][0]} {invoice.currency} left to credit",
                code="over_credit",
                details={"line": pk, "remaining": str(remaining[pk][0])},
            )
    issue_date = issue_date or timezone.localdate()
    number = format_number(
        settings.POSTDESK["CREDIT_NOTE_NUMBER_FORMAT"],
        year=issue_date.year,
        number=next_value(f"credit-{issue_date.year}"),
    )
    note_lines = []
    for pk, net in asked.items():
        source = by_id[pk]
        left_net, left_vat = remaining[pk]
        # The last part of a line takes exactly the VAT left, so rounding never over-credits.
        vat = (
            left_vat
            if net == left_net
            else min(vat_on(net, source.vat_code, invoice.currency), left_vat)
        )
        note_lines.append(
            CreditNoteLine(
                invoice_line=source,
                description=source.description,
                vat_code=source.vat_code,
                vat_rate=source.vat_rate,
                nominal_code=source.nominal_code,
                net=net,
                vat=vat,
                gross=net + vat,
            )
        )
    for line in note_lines:
        limits.require_totals_fit(line)
    net, vat, gross = L.totals(note_lines)
    note = CreditNote(
        invoice=invoice,
        number=number,
        issue_date=issue_date,
        reason=reason.strip(),
        currency=invoice.currency,
        supplier=supplier.snapshot(),
        net=net,
        vat=vat,
        gross=gross,
        created_by=_user(actor),
    )
    limits.require_totals_fit(note)
    note.save(force_insert=True)
    for line in note_lines:
        line.credit_note = note
    CreditNoteLine.objects.bulk_create(note_lines)
    changes = audit.created(note)
    changes["lines"] = [None, [audit.snapshot(line) for line in note_lines]]
    audit.record(
        actor,
        note,
        AuditEntry.Action.CREATE,
        changes,
        f"Credit note {number} against {invoice.number}",
    )
    return note


# --- budgets ----------------------------------------------------------------------------


def _budget_values(line: dict) -> dict:
    """One budget line's values, or a 422 before anything is written."""
    category, notes = line.get("category"), line.get("notes", "")
    if category not in Category.values:
        raise InvalidInput.field(
            "category", f"category must be one of {', '.join(Category.values)}"
        )
    try:
        amount = Decimal(line.get("amount"))
    except (TypeError, ArithmeticError, ValueError):
        raise InvalidInput.field("amount", "amount is a decimal number") from None
    if amount < 0:
        raise InvalidInput.field("amount", "A budget may not be negative")
    require_fits_column(amount, BudgetLine, "amount")
    if not isinstance(notes, str):
        raise InvalidInput.field("notes", "notes must be text")
    return {"category": category, "amount": amount, "notes": notes}


@transaction.atomic
def set_budget(*, production, lines: list[dict], actor) -> list[BudgetLine]:
    """Set the production's budget for each category in `lines` ({category, amount,
    notes}), all or none: every line is checked before the first is written, and the
    writes share one transaction, so a refusal leaves the budget as it was."""
    if len(lines) > len(Category.choices):
        raise InvalidInput.field(
            "budget", f"A budget has one line per category: at most {len(Category.choices)}"
        )
    values = [_budget_values(line) for line in lines]
    existing = {
        b.category: b
        for b in BudgetLine.objects.select_for_update().filter(
            production=production, category__in=[v["category"] for v in values]
        )
    }
    written = []
    for v in values:
        line = existing.get(v["category"])
        if line is None:
            line = crud.create(
                BudgetLine,
                actor=actor,
                production=production,
                currency=production.client.currency,
                **v,
            )
        else:
            line = crud.update(line, actor=actor, amount=v["amount"], notes=v["notes"])
        existing[v["category"]] = line
        written.append(line)
    return written


def set_budget_line(
    *, production, category: str, amount: Decimal, actor, notes: str = ""
) -> BudgetLine:
    """One category's budget (see set_budget)."""
    lines = [{"category": category, "amount": amount, "notes": notes}]
    return set_budget(production=production, lines=lines, actor=actor)[0]


def delete_budget_line(line: BudgetLine, *, actor) -> None:
    crud.delete(line, actor=actor)
