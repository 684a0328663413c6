"""Stock-takes, destruction and research through the API and the pages: a stock-take
scanned in two sessions and closed lists found, missing, misplaced and unknown, and one
click moves a misplaced item; a destruction is requested, approved by a supervisor with
the client's sign-off, done before a witness, and its certificate is a PDF; a research
request moves through its states with the items found linked."""

import datetime

import pytest
from django.urls import reverse

from postdesk.library.models import DestructionRequest, MediaItem, Movement, StockTake

pytestmark = pytest.mark.django_db


def test_locations_answer_the_tree_with_roll_up_counts_and_refuse_a_missing_root(
    api_as, register, vault
):
    register()
    register(location=vault["shelf3"])
    api = api_as("library")

    tree = {row["barcode"]: row for row in api.get("locations").json()}
    rack1 = api.get("locations", under=vault["rack1"].pk).json()

    assert (tree["LOC-SOHO"]["depth"], tree["LOC-SOHO"]["items_total"]) == (0, 2)
    assert (tree["LOC-VAULT-A-R1-S1"]["items_here"], tree["LOC-VAULT-A-R1"]["items_total"]) == (
        1,
        1,
    )
    assert [row["name"] for row in rack1] == ["Rack 1", "Shelf 1", "Shelf 2"]
    assert api.get("locations", under=999999).status_code == 422
    made = api.post("locations", {"name": "Shelf 4", "kind": "shelf", "parent": vault["rack2"].pk})
    assert made.status_code == 201, made.content
    assert made.json()["depth"] == 4 - 1
    assert (
        api.post("locations", {"name": "X", "kind": "shelf", "parent": 999999}).status_code == 422
    )


def test_a_stocktake_in_two_sessions_classifies_and_moves_a_misplaced_item_in_one_call(
    api_as, register, vault
):
    here = register(title="Here")
    gone = register(title="Gone")
    stray = register(title="Stray", location=vault["shelf3"])
    api = api_as("library")

    started = api.post("stocktakes", {"location": vault["rack1"].pk})
    assert started.status_code == 201, started.content
    st = started.json()["id"]
    first = api.post(f"stocktakes/{st}/scan", {"codes": ["LOC-VAULT-A-R1-S1", here.barcode]})
    second = api.post(
        f"stocktakes/{st}/scan", {"codes": ["LOC-VAULT-A-R1-S2", stray.barcode, "LIB-ZZZ"]}
    )
    closed = api.post(f"stocktakes/{st}/close")

    assert first.status_code == 200 and second.status_code == 200, second.content
    result = closed.json()["result"]
    assert [e["item"] for e in result["found"]] == [here.pk]
    assert [e["item"] for e in result["missing"]] == [gone.pk]
    assert [(e["item"], e["found_at"]) for e in result["misplaced"]] == [
        (stray.pk, vault["shelf2"].pk)
    ]
    assert [e["code"] for e in result["unknown"]] == ["LIB-ZZZ"]
    outside = api.post(f"stocktakes/{st}/scan", {"codes": [here.barcode]})
    assert outside.status_code == 409

    moved = api.post(f"stocktakes/{st}/resolve", {"item": stray.pk, "reason": "Found on shelf 2"})

    assert moved.status_code == 200, moved.content
    stray.refresh_from_db()
    assert stray.location_id == vault["shelf2"].pk
    assert Movement.objects.filter(
        item=stray, action="stocktake", note__contains="shelf 2"
    ).exists()
    again = api.post(f"stocktakes/{st}/resolve", {"item": stray.pk, "reason": "Again"})
    assert again.status_code == 409


