"""Resource forms on the pages: new, edit, archive and restore, submitted as a browser
would (the page's own form, read from its HTML, with a few fields changed), for the
roles that manage resources; everyone else gets 403 and changes nothing."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry
from postdesk.core.roles import MANAGE_RESOURCES, ROLES
from postdesk.core.services import create_site
from postdesk.core.timeutil import facility_zone, local_at
from postdesk.scheduling import services
from postdesk.scheduling.models import Resource, Skill

pytestmark = pytest.mark.django_db

WITHOUT_MANAGE_RESOURCES = sorted(
    r for r, s in ROLES.items() if MANAGE_RESOURCES not in s["capabilities"]
)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _FormReader(HTMLParser):
    """The fields of the page's POST form, with the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.in_post_form = False
        self.select = None
        self.first_option = None
        self.textarea = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_post_form = a.get("method") == "post" and a.get("action") is None
        if not self.in_post_form or a.get("disabled") is not None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._add(a["name"], a.get("value", ""))
        elif tag == "select":
            self.select = a["name"]
            self.first_option = None
            self.data.setdefault(self.select, [])
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a:
                self._add(self.select, a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self._add(self.textarea, "")

    def handle_data(self, data):
        if self.textarea:
            # Browsers drop the one newline that follows <textarea>.
            self.data[self.textarea][-1] += data.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False
        elif tag == "select":
            # A select with nothing chosen sends its first option, as browsers do.
            if self.select and not self.data[self.select] and self.first_option is not None:
                self._add(self.select, self.first_option)
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def page_form(http, url: str) -> dict:
    """What the form at `url` posts untouched."""
    response = http.get(url)
    assert response.status_code == 200
    reader = _FormReader()
    reader.feed(response.content.decode())
    return {k: v if len(v) != 1 else v[0] for k, v in reader.data.items() if v}


def submit(http, url: str, **changes):
    """Post the page's form at `url` with `changes` (None removes a field)."""
    data = {**page_form(http, url), **changes}
    return http.post(url, {k: v for k, v in data.items() if v is not None})


def hours(**days) -> dict:
    """The working-hours boxes: hours(mon="09:00-19:00") -> {"working_hours_0": ...}."""
    return {f"working_hours_{DAYS.index(day)}": text for day, text in days.items()}


def audit_of(obj, action=None):
    rows = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return list(rows.filter(action=action) if action else rows)


@pytest.fixture
def avid(db):
    return services.create_skill(actor=SYSTEM, name="Avid")


@pytest.fixture
def freelancer(site, avid):
    return services.create_resource(
        actor=SYSTEM,
        kind="person",
        name="Alex Editor",
        site=site,
        employment="freelance",
        day_rate=Decimal("450.00"),
        currency="EUR",
        email="alex@example.com",
        skills=[avid],
    )


# --- new resource ----------------------------------------------------------------------


def test_new_resource_page_starts_on_weekday_hours_at_the_only_site(page_as, site):
    data = page_form(page_as("bookings"), "/resources/new/")

    assert data["site"] == str(site.pk)
    assert [data[f"working_hours_{i}"] for i in range(7)] == ["09:00-19:00"] * 5 + ["", ""]
    assert data["currency"] == "GBP"


def test_bookings_creates_a_freelancer_with_skills_hours_and_rate(page_as, users, site, avid):
    # given the new-resource page, filled in as a coordinator would
    http = page_as("bookings")

    # when it is submitted with an existing skill, two new ones ("avid" is Avid), split
    # hours on Tuesday, Saturday morning and a day rate
    response = submit(
        http,
        "/resources/new/",
        kind="person",
        name="Sam Colourist",
        employment="freelance",
        email="sam@example.com",
        skills=[str(avid.pk)],
        new_skills="Baselight, avid,  Dolby   Vision ",
        day_rate="525.50",
        currency="USD",
        **hours(tue="09:00-13:00, 14:00 – 20:00", sat="9.30-13:00"),
    )

    # then it is saved, with what was typed
    sam = Resource.objects.get(name="Sam Colourist")
    assert response.status_code == 302
    assert response["Location"] == f"/resources/{sam.pk}/"
    assert (sam.kind, sam.site, sam.employment, sam.email) == (
        "person",
        site,
        "freelance",
        "sam@example.com",
    )
    assert (sam.day_rate, sam.currency) == (Decimal("525.50"), "USD")
    assert sorted(sam.skills.values_list("name", flat=True)) == [
        "Avid",
        "Baselight",
        "Dolby Vision",
    ]
    assert sam.working_hours == {
        "mon": [["09:00", "19:00"]],
        "tue": [["09:00", "13:00"], ["14:00", "20:00"]],
        "wed": [["09:00", "19:00"]],
        "thu": [["09:00", "19:00"]],
        "fri": [["09:00", "19:00"]],
        "sat": [["09:30", "13:00"]],
        "sun": [],
    }
    # and audited as the coordinator: the resource and each new skill
    (entry,) = audit_of(sam)
    assert (entry.action, entry.actor, entry.summary) == (
        "create",
        users["bookings"],
        "Created person Sam Colourist",
    )
    assert entry.changes["day_rate"] == [None, "525.50"]
    assert entry.changes["skills"] == [None, ["Avid", "Baselight", "Dolby Vision"]]
    created_skills = AuditEntry.objects.filter(
        object_type="scheduling.skill", action="create", actor=users["bookings"]
    )
    assert sorted(e.changes["name"][1] for e in created_skills) == ["Baselight", "Dolby Vision"]
    assert Skill.objects.count() == 3
    # and the detail page says so
    assert "Created person Sam Colourist." in http.get(response["Location"]).content.decode()


def test_engineer_creates_a_room_without_cost_fields(page_as, users, site):
    http = page_as("engineer")
    html = http.get("/resources/new/").content.decode()
    for_bookings = page_as("bookings").get("/resources/new/").content.decode()

    # The form offers no day rate to a role that may not see costs; a forged one is ignored.
    response = submit(
        http, "/resources/new/", kind="room", name="Machine Room", capacity="2", day_rate="999"
    )

    room = Resource.objects.get(name="Machine Room")
    assert 'name="day_rate"' in for_bookings and 'name="currency"' in for_bookings
    assert 'name="day_rate"' not in html
    assert 'name="currency"' not in html
    assert response.status_code == 302
    assert (room.capacity, room.day_rate, room.currency) == (2, None, "GBP")
    (entry,) = audit_of(room)
    assert entry.actor == users["engineer"]
    assert "day_rate" not in entry.changes


def test_equipment_lives_in_a_room_chosen_from_the_rooms(page_as, site):
    suite = services.create_resource(actor=SYSTEM, kind="room", name="Suite 1", site=site)
    services.create_resource(actor=SYSTEM, kind="equipment", name="Deck", site=site)

    html = page_as("bookings").get("/resources/new/").content.decode()
    response = submit(
        page_as("bookings"),
        "/resources/new/",
        kind="equipment",
        name="Grade monitor",
        location=str(suite.pk),
    )

    assert "Suite 1 (Soho)" in html
    assert "Deck (Soho)" not in html
    assert response.status_code == 302
    assert Resource.objects.get(name="Grade monitor").location == suite


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        (
            {"kind": "spaceship"},
            "Select a valid choice. spaceship is not one of the available choices.",
        ),
        ({"colour": "red"}, "A colour such as #2563eb"),
        (hours(tue="19:00-09:00"), "tue: 19:00-09:00 is not an ordered range"),
        (
            hours(wed="nine to five"),
            "Wednesday: “nine to five” is not a range of times like 09:00-19:00",
        ),
        (hours(thu="09:00-25:00"), "&#x27;25:00&#x27; is not a time of day like &#x27;09:00&#x27;"),
        ({"day_rate": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"new_skills": "x" * 101}, "A skill name has at most 100 characters"),
        (
            {"skills": "999999"},
            "Select a valid choice. 999999 is not one of the available choices.",
        ),
    ],
)
def test_invalid_new_resource_shows_why_and_saves_nothing(page_as, site, changes, message):
    fields = {"kind": "room", "name": "Suite 9", **changes}

    response = submit(page_as("bookings"), "/resources/new/", **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.exists()
    assert not Skill.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="scheduling.").exists()


