"""Engineering's lists (engineering/lists.py): the API searches, filters, sorts and pages
them strictly, the pages by the same specs forgivingly; and its response schemas keep
their own names in the OpenAPI document."""

import pytest

from postdesk.core.apiutil import ModelOutSchema, OutSchema
from postdesk.engineering import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def assets(users, rooms):
    engineer = users["engineer"]
    made = {}
    for tag, model, serial, room, status in [
        ("ENG-003", "BVM-HX310", "SN-7731", "grade1", "in_service"),
        ("ENG-001", "Videohub 40", "SN-1200", "grade2", "in_service"),
        ("ENG-002", "DaVinci panel", "SN-7740", "grade1", "in_repair"),
    ]:
        made[tag] = services.create_asset(
            actor=engineer,
            tag=tag,
            make="Sony",
            model=model,
            serial=serial,
            room=rooms[room],
            status=status,
        )
    return made


def _tags(body):
    return [a["tag"] for a in body["results"]]


def test_the_asset_api_searches_filters_and_sorts_by_the_spec(api_as, rooms, assets):
    api = api_as("engineer")

    assert _tags(api.get("engineering/assets").json()) == ["ENG-001", "ENG-002", "ENG-003"]
    assert _tags(api.get("engineering/assets", q="sn-77").json()) == ["ENG-002", "ENG-003"]
    assert _tags(api.get("engineering/assets", room=rooms["grade1"].pk).json()) == [
        "ENG-002",
        "ENG-003",
    ]
    assert _tags(api.get("engineering/assets", status="in_repair").json()) == ["ENG-002"]
    assert _tags(api.get("engineering/assets", ordering="-tag").json()) == [
        "ENG-003",
        "ENG-002",
        "ENG-001",
    ]
    paged = api.get("engineering/assets", page_size=2, page=2).json()
    assert (paged["count"], paged["pages"], _tags(paged)) == (3, 2, ["ENG-003"])

    refused = api.get("engineering/assets", ordering="price")
    assert refused.status_code == 422
    assert "ordering" in refused.json()["details"]["fields"]


def test_the_asset_page_applies_the_same_spec_forgivingly(page_as, rooms, assets):
    http = page_as("engineer")

    page = http.get("/engineering/assets/", {"q": "sn-77"}).content.decode()
    assert "ENG-002" in page and "ENG-003" in page and "ENG-001" not in page
    # An unknown sort and a bad status are ignored on a page, not refused.
    page = http.get("/engineering/assets/", {"sort": "price", "status": "broken"})
    assert page.status_code == 200
    assert [a.tag for a in page.context["page_obj"]] == ["ENG-001", "ENG-002", "ENG-003"]
    page = http.get("/engineering/assets/", {"room": str(rooms["grade2"].pk)})
    assert [a.tag for a in page.context["page_obj"]] == ["ENG-001"]


def test_tickets_filter_open_severity_and_room_in_the_api_and_on_the_page(
    api_as, page_as, users, rooms
):
    runner = users["runner"]
    lamp = services.report_fault(
        actor=runner, severity="room_down", room=rooms["grade1"], description="Lamp blew"
    )
    fan = services.report_fault(
        actor=runner, severity="cosmetic", room=rooms["grade2"], description="Noisy fan"
    )
    services.change_state(fan, actor=users["engineer"], state="resolved", text="", minutes=5)
    api = api_as("engineer")

    def ids(**params):
        return [t["id"] for t in api.get("engineering/tickets", **params).json()["results"]]

    assert ids() == [fan.pk, lamp.pk]
    assert ids(open="true") == [lamp.pk]
    # open=false narrows nothing: it is not "closed only".
    assert ids(open="false") == [fan.pk, lamp.pk]
    assert ids(severity="cosmetic") == [fan.pk]
    assert ids(room=rooms["grade1"].pk) == [lamp.pk]
    assert ids(q="fan") == [fan.pk]
    assert ids(ordering="id") == [lamp.pk, fan.pk]

    page = page_as("engineer").get("/engineering/tickets/", {"open": "1"})
    assert [t.pk for t in page.context["page_obj"]] == [lamp.pk]


def test_schedules_and_machines_are_pages_searched_and_filtered(api_as, page_as, users, rooms):
    engineer = users["engineer"]
    for title, room in [("Lamp hours", "grade2"), ("Calibrate BVM", "grade1")]:
        services.create_schedule(actor=engineer, title=title, room=rooms[room], every_days=30)
    for hostname, room, ip in [("grade1-ws", "grade1", "10.0.20.12"), ("edit1-ws", "edit", None)]:
        services.create_machine(actor=engineer, room=rooms[room], hostname=hostname, ip_address=ip)
    api = api_as("engineer")

    schedules = api.get("engineering/schedules").json()
    assert schedules["count"] == 2
    # Sorted by room, then title: Grade 1's before Grade 2's.
    assert [s["title"] for s in schedules["results"]] == ["Calibrate BVM", "Lamp hours"]
    assert schedules["results"][0]["due"] is False
    only = api.get("engineering/schedules", room=rooms["grade2"].pk).json()
    assert [s["title"] for s in only["results"]] == ["Lamp hours"]

    machines = api.get("engineering/machines").json()
    assert [m["hostname"] for m in machines["results"]] == ["edit1-ws", "grade1-ws"]
    found = api.get("engineering/machines", q="10.0.20").json()
    assert [m["hostname"] for m in found["results"]] == ["grade1-ws"]
    in_edit = api.get("engineering/machines", room=rooms["edit"].pk).json()
    assert [m["hostname"] for m in in_edit["results"]] == ["edit1-ws"]

    http = page_as("engineer")
    page = http.get("/engineering/schedules/", {"q": "bvm"})
    assert [s.title for s, _ in page.context["rows"]] == ["Calibrate BVM"]
    page = http.get("/engineering/it/", {"sort": "-hostname"})
    assert [m.hostname for m in page.context["page_obj"]] == ["grade1-ws", "edit1-ws"]


def _schemas(base):
    for sub in base.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_engineerings_response_schemas_share_no_name_with_another_apps(page_as):
    import postdesk.api  # noqa: F401  (every router's schemas defined)

    names = {}
    for schema in [*_schemas(OutSchema), *_schemas(ModelOutSchema)]:
        names.setdefault(schema.__name__, set()).add(schema.__module__.split(".")[1])
    clashes = {n: apps for n, apps in names.items() if "engineering" in apps and len(apps) > 1}
    assert clashes == {}

    # The room-down plan's contacts and productions' contacts both keep their own shape.
    document = page_as("runner").get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    assert set(components["BookingContactOut"]["properties"]) == {"name", "email", "phone"}
    assert "client" in components["ContactOut"]["properties"]
