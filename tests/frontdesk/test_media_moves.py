"""A media-move runner task ("take LIB-000123 to Grading 2") finishes with the library's
custody move, made by the runner; a move the library refuses leaves the task unfinished."""

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.frontdesk import services
from postdesk.frontdesk.models import RunnerTask
from postdesk.library import services as library
from postdesk.library.models import Movement

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(site):
    def loc(name, code):
        return library.create_location(
            actor=SYSTEM, name=name, kind="room", barcode=code, site=site
        )

    return {"vault": loc("Vault", "LOC-V"), "grading": loc("Grading 2", "LOC-G2")}


@pytest.fixture
def master(places):
    return library.register_item(
        actor=SYSTEM,
        title="Ep 1 master",
        kind="tape",
        format="hdcam_sr",
        generation="master",
        barcode="LIB-000123",
        location=places["vault"],
    )


def test_finishing_a_media_move_moves_the_item_as_the_runner(api_as, users, places, master):
    posted = api_as("bookings").post(
        "runner-tasks",
        {
            "title": "Take LIB-000123 to Grading 2",
            "place": "Vault",
            "media": "lib-000123",
            "move_to": places["grading"].pk,
        },
    )
    assert posted.status_code == 201, posted.content
    task = posted.json()
    assert (task["media"], task["move_to"]) == ("LIB-000123", "Grading 2")
    runner = api_as("runner")
    assert runner.post(f"runner-tasks/{task['id']}/claim").status_code == 200
    done = runner.post(f"runner-tasks/{task['id']}/finish")
    assert done.status_code == 200, done.content
    master.refresh_from_db()
    assert (master.custody, master.location_id) == ("location", places["grading"].pk)
    last = master.movements.order_by("-at", "-id").first()
    assert (last.action, last.actor_id) == (Movement.Action.MOVE, users["runner"].pk)
    assert last.note == f"Runner task {task['id']}: Take LIB-000123 to Grading 2"


def test_a_checked_out_item_is_checked_in_at_the_destination(users, places, master):
    import datetime

    from django.utils import timezone

    library.check_out(
        master,
        actor=SYSTEM,
        holder=users["engineer"],
        due_back=timezone.localdate() + datetime.timedelta(days=2),
    )
    task = services.post_task(
        actor=users["engineer"],
        title="Back to the vault",
        place="Suite 3",
        media=master,
        move_to=places["vault"],
    )
    services.claim_task(task.pk, actor=users["runner"])
    services.finish_task(task.pk, actor=users["runner"])
    master.refresh_from_db()
    assert (master.custody, master.location_id) == ("location", places["vault"].pk)
    assert master.movements.order_by("-at", "-id").first().action == Movement.Action.CHECK_IN


def test_a_move_the_library_refuses_leaves_the_task_unfinished(api_as, users, places, master):
    task = services.post_task(
        actor=users["bookings"],
        title="To grading",
        place="Vault",
        media=master,
        move_to=places["grading"],
    )
    services.claim_task(task.pk, actor=users["runner"])
    library.dispatch(master, actor=SYSTEM, courier="DHL", destination="Dolby")
    res = api_as("runner").post(f"runner-tasks/{task.pk}/finish")
    assert res.status_code == 409
    assert "LIB-000123" in res.json()["message"]
    assert RunnerTask.objects.get(pk=task.pk).status == "claimed"
    master.refresh_from_db()
    assert master.custody == "transit"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"media": "LIB-000123"}, "move_to"),
        ({"move_to": 1}, "media"),
        ({"media": "LIB-404", "move_to": 1}, "media"),
        ({"media": "LIB-000123", "move_to": 999999}, "move_to"),
    ],
)
def test_a_half_or_unknown_media_move_is_a_422(api_as, master, body, field):
    res = api_as("bookings").post("runner-tasks", {"title": "Move", "place": "Vault", **body})
    assert res.status_code == 422, res.content
    assert field in res.content.decode()
    assert RunnerTask.objects.count() == 0


def test_the_board_form_posts_a_media_move(page_as, places, master):
    res = page_as("reception").post(
        "/runners/",
        {
            "title": "Take it to grading",
            "place": "Vault",
            "priority": "normal",
            "media": "LIB-000123",
            "move_to": places["grading"].pk,
        },
    )
    assert res.status_code == 302
    task = RunnerTask.objects.get()
    assert (task.media_item_id, task.move_to_id) == (master.pk, places["grading"].pk)
    assert "Move LIB-000123 to Grading 2" in page_as("runner").get("/runners/").content.decode()