def test_a_second_resource_of_the_same_name_at_the_site_is_refused(page_as, site):
    services.create_resource(actor=SYSTEM, kind="room", name="Suite 1", site=site)

    response = submit(page_as("bookings"), "/resources/new/", kind="room", name="Suite 1")

    assert response.status_code == 200
    assert "Resource with this Site and Name already exists." in response.content.decode()
    assert Resource.objects.filter(name="Suite 1").count() == 1


@pytest.mark.parametrize("role", WITHOUT_MANAGE_RESOURCES)
def test_roles_without_manage_resources_may_not_create(page_as, site, role):
    http = page_as(role)

    shown = http.get("/resources/new/")
    posted = http.post(
        "/resources/new/",
        {"kind": "room", "name": "Sneaky", "site": site.pk, "colour": "#000000", "sort_order": "0"},
    )

    assert shown.status_code == 403
    assert posted.status_code == 403
    assert not Resource.objects.exists()


# --- edit ------------------------------------------------------------------------------


def test_edit_changes_name_hours_and_skills_and_audits_them(page_as, users, freelancer, avid):
    grade = services.create_skill(actor=SYSTEM, name="Baselight")
    url = f"/resources/{freelancer.pk}/edit/"
    http = page_as("bookings")

    response = submit(
        http,
        url,
        name="Alex Colourist",
        skills=[str(grade.pk)],
        **hours(mon="", fri="10:00-24:00"),
    )

    freelancer.refresh_from_db()
    assert response.status_code == 302
    assert freelancer.name == "Alex Colourist"
    assert list(freelancer.skills.values_list("name", flat=True)) == ["Baselight"]
    assert freelancer.working_hours["mon"] == []
    assert freelancer.working_hours["fri"] == [["10:00", "24:00"]]
    # untouched fields keep their values
    assert (freelancer.day_rate, freelancer.currency, freelancer.email) == (
        Decimal("450.00"),
        "EUR",
        "alex@example.com",
    )
    (entry,) = audit_of(freelancer, "update")
    assert entry.actor == users["bookings"]
    assert entry.changes["name"] == ["Alex Editor", "Alex Colourist"]
    assert entry.changes["skills"] == [["Avid"], ["Baselight"]]
    assert entry.changes["working_hours"][1]["fri"] == [["10:00", "24:00"]]
    assert set(entry.changes) == {"name", "skills", "working_hours"}


