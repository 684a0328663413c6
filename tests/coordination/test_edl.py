"""EDL import: a CMX 3600 EDL read through OpenTimelineIO's adapter, kept as a document
version with its events, and its reels matched to the production's media items."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from postdesk.coordination import edl
from postdesk.coordination.models import Document, Edl, EdlEvent
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Conflict, Forbidden, InvalidInput
from postdesk.productions import services as production_services

pytestmark = pytest.mark.django_db

CUT = b"""TITLE: LONG TIDE R1 V3
FCM: NON-DROP FRAME

001  A001C003 V     C        01:00:10:00 01:00:15:00 01:00:00:00 01:00:05:00
* FROM CLIP NAME: LT_101_A001C003
002  TAPE_02  AA/V  C        02:00:00:00 02:00:02:12 01:00:05:00 01:00:07:12
003  BL       V     C        00:00:00:00 00:00:01:00 01:00:07:12 01:00:08:12
004  tape_02  V     C        02:00:10:00 02:00:11:00 01:00:08:12 01:00:09:12
005  LOST_99  V     C        05:00:00:00 05:00:01:00 01:00:09:12 01:00:10:12
"""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(data: bytes = CUT, name: str = "reel1.edl"):
    return SimpleUploadedFile(name, data, content_type="text/plain")


def import_cut(production, actor, data: bytes = CUT, title: str = "Reel 1 EDL", **kw):
    return edl.import_edl(
        production=production, title=title, file=upload(data), rate="25", actor=actor, **kw
    )


@pytest.fixture
def tapes(register, production):
    """Two media items holding the cut's reels; one of another production with LOST_99."""
    other = production_services.create_production(
        actor=SYSTEM, client=production.client, title="Other show", kind="feature"
    )
    return {
        "a001": register(
            barcode="CAM-A001",
            reel="A001C003",
            production=production,
            kind="camera_card",
            format="card",
            generation="camera_original",
        ),
        "tape02": register(barcode="HD-0002", reel=" tape_02 ", production=production),
        "elsewhere": register(barcode="HD-0099", reel="LOST_99", production=other),
    }


def test_events_and_timecodes_are_read_through_the_adapter(production, coordinator):
    cut = import_cut(production, coordinator)

    assert (cut.title, cut.rate, cut.event_count) == ("LONG TIDE R1 V3", "25", 5)
    rows = edl.event_rows(cut)
    assert [(r["number"], r["track"], r["reel"] or r["source"]) for r in rows] == [
        (1, "V", "A001C003"),
        (2, "V", "TAPE_02"),
        (2, "A1", "TAPE_02"),
        (2, "A2", "TAPE_02"),
        (3, "V", "black"),
        (4, "V", "tape_02"),
        (5, "V", "LOST_99"),
    ]
    first = rows[0]
    assert (first["clip_name"], first["source_in"], first["source_out"]) == (
        "LT_101_A001C003",
        "01:00:10:00",
        "01:00:15:00",
    )
    assert (first["record_in"], first["record_out"]) == ("01:00:00:00", "01:00:05:00")
    assert (rows[1]["record_in"], rows[1]["record_out"]) == ("01:00:05:00", "01:00:07:12")
    assert rows[2]["record_in"] == "01:00:05:00"  # the audio tracks keep record time too


def test_the_edl_is_kept_as_a_document_version_and_a_recut_adds_one(production, coordinator):
    first = import_cut(production, coordinator)
    second = import_cut(production, coordinator, CUT.replace(b"LOST_99", b"TAPE_03"))

    doc = Document.objects.get()
    assert (doc.kind, doc.title) == ("edl", "Reel 1 EDL")
    assert (first.version.number, second.version.number) == (1, 2)
    with default_storage.open(first.version.file.name, "rb") as f:
        assert f.read() == CUT
    assert "TAPE_03" in {e.reel for e in second.events.all()}
    assert "TAPE_03" not in {e.reel for e in first.events.all()}


def test_reels_are_matched_to_the_productions_media(production, coordinator, tapes):
    cut = import_cut(production, coordinator)

    pull = edl.pull_list(cut)
    matched = {r["reel"]: [m.barcode for m in r["items"]] for r in pull["matched"]}
    # Case and spaces aside; another production's LOST_99 is not this cut's.
    assert matched == {
        "A001C003": ["CAM-A001"],
        "TAPE_02": ["HD-0002"],
        "tape_02": ["HD-0002"],
    }
    assert pull["unmatched"] == ["LOST_99"]
    assert {r["reel"]: r["events"] for r in pull["reels"]}["TAPE_02"] == 1
    assert [(r["production"].pk, r["reel"]) for r in edl.unmatched_reels()] == [
        (production.pk, "LOST_99")
    ]


