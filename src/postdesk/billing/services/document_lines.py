"""The priced lines every billing document holds (quotes, job sheets, invoices): saved
within the column and line-count limits, a free line priced and put last, and the
document's totals from its saved lines."""

from django.db.models import Max
from django.utils import timezone

from postdesk.billing import limits
from postdesk.billing import lines as L
from postdesk.billing.rates import RateBook
from postdesk.core import audit


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
