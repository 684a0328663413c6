"""An administrator keeps the facility's details in a real browser (issue 11): opens the
Facility page from the menu, uploads a logo, saves, and sees it kept; money on the billing
pages reads as money."""

import io

import pytest

from postdesk.core import facility

pytestmark = pytest.mark.django_db(transaction=True)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (30, 58, 95)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.e2e
def test_an_admin_sets_the_letterhead_and_logo_in_the_browser(
    login, make_user, live_server, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = login(make_user("admin"))
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    page.click("nav >> text=Facility")
    page.fill("input[name=name]", "Soho Post Ltd")
    page.fill("textarea[name=address]", "12 Wardour Street\nLondon W1D 6QF")
    page.fill("input[name=vat_number]", "GB 123 4567 89")
    page.fill("input[name=company_number]", "09876543")
    page.set_input_files(
        "input[name=logo]", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.click("main button:has-text('Save')")

    page.wait_for_selector("text=Saved the facility's details.")
    assert page.locator("img.logo-preview").count() == 1
    shot(page, "facility-settings")
    row = facility.current()
    assert (row.name, row.vat_number, row.company_number) == (
        "Soho Post Ltd",
        "GB 123 4567 89",
        "09876543",
    )
    assert row.logo.name.startswith("facility/logo-")
    assert problems == []
