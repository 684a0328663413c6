"""The runner board: posting, claiming, running, assigning, the live ETag and statistics."""

import datetime

import pytest
from django.utils import timezone

from postdesk.core.errors import Conflict, Forbidden
from postdesk.core.models import AuditEntry
from postdesk.frontdesk import queries, services
from postdesk.frontdesk.models import RunnerTask

pytestmark = pytest.mark.django_db


def _post(api, **fields):
    body = {"title": "Two teas, one oat milk", "place": "Suite 3", **fields}
    res = api.post("runner-tasks", body)
    assert res.status_code == 201, res.content
    return res.json()


def test_anyone_on_the_staff_posts_and_a_runner_claims_starts_and_finishes(api_as, users):
    task = _post(api_as("engineer"), priority="urgent")
    assert task["status"] == "open" and task["posted_by"] == "engineer-user"

    runner = api_as("runner")
    claimed = runner.post(f"runner-tasks/{task['id']}/claim").json()
    assert claimed["status"] == "claimed" and claimed["runner_id"] == users["runner"].pk
    assert runner.post(f"runner-tasks/{task['id']}/start").json()["status"] == "started"
    done = runner.post(f"runner-tasks/{task['id']}/finish").json()
    assert done["status"] == "done" and done["finished_at"] is not None

    actions = list(
        AuditEntry.objects.filter(object_type="frontdesk.runnertask")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "transition", "transition", "transition"]


def test_a_task_claimed_already_answers_409_naming_who_has_it(api_as, make_user):
    task = _post(api_as("reception"))
    assert api_as("runner").post(f"runner-tasks/{task['id']}/claim").status_code == 200
    second = make_user("runner", "second-runner")
    with pytest.raises(Conflict, match="claimed by runner-user"):
        services.claim_task(task["id"], actor=second)
    assert RunnerTask.objects.get(pk=task["id"]).runner.username == "runner-user"


def test_claim_by_a_role_that_does_not_run_tasks_is_403_and_changes_nothing(api_as):
    task = _post(api_as("reception"))
    res = api_as("engineer").post(f"runner-tasks/{task['id']}/claim")
    assert res.status_code == 403
    assert res.json()["details"] == {"needs": "run_tasks"}
    assert RunnerTask.objects.get(pk=task["id"]).status == "open"


def test_clients_do_not_see_the_runner_board(api_as):
    assert api_as("client").get("runner-tasks").status_code == 403


def test_only_the_tasks_runner_starts_or_finishes_it(api_as, make_user):
    task = _post(api_as("reception"))
    api_as("runner").post(f"runner-tasks/{task['id']}/claim")
    other = make_user("runner", "other-runner")
    with pytest.raises(Conflict, match="runner-user's, not yours"):
        services.start_task(task["id"], actor=other)
    with pytest.raises(Conflict):
        services.finish_task(task["id"], actor=other)


def test_a_head_runner_assigns_and_reassigns_but_only_to_runners(api_as, users, make_user):
    task = _post(api_as("bookings"))
    reception = api_as("reception")
    res = reception.post(f"runner-tasks/{task['id']}/assign", {"runner": users["runner"].pk})
    assert res.status_code == 200 and res.json()["runner_id"] == users["runner"].pk
    other = make_user("runner", "other-runner")
    res = reception.post(f"runner-tasks/{task['id']}/assign", {"runner": other.pk})
    assert res.json()["runner_id"] == other.pk and res.json()["status"] == "claimed"

    refused = reception.post(f"runner-tasks/{task['id']}/assign", {"runner": users["engineer"].pk})
    assert refused.status_code == 422
    assert (
        api_as("runner")
        .post(f"runner-tasks/{task['id']}/assign", {"runner": users["runner"].pk})
        .status_code
        == 403
    )


def test_the_poster_or_a_head_runner_cancels_others_may_not(api_as, users):
    task = _post(api_as("engineer"))
    with pytest.raises(Forbidden):
        services.cancel_task(task["id"], actor=users["library"])
    res = api_as("engineer").post(f"runner-tasks/{task['id']}/cancel")
    assert res.json()["status"] == "cancelled"
    # A cancelled task cannot be claimed any more.
    assert api_as("runner").post(f"runner-tasks/{task['id']}/claim").status_code == 409


def test_bad_input_is_a_clear_4xx_and_nothing_is_posted(api_as):
    api = api_as("engineer")
    assert api.post("runner-tasks", {"title": "", "place": "Suite 3"}).status_code == 422
    assert (
        api.post("runner-tasks", {"title": "x", "place": "y", "priority": "asap"}).status_code
        == 422
    )
    naive = api.post("runner-tasks", {"title": "x", "place": "y", "due_at": "2026-03-02T10:00:00"})
    assert naive.status_code == 422
    assert api.post("runner-tasks", {"title": "x", "place": "y", "extra": 1}).status_code == 422
    # An engineer may not claim (runners do): refused before the task is looked up.
    assert api.post("runner-tasks/999999/claim").status_code == 403
    assert api_as("runner").post("runner-tasks/999999/claim").status_code == 404
    assert RunnerTask.objects.count() == 0


