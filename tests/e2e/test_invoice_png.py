"""A picture of a real invoice PDF for a person to look at (issue 11): rendered by WeasyPrint,
rasterised by poppler's pdftoppm into tests/e2e/artifacts/invoice.png."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest

from postdesk.billing import documents, services
from postdesk.core import facility
from postdesk.core.audit import SYSTEM
from postdesk.productions.services import update_client

# Billing's fixtures, brought into this directory by name (pytest finds them here).
from tests.billing.conftest import (  # noqa: F401
    baselight,
    colourist,
    make_booking,
    signed_sheet,
    standard_card,
    theatre,
)
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db
PDFTOPPM = shutil.which("pdftoppm")


def _logo(tmp_path) -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 90), (30, 58, 95))
    ImageDraw.Draw(image).text((18, 30), "SOHO POST", fill=(255, 255, 255), font_size=34)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm missing: apt-get install poppler-utils")
def test_an_invoice_renders_to_a_png_a_person_can_check(
    job, client_company, settings, tmp_path, request
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sheet_of = request.getfixturevalue("signed_sheet")
    room = request.getfixturevalue("theatre")
    person = request.getfixturevalue("colourist")

    settings.MEDIA_ROOT = tmp_path / "media"
    facility.update_facility_settings(
        actor=SYSTEM,
        name="Soho Post Ltd",
        address="12 Wardour Street\nLondon W1D 6QF",
        vat_number="GB 123 4567 89",
        company_number="09876543",
        email="accounts@sohopost.example",
        phone="+44 20 7946 0000",
        bank_details="Soho Post Ltd\nSort code 12-34-56 · Account 12345678\n"
        "IBAN GB29 NWBK 6016 1331 9268 19 · BIC NWBKGB2L",
        document_footer="Registered in England and Wales no. 09876543.",
        logo=SimpleUploadedFile("logo.png", _logo(tmp_path)),
    )
    update_client(
        client_company,
        actor=SYSTEM,
        name="Hollis & Grant Pictures",
        country="US",
        vat_number="",
        billing_address="Hollis & Grant Pictures\n9336 Civic Center Drive\n"
        "Beverly Hills, CA 90210\nUS",
    )
    draft = services.create_invoice(
        job=job,
        sheets=[
            sheet_of("2026-03-02", "09:00", "21:00", resources=[room, person]),
            sheet_of("2026-03-03", "09:00", "13:00"),
        ],
        actor=SYSTEM,
    )
    services.add_invoice_line(draft, actor=SYSTEM, service="Courier", quantity=Decimal(2))
    invoice = services.issue_invoice(draft, actor=SYSTEM, issue_date=datetime.date(2026, 3, 10))

    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "invoice.pdf"
    pdf.write_bytes(documents.invoice_pdf(invoice))
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "110", "-singlefile", str(pdf), str(ARTIFACTS / "invoice")],
        check=True,
        timeout=60,
    )

    png = (ARTIFACTS / "invoice.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    from PIL import Image

    with Image.open(ARTIFACTS / "invoice.png") as image:
        # One A4 page (210 × 297 mm) at 110 dpi
        assert image.size == (910, 1287)