def test_saving_an_untouched_form_changes_nothing(page_as, site):
    # given a room whose stored hours name only the weekdays (as the demo's do)
    room = services.create_resource(
        actor=SYSTEM,
        kind="room",
        name="Suite 1",
        site=site,
        working_hours={"mon": [["08:00", "22:00"]]},
    )

    response = submit(page_as("bookings"), f"/resources/{room.pk}/edit/")

    room.refresh_from_db()
    assert response.status_code == 302
    assert room.working_hours == {"mon": [["08:00", "22:00"]]}
    assert audit_of(room, "update") == []


def test_engineer_edits_a_freelancer_without_seeing_or_wiping_the_day_rate(
    page_as, users, freelancer
):
    url = f"/resources/{freelancer.pk}/edit/"
    http = page_as("engineer")
    html = http.get(url).content.decode()
    for_bookings = page_as("bookings").get(url).content.decode()

    response = submit(http, url, phone="020 7946 0000", day_rate="1", currency="GBP")

    freelancer.refresh_from_db()
    assert 'value="450.00"' in for_bookings and 'name="day_rate"' in for_bookings
    assert "450" not in html
    assert 'name="day_rate"' not in html
    assert response.status_code == 302
    assert freelancer.phone == "020 7946 0000"
    assert (freelancer.day_rate, freelancer.currency) == (Decimal("450.00"), "EUR")
    (entry,) = audit_of(freelancer, "update")
    assert (entry.actor, set(entry.changes)) == (users["engineer"], {"phone"})


