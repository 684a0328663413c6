"""The accident book: who, when, where, what, injury, first aid, RIDDOR; kept at least
three years (never deleted or anonymised, the admin only reads); readable only by admins,
supervisors and reception."""

import datetime

import pytest
from django.utils import timezone

from postdesk.core.roles import KEEP_ACCIDENT_BOOK, ROLE_NAMES, ROLES
from postdesk.frontdesk import accidents, privacy
from postdesk.frontdesk.models import AccidentEntry

pytestmark = pytest.mark.django_db


def _entry(users, **kw):
    values = {
        "actor": users["reception"],
        "person": "Sam Runner",
        "happened_at": timezone.now() - datetime.timedelta(hours=1),
        "place": "Kitchen",
        "what_happened": "Burnt hand on the urn",
        "injury": "Minor burn, left hand",
        "first_aid": "Cold water, dressing",
        "first_aider": "Reception",
    }
    values.update(kw)
    return accidents.record_accident(**values)


def test_an_entry_records_everything_and_is_kept_three_years(api_as, users):
    res = api_as("reception").post(
        "frontdesk/accidents",
        {
            "person": "Jo Client",
            "person_kind": "visitor",
            "happened_at": "2026-02-28T10:30:00Z",
            "place": "Stairs to Theatre 1",
            "what_happened": "Slipped on the stairs",
            "injury": "Sprained ankle",
            "first_aid": "Ice pack",
            "first_aider": "A. Aider",
            "riddor_reportable": True,
        },
    )
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["keep_until"] == "2029-02-28"
    assert body["riddor_reportable"] is True and body["person_kind"] == "visitor"
    assert api_as("supervisor").get(f"frontdesk/accidents/{body['id']}").json() == body


def test_a_leap_day_accident_is_kept_to_the_first_of_march():
    happened = datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC)
    assert accidents.keep_until(happened) == datetime.date(2031, 3, 1)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_admins_supervisors_and_reception_read_the_book(role, api_as, page_as, users):
    entry = _entry(users)
    may = KEEP_ACCIDENT_BOOK in ROLES[role]["capabilities"]
    assert may == (role in ("admin", "supervisor", "reception"))
    assert api_as(role).get("frontdesk/accidents").status_code == (200 if may else 403)
    assert api_as(role).get(f"frontdesk/accidents/{entry.pk}").status_code == (200 if may else 403)
    assert page_as(role).get(f"/frontdesk/accidents/{entry.pk}/").status_code == (
        200 if may else 403
    )


def test_the_retention_sweep_and_the_admin_never_remove_an_entry(users, page_as):
    entry = _entry(users, happened_at=timezone.now() - datetime.timedelta(days=900))
    AccidentEntry.objects.filter(pk=entry.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=900)
    )
    privacy.anonymise_old_visitors()
    assert AccidentEntry.objects.get(pk=entry.pk).person == "Sam Runner"
    admin = page_as("admin")
    url = f"/admin/frontdesk/accidententry/{entry.pk}/delete/"
    assert admin.post(url, {"post": "yes"}).status_code == 403
    assert admin.get("/admin/frontdesk/accidententry/").status_code == 200
    assert AccidentEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"happened_at": "2099-01-01T00:00:00Z"}, "happened_at"),
        ({"injury": ""}, "injury"),
        ({"person_kind": "alien"}, "person_kind"),
        ({"what_happened": "x" * 5001}, "what_happened"),
    ],
)
def test_bad_entries_are_422_and_write_nothing(api_as, change, field):
    body = {
        "person": "Jo",
        "happened_at": "2026-01-01T10:00:00Z",
        "place": "Lobby",
        "what_happened": "Fell",
        "injury": "Bruise",
        **change,
    }
    res = api_as("reception").post("frontdesk/accidents", body)
    assert res.status_code == 422, res.content
    assert field in res.content.decode()
    assert AccidentEntry.objects.count() == 0


def test_the_page_form_records_an_entry_and_the_list_searches(page_as):
    page = page_as("reception")
    res = page.post(
        "/frontdesk/accidents/new/",
        {
            "person": "Alex Editor",
            "person_kind": "staff",
            "happened_at": "2026-03-02T09:15",
            "place": "Suite 3",
            "what_happened": "Cut finger on a drive caddy",
            "injury": "Small cut",
            "first_aid": "Plaster",
            "riddor_reportable": "",
        },
    )
    entry = AccidentEntry.objects.get()
    assert res.status_code == 302 and res["Location"] == f"/frontdesk/accidents/{entry.pk}/"
    assert entry.riddor_reportable is False and entry.keep_until == datetime.date(2029, 3, 2)
    assert "Alex Editor" in page.get("/frontdesk/accidents/", {"q": "caddy"}).content.decode()
    assert "Alex Editor" not in page.get("/frontdesk/accidents/", {"q": "stairs"}).content.decode()
    assert "Alex Editor" not in page.get("/frontdesk/accidents/", {"riddor": "1"}).content.decode()
