"""The board page (a shell the board script draws from the API) and who may edit on it."""

import datetime
import json

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.models import User

pytestmark = pytest.mark.django_db


def board_config(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="board-config" type="application/json">') + len(
        '<script id="board-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_coordinator_gets_an_editable_board_with_jobs_and_bank_holidays(page_as, job, site):
    # given a bookings coordinator
    http = page_as("bookings")

    # when they open the board
    response = http.get("/board/")

    # then the page carries the edit controls and the config the script draws from
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="board-new"' in html
    assert 'id="board-undo"' in html
    assert 'data-can-edit="true"' in html
    config = board_config(response)
    assert config["canEdit"] is True
    assert config["timeZone"] == "Europe/London"
    assert config["view"] == "week"
    assert config["api"] == "/api/v1"
    label = f"{job.number} · Northlight Pictures / The Long Tide — Offline edit"
    assert config["jobs"] == [{"id": job.pk, "label": label}]
    year = int(config["today"][:4])
    assert config["holidays"][f"{year}-12-25"] == "Christmas Day"
    # and the filters offer clients and productions to a role that may see them
    assert 'name="client"' in html
    assert "Northlight Pictures" in html


def test_board_keeps_the_view_and_date_asked_for(page_as):
    response = page_as("bookings").get("/board/?view=4week&date=2026-03-02")

    config = board_config(response)
    assert config["view"] == "4week"
    assert config["date"] == "2026-03-02"


def test_board_ignores_a_nonsense_view_and_date(page_as):
    response = page_as("bookings").get("/board/?view=year&date=soon")

    assert response.status_code == 200
    config = board_config(response)
    assert config["view"] == "week"
    assert config["date"] == config["today"]


def test_runner_sees_a_read_only_board_without_money_or_clients(page_as, job):
    # given a runner (view_board only)
    http = page_as("runner")

    # when they open the board
    response = http.get("/board/")

    # then they read it, with no edit controls, no job list, no client filters, no money
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-can-edit="false"' in html
    assert 'id="board-new"' not in html
    assert 'id="board-undo"' not in html
    assert 'name="client"' not in html
    assert "Northlight Pictures" not in html
    assert "£" not in html
    assert "rate" not in html.lower()
    config = board_config(response)
    assert config["canEdit"] is False
    assert config["jobs"] == []


def test_board_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/board/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_board_refuses_a_user_without_a_role(client, db):
    nobody = User.objects.create_user(username="nobody", password="pw-for-tests")
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/board/")

    assert response.status_code == 403


def test_navigation_offers_board_and_resources(page_as):
    html = page_as("runner").get("/", follow=True).content.decode()

    assert '<a href="/board/">Board</a>' in html
    assert '<a href="/resources/">Resources</a>' in html


def test_board_page_costs_a_bounded_number_of_queries(
    page_as, job, other_job, django_assert_max_num_queries
):
    http = page_as("bookings")

    # (14: one is the facility's settings, for the working day the board draws; one the
    # header's unread notifications)
    with django_assert_max_num_queries(14):
        response = http.get("/board/")

    assert response.status_code == 200


def test_the_board_draws_the_facilitys_working_day(page_as):
    from postdesk.core import facility

    facility.update_facility_settings(
        actor=SYSTEM, board_day_start=datetime.time(8, 30), board_day_end=datetime.time(22, 0)
    )

    config = page_as("bookings").get("/board/").context["config"]

    assert (config["dayStart"], config["dayEnd"]) == ("08:30", "22:00")