def test_edit_shows_the_stored_day_rate_to_bookings(page_as, freelancer):
    data = page_form(page_as("bookings"), f"/resources/{freelancer.pk}/edit/")

    assert (data["day_rate"], data["currency"]) == ("450.00", "EUR")
    assert data["working_hours_0"] == "09:00-19:00"


def test_invalid_edit_shows_why_and_changes_nothing(page_as, freelancer):
    url = f"/resources/{freelancer.pk}/edit/"

    response = submit(
        page_as("bookings"), url, name="Renamed", **hours(tue="14:00-20:00, 10:00-12:00")
    )

    freelancer.refresh_from_db()
    assert response.status_code == 200
    assert "tue: 10:00-12:00 is not an ordered range" in response.content.decode()
    assert freelancer.name == "Alex Editor"
    assert audit_of(freelancer, "update") == []


def test_a_resource_cannot_live_in_itself(page_as, site):
    suite = services.create_resource(actor=SYSTEM, kind="room", name="Suite 1", site=site)

    response = submit(
        page_as("bookings"),
        f"/resources/{suite.pk}/edit/",
        location=str(suite.pk),
        kind="equipment",
    )

    suite.refresh_from_db()
    assert response.status_code == 200
    assert (
        "Select a valid choice. That choice is not one of the available choices."
        in response.content.decode()
    )
    assert suite.location is None and suite.kind == "room"


@pytest.mark.parametrize("role", WITHOUT_MANAGE_RESOURCES)
def test_roles_without_manage_resources_may_not_edit(page_as, freelancer, role):
    http = page_as(role)
    url = f"/resources/{freelancer.pk}/edit/"

    shown = http.get(url)
    posted = http.post(url, {"kind": "person", "name": "Hacked", "site": freelancer.site_id})

    freelancer.refresh_from_db()
    assert (shown.status_code, posted.status_code) == (403, 403)
    assert freelancer.name == "Alex Editor"
    assert audit_of(freelancer, "update") == []


def test_edit_of_a_missing_resource_is_404(page_as, db):
    assert page_as("bookings").get("/resources/999999/edit/").status_code == 404


# --- archive and restore ---------------------------------------------------------------


def test_archive_asks_first_then_archives_and_the_list_hides_it(page_as, users, freelancer):
    http = page_as("bookings")
    url = f"/resources/{freelancer.pk}/archive/"

    asked = http.get(url)
    freelancer.refresh_from_db()
    assert asked.status_code == 200
    assert "Archive person “Alex Editor”?" in asked.content.decode()
    assert freelancer.archived_at is None

    done = http.post(url)

    freelancer.refresh_from_db()
    assert done.status_code == 302 and done["Location"] == f"/resources/{freelancer.pk}/"
    assert freelancer.archived_at is not None
    (entry,) = audit_of(freelancer, "update")
    assert (entry.actor, entry.summary, entry.changes["archived_at"][0]) == (
        users["bookings"],
        "Archived Alex Editor",
        None,
    )
    detail = http.get(f"/resources/{freelancer.pk}/").content.decode()
    assert "Archived Alex Editor." in detail
    assert f'href="/resources/{freelancer.pk}/restore/"' in detail
    assert "Alex Editor" not in http.get("/resources/").content.decode()
    assert "Alex Editor" in http.get("/resources/?archived=yes").content.decode()


def test_archive_is_refused_while_bookings_lie_ahead(page_as, freelancer, job):
    tomorrow = timezone.now().astimezone(facility_zone()).date() + datetime.timedelta(days=1)
    services.create_booking(
        actor=SYSTEM,
        job=job,
        resources=[freelancer],
        status="pencil",
        start=local_at(tomorrow, datetime.time(9), facility_zone()),
        end=local_at(tomorrow, datetime.time(17), facility_zone()),
    )

    response = page_as("bookings").post(f"/resources/{freelancer.pk}/archive/")

    freelancer.refresh_from_db()
    assert response.status_code == 409
    assert (
        "Alex Editor still has 1 active booking ahead; move or cancel them before archiving"
        in response.content.decode()
    )
    assert freelancer.archived_at is None
    assert audit_of(freelancer, "update") == []


