"""The facility settings page (issue 11): administrators keep the letterhead, VAT, company
and bank details there; the logo goes through the storage API under a name of our making."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from postdesk.core import facility
from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry
from postdesk.core.roles import ROLES

pytestmark = pytest.mark.django_db
URL = "/settings/facility/"


def png_bytes(width: int = 40, height: int = 20, kind: str = "PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 58, 95)).save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def form_data(**overrides) -> dict:
    data = {
        "name": "Soho Post Ltd",
        "address": "12 Wardour Street\nLondon W1D 6QF",
        "country": "GB",
        "vat_number": "GB123456789",
        "company_number": "09876543",
        "email": "accounts@sohopost.example",
        "phone": "+44 20 7946 0000",
        "bank_details": "Sort code 12-34-56\nAccount 12345678",
        "payment_terms_days": "14",
        "document_footer": "Registered in England and Wales.",
        "locale": "en_GB",
        "board_day_start": "08:00",
        "board_day_end": "22:00",
    }
    data.update(overrides)
    return data


def test_the_url_is_the_named_page():
    assert reverse("facility-settings") == URL


def test_an_admin_saves_the_facilitys_details_and_logo_through_the_page(page_as, _media):
    http = page_as("admin")
    assert http.get(URL).status_code == 200

    logo = SimpleUploadedFile("../../etc/passwd.png", png_bytes(), content_type="image/png")
    response = http.post(URL, {**form_data(), "logo": logo})

    assert response.status_code == 302
    assert response["Location"] == URL
    row = facility.current()
    assert (row.name, row.vat_number, row.company_number) == (
        "Soho Post Ltd",
        "GB123456789",
        "09876543",
    )
    assert (row.payment_terms_days, row.bank_details) == (
        14,
        "Sort code 12-34-56\nAccount 12345678",
    )
    # The stored name is ours, never the uploader's
    assert re.fullmatch(r"facility/logo-[0-9a-f]{32}\.png", row.logo.name)
    assert (_media / row.logo.name).read_bytes() == png_bytes()
    entry = AuditEntry.objects.filter(object_type="core.facilitysettings").latest("id")
    assert entry.changes["logo"] == ["", row.logo.name]
    assert entry.changes["name"][1] == "Soho Post Ltd"
    # The page shows the logo it keeps and the details saved
    page = http.get(URL).content.decode()
    assert 'src="data:image/png;base64,' in page
    assert "GB123456789" in page


def test_saving_without_a_new_logo_keeps_the_one_there(page_as):
    http = page_as("admin")
    http.post(URL, {**form_data(), "logo": SimpleUploadedFile("a.png", png_bytes())})
    kept = facility.current().logo.name

    assert http.post(URL, form_data(name="Soho Post Group")).status_code == 302

    row = facility.current()
    assert (row.name, row.logo.name) == ("Soho Post Group", kept)


def test_the_logo_can_be_removed(page_as):
    http = page_as("admin")
    http.post(URL, {**form_data(), "logo": SimpleUploadedFile("a.png", png_bytes())})

    assert http.post(URL, {**form_data(), "remove_logo": "on"}).status_code == 302

    assert not facility.current().logo


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"logo": SimpleUploadedFile("logo.png", b"not an image at all", "image/png")}, "logo"),
        ({"logo": SimpleUploadedFile("logo.bmp", png_bytes(kind="BMP"), "image/bmp")}, "logo"),
        ({"logo": SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * 600_000)}, "logo"),
        ({"locale": "xx_NOPE"}, "locale"),
        ({"country": "Britain"}, "country"),
        ({"email": "not-an-address"}, "email"),
        ({"board_day_start": "23:00", "board_day_end": "07:00"}, None),
        ({"name": ""}, "name"),
    ],
    ids=["not-image", "bmp", "too-big", "locale", "country", "email", "day", "no-name"],
)
def test_bad_input_is_refused_and_changes_nothing(page_as, _media, overrides, field):
    http = page_as("admin")
    before = facility.current()

    response = http.post(URL, form_data(**overrides))

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert (field or "__all__") in errors
    after = facility.current()
    assert (after.name, after.locale, after.country, after.logo.name) == (
        before.name,
        before.locale,
        before.country,
        "",
    )
    assert not AuditEntry.objects.filter(object_type="core.facilitysettings").exists()
    assert [path for path in _media.rglob("*") if path.is_file()] == []


def noise_png(side: int) -> bytes:
    """A PNG that does not compress: about side × side × 3 bytes."""
    import os

    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content", [png_bytes(5000, 4000), noise_png(500)], ids=["too-many-pixels", "too-many-bytes"]
)
def test_the_service_refuses_an_oversized_logo_whatever_calls_it(_media, content):
    from postdesk.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        facility.update_facility_settings(
            actor=SYSTEM, logo=SimpleUploadedFile("huge.png", content)
        )

    assert "logo" in refused.value.details["fields"]
    assert not facility.current().logo
    assert [path for path in _media.rglob("*") if path.is_file()] == []


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"admin"}))
def test_only_administrators_may_open_or_post_it(page_as, role):
    http = page_as(role)

    assert http.get(URL).status_code == 403
    assert http.post(URL, form_data(name="Hijacked")).status_code == 403
    assert facility.current().name != "Hijacked"


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", sorted(ROLES))
def test_the_page_is_in_the_menu_of_exactly_who_may_open_it(page_as, role):
    http = page_as(role)
    nav = [item["label"] for item in http.get("/", follow=True).context["nav_items"]]

    assert ("Facility" in nav) == (http.get(URL).status_code == 200)
    assert ("Facility" in nav) == (role == "admin")
