"""The library's home cards list the day's custody work (what is out, overdue, in today,
stock-takes still counting), each row a link, to the library and the administrator only."""

import datetime

import pytest
from django.utils import timezone

from postdesk.library import services

pytestmark = pytest.mark.django_db

TITLES = ("Media out", "Media overdue", "Media in today", "Open stock-takes")


def test_library_home_lists_out_overdue_in_and_stocktakes(
    home_card, register, librarian, vault, next_week, users
):
    shelved = register(title="Arrived master")
    lent = register(title="Out dub", generation="dub", format="digibeta")
    services.check_out(lent, actor=librarian, holder=users["runner"], due_back=next_week)
    late = register(
        title="Late drive",
        kind="drive",
        format="ssd",
        generation="clone",
        holder_name="Sam Reel",
        due_back=timezone.localdate() - datetime.timedelta(days=3),
    )
    sent = register(title="Sent reel", generation="dub", format="digibeta")
    services.dispatch(sent, actor=librarian, courier="Bikes", destination="Dub Co")
    take = services.start_stocktake(vault["rack1"], actor=librarian)

    cards = {t: home_card("library", t)[0] for t in TITLES}

    out = {r.label: (r.url, r.detail) for r in cards["Media out"]["rows"]}
    assert out[str(lent)] == (
        f"/library/media/{lent.pk}/",
        f"with {users['runner'].username}, due {next_week:%d %b}",
    )
    assert out[str(sent)][1] == "in transit to Dub Co"
    assert out[str(late)][1].startswith("with Sam Reel")
    assert cards["Media out"]["count"] == 3
    (row,) = cards["Media overdue"]["rows"]
    assert (row.label, row.url, row.detail) == (
        str(late),
        f"/library/media/{late.pk}/",
        "Sam Reel · 3d late",
    )
    arrived = [r.label for r in cards["Media in today"]["rows"]]
    assert str(shelved) in arrived and str(late) in arrived
    (row,) = cards["Open stock-takes"]["rows"]
    assert (row.label, row.url) == ("Stock-take of Rack 1", f"/library/stocktakes/{take.pk}/")


def test_an_empty_library_says_so(home_card):
    card, _, page = home_card("library", "Media overdue")

    assert card["rows"] == [] and card["count"] == 0
    assert "No check-out is overdue." in page
    assert "Everything is on the shelf." in page
    assert "No stock-take is open." in page


@pytest.mark.parametrize("role", ["bookings", "engineer", "accounts", "supervisor"])
def test_other_roles_do_not_get_the_librarys_work(role, page_as, register):
    register(holder_name="Sam", due_back=timezone.localdate() - datetime.timedelta(days=1))

    page = page_as(role).get("/").content.decode()

    for title in TITLES:
        assert title not in page, title


@pytest.mark.parametrize("title", TITLES)
def test_library_cards_cost_the_same_queries_however_many_rows(
    title, home_card, register, librarian, vault, users
):
    past = timezone.localdate() - datetime.timedelta(days=2)

    def add(n):
        for _ in range(n):
            register(holder=users["runner"], due_back=past)
            services.dispatch(register(), actor=librarian, courier="Bikes", destination="Dub Co")
            services.start_stocktake(register().location, actor=librarian)

    add(1)
    _, few, _ = home_card("admin", title)
    add(7)
    card, many, _ = home_card("admin", title)

    assert len(card["rows"]) == 6
    assert many == few
