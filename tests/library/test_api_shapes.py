"""The keys of the library's answers, in order, where the response schemas moved from
ninja's own serialising to rows read through the schema and written as they are
(locations, stock-takes, destructions): a client reading them sees the same body."""

import datetime

import pytest

pytestmark = pytest.mark.django_db

LOCATION_KEYS = [
    *("id", "name", "barcode", "kind", "parent", "depth", "archived"),
    *("items_here", "items_total"),
]
STOCKTAKE_KEYS = [
    *("id", "location", "location_name", "status", "started_at", "closed_at"),
    *("scans", "result"),
]
DESTRUCTION_KEYS = [
    *("id", "status", "method", "reason", "items", "requested_by", "requested_at"),
    *("approved_by", "approved_at", "rejection_reason", "client_signoff_name"),
    *("client_signoff_date", "witness", "destroyed_at", "certificate_number"),
    "certificate_url",
]
PAGE_KEYS = ["count", "page", "page_size", "pages", "results"]


def test_locations_answer_parent_as_an_id_under_its_own_name(api_as, vault):
    api = api_as("library")

    listed = api.get("locations", under=vault["rack1"].pk).json()
    one = api.get(f"locations/{vault['shelf1'].pk}").json()
    made = api.post("locations", {"name": "Shelf 4", "kind": "shelf", "parent": vault["rack2"].pk})

    assert [list(row) for row in listed] == [LOCATION_KEYS] * 3
    assert [row["parent"] for row in listed] == [
        vault["vault"].pk,
        vault["rack1"].pk,
        vault["rack1"].pk,
    ]
    assert list(one) == LOCATION_KEYS and one["parent"] == vault["rack1"].pk
    assert made.status_code == 201
    assert list(made.json()) == LOCATION_KEYS and made.json()["parent"] == vault["rack2"].pk


def test_a_stocktake_answers_its_location_name_and_scan_count(api_as, register, vault):
    item = register()
    api = api_as("library")

    started = api.post("stocktakes", {"location": vault["rack1"].pk})
    st = started.json()["id"]
    scanned = api.post(f"stocktakes/{st}/scan", {"codes": [vault["shelf1"].barcode, item.barcode]})
    closed = api.post(f"stocktakes/{st}/close")
    listed = api.get("stocktakes").json()

    assert started.status_code == 201 and list(started.json()) == STOCKTAKE_KEYS
    assert scanned.json() == {
        "shelf": vault["shelf1"].pk,
        "recorded": 2,
        "scans": [
            {"code": vault["shelf1"].barcode, "kind": "shelf", "item": None,
             "location": vault["shelf1"].pk},
            {"code": item.barcode, "kind": "item", "item": item.pk,
             "location": vault["shelf1"].pk},
        ],
    }  # fmt: skip
    body = closed.json()
    assert list(body) == STOCKTAKE_KEYS
    assert (body["location"], body["location_name"], body["scans"]) == (
        vault["rack1"].pk,
        "Rack 1",
        2,
    )
    assert list(listed) == PAGE_KEYS and [list(r) for r in listed["results"]] == [STOCKTAKE_KEYS]


def test_a_destruction_answers_who_asked_and_who_approved_as_ids(api_as, users, register):
    old = register(generation="dub", format="digibeta", retention_until=datetime.date(2020, 1, 31))
    library = api_as("library")

    made = library.post("destructions", {"items": [old.pk], "method": "shred", "reason": "Old"})
    req = made.json()["id"]
    approved = api_as("supervisor").post(
        f"destructions/{req}/approve",
        {"client_signoff_name": "Hannah Reid", "client_signoff_date": "2026-11-20"},
    )
    listed = library.get("destructions").json()

    assert made.status_code == 201 and list(made.json()) == DESTRUCTION_KEYS
    body = approved.json()
    assert list(body) == DESTRUCTION_KEYS
    assert (body["requested_by"], body["approved_by"], body["certificate_url"]) == (
        users["library"].pk,
        users["supervisor"].pk,
        None,
    )
    assert body["items"] == [{"id": old.pk, "barcode": old.barcode, "title": old.title}]
    assert list(listed) == PAGE_KEYS
    assert [list(r) for r in listed["results"]] == [DESTRUCTION_KEYS]
