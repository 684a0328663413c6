"""Printed labels as PDF: a Code128 barcode, a QR code of the same code, a title and a few
lines of text, on 62 × 29 mm continuous rolls (Brother QL, one label per page) or on A4
sheets of 3 × 8.

The renderer knows nothing of media items: it takes `Label`s (code, title, lines), so that
engineering's asset tags print through the same layouts. `item_label` makes the library's
own label (production and generation under the title).
"""

import base64
import datetime
import enum
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from postdesk.core import timeutil
from postdesk.core.errors import InvalidInput
from postdesk.library.models import MediaItem

# A label holds little text: longer values are cut with an ellipsis rather than letting
# them push the codes off the label.
TITLE_MAX = 60
LINE_MAX = 40
LINES_MAX = 3
# One PDF is one print job, rendered while the request waits (about 0.1 s a label on
# this machine): ten A4 sheets, or a day's intake on the roll.
LABELS_MAX = 240
# Code128's narrowest bar: three dots of a 300 dpi Brother QL head (0.0847 mm each), so
# every bar is a whole number of printer dots when the barcode is printed at full size.
MODULE_MM = 0.254
# The A4 sheet's grid: 3 columns of 70 × 37 mm labels (the template's CSS says the same).
A4_COLUMNS = 3
A4_CELL_MM = (70, 37)


class Layout(enum.StrEnum):
    """The label stock. Each layout's page and cell sizes are in its template's CSS."""

    ROLL_62X29 = "roll62x29"
    A4_3X8 = "a4_3x8"

    @property
    def per_page(self) -> int:
        return 1 if self is Layout.ROLL_62X29 else 24

    @property
    def label(self) -> str:
        return LAYOUT_LABELS[self]


LAYOUT_LABELS = {
    Layout.ROLL_62X29: "62 × 29 mm roll (Brother QL), one label per page",
    Layout.A4_3X8: "A4 sheet, 3 × 8 labels of 70 × 37 mm",
}


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Label:
    """What one label shows: `code` as Code128 and QR and in plain text, `title` in bold,
    then `lines`."""

    code: str
    title: str
    lines: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if not self.code or not self.code.isascii() or not self.code.isprintable():
            # Code128 carries printable ASCII only; a code outside it could not be scanned.
            raise InvalidInput.field("code", f"{self.code!r} cannot be printed as Code128")


def code128_modules(code: str) -> str:
    """Code128's bars and spaces for `code`, one character a module ("1" a bar), as
    python-barcode encodes it (switching to charset C for runs of digits)."""
    import barcode

    return barcode.get("code128", code).build()[0]


def code128_svg(code: str) -> str:
    """The Code128 barcode of `code` as an SVG document drawn in module units, with the
    standard quiet zone of ten modules each side.

    python-barcode's own SVG writer sizes its bars in millimetres without a viewBox, so a
    label could not shrink a long code to fit; drawn in modules with
    preserveAspectRatio="none", the barcode scales to whatever box the label gives it and
    every bar keeps its proportion to the others. The bars are one path, not a rect each:
    WeasyPrint's time per label went mostly to parsing SVG nodes.
    """
    modules = code128_modules(code)
    quiet = 10
    bars = []
    x = 0
    while x < len(modules):
        if modules[x] == "1":
            end = x
            while end < len(modules) and modules[end] == "1":
                end += 1
            bars.append(f"M{quiet + x} 0h{end - x}v1h-{end - x}z")
            x = end
        else:
            x += 1
    width = len(modules) + 2 * quiet
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 1" '
        f'width="{width * MODULE_MM:.3f}mm" height="10mm" preserveAspectRatio="none">'
        f'<path fill="#000" d="{"".join(bars)}"/></svg>'
    )


def code128_width_mm(code: str) -> float:
    """The printed width of `code`'s barcode at full size (MODULE_MM a module)."""
    return (len(code128_modules(code)) + 20) * MODULE_MM


