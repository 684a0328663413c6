"""The media API: register, read, filter, change and withdraw items; history and lineage;
the custody actions and their refusals (a missing destination is a 422, a destroyed item
a 409, a role without the capability a 403), each leaving nothing changed."""

import datetime
import itertools

import pytest
from django.utils import timezone

from postdesk.library import services
from postdesk.library.models import MediaItem, Movement

pytestmark = pytest.mark.django_db


def _history(item) -> list[str]:
    return list(
        Movement.objects.filter(item=item).order_by("at", "id").values_list("action", flat=True)
    )


def test_registering_through_the_api_generates_a_barcode_and_puts_the_item_on_its_shelf(
    api_as, vault, production
):
    response = api_as("library").post(
        "media",
        {
            "title": "The Long Tide R1 master",
            "kind": "tape",
            "format": "hdcam_sr",
            "generation": "master",
            "frame_rate": "25",
            "start_timecode": "10:00:00:00",
            "production": production.pk,
            "client": production.client_id,
            "location": vault["shelf2"].pk,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["barcode"].startswith("LIB-")
    assert body["place"]["custody"] == "location"
    assert body["place"]["location"] == vault["shelf2"].pk
    assert body["place"]["location_barcode"] == "LOC-VAULT-A-R1-S2"
    assert body["production_title"] == "The Long Tide"
    history = api_as("library").get(f"media/{body['id']}/history").json()
    assert [m["action"] for m in history] == ["register"]
    assert history[0]["to_place"]["location"] == vault["shelf2"].pk


def test_registering_into_a_location_that_does_not_exist_is_a_422_and_makes_nothing(api_as, vault):
    response = api_as("library").post(
        "media",
        {
            "title": "Lost",
            "kind": "tape",
            "format": "hdcam",
            "generation": "dub",
            "location": 999999,
        },
    )

    assert response.status_code == 422
    assert not MediaItem.objects.filter(title="Lost").exists()


def test_list_filters_by_kind_generation_production_subtree_holder_overdue_and_text(
    api_as, register, vault, production, librarian, next_week
):
    master = register(reel="R7", production=production, client=production.client)
    dub = register(generation="dub", format="digibeta", parents=[master], location=vault["shelf3"])
    drive = register(kind="drive", format="ssd", generation="camera_original", title="Rushes day 1")
    services.check_out(drive, actor=librarian, holder=librarian, due_back=next_week)
    late = register(
        title="Late ref",
        holder_name="Jo Park",
        due_back=timezone.localdate() - datetime.timedelta(days=2),
    )
    api = api_as("library")

    def ids(**params):
        response = api.get("media", **params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(kind="drive") == {drive.pk}
    assert ids(generation="dub") == {dub.pk}
    assert ids(production=production.pk) == {master.pk}
    assert ids(location=vault["rack2"].pk) == {dub.pk}
    assert ids(location=vault["vault"].pk) == {master.pk, dub.pk}
    assert ids(holder=librarian.pk) == {drive.pk}
    assert ids(overdue="true") == {late.pk}
    assert ids(q="r7") == {master.pk}
    assert ids(q="rushes") == {drive.pk}
    assert api.get("media", location=999999).status_code == 422
    assert api.get("media", ordering="nonsense").status_code == 422


def test_the_lists_q_is_the_full_text_search(api_as, register, production):
    """`q` finds every word in the item or its production/client, a barcode typed in part
    by its start, in the order asked for; a search past the word limit is a 422 on `q`."""
    master = register(
        barcode="LIB-900123",
        title="Harbour episode master",
        production=production,
        client=production.client,
    )
    dub = register(barcode="LIB-900124", title="Harbour episode dub", generation="dub")
    register(barcode="ARC-77", title="Rushes", kind="drive", format="ssd")
    api = api_as("library")

    def codes(**params):
        response = api.get("media", **params)
        assert response.status_code == 200, response.content
        return [row["barcode"] for row in response.json()["results"]]

    assert codes(q="LIB-9001") == ["LIB-900123", "LIB-900124"]
    assert codes(q="lib-900124") == ["LIB-900124"]
    assert codes(q="episode mast") == ["LIB-900123"]
    assert codes(q="harbour", ordering="-barcode") == ["LIB-900124", "LIB-900123"]
    assert codes(q=production.title.split()[0], generation="master") == [master.barcode]
    assert codes(q="harbour", custody="location") == [master.barcode, dub.barcode]
    assert codes(q="episode rushes") == []
    too_many = api.get("media", q="a b c d e f g h i")
    assert too_many.status_code == 422
    assert "q" in too_many.content.decode()


def test_a_client_user_sees_only_its_own_companys_media_without_the_facilitys_notes(
    api_as, register, production, other_job
):
    ours = register(client=production.client, production=production, notes="Shelf is damp")
    theirs = register(client=other_job.client, production=other_job.production)
    api = api_as("client")

    listed = api.get("media").json()["results"]

    assert [row["id"] for row in listed] == [ours.pk]
    assert "notes" not in listed[0]
    assert api.get(f"media/{theirs.pk}").status_code == 404
    assert api.get(f"media/{theirs.pk}/history").status_code == 404
    assert api.get(f"media/{ours.pk}").json()["title"] == ours.title
    # read-only: no custody action, no registering
    assert api.post(f"media/{ours.pk}/move", {"location": ours.location_id}).status_code == 403
    assert api.patch(f"media/{ours.pk}", {"title": "Mine now"}).status_code == 403


def test_patch_changes_the_catalogue_and_delete_withdraws_the_item_keeping_its_history(
    api_as, register
):
    item = register()
    api = api_as("library")

    patched = api.patch(f"media/{item.pk}", {"title": "Renamed", "condition": "fair"})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["title"], patched.json()["condition"]) == ("Renamed", "fair")

    assert api.delete(f"media/{item.pk}").status_code == 204
    item.refresh_from_db()
    assert item.archived_at is not None
    assert _history(item) == ["register"]
    assert item.pk not in {r["id"] for r in api.get("media").json()["results"]}
    refused = api.post(f"media/{item.pk}/move", {"location": item.location_id})
    assert refused.status_code == 409


def test_move_into_a_location_that_does_not_exist_is_a_422_and_nothing_moves(
    api_as, register, vault
):
    item = register()

    response = api_as("library").post(f"media/{item.pk}/move", {"location": 888888})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    item.refresh_from_db()
    assert item.location_id == vault["shelf1"].pk
    assert _history(item) == ["register"]


def test_a_destroyed_item_refuses_every_move_with_a_409(api_as, register, vault, next_week):
    item = register()
    MediaItem.objects.filter(pk=item.pk).update(destroyed_at=timezone.now())
    api = api_as("library")
    attempts = {
        "move": {"location": vault["shelf2"].pk},
        "check-out": {"holder_name": "Jo", "due_back": str(next_week)},
        "check-in": {"location": vault["shelf2"].pk},
        "dispatch": {"courier": "DHL", "destination": "ITV"},
        "receive": {"location": vault["shelf2"].pk},
    }

    for action, body in attempts.items():
        response = api.post(f"media/{item.pk}/{action}", body)
        assert response.status_code == 409, (action, response.content)
    scanned = api.post("scan", {"codes": [item.barcode, vault["shelf2"].barcode]})
    assert scanned.status_code == 200
    assert [r["status"] for r in scanned.json()["refused"]] == [409]
    assert _history(item) == ["register"]


def test_custody_round_trip_check_out_in_dispatch_receive(
    api_as, register, vault, users, next_week
):
    item = register()
    api = api_as("library")

    out = api.post(
        f"media/{item.pk}/check-out",
        {"holder": users["runner"].pk, "due_back": str(next_week), "signer_name": "Ravi"},
    )
    assert out.status_code == 200, out.content
    assert out.json()["place"]["custody"] == "person"
    assert out.json()["place"]["holder"] == users["runner"].pk
    back = api.post(f"media/{item.pk}/check-in", {"location": vault["shelf3"].pk})
    assert back.json()["place"]["location"] == vault["shelf3"].pk
    sent = api_as("reception").post(
        f"media/{item.pk}/dispatch",
        {"courier": "Mercury", "tracking": "MC-1", "destination": "Pinewood"},
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["place"]["label"] == "in transit with Mercury to Pinewood"
    got = api_as("reception").post(
        f"media/{item.pk}/receive", {"location": vault["shelf1"].pk, "signer_name": "Rita"}
    )
    assert got.json()["place"]["location"] == vault["shelf1"].pk

    history = api.get(f"media/{item.pk}/history").json()
    assert [m["action"] for m in history] == [
        "register",
        "check_out",
        "check_in",
        "dispatch",
        "receive",
    ]
    assert history[1]["signer_name"] == "Ravi"
    # each step starts where the one before ended
    for before, after in itertools.pairwise(history):
        assert {k: v for k, v in after["from_place"].items() if k != "label"} == {
            k: v for k, v in before["to_place"].items() if k != "label"
        }


def test_who_may_do_what_runners_move_reception_dispatches_engineers_only_read(
    api_as, register, vault, next_week
):
    item = register()

    assert (
        api_as("runner").post(f"media/{item.pk}/move", {"location": vault["shelf2"].pk}).status_code
        == 200
    )
    assert (
        api_as("runner")
        .post(f"media/{item.pk}/dispatch", {"courier": "X", "destination": "Y"})
        .status_code
        == 403
    )
    assert api_as("engineer").get(f"media/{item.pk}").status_code == 200
    assert (
        api_as("engineer")
        .post(f"media/{item.pk}/move", {"location": vault["shelf1"].pk})
        .status_code
        == 403
    )
    assert api_as("accounts").get("media").status_code == 403
    assert _history(item) == ["register", "move"]


def test_lineage_answers_every_copy_and_every_source_to_any_depth(api_as, register):
    master = register(title="Master")
    sub = register(title="Sub-master", generation="sub_master", parents=[master])
    dub = register(title="Dub", generation="dub", format="digibeta", parents=[sub])
    viewing = register(title="Viewing copy", generation="dub", format="xdcam", parents=[dub])
    other = register(title="Unrelated")

    down = api_as("library").get(f"media/{master.pk}/lineage").json()
    up = api_as("library").get(f"media/{viewing.pk}/lineage").json()

    assert down["ancestors"] == []
    assert [(r["id"], r["depth"]) for r in down["descendants"]] == [
        (sub.pk, 1),
        (dub.pk, 2),
        (viewing.pk, 3),
    ]
    assert [(r["id"], r["depth"]) for r in up["ancestors"]] == [
        (dub.pk, 1),
        (sub.pk, 2),
        (master.pk, 3),
    ]
    assert other.pk not in {r["id"] for r in down["descendants"]}


def test_scan_moves_the_items_to_the_last_code_and_answers_what_moved(api_as, register, vault):
    a = register()
    b = register(location=vault["shelf2"])
    api = api_as("runner")

    identified = api.get("scan", code=a.barcode.lower()).json()
    shelf = api.get("scan", code="LOC-VAULT-A-R2-S3").json()
    unknown = api.get("scan", code="LIB-NOPE").json()
    response = api.post("scan", {"codes": [a.barcode, b.barcode, "LIB-NOPE", "LOC-VAULT-A-R2-S3"]})

    assert (identified["kind"], identified["id"]) == ("item", a.pk)
    assert (shelf["kind"], shelf["id"]) == ("location", vault["shelf3"].pk)
    assert unknown["kind"] == "unknown"
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["destination"]["id"] == vault["shelf3"].pk
    assert [m["item"] for m in body["moved"]] == [a.pk, b.pk]
    assert [r["code"] for r in body["refused"]] == ["LIB-NOPE"]
    assert set(
        MediaItem.objects.filter(pk__in=[a.pk, b.pk]).values_list("location", flat=True)
    ) == {vault["shelf3"].pk}


def test_scan_to_a_destination_that_does_not_exist_is_a_422_and_nothing_moves(
    api_as, register, vault
):
    item = register()

    response = api_as("library").post("scan", {"codes": [item.barcode, "LOC-NOWHERE"]})

    assert response.status_code == 422
    assert _history(item) == ["register"]
    assert api_as("library").post("scan", {"codes": [item.barcode]}).status_code == 422


def test_reception_receives_a_delivery_at_the_scan_station_but_may_not_move_shelved_items(
    api_as, register, librarian, vault
):
    arriving = register()
    services.dispatch(arriving, actor=librarian, courier="DHL", destination="Soho")
    shelved = register(location=vault["shelf2"])
    api = api_as("reception")

    response = api.post("scan", {"codes": [arriving.barcode, shelved.barcode, "LOC-VAULT-A-R2-S3"]})

    assert response.status_code == 200, response.content
    body = response.json()
    assert [(m["item"], m["action"]) for m in body["moved"]] == [(arriving.pk, "receive")]
    assert [(r["code"], r["status"]) for r in body["refused"]] == [(shelved.barcode, 403)]
    assert (
        api_as("engineer").post("scan", {"codes": [shelved.barcode, "LOC-SOHO"]}).status_code == 403
    )
