"""Booking rights by kind: every role x booking kind (and job work type) x booking write,
through the API. The expected rights are written out here, from the README's roles table
(engineers book maintenance; the post coordinator books ADR and screenings), so that a
drift of core/roles.py shows up as a failure rather than passing along with it."""

import datetime

import pytest
from django.utils import timezone

from postdesk.core.audit import SYSTEM, WORKER
from postdesk.core.errors import Forbidden
from postdesk.core.models import AuditEntry
from postdesk.core.roles import CHANGE_BOOKINGS, ROLE_NAMES, ROLES, booking_refusal
from postdesk.productions import services as production_services
from postdesk.scheduling import services
from postdesk.scheduling.models import Allocation, Booking
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db

# case -> (booking kind, the job's work type)
KINDS = {
    "adr job": ("job", "adr"),
    "screening job": ("job", "screening"),
    "offline job": ("job", "offline"),
    "maintenance": ("maintenance", None),
    "leave": ("leave", None),
    "internal": ("internal", None),
}
EVERY_KIND = set(KINDS)
MAY_BOOK = {
    "admin": EVERY_KIND,
    "bookings": EVERY_KIND,
    "supervisor": EVERY_KIND,
    "coordinator": {"adr job", "screening job"},
    "engineer": {"maintenance"},
    "reception": set(),
    "library": set(),
    "runner": set(),
    "accounts": set(),
    "client": set(),
}
# Maintenance and leave are always confirmed: no pencil transitions apply to them.
PENCIL_KINDS = {"adr job", "screening job", "offline job", "internal"}
ACTIONS = {
    # action -> HTTP status when allowed
    "create": 201,
    "repeat": 201,
    "move": 200,
    "add resource": 200,
    "remove resource": 200,
    "split": 200,
    "confirm": 200,
    "release": 200,
    "challenge": 200,
    "cancel": 200,
    "complete": 200,
}
PENCIL_ONLY = {"confirm", "release", "challenge"}

CASES = [
    pytest.param(role, kind, action, id=f"{role}-{kind}-{action}")
    for role in ROLE_NAMES
    for kind in KINDS
    for action in ACTIONS
    if not (action in PENCIL_ONLY and kind not in PENCIL_KINDS)
]


@pytest.fixture
def world(site, production):
    rooms = [
        services.create_resource(actor=SYSTEM, kind="room", name=f"Room {n}", site=site)
        for n in (1, 2)
    ]
    jobs = {
        work_type: production_services.create_job(
            actor=SYSTEM, production=production, description=f"{work_type} work", **kw
        )
        for work_type, kw in (
            ("adr", {"work_type": "adr"}),
            ("screening", {"work_type": "screening"}),
            ("offline", {"work_type": "offline"}),
        )
    }
    return {"rooms": rooms, "jobs": jobs}


def _make(world, kind_case, *, status, resources=None, start=None, end=None):
    kind, work_type = KINDS[kind_case]
    if kind in ("maintenance", "leave"):
        status = "confirmed"
    return services.create_booking(
        actor=SYSTEM,
        job=world["jobs"][work_type] if kind == "job" else None,
        kind=kind,
        status=status,
        resources=resources or world["rooms"][:1],
        start=start or at(2, 9),
        end=end or at(2, 19),
    )


def _new_body(world, kind_case) -> dict:
    kind, work_type = KINDS[kind_case]
    body = {"kind": kind, "resources": [world["rooms"][0].pk], "title": "Session"}
    if kind == "job":
        body["job"] = world["jobs"][work_type].pk
    return body


def _act(api, world, kind_case, action):
    """Set the booking up as the action needs (as the system), then act through the API."""
    rooms = world["rooms"]
    if action == "create":
        body = _new_body(world, kind_case)
        return api.post(
            "bookings", {**body, "start": "2026-03-09T09:00:00Z", "end": "2026-03-09T19:00:00Z"}
        )
    if action == "repeat":
        body = _new_body(world, kind_case)
        return api.post(
            "bookings/repeat", {**body, "first_day": "2026-03-09", "last_day": "2026-03-10"}
        )
    if action == "challenge":
        _make(world, kind_case, status="pencil")
        lower = _make(world, kind_case, status="pencil")
        return api.post(f"bookings/{lower.pk}/challenge", {})
    if action == "complete":
        ended = timezone.now().replace(minute=0, second=0, microsecond=0)
        past = ended - datetime.timedelta(days=3)
        booking = _make(
            world,
            kind_case,
            status="confirmed",
            start=past,
            end=past + datetime.timedelta(hours=2),
        )
        return api.post(f"bookings/{booking.pk}/complete", {})
    status = "pencil" if action in PENCIL_ONLY else "confirmed"
    if action == "remove resource":
        booking = _make(world, kind_case, status=status, resources=rooms)
        return api.post(f"bookings/{booking.pk}/resources", {"remove": [rooms[1].pk]})
    if action == "split":
        booking = _make(world, kind_case, status=status, end=at(3, 19))
        return api.post(f"bookings/{booking.pk}/split", {})
    booking = _make(world, kind_case, status=status)
    if action == "move":
        return api.patch(
            f"bookings/{booking.pk}",
            {"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T18:00:00Z"},
        )
    if action == "add resource":
        return api.post(f"bookings/{booking.pk}/resources", {"add": [rooms[1].pk]})
    return api.post(f"bookings/{booking.pk}/{action}", {})


