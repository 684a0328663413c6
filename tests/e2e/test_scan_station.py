"""The scan station in a real browser, driven as a USB keyboard-wedge scanner drives it:
each code typed in fast keystrokes and then Enter. Items, then a shelf: they move, the
page says so (and beeps), a second reader sees the move; a double read within two
seconds is ignored; an unknown code offers to register it; focus never leaves the field."""

import pytest
from playwright.sync_api import expect

from postdesk.library import services
from postdesk.library.models import MediaItem

pytestmark = pytest.mark.django_db(transaction=True)


def scan(page, code: str) -> None:
    """A wedge scanner: the code's characters a few milliseconds apart, then Enter."""
    page.keyboard.type(code, delay=4)
    page.keyboard.press("Enter")


@pytest.fixture
def shelves(users, site):
    librarian = users["library"]
    vault = services.create_location(
        actor=librarian, name="Vault A", kind="vault", barcode="LOC-VAULT-A", site=site
    )
    return {
        name: services.create_location(
            actor=librarian, name=name, kind="shelf", parent=vault, barcode=code
        )
        for name, code in (("Shelf 1", "LOC-VAULT-A-S1"), ("Shelf 3", "LOC-VAULT-A-S3"))
    }


def test_wedge_scans_move_items_and_a_second_browser_sees_the_move(
    users, shelves, login, live_server, shot
):
    librarian = users["library"]
    items = [
        services.register_item(
            actor=librarian,
            title=f"Tide ep{n} dub",
            kind="tape",
            format="digibeta",
            generation="dub",
            location=shelves["Shelf 1"],
        )
        for n in (1, 2)
    ]
    station = login(users["runner"])
    station.goto(f"{live_server.url}/library/scan/")
    field = station.locator("#scan-code")
    expect(station.locator("#scan-station")).to_have_attribute("data-ready", "1")
    expect(field).to_be_focused()

    # two items, the first read twice by the scanner within two seconds
    scan(station, items[0].barcode)
    scan(station, items[0].barcode)
    expect(station.locator("#scan-status")).to_contain_text("read twice: ignored")
    scan(station, items[1].barcode)
    expect(station.locator("#scan-count")).to_have_text("2")
    expect(station.locator("#scan-pending li")).to_have_count(2)

    # then the destination: one request moves both, with a visible confirmation
    scan(station, "LOC-VAULT-A-S3")
    expect(station.locator("#scan-status")).to_have_text(
        "Moved 2 items to Shelf 3 (LOC-VAULT-A-S3)"
    )
    expect(station.locator("#scan-station")).to_have_attribute("data-state", "ok")
    expect(station.locator("#scan-count")).to_have_text("0")
    expect(field).to_be_focused()
    shot(station, "scan-station-moved")
    assert set(
        MediaItem.objects.filter(pk__in=[i.pk for i in items]).values_list("location", flat=True)
    ) == {shelves["Shelf 3"].pk}

    # a second browser, signed in as the librarian, sees the item on its new shelf
    reader = login(librarian)
    reader.goto(f"{live_server.url}/library/media/{items[0].pk}/")
    expect(reader.locator(".where .place")).to_contain_text("Shelf 3 (LOC-VAULT-A-S3)")
    expect(reader.locator("#history ~ table")).to_contain_text("Moved")

    # an unknown barcode is refused audibly and offered for registering where it is
    scan(station, "LOC-VAULT-A-S1")  # the shelf scanned last: where it would be registered
    scan(station, "TAPE-NEW-1")
    expect(station.locator("#scan-station")).to_have_attribute("data-state", "error")
    offer = station.locator("#scan-offer")
    expect(offer).to_be_visible()
    expect(offer.locator("code")).to_have_text("TAPE-NEW-1")
    expect(field).to_be_focused()


def test_an_unknown_code_is_registered_from_the_station_with_the_keyboard_alone(
    users, shelves, login, live_server
):
    station = login(users["library"])
    station.goto(f"{live_server.url}/library/scan/")
    expect(station.locator("#scan-station")).to_have_attribute("data-ready", "1")

    scan(station, "LOC-VAULT-A-S3")
    expect(station.locator("#scan-status")).to_contain_text("scan the items first")
    scan(station, "TAPE-NEW-2")
    expect(station.locator("#scan-offer")).to_be_visible()
    station.keyboard.press("Enter")  # Enter on the empty field takes up the offer

    station.wait_for_url(f"{live_server.url}/library/media/new/**")
    expect(station.locator("#id_barcode")).to_have_value("TAPE-NEW-2")
    expect(station.locator("#id_location")).to_have_value(str(shelves["Shelf 3"].pk))
