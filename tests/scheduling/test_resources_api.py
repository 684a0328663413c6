import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.scheduling import services
from postdesk.scheduling.models import Resource, Skill
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


def new_resource(site, **extra):
    return {
        "kind": "person",
        "name": "Ana Colourist",
        "site": site.pk,
        "skills": ["Baselight"],
        "employment": "freelance",
        "day_rate": "950.00",
        **extra,
    }


def test_create_resource_with_skills_and_audit(api_as, site):
    api = api_as("bookings")
    assert api.post("skills", {"name": "Baselight"}).status_code == 201

    response = api.post("resources", new_resource(site))

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["name"], data["skills"], data["day_rate"]) == (
        "Ana Colourist",
        ["Baselight"],
        "950.00",
    )
    assert data["working_hours"]["mon"] == [["09:00", "19:00"]]
    entry = AuditEntry.objects.get(object_type="scheduling.resource")
    assert entry.changes["skills"] == [None, ["Baselight"]]


def test_runner_sees_resources_without_money_and_cannot_change_them(api_as, editor, site):
    api = api_as("runner")
    listing = api.get("resources")
    assert listing.status_code == 200
    assert "day_rate" not in listing.json()["results"][0]
    # (the key a role with money does read: the line above cannot pass on a misspelling)
    assert "day_rate" in api_as("bookings").get("resources").json()["results"][0]
    assert api.post("resources", new_resource(site, skills=[])).status_code == 403
    assert api.patch(f"resources/{editor.pk}", {"name": "X"}).status_code == 403
    assert api.post("skills", {"name": "Flame"}).status_code == 403
    assert Resource.objects.count() == 1