def test_the_board_lists_urgent_first_and_polls_304_until_something_changes(api_as):
    poster = api_as("engineer")
    normal = _post(poster, title="Collect from the courier", place="Front door")
    urgent = _post(poster, title="Take LIB-000123 to Grading 2", place="Library", priority="urgent")
    runner = api_as("runner")
    first = runner.get("runner-tasks")
    assert [t["id"] for t in first.json()["tasks"]] == [urgent["id"], normal["id"]]
    etag = first["ETag"]
    again = runner.http.get("/api/v1/runner-tasks", HTTP_IF_NONE_MATCH=etag, **runner.headers)
    assert again.status_code == 304 and again.content == b""

    runner.post(f"runner-tasks/{normal['id']}/claim")
    changed = runner.http.get("/api/v1/runner-tasks", HTTP_IF_NONE_MATCH=etag, **runner.headers)
    assert changed.status_code == 200 and changed["ETag"] != etag
    statuses = {t["id"]: t["status"] for t in changed.json()["tasks"]}
    assert statuses == {urgent["id"]: "open", normal["id"]: "claimed"}


def test_the_poll_that_answers_304_costs_one_query(api_as, django_assert_max_num_queries):
    runner = api_as("runner")
    _post(api_as("engineer"))
    etag = runner.get("runner-tasks")["ETag"]
    with django_assert_max_num_queries(3):  # the token, its user's role, the aggregate
        res = runner.http.get("/api/v1/runner-tasks", HTTP_IF_NONE_MATCH=etag, **runner.headers)
    assert res.status_code == 304


def test_tasks_ended_before_today_leave_the_board_live_ones_stay(users):
    now = timezone.now()
    old = services.post_task(actor=users["engineer"], title="Old", place="A", now=now)
    services.claim_task(old.pk, actor=users["runner"])
    services.finish_task(old.pk, actor=users["runner"])
    stale = services.post_task(actor=users["engineer"], title="Stale but open", place="B")
    yesterday = queries.day_start(now) - datetime.timedelta(hours=1)
    RunnerTask.objects.filter(pk__in=[old.pk, stale.pk]).update(updated_at=yesterday)
    assert list(queries.board_rows(now).values_list("title", flat=True)) == ["Stale but open"]


def test_statistics_give_time_to_claim_and_to_finish(users):
    now = timezone.now()
    runner = users["runner"]
    for minutes_to_claim, minutes_to_finish in ((2, 10), (4, 20)):
        task = services.post_task(actor=users["engineer"], title="Tea", place="Suite 1")
        services.claim_task(task.pk, actor=runner)
        services.finish_task(task.pk, actor=runner)
        RunnerTask.objects.filter(pk=task.pk).update(
            created_at=now - datetime.timedelta(minutes=30),
            claimed_at=now - datetime.timedelta(minutes=30 - minutes_to_claim),
            finished_at=now - datetime.timedelta(minutes=30 - minutes_to_finish),
        )
    services.post_task(actor=users["engineer"], title="Still open", place="Suite 2")
    result = queries.stats(
        since=now - datetime.timedelta(days=1), until=now + datetime.timedelta(1)
    )
    assert result["posted"] == 3
    assert result["by_status"] == {"done": 2, "open": 1}
    assert result["time_to_claim"] == {"count": 2, "median_minutes": 3.0, "mean_minutes": 3.0}
    assert result["time_to_finish"] == {"count": 2, "median_minutes": 15.0, "mean_minutes": 15.0}


def test_the_stats_route_answers_with_its_schema(api_as):
    res = api_as("reception").get("runner-tasks/stats", days=7)
    assert res.status_code == 200
    assert res.json()["time_to_claim"] == {"count": 0, "median_minutes": None, "mean_minutes": None}
    assert api_as("reception").get("runner-tasks/stats", days=0).status_code == 422


def test_the_runners_home_is_the_runner_board_and_others_keep_their_cards(page_as):
    assert page_as("runner").get("/")["Location"] == "/runners/"
    assert page_as("reception").get("/")["Location"] == "/frontdesk/"
    assert page_as("engineer").get("/").status_code == 200


def test_the_page_posts_a_task_and_shows_it(page_as):
    page = page_as("reception")
    res = page.post(
        "/runners/",
        {"title": "Collect from the courier", "place": "Front door", "priority": "normal"},
    )
    assert res.status_code == 302
    task = RunnerTask.objects.get()
    assert task.title == "Collect from the courier" and task.posted_by.username == "reception-user"
    body = page.get("/runners/").content.decode()
    assert "Collect from the courier" in body and 'id="runner-board"' in body


def test_the_page_refuses_a_bad_form_with_400(page_as):
    res = page_as("reception").post("/runners/", {"title": "", "place": "Front door"})
    assert res.status_code == 400 and RunnerTask.objects.count() == 0