def qr_svg(code: str) -> str:
    """The QR code of `code` as an SVG document. Full QR, never Micro QR (which segno picks
    for short codes and which most phone and handheld readers do not read)."""
    import segno

    out = io.BytesIO()
    segno.make_qr(code, error="m").save(out, kind="svg", border=0, xmldecl=False)
    return out.getvalue().decode()


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def render_labels(labels: Sequence[Label], layout: Layout) -> bytes:
    """The PDF of `labels` in `layout`: one page per label on a roll, 24 to a sheet on A4."""
    from weasyprint import HTML

    if not labels:
        raise InvalidInput("There are no labels to print.")
    if len(labels) > LABELS_MAX:
        raise InvalidInput(f"At most {LABELS_MAX} labels can be printed at once.")
    cells = [
        {
            "code": x.code,
            "title": _cut(x.title, TITLE_MAX),
            "lines": [_cut(line, LINE_MAX) for line in x.lines[:LINES_MAX] if line],
            "barcode": _data_uri(code128_svg(x.code)),
            "barcode_mm": f"{code128_width_mm(x.code):.2f}",
            "qr": _data_uri(qr_svg(x.code)),
        }
        for x in labels
    ]
    per_page = layout.per_page
    if layout is Layout.A4_3X8:
        # Each label's place on its sheet, row by row (the template places them absolutely).
        for i, cell in enumerate(cells):
            row, col = divmod(i % per_page, A4_COLUMNS)
            cell["left_mm"], cell["top_mm"] = col * A4_CELL_MM[0], row * A4_CELL_MM[1]
    pages = [cells[i : i + per_page] for i in range(0, len(cells), per_page)]
    html = render_to_string("library/labels/labels.html", {"layout": layout.value, "pages": pages})
    return HTML(string=html).write_pdf()


def item_label(item: MediaItem) -> Label:
    """The library's label: barcode, title, then production and generation."""
    production = item.production.title if item.production_id else ""
    return Label(
        code=item.barcode,
        title=item.title,
        lines=tuple(x for x in (production, item.get_generation_display()) if x),
    )


def item_labels(items: Iterable[MediaItem]) -> list[Label]:
    return [item_label(x) for x in items]


def labelled_items(queryset):
    """`queryset` of items with what their labels print, in barcode order."""
    return queryset.select_related("production").order_by("barcode")


def registered_on(queryset, day: datetime.date | None = None):
    """The items of `queryset` registered on the facility's local `day` (default today)."""
    day = day or timezone.localdate(timezone.now(), timeutil.facility_zone())
    start, end = timeutil.local_day_bounds(day, timeutil.facility_zone())
    return queryset.filter(created_at__gte=start, created_at__lt=end)


def items_for_labels(
    queryset, *, ids=(), barcodes=(), registered_today: bool = False
) -> list[MediaItem]:
    """The items of `queryset` (scoped to the user) to print: those registered today, or
    those named by id or barcode. A barcode that names no item is refused, so a typo
    never silently drops a label from the run."""
    if registered_today:
        chosen = registered_on(queryset)
    else:
        codes = list(dict.fromkeys(c.strip().upper() for c in barcodes if c.strip()))
        if len(ids) + len(codes) > LABELS_MAX:
            raise InvalidInput.field(
                "items", f"At most {LABELS_MAX} labels can be printed at once."
            )
        chosen = queryset.filter(Q(pk__in=list(ids)) | Q(barcode__in=codes))
        found = set(chosen.filter(barcode__in=codes).values_list("barcode", flat=True))
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise InvalidInput.field("barcodes", f"No item with barcode {', '.join(unknown[:10])}")
    items = list(labelled_items(chosen)[: LABELS_MAX + 1])
    if not items:
        raise InvalidInput.field("items", "No items to print labels for.")
    if len(items) > LABELS_MAX:
        raise InvalidInput.field("items", f"At most {LABELS_MAX} labels can be printed at once.")
    return items


def pdf_filename(items: Sequence[MediaItem], layout: Layout) -> str:
    first = items[0].barcode if len(items) == 1 else f"{len(items)}-items"
    # Barcodes are printable ASCII; anything else becomes "-" in a file name.
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in first)
    return f"labels-{safe}-{layout.value}.pdf"