def test_a_reel_registered_later_is_matched_and_only_the_latest_version_counts(
    production, coordinator, register
):
    import_cut(production, coordinator)
    assert {r["reel"] for r in edl.unmatched_reels()} == {
        "A001C003",
        "TAPE_02",
        "tape_02",
        "LOST_99",
    }

    register(barcode="HD-0003", reel="LOST_99", production=production)
    assert "LOST_99" not in {r["reel"] for r in edl.unmatched_reels()}
    import_cut(production, coordinator, CUT.replace(b"LOST_99", b"TAPE_77"))
    assert "TAPE_77" in {r["reel"] for r in edl.unmatched_reels()}
    assert len([r for r in edl.unmatched_reels() if r["reel"] == "A001C003"]) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is a shopping list\n", "This is not a CMX 3600 EDL we can read"),
        (b"001  AX V C 01:00:00:00\n", "This is not a CMX 3600 EDL we can read"),
        (
            b"001  A V C 01:00:10:00 01:00:15:00 01:00:00:00 01:00:09:00\n",
            "Source and record duration don't match",
        ),
        (
            b"001  A V C 25:00:10:00 25:00:15:00 01:00:00:00 01:00:05:00\n",
            "past the last frame of the 24-hour day",
        ),
        (b"TITLE: EMPTY\nFCM: NON-DROP FRAME\n", "The EDL holds no events"),
        (b"TITLE: \xff\xfe\n", "An EDL must be UTF-8"),
        (b"TITLE: X\x00\n", "An EDL may not hold binary data"),
    ],
)
def test_a_malformed_edl_is_refused_with_its_reason_and_nothing_is_kept(
    production, coordinator, data, message
):
    with pytest.raises(InvalidInput) as refused:
        import_cut(production, coordinator, data)

    assert message in str(refused.value)
    assert not Document.objects.exists() and not Edl.objects.exists()


def test_limits_a_wrong_name_and_who_may_import(production, coordinator, users, monkeypatch):
    with pytest.raises(InvalidInput, match=r"a file ending in \.edl"):
        edl.import_edl(
            production=production,
            title="X",
            file=upload(CUT, "cut.txt"),
            rate="25",
            actor=coordinator,
        )
    with pytest.raises(InvalidInput, match="drop frame exists only at"):
        import_cut(production, coordinator, drop_frame=True)
    monkeypatch.setattr(edl, "MAX_BYTES", 100)
    with pytest.raises(InvalidInput, match="at most"):
        import_cut(production, coordinator)
    monkeypatch.undo()
    with pytest.raises(Forbidden):
        import_cut(production, users["client"])
    import_cut(production, coordinator, title="Cut")
    # A document of another kind is not an EDL's to add a version to.
    Document.objects.filter(title="Cut").update(kind="script")
    with pytest.raises(Conflict):
        import_cut(production, coordinator, title="Cut")
    assert EdlEvent.objects.count() == 7


def test_drop_frame_timecode_is_labelled_with_a_semicolon(production, coordinator):
    data = b"001  TAPE_DF V C 01:00:10;00 01:00:11;00 01:00:00;00 01:00:01;00\n"
    cut = edl.import_edl(
        production=production,
        title="DF",
        file=upload(data),
        rate="29.97",
        drop_frame=True,
        actor=coordinator,
    )
    row = edl.event_rows(cut)[0]
    assert (row["source_in"], row["record_out"]) == ("01:00:10;00", "01:00:01;00")


def test_import_and_pull_list_through_the_pages(page_as, production, tapes):
    http = page_as("coordinator")
    response = http.post(
        f"/coordination/productions/{production.pk}/edls/import/",
        {"title": "Reel 1 EDL", "file": upload(), "rate": "25"},
    )
    assert response.status_code == 302
    cut = Edl.objects.get()
    assert response["Location"] == f"/coordination/edls/{cut.pk}/"

    page = http.get(response["Location"]).content.decode()
    assert "HD-0002" in page and "CAM-A001" in page
    assert "LOST_99" in page and "01:00:07:12" in page
    listing = http.get(f"/coordination/productions/{production.pk}/edls/").content.decode()
    assert "Reel 1 EDL" in listing

    bad = http.post(
        f"/coordination/productions/{production.pk}/edls/import/",
        {"title": "Broken", "file": upload(b"not an edl"), "rate": "25"},
    )
    assert bad.status_code == 200 and "This is not a CMX 3600 EDL" in bad.content.decode()

    library = page_as("library")
    assert "LOST_99" in library.get("/coordination/edls/unmatched-reels/").content.decode()
    assert library.get(f"/coordination/edls/{cut.pk}/").status_code == 200
    assert page_as("client").get(f"/coordination/edls/{cut.pk}/").status_code == 403
    assert (
        page_as("library")
        .get(f"/coordination/productions/{production.pk}/edls/import/")
        .status_code
        == 403
    )


def test_edls_through_the_api(api_as, production, tapes):
    api = api_as("coordinator")
    response = api.http.post(
        f"/api/v1/productions/{production.pk}/edls",
        {"title": "Reel 1 EDL", "rate": "25", "file": upload()},
        **api.headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["event_count"] == 5 and body["unmatched"] == ["LOST_99"]
    reels = {r["reel"]: [i["barcode"] for i in r["items"]] for r in body["reels"]}
    assert reels["A001C003"] == ["CAM-A001"]
    assert body["events"][0]["record_in"] == "01:00:00:00"

    bad = api.http.post(
        f"/api/v1/productions/{production.pk}/edls",
        {"title": "Broken", "rate": "25", "file": upload(b"001  AX V C 01:00:00:00\n")},
        **api.headers,
    )
    assert bad.status_code == 422
    assert "This is not a CMX 3600 EDL" in bad.json()["message"] + str(bad.json()["details"])

    assert [e["id"] for e in api.get(f"productions/{production.pk}/edls").json()] == [body["id"]]
    assert api.get(f"edls/{body['id']}").json()["unmatched"] == ["LOST_99"]
    library = api_as("library")
    assert [r["reel"] for r in library.get("edl-unmatched-reels").json()] == ["LOST_99"]
    assert api_as("client").get(f"edls/{body['id']}").status_code == 403