def test_coordinator_may_book_but_not_manage_resources(api_as, site):
    assert api_as("coordinator").post("resources", new_resource(site, skills=[])).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "boat"}, "kind"),
        ({"site": 999999}, "site"),
        ({"colour": "blue"}, "colour"),
        ({"skills": ["Nonexistent"]}, "skills"),
        ({"working_hours": {"funday": [["09:00", "17:00"]]}}, "working_hours"),
        ({"working_hours": {"mon": [["19:00", "09:00"]]}}, "working_hours"),
        ({"working_hours": {"mon": [["9am", "5pm"]]}}, "working_hours"),
        ({"location": 999999}, "location"),
        ({"day_rate": "-1"}, "day_rate"),
        ({"surprise": 1}, "surprise"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_resource_is_422(api_as, site, change, field):
    response = api_as("bookings").post("resources", {**new_resource(site, skills=[]), **change})
    assert response.status_code == 422, response.content
    assert field in response.json()["details"]["fields"]
    assert Resource.objects.count() == 0


def test_duplicate_name_at_site_is_refused(api_as, site, suite):
    response = api_as("bookings").post(
        "resources", {"kind": "room", "name": "Suite 3", "site": site.pk}
    )
    assert response.status_code == 422
    assert "already exists" in response.json()["message"]
    assert Resource.objects.count() == 1


def test_patch_filters_archive_and_delete(api_as, book, suite, suite2, editor):
    api = api_as("bookings")
    book([suite], at(2, 9), at(2, 10))
    avid_before = api.get("resources", skill="Avid").json()["results"]

    patched = api.patch(f"resources/{editor.pk}", {"skills": [], "colour": "#112233"})
    rooms = api.get("resources", kind="room").json()["results"]
    avid = api.get("resources", skill="Avid").json()["results"]
    deleted_unused = api.delete(f"resources/{suite2.pk}")
    deleted_used = api.delete(f"resources/{suite.pk}")
    archived = api.get("resources", archived="true").json()["results"]
    searched = api.get("resources", q="jo").json()["results"]
    restored = api.post(f"resources/{suite.pk}/restore")

    assert patched.json()["skills"] == []
    assert patched.json()["colour"] == "#112233"
    assert [r["name"] for r in rooms] == ["Suite 3", "Suite 4"]
    assert [r["name"] for r in avid_before] == ["Jo Editor"]
    assert avid == []
    assert deleted_unused.json() == {"id": suite2.pk, "outcome": "deleted"}
    assert deleted_used.json() == {"id": suite.pk, "outcome": "archived"}
    assert [r["name"] for r in archived] == ["Suite 3"]
    assert [r["name"] for r in searched] == ["Jo Editor"]
    assert restored.json()["archived_at"] is None
    assert not Resource.objects.filter(pk=suite2.pk).exists()


def test_archive_refused_while_bookings_lie_ahead(api_as, book, suite):
    import datetime

    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(days=2)
    book([suite], start, start + datetime.timedelta(hours=2), "confirmed")
    response = api_as("bookings").post(f"resources/{suite.pk}/archive")
    assert response.status_code == 409
    assert "1 active booking ahead" in response.json()["message"]


def test_skills_crud(api_as, editor):
    api = api_as("engineer")
    made = api.post("skills", {"name": "Flame"})
    listing = api.get("skills").json()["results"]
    renamed = api.patch(f"skills/{made.json()['id']}", {"name": "Autodesk Flame"})
    duplicate = api.post("skills", {"name": "Avid"})
    deleted = api.delete(f"skills/{made.json()['id']}")

    assert made.status_code == 201
    assert [(s["name"], s["resources_count"]) for s in listing] == [("Avid", 1), ("Flame", 0)]
    assert renamed.json()["name"] == "Autodesk Flame"
    assert duplicate.status_code == 422
    assert list(duplicate.json()["details"]["fields"]) == ["name"]
    assert deleted.status_code == 204
    assert list(Skill.objects.values_list("name", flat=True)) == ["Avid"]
    assert api.get("skills/999999").status_code == 404


ENDPOINTS = [
    ("post", "bookings"),
    ("post", "bookings/repeat"),
    ("patch", "bookings/{booking}"),
    ("post", "bookings/{booking}/resources"),
    ("post", "bookings/{booking}/split"),
    ("post", "resources"),
    ("patch", "resources/{resource}"),
    ("post", "skills"),
    ("patch", "skills/{skill}"),
]
# A body that is not JSON cannot be parsed (400); JSON of the wrong shape is invalid (422).
BAD_BODIES = [
    ("{", 400, "bad_request"),
    ("[1, 2]", 422, "invalid"),
    ('"x"', 422, "invalid"),
    ("null", 422, "invalid"),
    ('{"resources": "all", "start": 5, "surprise": true}', 422, "invalid"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize(("raw", "status", "code"), BAD_BODIES)
def test_malformed_bodies_are_4xx_with_error_body_everywhere(
    api_as, book, suite, editor, method, path, raw, status, code
):
    booking = book([suite], at(2, 9), at(2, 10))
    skill = Skill.objects.get()
    url = path.format(booking=booking.pk, resource=suite.pk, skill=skill.pk)
    api = api_as("bookings")
    before = AuditEntry.objects.count()

    response = getattr(api, method)(url, raw=raw)

    assert response.status_code == status, (url, raw, response.content)
    assert set(response.json()) == {"code", "message", "details"}
    assert response.json()["code"] == code
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "path",
    [
        "board?start=x&end=y",
        "board?start=2026-03-02T00:00:00Z&end=2027-06-01T00:00:00Z",
        "availability?start=2026-03-02T00:00:00Z",
        "availability?start=1&end=2&kind=x",
        "availability/slots?resources=1&duration=PT1H&from=2026-03-02",
        "bookings?job=abc",
        "bookings?resource=1.5",
        "resources?archived=maybe",
        "resources/abc",
        "skills?page=0",
        "bookings?ordering=secret",
    ],
)
def test_malformed_queries_are_422(api_as, path):
    response = api_as("bookings").get("/api/v1/" + path)
    assert response.status_code == 422, (path, response.content)
    assert set(response.json()) == {"code", "message", "details"}
    assert response.json()["code"] == "invalid"


# A missing resource is 404 on each query about it (a malformed query is 422 first).
@pytest.mark.parametrize(
    "path",
    [
        "resources/999999",
        "resources/999999/utilisation?start=2026-03-02T00:00:00Z&end=2026-03-03T00:00:00Z",
    ],
)
def test_queries_about_a_missing_resource_are_404(api_as, path):
    response = api_as("bookings").get("/api/v1/" + path)
    assert response.status_code == 404, (path, response.content)
    assert response.json()["code"] == "not_found"


def test_location_rules_are_the_services_whatever_the_caller(api_as, site, suite, editor):
    api = api_as("bookings")
    missing = api.post("resources", {**new_resource(site, skills=[]), "location": 999999})
    not_a_room = api.post("resources", {**new_resource(site, skills=[]), "location": editor.pk})
    in_itself = api.patch(f"resources/{suite.pk}", {"location": suite.pk})
    assert (missing.status_code, missing.json()["details"]["fields"]) == (
        422,
        {"location": ["No resource with id 999999"]},
    )
    assert (not_a_room.status_code, not_a_room.json()["details"]["fields"]) == (
        422,
        {"location": ["An item can only be located in a room"]},
    )
    assert (in_itself.status_code, in_itself.json()["details"]["fields"]) == (
        422,
        {"location": ["A resource cannot be located in itself"]},
    )
    assert Resource.objects.count() == 2
    assert Resource.objects.get(pk=suite.pk).location_id is None


def test_service_refuses_an_unknown_location(site):
    with pytest.raises(InvalidInput) as caught:
        services.create_resource(
            actor=SYSTEM, kind="equipment", name="Deck", site=site, location_id=999999
        )
    assert caught.value.details == {"fields": {"location": ["No resource with id 999999"]}}
    assert not Resource.objects.filter(name="Deck").exists()