def test_restore_brings_an_archived_resource_back(page_as, users, freelancer):
    services.archive_resource(freelancer, actor=SYSTEM)
    http = page_as("engineer")
    url = f"/resources/{freelancer.pk}/restore/"

    asked = http.get(url)
    done = http.post(url)

    freelancer.refresh_from_db()
    assert "Restore person “Alex Editor”?" in asked.content.decode()
    assert done.status_code == 302
    assert freelancer.archived_at is None
    assert audit_of(freelancer, "update")[0].summary == "Restored Alex Editor"
    assert audit_of(freelancer, "update")[0].actor == users["engineer"]


@pytest.mark.parametrize("role", WITHOUT_MANAGE_RESOURCES)
def test_roles_without_manage_resources_may_not_archive_or_restore(page_as, freelancer, site, role):
    archived = services.create_resource(
        actor=SYSTEM, kind="room", name="Old Suite", site=site, archived_at=timezone.now()
    )
    http = page_as(role)

    responses = [
        http.get(f"/resources/{freelancer.pk}/archive/"),
        http.post(f"/resources/{freelancer.pk}/archive/"),
        http.post(f"/resources/{archived.pk}/restore/"),
    ]

    freelancer.refresh_from_db()
    archived.refresh_from_db()
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert freelancer.archived_at is None and archived.archived_at is not None


def test_pages_offer_no_hard_delete(page_as, freelancer):
    response = page_as("admin").post(f"/resources/{freelancer.pk}/delete/")

    assert response.status_code == 404
    assert Resource.objects.filter(pk=freelancer.pk).exists()


# --- where the forms are offered -------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("bookings", True),
        ("engineer", True),
        ("admin", True),
        ("runner", False),
        ("supervisor", False),
    ],
)
def test_list_and_detail_offer_the_forms_only_to_roles_that_manage_resources(
    page_as, freelancer, role, offered
):
    http = page_as(role)

    listing = http.get("/resources/").content.decode()
    detail = http.get(f"/resources/{freelancer.pk}/").content.decode()

    assert ('href="/resources/new/"' in listing) is offered
    assert (f'href="/resources/{freelancer.pk}/edit/"' in detail) is offered
    assert (f'href="/resources/{freelancer.pk}/archive/"' in detail) is offered


def test_resource_list_filters_by_skill_and_shows_archived_ones_on_request(
    page_as, site, freelancer, avid
):
    services.create_resource(actor=SYSTEM, kind="room", name="Suite 1", site=site)
    services.create_resource(
        actor=SYSTEM,
        kind="room",
        name="Old Suite",
        site=site,
        skills=[avid],
        archived_at=timezone.now(),
    )
    http = page_as("bookings")

    by_skill = http.get(f"/resources/?skill={avid.pk}").content.decode()
    everything = http.get("/resources/?archived=all").content.decode()
    archived_with_skill = http.get(f"/resources/?archived=yes&skill={avid.pk}").content.decode()

    assert "Alex Editor" in by_skill and "Suite 1" not in by_skill and "Old Suite" not in by_skill
    assert all(name in everything for name in ("Alex Editor", "Suite 1", "Old Suite"))
    assert '<span class="badge danger">archived</span>' in everything
    assert "Old Suite" in archived_with_skill and "Alex Editor" not in archived_with_skill


def test_filters_accept_every_skill_and_site(page_as, site, avid):
    leeds = create_site(name="Leeds", code="leeds", actor=SYSTEM)
    for i in range(30):
        services.create_skill(actor=SYSTEM, name=f"Skill {i:02d}")
    last = Skill.objects.get(name="Skill 29")

    html = page_as("runner").get(f"/resources/?skill={last.pk}&site={leeds.pk}").content.decode()

    assert f'<option value="{last.pk}" selected>Skill 29</option>' in html
    assert f'<option value="{leeds.pk}" selected>Leeds</option>' in html
