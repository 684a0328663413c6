"""What each role sees (DOMAIN rule 9): every endpoint and page that shows resources,
clients, contacts, productions, jobs, bookings or the board, for every role, against the
secrets planted in the facility below.

Each surface lists its secrets with the roles that must not see them; every other role
that may open the surface must see them. So each "absent" has its positive control in
the same table (a role with the right sees the same secret on the same surface), and a
check cannot pass because the secret was never there."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from postdesk.coordination import services as coordination
from postdesk.core.audit import SYSTEM
from postdesk.core.roles import ROLE_NAMES, ROLES, VIEW_BOARD, VIEW_CLIENTS, VIEW_DELIVERABLES
from postdesk.core.timeutil import facility_zone, local_at, local_day_bounds
from postdesk.productions import services as production_services
from postdesk.scheduling import services

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(ROLE_NAMES)
CLIENTS = frozenset(r for r in ROLE_NAMES if ROLES[r].get("outside"))
# Internal costs: staff with view_money only.
COST_READERS = frozenset({"admin", "bookings", "supervisor", "accounts"})
NOT_COST_READERS = EVERYONE - COST_READERS

SECRETS = {
    "day rate": "950.00",
    "freelancer email": "ana@freelance.example",
    "freelancer phone": "+44 7700 900123",
    "resource notes": "Prefers Suite 3 mornings",
    "client notes": "Deposit first, pays on 60 days",
    "production notes": "Director prefers late sessions",
    "booking notes": "Approved overtime on the quiet",
    "own title": "Northlight conform",
    "other title": "Signal Fire DI day 1",
    "other company": "Other Films Ltd",
    "other production": "Elsewhere",
    "maintenance title": "Projector lamp swap",
    "contact email": "hannah@example.com",
    "deliverable cost": "777.00",
}


def this_monday() -> datetime.date:
    today = timezone.now().astimezone(facility_zone()).date()
    return today - datetime.timedelta(days=today.weekday())


@pytest.fixture
def world(site, client_company, other_company, contact, production, job, other_job, users):
    # given a freelancer with a cost, contact details and notes, and two suites
    production_services.update_client(
        client_company, actor=SYSTEM, credit_status="hold", notes=SECRETS["client notes"]
    )
    production_services.update_production(
        production, actor=SYSTEM, notes=SECRETS["production notes"]
    )
    production_services.update_contact(contact, actor=SYSTEM, phone="+44 20 7946 0001")
    ana = services.create_resource(
        actor=SYSTEM,
        kind="person",
        name="Ana Colourist",
        site=site,
        employment="freelance",
        day_rate=Decimal("950.00"),
        email=SECRETS["freelancer email"],
        phone=SECRETS["freelancer phone"],
        notes=SECRETS["resource notes"],
    )
    suite = services.create_resource(actor=SYSTEM, kind="room", name="Suite 3", site=site)
    spare = services.create_resource(actor=SYSTEM, kind="room", name="Suite 4", site=site)
    # and this week: the client's own booking with internal notes, another company's
    # confirmed day and pencil, and a maintenance block
    zone = facility_zone()
    monday = this_monday()
    tuesday = monday + datetime.timedelta(days=1)

    def when(day, start, end):
        return {
            "start": local_at(day, datetime.time(start), zone),
            "end": local_at(day, datetime.time(end), zone),
        }

    own = services.create_booking(
        actor=SYSTEM,
        job=job,
        resources=[suite, ana],
        status="confirmed",
        title=SECRETS["own title"],
        notes=SECRETS["booking notes"],
        **when(monday, 9, 12),
    )
    other = services.create_booking(
        actor=SYSTEM,
        job=other_job,
        resources=[suite],
        status="confirmed",
        title=SECRETS["other title"],
        **when(monday, 13, 15),
    )
    services.create_booking(
        actor=SYSTEM, job=other_job, resources=[spare], status="pencil", **when(tuesday, 9, 12)
    )
    services.create_booking(
        actor=SYSTEM,
        kind="maintenance",
        job=None,
        resources=[suite],
        status="confirmed",
        title=SECRETS["maintenance title"],
        **when(tuesday, 13, 15),
    )
    # and a deliverable of the client's production with internal notes and a cost
    supervisor = users["supervisor"]
    item = coordination.add_deliverable(
        production=production, name="Textless master", notes="From the conform", actor=supervisor
    )
    coordination.set_cost(item, cost=Decimal(SECRETS["deliverable cost"]), actor=supervisor)
    week_start, _ = local_day_bounds(monday, zone)
    week_end, _ = local_day_bounds(monday + datetime.timedelta(days=7), zone)
    return {
        "deliverable": item,
        "ana": ana,
        "suite": suite,
        "own": own,
        "other": other,
        "client": client_company,
        "contact": contact,
        "production": production,
        "window": {"start": week_start.isoformat(), "end": week_end.isoformat()},
        "tuesday": (local_at(tuesday, datetime.time(9), zone)),
    }


def _find(items, **match):
    (found,) = [i for i in items if all(i.get(k) == v for k, v in match.items())]
    return found


def _keys(*names):
    """Secrets that are keys of the record a surface picks out."""
    return {name: (lambda record, name=name: name in record) for name in names}


def _texts(*names):
    """Secrets that are text anywhere in the surface's body."""
    return {name: (lambda body, name=name: SECRETS[name] in body) for name in names}


