"""Plain dicts of billing records for the API and the pages (Decimals stay Decimals; the
API renderer writes them as strings)."""

from decimal import Decimal

from postdesk.billing import queries


def card_out(card) -> dict:
    return {
        "id": card.pk,
        "name": card.name,
        "is_standard": card.is_standard,
        "currency": card.currency,
        "valid_from": card.valid_from,
        "notes": card.notes,
        "archived_at": card.archived_at,
    }


def entry_out(entry) -> dict:
    return {
        "id": entry.pk,
        "card": entry.card_id,
        "resource": entry.resource_id,
        "skill": entry.skill_id,
        "resource_kind": entry.resource_kind,
        "service": entry.service,
        "label": entry.label,
        "unit": entry.unit,
        "hourly": entry.hourly,
        "half_day": entry.half_day,
        "day": entry.day,
        "unit_price": entry.unit_price,
        "category": entry.category,
        "nominal_code": entry.nominal_code,
        "vat_code": entry.vat_code,
    }


def line_out(line) -> dict:
    return {
        "id": line.pk,
        "kind": line.kind,
        "description": line.description,
        "resource": line.resource_id,
        "booking": line.booking_id,
        "date": line.date,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "breakdown": line.breakdown,
        "category": line.category,
        "nominal_code": line.nominal_code,
        "vat_code": line.vat_code,
        "vat_rate": line.vat_rate,
        "net": line.net,
        "vat": line.vat,
        "gross": line.gross,
    }


def _totals(doc) -> dict:
    return {"currency": doc.currency, "net": doc.net, "vat": doc.vat, "gross": doc.gross}


def quote_out(quote, lines: bool = True) -> dict:
    data = {
        "id": quote.pk,
        "reference": quote.reference,
        "job": quote.job_id,
        "job_number": quote.job.number,
        "client": quote.job.client_id,
        "client_name": quote.job.client.name,
        "version": quote.version,
        "status": quote.status,
        "valid_until": quote.valid_until,
        "notes": quote.notes,
        "terms": quote.terms,
        **_totals(quote),
        "needs_approval": quote.needs_approval,
        "approved_by": quote.approved_by.get_username() if quote.approved_by_id else None,
        "approved_at": quote.approved_at,
        "sent_at": quote.sent_at,
        "responded_at": quote.responded_at,
        "created_at": quote.created_at,
    }
    if lines:
        data["lines"] = [line_out(x) for x in quote.lines.all()]
    return data


def job_sheet_out(sheet, lines: bool = True) -> dict:
    data = {
        "id": sheet.pk,
        "job": sheet.job_id,
        "job_number": sheet.job.number,
        "client": sheet.job.client_id,
        "booking": sheet.booking_id,
        "status": sheet.status,
        "actual_start": sheet.actual_start,
        "actual_end": sheet.actual_end,
        "booked_start": sheet.booking.start if sheet.booking_id else None,
        "booked_end": sheet.booking.end if sheet.booking_id else None,
        "notes": sheet.notes,
        "operator_name": sheet.operator_name,
        "operator_signed_at": sheet.operator_signed_at,
        "client_name": sheet.client_name,
        "client_signed_at": sheet.client_signed_at,
        "invoice": sheet.invoice_id,
        **_totals(sheet),
    }
    if lines:
        data["lines"] = [line_out(x) for x in sheet.lines.all()]
    return data


def invoice_amounts(invoice) -> dict:
    """Paid, credited, outstanding and payment status, to the penny (queries.invoice_amounts)."""
    amounts = queries.invoice_amounts(invoice)
    q = Decimal("0.01")
    return {
        "paid": amounts["paid"].quantize(q),
        "credited": amounts["credited"].quantize(q),
        "outstanding": amounts["outstanding"].quantize(q),
        "payment_status": amounts["status"],
    }


def invoice_out(invoice, lines: bool = True) -> dict:
    data = {
        "id": invoice.pk,
        "number": invoice.number,
        "status": invoice.status,
        "job": invoice.job_id,
        "job_number": invoice.job.number,
        "client": invoice.client_id,
        "client_name": invoice.client_name or invoice.client.name,
        "client_address": invoice.client_address,
        "client_vat_number": invoice.client_vat_number,
        "reverse_charge": invoice.reverse_charge,
        # Decided at the tax point: a draft has none yet.
        "vat_treatment": invoice.vat_treatment if invoice.status == "issued" else None,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "notes": invoice.notes,
        **_totals(invoice),
        **invoice_amounts(invoice),
        "created_at": invoice.created_at,
    }
    if lines:
        data["lines"] = [line_out(x) for x in invoice.lines.all()]
        data["payments"] = [
            {"id": p.pk, "amount": p.amount, "received_on": p.received_on, "reference": p.reference}
            for p in invoice.payments.all()
        ]
        data["credit_notes"] = [
            {"id": n.pk, "number": n.number, "gross": n.gross} for n in invoice.credit_notes.all()
        ]
    return data


def credit_note_out(note, lines: bool = True) -> dict:
    data = {
        "id": note.pk,
        "number": note.number,
        "invoice": note.invoice_id,
        "invoice_number": note.invoice.number,
        "issue_date": note.issue_date,
        "reason": note.reason,
        **_totals(note),
    }
    if lines:
        data["lines"] = [
            {
                "id": x.pk,
                "invoice_line": x.invoice_line_id,
                "description": x.description,
                "vat_code": x.vat_code,
                "net": x.net,
                "vat": x.vat,
                "gross": x.gross,
            }
            for x in note.lines.all()
        ]
    return data


def budget_out(line) -> dict:
    return {
        "id": line.pk,
        "category": line.category,
        "amount": line.amount,
        "currency": line.currency,
        "notes": line.notes,
    }