def _state():
    """Everything a booking write could change."""
    bookings = list(
        Booking.objects.order_by("pk").values_list(
            "pk", "status", "start", "end", "version", "challenge_deadline"
        )
    )
    allocations = list(
        Allocation.objects.order_by("pk").values_list(
            "booking_id", "resource_id", "start", "end", "status", "hold_rank"
        )
    )
    return bookings, allocations, AuditEntry.objects.count()


@pytest.mark.parametrize(("role", "kind", "action"), CASES)
def test_booking_rights_by_role_kind_and_action(api_as, world, role, kind, action, monkeypatch):
    # given a user of the role and the booking the action needs, made by the system (the
    # state is read just before the API call, after `_act` has set the booking up)
    api = api_as(role)
    seen = {}
    call = api._call

    def remember_then_call(*args, **kwargs):
        seen["before"] = _state()
        return call(*args, **kwargs)

    monkeypatch.setattr(api, "_call", remember_then_call)

    # when the user acts on it through the API
    response = _act(api, world, kind, action)

    # then the roles table decides: done, or refused with a 403 that leaves nothing behind
    if kind in MAY_BOOK[role]:
        assert response.status_code == ACTIONS[action], response.content
    else:
        assert response.status_code == 403, response.content
        # roles that may book at all are refused by the booking rights, the rest earlier
        may_book_some = CHANGE_BOOKINGS in ROLES[role]["capabilities"]
        assert response.json()["code"] == ("booking_rights" if may_book_some else "forbidden")
        assert _state() == seen["before"]


def test_the_table_here_is_the_matrix_in_roles():
    for role in ROLE_NAMES:
        for case, (kind, work_type) in KINDS.items():
            allowed = booking_refusal(_FakeUser(role), kind, work_type) is None
            assert allowed == (case in MAY_BOOK[role]), (role, case)


class _FakeUser:
    is_authenticated = True
    is_active = True
    client_id = None

    def __init__(self, role):
        self._postdesk_role = role


def test_refusals_say_why(api_as, world):
    # given an engineer and a post coordinator, and a client's offline job
    body = {**_new_body(world, "offline job"), "start": "2026-03-09T09:00:00Z"}
    body["end"] = "2026-03-09T19:00:00Z"

    # when each tries to book it
    by_engineer = api_as("engineer").post("bookings", body)
    by_coordinator = api_as("coordinator").post("bookings", body)

    # then each is told what their role may book, and nothing was booked
    assert by_engineer.status_code == 403
    assert by_engineer.json()["message"] == "Engineers may book maintenance only"
    assert by_coordinator.status_code == 403
    assert by_coordinator.json()["message"] == (
        "Post-production coordinators may book ADR and screening jobs only"
    )
    assert Booking.objects.count() == 0


def test_engineer_cannot_confirm_or_cancel_a_clients_booking(api_as, world):
    # given a client's pencil and a client's confirmed booking (issue 10's report)
    pencil = _make(world, "offline job", status="pencil")
    confirmed = _make(world, "offline job", status="confirmed", start=at(3, 9), end=at(3, 19))
    api = api_as("engineer")

    # when the engineer confirms the one and cancels the other
    confirm = api.post(f"bookings/{pencil.pk}/confirm", {})
    cancel = api.post(f"bookings/{confirmed.pk}/cancel", {})

    # then both are refused and both bookings are as they were
    assert (confirm.status_code, cancel.status_code) == (403, 403)
    assert Booking.objects.get(pk=pencil.pk).status == "pencil"
    assert Booking.objects.get(pk=confirmed.pk).status == "confirmed"


def test_services_enforce_rights_for_every_caller_but_not_for_the_system(users, world):
    # given a client's pencil
    pencil = _make(world, "offline job", status="pencil")

    # when an engineer's confirm reaches the service directly (as a page or the admin would)
    with pytest.raises(Forbidden, match="Engineers may book maintenance only"):
        services.confirm_booking(pencil, actor=users["engineer"])

    # then it is refused; the system's own actor (the worker) is not limited
    assert Booking.objects.get(pk=pencil.pk).status == "pencil"
    assert services.confirm_booking(pencil, actor=WORKER).status == "confirmed"


def test_coordinator_rights_follow_the_jobs_work_type(api_as, world):
    # given a pencil on an offline job that the coordinator may not touch
    pencil = _make(world, "offline job", status="pencil")
    job = world["jobs"]["offline"]
    api = api_as("coordinator")
    refused = api.post(f"bookings/{pencil.pk}/confirm", {})

    # when the job is re-typed as a screening
    production_services.update_job(job, actor=SYSTEM, work_type="screening")
    allowed = api.post(f"bookings/{pencil.pk}/confirm", {})

    # then the same confirm goes through
    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert allowed.json()["status"] == "confirmed"


def test_the_board_offers_each_role_only_what_it_may_book(page_as, world):
    from tests.scheduling.test_pages_board import board_config

    # when the bookings coordinator, the post coordinator, the engineer and a runner
    # open the board
    configs = {
        role: board_config(page_as(role).get("/board/"))
        for role in ("bookings", "coordinator", "engineer", "runner")
    }

    # then each is offered the kinds and jobs its role may book, and nothing more
    offered = {
        role: (c["canEdit"], c["bookKinds"], c["jobsLimited"], sorted(j["id"] for j in c["jobs"]))
        for role, c in configs.items()
    }
    jobs = world["jobs"]
    assert offered == {
        "bookings": (
            True,
            ["job", "maintenance", "leave", "internal"],
            False,
            sorted(j.pk for j in jobs.values()),
        ),
        "coordinator": (True, ["job"], True, sorted([jobs["adr"].pk, jobs["screening"].pk])),
        "engineer": (True, ["maintenance"], False, []),
        "runner": (False, [], False, []),
    }
