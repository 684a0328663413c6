"""Labels as PDF (library/labels.py): page size and count for each stock, the barcode
and the QR code decode to the item's barcode, and the selection rules."""

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from postdesk.core.errors import InvalidInput
from postdesk.library import labels
from postdesk.library.labels import Label, Layout, render_labels
from postdesk.library.models import MediaItem

MM = 72 / 25.4  # PDF points in a millimetre


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        (round(float(p.mediabox.width) / MM, 1), round(float(p.mediabox.height) / MM, 1))
        for p in reader.pages
    ]


def some_labels(n: int) -> list[Label]:
    return [
        Label(f"LIB-{i:06d}", f"Episode {i} master", ("The Long Tide", "Master"))
        for i in range(1, n + 1)
    ]


def test_roll_labels_are_62_by_29_mm_one_a_page():
    assert page_sizes_mm(render_labels(some_labels(3), Layout.ROLL_62X29)) == [(62.0, 29.0)] * 3


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (24, 1), (25, 2), (49, 3)])
def test_a4_sheets_hold_24_labels_each(count, pages):
    sizes = page_sizes_mm(render_labels(some_labels(count), Layout.A4_3X8))
    assert sizes == [(210.0, 297.0)] * pages


def test_the_pdf_carries_the_title_and_lines_as_text():
    pdf = render_labels(
        [Label("LIB-000042", "Ep4 protection", ("Low Water", "Dub"))], Layout.A4_3X8
    )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in ("Ep4 protection", "Low Water", "Dub", "LIB-000042"):
        assert expected in text


def bars_of(svg: str) -> str:
    """The module pattern drawn by an SVG of code128_svg: "1" for each bar module."""
    width = int(re.search(r'viewBox="0 0 (\d+) 1"', svg).group(1))
    modules = ["0"] * width
    for x, w in re.findall(r"M(\d+) 0h(\d+)v1h-\d+z", svg):
        for i in range(int(x), int(x) + int(w)):
            modules[i] = "1"
    return "".join(modules).strip("0")


def test_the_barcode_svg_draws_code128_of_the_code():
    # Start code B (11010010000), the check symbol and the stop pattern (1100011101011)
    # frame the data; python-barcode's encoding is the reference for the symbols.
    drawn = bars_of(labels.code128_svg("LIB-000123"))
    assert drawn == labels.code128_modules("LIB-000123").strip("0")
    assert drawn.startswith("11010010000") and drawn.endswith("1100011101011")


def test_a_long_code_shrinks_to_the_label_and_text_is_cut():
    long = Label("ARCHIVE-1987-BBC-WOOD-LANE-0004411", "x" * 150, ("y" * 80,))
    pdf = render_labels([long], Layout.ROLL_62X29)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "x" * 59 + "…" in text.replace("\n", "") and "x" * 61 not in text
    assert page_sizes_mm(pdf) == [(62.0, 29.0)]


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (zbar-tools) not installed")
@pytest.mark.parametrize("layout", list(Layout))
def test_both_codes_decode_from_the_printed_page(tmp_path, layout):
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(render_labels([Label("LIB-000123", "Ep1 master", ("Low Water",))], layout))
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    found = subprocess.run(["zbarimg", "-q", str(png)], capture_output=True, text=True).stdout
    assert sorted(found.split()) == ["CODE-128:LIB-000123", "QR-Code:LIB-000123"]


@pytest.mark.parametrize("code", ["", "LIB-00é", "LIB\n1"])
def test_a_code_that_code128_cannot_carry_is_refused(code):
    with pytest.raises(InvalidInput):
        Label(code, "x")


def test_no_labels_and_too_many_labels_are_refused():
    with pytest.raises(InvalidInput):
        render_labels([], Layout.A4_3X8)
    with pytest.raises(InvalidInput):
        render_labels(some_labels(1) * (labels.LABELS_MAX + 1), Layout.A4_3X8)


@pytest.mark.django_db
def test_an_items_label_shows_title_production_and_generation(register, production):
    item = register(title="Ep1 master", production=production, generation="protection_master")
    assert labels.item_label(item) == Label(
        item.barcode, "Ep1 master", ("The Long Tide", "Protection master")
    )


@pytest.mark.django_db
def test_selection_by_id_barcode_or_registered_today(register):
    a = register(barcode="SEL-1", title="A")
    b = register(barcode="SEL-2", title="B")
    everything = MediaItem.objects.all()
    assert labels.items_for_labels(everything, ids=[b.pk], barcodes=[" sel-1 "]) == [a, b]
    assert labels.items_for_labels(everything, registered_today=True) == [a, b]
    MediaItem.objects.filter(pk=a.pk).update(created_at=a.created_at.replace(year=2020))
    assert labels.items_for_labels(everything, registered_today=True) == [b]
    with pytest.raises(InvalidInput) as refused:
        labels.items_for_labels(everything, barcodes=["SEL-1", "NOPE-9"])
    assert refused.value.details["fields"]["barcodes"] == ["No item with barcode NOPE-9"]
