"""An asset is in a room or at a library location (never both), and its tag prints through
the library's label layouts: the same roll and sheet, the same scannable codes."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.engineering import services
from postdesk.engineering.models import Asset
from postdesk.library import services as library

pytestmark = pytest.mark.django_db


@pytest.fixture
def spares(site):
    return library.create_location(
        actor=SYSTEM, name="Spares store", kind="room", barcode="LOC-SPARES", site=site
    )


def test_an_asset_can_be_kept_at_a_library_location(spares):
    asset = services.create_asset(
        actor=SYSTEM, tag="ENG-100", make="Sony", model="PVM-A250", library_location=spares
    )
    assert Asset.objects.get(pk=asset.pk).library_location_id == spares.pk
    assert list(spares.assets.values_list("tag", flat=True)) == ["ENG-100"]


def test_an_asset_is_in_a_room_or_at_a_library_location_not_both(rooms, spares):
    with pytest.raises(InvalidInput, match="not both"):
        services.create_asset(
            actor=SYSTEM,
            tag="ENG-101",
            make="Sony",
            model="PVM-A250",
            room=rooms["grade1"],
            library_location=spares,
        )
    assert not Asset.objects.filter(tag="ENG-101").exists()


def test_an_archived_library_location_is_refused(spares):
    library.archive_location(spares, actor=SYSTEM)
    with pytest.raises(InvalidInput, match="archived"):
        services.create_asset(
            actor=SYSTEM, tag="ENG-102", make="Sony", model="X", library_location=spares
        )
    assert not Asset.objects.filter(tag="ENG-102").exists()


def test_the_api_sets_reads_and_clears_the_library_location(api_as, spares, rooms):
    api = api_as("engineer")
    made = api.post(
        "engineering/assets",
        {
            "tag": "ENG-103",
            "make": "Blackmagic",
            "model": "HyperDeck",
            "library_location": spares.pk,
        },
    )
    assert made.status_code == 201, made.json()
    assert made.json()["library_location"] == {"id": spares.pk, "name": "Spares store"}
    assert made.json()["room"] is None

    both = api.patch(f"engineering/assets/{made.json()['id']}", {"room": rooms["edit"].pk})
    assert both.status_code == 422
    assert both.json()["details"]["fields"]["library_location"] == [
        "An asset is in a room or at a library location, not both"
    ]

    moved = api.patch(
        f"engineering/assets/{made.json()['id']}",
        {"library_location": None, "room": rooms["edit"].pk},
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["library_location"] is None
    assert moved.json()["room"] == {"id": rooms["edit"].pk, "name": "Edit 1"}


def test_the_new_asset_page_takes_a_library_location(page_as, spares):
    http = page_as("engineer")
    response = http.post(
        reverse("engineering:asset_new"),
        {
            "tag": "ENG-104",
            "make": "AJA",
            "model": "Ki Pro",
            "status": "in_service",
            "library_location": spares.pk,
            "risk_class": "portable",
        },
    )
    asset = Asset.objects.get(tag="ENG-104")
    assert response.status_code == 302
    assert response["Location"] == reverse("engineering:asset", args=[asset.pk])
    assert asset.library_location_id == spares.pk
    page = http.get(response["Location"]).content.decode()
    assert "Spares store" in page
    assert reverse("engineering:asset_tag", args=[asset.pk]) in page


def _codes(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "tag.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    found = subprocess.run(["zbarimg", "-q", str(png)], capture_output=True, text=True).stdout
    return sorted(found.split())


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (zbar-tools) not installed")
def test_the_asset_tag_prints_as_a_scannable_label(page_as, rooms, tmp_path):
    asset = services.create_asset(
        actor=SYSTEM,
        tag="ENG-105",
        make="Sony",
        model="BVM-HX310",
        serial="S01",
        room=rooms["grade1"],
    )
    response = page_as("engineer").get(reverse("engineering:asset_tag", args=[asset.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="asset-tag-ENG-105-roll62x29.pdf"' in response["Content-Disposition"]
    assert _codes(response.content, tmp_path) == ["CODE-128:ENG-105", "QR-Code:ENG-105"]
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Sony BVM-HX310" in text and "S/N S01" in text and "Grade 1" in text


def test_the_asset_tag_api_and_its_refusals(api_as, page_as, rooms):
    asset = services.create_asset(actor=SYSTEM, tag="ENG-106", make="Sony", model="X")
    api = api_as("engineer")
    sheet = api.get(f"engineering/assets/{asset.pk}/tag", layout="a4_3x8")
    assert sheet.status_code == 200
    assert sheet["Content-Type"] == "application/pdf"
    assert api.get(f"engineering/assets/{asset.pk}/tag", layout="a5").status_code == 422
    assert api.get("engineering/assets/999999/tag").status_code == 404
    assert api_as("client").get(f"engineering/assets/{asset.pk}/tag").status_code == 403
    page = page_as("engineer").get(
        reverse("engineering:asset_tag", args=[asset.pk]), {"layout": "a5"}
    )
    assert page.status_code == 400