def test_stocktake_pages_scan_close_after_confirming_and_move_here(page_as, register, vault):
    stray = register(title="Stray", location=vault["shelf3"])
    http = page_as("library")

    started = http.post(reverse("library:stocktake-create"), {"location": vault["rack1"].pk})
    st = StockTake.objects.get()
    detail = reverse("library:stocktake-detail", args=[st.pk])
    assert started.status_code == 302 and started["Location"] == detail
    scanned = http.post(detail, {"codes": f"LOC-VAULT-A-R1-S1\n{stray.barcode}\n"})
    assert scanned.status_code == 302
    assert "As things stand" in http.get(detail).content.decode()
    confirm = http.get(reverse("library:stocktake-close", args=[st.pk]))
    assert "Close the stock-take" in confirm.content.decode()
    st.refresh_from_db()
    assert st.status == "open"  # asking changed nothing

    assert http.post(reverse("library:stocktake-close", args=[st.pk])).status_code == 302
    page = http.get(detail).content.decode()
    resolve = reverse("library:stocktake-resolve", args=[st.pk, stray.pk])
    assert resolve in page
    assert http.post(resolve, {"reason": "Found on shelf 1"}).status_code == 302
    stray.refresh_from_db()
    assert stray.location_id == vault["shelf1"].pk
    assert "moved here" in http.get(detail).content.decode()


def test_destruction_requested_approved_done_and_certified(api_as, page_as, register, vault):
    old = register(
        title="Old dub",
        generation="dub",
        format="digibeta",
        retention_until=datetime.date(2020, 1, 31),
    )
    kept = register(title="Held", on_hold=True, retention_until=datetime.date(2020, 1, 31))
    library = api_as("library")

    listed = page_as("library").get(reverse("library:destructions")).content.decode()
    assert "Old dub" in listed and "Held" in listed
    refused = library.post(
        "destructions", {"items": [kept.pk], "method": "shred", "reason": "Gone"}
    )
    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "destruction_refused"
    made = library.post("destructions", {"items": [old.pk], "method": "shred", "reason": "Expired"})
    assert made.status_code == 201, made.content
    req = made.json()["id"]
    assert (
        library.post(
            f"destructions/{req}/approve",
            {"client_signoff_name": "Hannah Reid", "client_signoff_date": "2026-11-20"},
        ).status_code
        == 403
    )
    approved = api_as("supervisor").post(
        f"destructions/{req}/approve",
        {"client_signoff_name": "Hannah Reid", "client_signoff_date": "2026-11-20"},
    )
    assert approved.status_code == 200, approved.content
    done = page_as("library").post(
        reverse("library:destruction-done", args=[req]), {"witness": "Ed Nakamura"}
    )
    assert done.status_code == 302

    body = library.get(f"destructions/{req}").json()
    assert body["status"] == "done" and body["certificate_number"] is not None
    pdf = page_as("library").get(body["certificate_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    old.refresh_from_db()
    assert old.destroyed_at is not None
    assert library.post(f"media/{old.pk}/move", {"location": vault["shelf2"].pk}).status_code == 409
    assert DestructionRequest.objects.get(pk=req).witness == "Ed Nakamura"


def test_research_request_moves_through_its_states_with_items_linked(
    api_as, page_as, register, production
):
    reel = register(title="Thames aerials 1994", production=production, client=production.client)
    api = api_as("library")

    made = api.post(
        "research-requests",
        {"requested_by": "Dana Hollis", "production": production.pk, "wanted": "Aerials"},
    )
    assert made.status_code == 201, made.content
    rid = made.json()["id"]
    assert api.post(f"research-requests/{rid}/status", {"status": "delivered"}).status_code == 409
    assert api.post(f"research-requests/{rid}/status", {"status": "searching"}).status_code == 200
    linked = api.post(f"research-requests/{rid}/items", {"items": [reel.pk]})
    assert [i["barcode"] for i in linked.json()["items"]] == [reel.barcode]
    assert (
        api.post(f"research-requests/{rid}/status", {"status": "found"}).json()["status"] == "found"
    )

    http = page_as("library")
    page = http.get(reverse("library:research-detail", args=[rid])).content.decode()
    assert "Thames aerials 1994" in page
    http.post(reverse("library:research-status", args=[rid]), {"status": "delivered"})
    assert api.get(f"research-requests/{rid}").json()["status"] == "delivered"
    client_view = api_as("client").get(f"research-requests/{rid}").json()
    assert "notes" not in client_view
    assert MediaItem.objects.filter(research_requests=rid).count() == 1
