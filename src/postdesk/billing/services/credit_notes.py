"""Credit notes: an issued invoice credited whole or by line amounts, never beyond what
is left to credit on each line."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from postdesk.billing import limits, supplier
from postdesk.billing import lines as L
from postdesk.billing.models import CreditNote, CreditNoteLine, Invoice
from postdesk.billing.pricing import vat_on
from postdesk.billing.services.invoices import format_number
from postdesk.billing.services.records import _user
from postdesk.core import audit
from postdesk.core.errors import Conflict, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.core.money import round_money
from postdesk.core.sequences import next_value
from postdesk.core.timeutil import require_date_in_window


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


def _credit_asked(invoice: Invoice, lines, remaining, by_id) -> dict[int, Decimal]:
    """{invoice line id: net to credit} from `lines` ([{"invoice_line", "net"}], or None
    for all that remains), refused when a line is not the invoice's, an amount is not
    positive in minor units, nothing is left, or a line would be credited beyond what
    `remaining` ({id: (net, vat)}) leaves."""
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
    return asked


def _credit_lines(asked: dict, remaining: dict, by_id: dict, currency: str) -> list:
    """The credit note's lines (unsaved): each credited net with its VAT, the code, rate
    and nominal of the invoice line it credits."""
    note_lines = []
    for pk, net in asked.items():
        source = by_id[pk]
        left_net, left_vat = remaining[pk]
        # The last part of a line takes exactly the VAT left, so rounding never over-credits.
        vat = left_vat if net == left_net else min(vat_on(net, source.vat_code, currency), left_vat)
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
    return note_lines


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
    asked = _credit_asked(invoice, lines, remaining, by_id)
    issue_date = issue_date or timezone.localdate()
    number = format_number(
        settings.POSTDESK["CREDIT_NOTE_NUMBER_FORMAT"],
        year=issue_date.year,
        number=next_value(f"credit-{issue_date.year}"),
    )
    note_lines = _credit_lines(asked, remaining, by_id, invoice.currency)
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