# surface -> (how to open it, the capability it needs, {secret: roles that must not see
# it}, how to read each secret). API surfaces that read keys pick their record first.
def api_json(path, pick=None):
    def open_(world, api_as, page_as, role):
        response = api_as(role).get(path.format(**_ids(world)), **_params(world, path))
        if response.status_code != 200:
            return response.status_code, None
        data = response.json()
        return 200, pick(data, world) if pick else response.content.decode()

    return open_


def page(path):
    def open_(world, api_as, page_as, role):
        response = page_as(role).get(path.format(**_ids(world)))
        return (
            response.status_code,
            response.content.decode() if response.status_code == 200 else None,
        )

    return open_


def _ids(world):
    return {
        "ana": world["ana"].pk,
        "suite": world["suite"].pk,
        "own": world["own"].pk,
        "client": world["client"].pk,
        "contact": world["contact"].pk,
        "production": world["production"].pk,
        "deliverable": world["deliverable"].pk,
    }


def _params(world, path):
    if path in ("board", "availability"):
        return world["window"] if path == "board" else _availability_window(world)
    if path == "bookings":
        return {"resource": world["suite"].pk, "page_size": 50}
    if path.endswith("s") and "/" not in path:
        return {"page_size": 100}
    return {}


def _availability_window(world):
    start = world["tuesday"]
    return {"start": start.isoformat(), "end": (start + datetime.timedelta(hours=3)).isoformat()}


def _results_item(**match):
    return lambda data, world: _find(data["results"], **match)


def _result_of(key):
    return lambda data, world: _find(data["results"], id=world[key].pk)


def _whole(data, world):
    return data


FREELANCER_KEYS = {
    "day_rate": NOT_COST_READERS,
    "currency": NOT_COST_READERS,
    "email": CLIENTS,
    "phone": CLIENTS,
    "notes": CLIENTS,
}
CLIENT_KEYS = {"credit_status": CLIENTS, "notes": CLIENTS}

