"""Editing the vault after it is built: a location renamed, re-noted and moved in one
write (API and page), archived after confirming, and people's badge codes given."""

import pytest
from django.urls import reverse

from postdesk.core.models import AuditEntry
from postdesk.library import services
from postdesk.library.models import Badge, Location

pytestmark = pytest.mark.django_db


def test_the_api_renames_and_moves_a_location_in_one_write(api_as, vault):
    shelf = vault["shelf1"]

    response = api_as("library").patch(
        f"locations/{shelf.pk}", {"name": "Shelf 1A", "parent": vault["rack2"].pk}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["parent"], body["depth"]) == ("Shelf 1A", vault["rack2"].pk, 3)
    shelf.refresh_from_db()
    assert shelf.path == f"{vault['rack2'].path}{shelf.pk}/"


def test_a_refused_move_leaves_the_rename_undone_too(api_as, vault):
    rack = vault["rack1"]

    response = api_as("library").patch(
        f"locations/{rack.pk}", {"name": "Rack One", "parent": vault["shelf1"].pk}
    )

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["parent"]
    rack.refresh_from_db()
    assert (rack.name, rack.parent_id) == ("Rack 1", vault["vault"].pk)


def test_a_location_inside_another_cannot_be_made_a_root(api_as, vault):
    response = api_as("library").patch(f"locations/{vault['shelf1'].pk}", {"parent": None})

    assert response.status_code == 422
    assert response.json()["message"] == "A location inside another stays inside one"


def test_archive_through_the_api_empty_only(api_as, vault, register):
    register(location=vault["shelf1"])
    api = api_as("library")

    full = api.post(f"locations/{vault['rack1'].pk}/archive")
    empty = api.post(f"locations/{vault['rack2'].pk}/archive")

    assert full.status_code == 409
    assert full.json()["details"] == {"items": 1}
    assert empty.status_code == 200 and empty.json()["archived"] is True
    assert set(Location.objects.filter(archived=True).values_list("name", flat=True)) == {
        "Rack 2",
        "Shelf 3",
    }


@pytest.mark.parametrize("role", ["runner", "reception", "client"])
def test_only_the_library_edits_locations_and_badges(api_as, vault, role):
    api = api_as(role)

    assert api.patch(f"locations/{vault['shelf1'].pk}", {"name": "X"}).status_code == 403
    assert api.post(f"locations/{vault['shelf1'].pk}/archive").status_code == 403
    assert api.get("badges").status_code == 403
    assert Location.objects.get(pk=vault["shelf1"].pk).name == "Shelf 1"


def test_the_edit_page_saves_through_its_form(page_as, vault):
    http = page_as("library")
    url = reverse("library:location-edit", args=[vault["shelf1"].pk])
    asked = http.get(url).content.decode()
    assert 'value="Shelf 1"' in asked
    # The new parent's choices never include the location itself or its subtree.
    assert f'value="{vault["rack1"].pk}" selected' in asked
    assert f'<option value="{vault["shelf1"].pk}"' not in asked

    saved = http.post(url, {"name": "Shelf 1A", "parent": vault["rack2"].pk, "notes": "Damp"})

    assert saved.status_code == 302
    assert saved["Location"] == reverse("library:location-detail", args=[vault["shelf1"].pk])
    shelf = Location.objects.get(pk=vault["shelf1"].pk)
    assert (shelf.name, shelf.parent_id, shelf.notes) == ("Shelf 1A", vault["rack2"].pk, "Damp")


def test_the_edit_page_shows_a_refusal_next_to_the_field(page_as, vault):
    http = page_as("library")
    url = reverse("library:location-edit", args=[vault["shelf2"].pk])

    clash = http.post(url, {"name": "Shelf 1", "parent": vault["rack1"].pk, "notes": ""})

    assert clash.status_code == 200
    assert "Shelf 1" in clash.context["form"].errors.as_text()
    assert Location.objects.get(pk=vault["shelf2"].pk).name == "Shelf 2"


def test_the_archive_page_asks_then_archives(page_as, vault):
    http = page_as("library")
    url = reverse("library:location-archive", args=[vault["rack2"].pk])

    asked = http.get(url)
    assert asked.status_code == 200
    assert "Archive Rack 2" in asked.content.decode()
    assert Location.objects.get(pk=vault["rack2"].pk).archived is False

    done = http.post(url, {"confirm": "yes"})

    assert done.status_code == 302 and done["Location"] == reverse("library:locations")
    assert Location.objects.get(pk=vault["rack2"].pk).archived is True


def test_the_archive_page_says_why_a_full_location_stays(page_as, vault, register):
    register(location=vault["shelf3"])
    http = page_as("library")

    refused = http.post(reverse("library:location-archive", args=[vault["rack2"].pk]))

    assert refused.status_code == 409
    assert "still holds 1 item(s)" in refused.content.decode()
    assert Location.objects.get(pk=vault["rack2"].pk).archived is False


def test_badges_are_given_on_their_page_and_read_by_the_api(page_as, api_as, users, vault):
    http = page_as("library")
    runner = users["runner"]
    assert "No one has a badge yet" in http.get(reverse("library:badges")).content.decode()

    given = http.post(reverse("library:badges"), {"user": runner.pk, "code": "badge-77"})

    assert given.status_code == 302
    assert Badge.objects.get(user=runner).code == "BADGE-77"
    assert AuditEntry.objects.filter(object_type="library.badge").count() == 1
    listed = api_as("library").get("badges").json()
    assert listed == [{"user": runner.pk, "name": runner.display_name, "code": "BADGE-77"}]


def test_a_badge_code_already_a_location_is_refused_on_the_page_and_the_api(
    page_as, api_as, users, vault
):
    http = page_as("library")

    page = http.post(reverse("library:badges"), {"user": users["runner"].pk, "code": "LOC-SOHO"})
    api = api_as("library").put(f"badges/{users['runner'].pk}", {"code": "LOC-SOHO"})

    assert page.status_code == 200
    assert "already a location or item barcode" in page.content.decode()
    assert api.status_code == 409
    assert not Badge.objects.exists()


def test_a_badge_for_a_client_user_is_404(api_as, users):
    response = api_as("library").put(f"badges/{users['client'].pk}", {"code": "B-1"})

    assert response.status_code == 404
    assert not Badge.objects.exists()


def test_change_location_with_nothing_to_change_changes_nothing(librarian, vault):
    before = AuditEntry.objects.count()

    services.change_location(vault["shelf1"], actor=librarian, parent=vault["rack1"].pk)

    assert Location.objects.get(pk=vault["shelf1"].pk).parent_id == vault["rack1"].pk
    assert AuditEntry.objects.count() == before  # no change, no record, no move