# name: (open, capability, {secret: hidden from}, reader(s))
SURFACES = {
    # --- the API ---------------------------------------------------------------------
    "GET resources": (
        api_json("resources", _result_of("ana")),
        VIEW_BOARD,
        FREELANCER_KEYS,
        _keys(*FREELANCER_KEYS),
    ),
    "GET resources/{id}": (
        api_json("resources/{ana}", _whole),
        VIEW_BOARD,
        FREELANCER_KEYS,
        _keys(*FREELANCER_KEYS),
    ),
    "GET bookings": (
        api_json("bookings"),
        VIEW_BOARD,
        {
            "own title": frozenset(),
            "booking notes": CLIENTS,
            "other title": CLIENTS,
            "other company": CLIENTS,
            "maintenance title": CLIENTS,
        },
        _texts("own title", "booking notes", "other title", "other company", "maintenance title"),
    ),
    "GET bookings/{id}": (
        api_json("bookings/{own}", _whole),
        VIEW_BOARD,
        {"notes": CLIENTS, "title": frozenset()},
        _keys("notes", "title"),
    ),
    "GET board": (
        api_json("board"),
        VIEW_BOARD,
        {
            "own title": frozenset(),
            "other title": CLIENTS,
            "other company": CLIENTS,
            "other production": CLIENTS,
            "maintenance title": CLIENTS,
            # never on the board, for anyone: the controls are the API rows above
            "booking notes": EVERYONE,
            "day rate": EVERYONE,
            "freelancer email": EVERYONE,
            "freelancer phone": EVERYONE,
            "resource notes": EVERYONE,
        },
        _texts(
            "own title",
            "other title",
            "other company",
            "other production",
            "maintenance title",
            "booking notes",
            "day rate",
            "freelancer email",
            "freelancer phone",
            "resource notes",
        ),
    ),
    "GET availability": (
        api_json("availability"),
        VIEW_BOARD,
        {"other company": CLIENTS, "freelancer email": EVERYONE, "day rate": EVERYONE},
        _texts("other company", "freelancer email", "day rate"),
    ),
    "GET clients": (
        api_json("clients", _result_of("client")),
        VIEW_CLIENTS,
        CLIENT_KEYS,
        _keys(*CLIENT_KEYS),
    ),
    "GET clients/{id}": (
        api_json("clients/{client}", _whole),
        VIEW_CLIENTS,
        CLIENT_KEYS,
        _keys(*CLIENT_KEYS),
    ),
    "GET contacts": (
        api_json("contacts"),
        VIEW_CLIENTS,
        {"contact email": frozenset()},
        _texts("contact email"),
    ),
    "GET contacts/{id}": (
        api_json("contacts/{contact}", _whole),
        VIEW_CLIENTS,
        {"email": frozenset(), "phone": frozenset()},
        _keys("email", "phone"),
    ),
    "GET productions": (
        api_json("productions", _result_of("production")),
        VIEW_CLIENTS,
        {"notes": CLIENTS},
        _keys("notes"),
    ),
    "GET productions/{id}": (
        api_json("productions/{production}", _whole),
        VIEW_CLIENTS,
        {"notes": CLIENTS},
        _keys("notes"),
    ),
    "GET jobs": (
        api_json("jobs"),
        VIEW_CLIENTS,
        {"other company": CLIENTS, "other production": CLIENTS},
        _texts("other company", "other production"),
    ),
    # --- the pages -------------------------------------------------------------------
    "resource page of a freelancer": (
        page("/resources/{ana}/"),
        VIEW_BOARD,
        {
            "day rate": NOT_COST_READERS,
            "freelancer email": CLIENTS,
            "freelancer phone": CLIENTS,
            "resource notes": CLIENTS,
            "own title": frozenset(),
        },
        _texts("day rate", "freelancer email", "freelancer phone", "resource notes", "own title"),
    ),
    "resource page of a suite": (
        page("/resources/{suite}/"),
        VIEW_BOARD,
        {
            "own title": frozenset(),
            "other title": CLIENTS,
            "other company": CLIENTS,
            "other production": CLIENTS,
            "maintenance title": CLIENTS,
            "booking notes": EVERYONE,
        },
        _texts(
            "own title",
            "other title",
            "other company",
            "other production",
            "maintenance title",
            "booking notes",
        ),
    ),
    "resource list page": (
        page("/resources/"),
        VIEW_BOARD,
        {"day rate": EVERYONE, "freelancer email": EVERYONE, "resource notes": EVERYONE},
        _texts("day rate", "freelancer email", "resource notes"),
    ),
    "client list page": (
        page("/clients/"),
        VIEW_CLIENTS,
        {"credit status": CLIENTS, "other company": CLIENTS},
        {
            "credit status": lambda body: "On hold" in body,
            "other company": lambda body: SECRETS["other company"] in body,
        },
    ),
    "client page": (
        page("/clients/{client}/"),
        VIEW_CLIENTS,
        {"credit status": CLIENTS, "client notes": CLIENTS, "contact email": frozenset()},
        {
            "credit status": lambda body: "On hold" in body,
            **_texts("client notes", "contact email"),
        },
    ),
    "production page": (
        page("/productions/{production}/"),
        VIEW_CLIENTS,
        {"production notes": CLIENTS},
        _texts("production notes"),
    ),
    "job list page": (
        page("/jobs/"),
        VIEW_CLIENTS,
        {"other company": CLIENTS, "other production": CLIENTS},
        _texts("other company", "other production"),
    ),
    # A deliverable: its status and delivery record are the client's to see; who owns it,
    # the internal notes and the QC report are the facility's; its cost, the cost readers'.
    "GET deliverables/{id}": (
        api_json("deliverables/{deliverable}", _whole),
        VIEW_DELIVERABLES,
        {
            "status": frozenset(),
            "owner": CLIENTS,
            "notes": CLIENTS,
            "qc_report": CLIENTS,
            "cost": NOT_COST_READERS,
            "cost_currency": NOT_COST_READERS,
        },
        _keys("status", "owner", "notes", "qc_report", "cost", "cost_currency"),
    ),
    "production deliverables page": (
        page("/coordination/productions/{production}/"),
        VIEW_DELIVERABLES,
        {"deliverable cost": NOT_COST_READERS},
        _texts("deliverable cost"),
    ),
    # The board page itself holds no bookings (the board API above does); it names
    # clients in its filters, to staff who read clients, and jobs to those who book them.
    "board page": (
        page("/board/"),
        VIEW_BOARD,
        {"other company": CLIENTS | {"runner", "engineer"}},
        _texts("other company"),
    ),
}


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("surface", SURFACES)
def test_each_role_sees_only_what_its_work_needs(world, api_as, page_as, surface, role):
    open_, capability, hidden_from, readers = SURFACES[surface]

    # when the role opens the surface
    status, body = open_(world, api_as, page_as, role)

    # then it opens exactly for the roles holding its capability
    allowed = capability in ROLES[role]["capabilities"]
    assert status == (200 if allowed else 403)
    # and each secret shows exactly to the roles not named for it (the positive controls)
    seen = {name: allowed and read(body) for name, read in readers.items()}
    expected = {name: allowed and role not in hidden_from[name] for name in readers}
    assert seen == expected


def test_every_planted_secret_shows_to_some_role_somewhere():
    # A secret hidden from every role on every surface would make its "absent" checks
    # vacuous; each is seen by some role that may open some surface.
    shown = {
        name
        for _, capability, hidden_from, _ in SURFACES.values()
        for name, roles in hidden_from.items()
        if any(capability in ROLES[r]["capabilities"] for r in EVERYONE - roles)
    }
    assert set(SECRETS) <= shown
