"""Importing a catalogue (library/importing.py, import_checks.py): the dry run reports
every row of a deliberately messy file, the real import is all or nothing, and what it
writes keeps the registration invariants (one place, a REGISTER movement, unique
barcodes, one audit entry)."""

import datetime
import io

import pytest
from openpyxl import Workbook

from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.library.importing import import_catalogue
from postdesk.library.models import MediaItem, Movement
from postdesk.library.search import search_items

pytestmark = pytest.mark.django_db

# The catalogue's own headers, as a library's spreadsheet names them.
MAPPING = {
    "Tape No": "barcode",
    "Programme": "title",
    "Fmt": "format",
    "Gen": "generation",
    "Shelf": "location",
    "FPS": "frame_rate",
    "Start TC": "start_timecode",
    "Keep until": "retention_until",
    "Show": "production",
    "Comments": "",  # not imported
}

# A byte order mark, blank lines, mixed date formats, semicolons where commas might be,
# and one row of every error class.
MESSY = (
    "\ufeffTape No;Programme;Fmt;Gen;Shelf;FPS;Start TC;Keep until;Show;Comments\n"
    "IMP-001;Ep1 master;HDCAM SR;Master;LOC-VAULT-A-R1-S1;25;10:00:00:00;2030-01-31;"
    "The Long Tide;\n"
    "\n"
    "IMP-002;Ep1 dub;hdcam_sr;dub;loc-vault-a-r1-s2;25;10:00:00:00;31/01/2030;;ok\n"
    "IMP-003;Ep2 master;LTO-8;archive copy;LOC-VAULT-A-R2-S3;;;31 Jan 2030;;\n"
    ';Generated barcode;Digibeta;Master;LOC-VAULT-A-R1-S1;29.97;"01:00:00;02";Jan 31, 2030;;\n'
    ";;;;;;;;;\n"
    "IMP-005;Bad date;HDCAM;Master;LOC-VAULT-A-R1-S1;;;31/02/2030;;\n"
    "IMP-006;Dup in file A;HDCAM;Master;LOC-VAULT-A-R1-S1;;;;;\n"
    "IMP-006;Dup in file B;HDCAM;Master;LOC-VAULT-A-R1-S1;;;;;\n"
    "LIB-900001;Already registered;HDCAM;Master;LOC-VAULT-A-R1-S1;;;;;\n"
    "IMP-008;Unknown format;Betamax;Master;LOC-VAULT-A-R1-S1;;;;;\n"
    "IMP-009;Unknown location;HDCAM;Master;LOC-NOWHERE;;;;;\n"
    "IMP-010;Frame 25 at 25;HDCAM;Master;LOC-VAULT-A-R1-S1;25;10:00:00:25;;;\n"
    'IMP-011;Dropped frame;HDCAM;Master;LOC-VAULT-A-R1-S1;29.97;"01:01:00;00";;;\n'
    'IMP-012;Drop frame at 25;HDCAM;Master;LOC-VAULT-A-R1-S1;25;"01:00:00;00";;;\n'
    "IMP-013;Everything wrong;Betamax;Grandchild;LOC-NOWHERE;24;1:00:00:00;someday;Nope;\n"
    "\n"
).encode()


def report_of(result):
    return {r["line"]: (r["status"], sorted(e["field"] for e in r["errors"])) for r in result}


@pytest.fixture
def existing(register):
    return register(barcode="LIB-900001", title="Registered before the import")


def counts():
    return MediaItem.objects.count(), Movement.objects.count(), AuditEntry.objects.count()


def test_the_dry_run_reports_every_row_of_a_messy_file(librarian, vault, existing, production):
    before = counts()

    report = import_catalogue(
        actor=librarian, data=MESSY, filename="old-catalogue.csv", mapping=MAPPING, dry_run=True
    ).as_dict()

    assert report_of(report["report"]) == {
        2: ("ok", []),
        4: ("ok", []),
        5: ("ok", []),
        6: ("ok", []),
        8: ("error", ["retention_until"]),
        9: ("error", ["barcode"]),
        10: ("error", ["barcode"]),
        11: ("error", ["barcode"]),
        12: ("error", ["format"]),
        13: ("error", ["location"]),
        14: ("error", ["start_timecode"]),
        15: ("error", ["start_timecode"]),
        16: ("error", ["start_timecode"]),
        17: (
            "error",
            ["format", "generation", "location", "production", "retention_until", "start_timecode"],
        ),
    }
    assert (report["rows"], report["error_rows"], report["ok"]) == (14, 10, False)
    messages = {r["line"]: [e["message"] for e in r["errors"]] for r in report["report"]}
    assert messages[9] == ["Duplicate barcode IMP-006 in the file"]
    assert messages[11] == ["Duplicate barcode: LIB-900001 is already registered"]
    assert messages[12] == ["Unknown format 'Betamax'"]
    assert messages[13] == ["Unknown location 'LOC-NOWHERE'"]
    assert "frame 25 does not exist at 25" in messages[14][0]
    assert "dropped" in messages[15][0]
    assert counts() == before


def test_the_real_import_of_a_file_with_any_error_writes_nothing(
    librarian, vault, existing, production
):
    before = counts()

    report = import_catalogue(
        actor=librarian, data=MESSY, filename="old.csv", mapping=MAPPING, dry_run=False
    )

    assert (report.imported, report.error_rows) == (0, 10)
    assert counts() == before


def test_a_clean_file_imports_every_row_in_one_place_with_its_history(
    librarian, vault, existing, production
):
    clean = "\n".join(MESSY.decode().split("\n")[:7]).encode()
    audit_before = AuditEntry.objects.count()

    report = import_catalogue(
        actor=librarian, data=clean, filename="clean.csv", mapping=MAPPING, dry_run=False
    )

    assert (report.imported, report.generated, report.ok) == (4, 1, True)
    items = {x.title: x for x in MediaItem.objects.exclude(pk=existing.pk)}
    assert sorted(items) == ["Ep1 dub", "Ep1 master", "Ep2 master", "Generated barcode"]
    master = items["Ep1 master"]
    assert (master.barcode, master.kind, master.format, master.generation) == (
        "IMP-001",
        "tape",
        "hdcam_sr",
        "master",
    )
    assert (master.production, master.client) == (production, production.client)
    assert (master.frame_rate, master.start_timecode) == ("25", "10:00:00:00")
    assert items["Ep1 dub"].location == vault["shelf2"]
    assert items["Ep2 master"].kind == "tape" and items["Ep2 master"].format == "lto8"
    assert {x.retention_until for x in items.values()} == {datetime.date(2030, 1, 31)}
    generated = items["Generated barcode"]
    assert generated.barcode.startswith("LIB-") and generated.drop_frame is True
    for item in items.values():
        assert item.custody == "location" and item.location is not None
        (movement,) = Movement.objects.filter(item=item)
        assert (movement.action, movement.from_place, movement.to_place["location"]) == (
            "register",
            {},
            item.location_id,
        )
        assert movement.actor == librarian
    (entry,) = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - audit_before]
    assert entry.changes["items"] == 4 and entry.changes["by_kind"] == {"tape": 4}
    assert entry.actor == librarian
    # The full-text index saw the bulk insert.
    assert sorted(search_items("IMP-00").values_list("barcode", flat=True)) == [
        "IMP-001",
        "IMP-002",
        "IMP-003",
    ]


def test_generated_barcodes_skip_numbers_already_registered_as_is(librarian, vault, register):
    # The counter's next numbers are taken by items registered with those very codes.
    first = register(title="Counter start")  # LIB-000001 from the counter
    n = int(first.barcode.removeprefix("LIB-"))
    register(barcode=f"LIB-{n + 1:06d}", title="Typed in")
    register(barcode=f"LIB-{n + 3:06d}", title="Typed in too")
    data = b"title,format,generation,location\n" + b"".join(
        f"Row {i},HDCAM,Master,LOC-VAULT-A-R1-S1\n".encode() for i in range(4)
    )
    mapping = {"title": "title", "format": "format", "generation": "generation"}
    mapping["location"] = "location"

    import_catalogue(actor=librarian, data=data, filename="a.csv", mapping=mapping, dry_run=False)

    made = MediaItem.objects.filter(title__startswith="Row ").order_by("barcode")
    assert [x.barcode for x in made] == [
        f"LIB-{n + 2:06d}",
        f"LIB-{n + 4:06d}",
        f"LIB-{n + 5:06d}",
        f"LIB-{n + 6:06d}",
    ]


def test_an_xlsx_with_date_cells_and_numbers_imports(librarian, vault):
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Barcode", "Title", "Format", "Generation", "Location barcode", "Retention until"]
    )
    sheet.append(
        ["X-1", "From Excel", "SSD", "Clone", "LOC-VAULT-A-R1-S1", datetime.date(2031, 5, 4)]
    )
    sheet.append([None] * 6)
    sheet.append([1234, "Numeric code", "HDD", "Clone", "LOC-VAULT-A-R1-S1", "04/05/2031"])
    out = io.BytesIO()
    book.save(out)

    report = import_catalogue(
        actor=librarian,
        data=out.getvalue(),
        filename="catalogue.XLSX",
        mapping={
            "Barcode": "barcode",
            "Title": "title",
            "Format": "format",
            "Generation": "generation",
            "Location barcode": "location",
            "Retention until": "retention_until",
        },
        dry_run=False,
    )

    assert report.imported == 2
    rows = MediaItem.objects.order_by("barcode").values_list("barcode", "kind", "retention_until")
    assert list(rows) == [
        ("1234", "drive", datetime.date(2031, 5, 4)),
        ("X-1", "drive", datetime.date(2031, 5, 4)),
    ]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({**MAPPING, "Fmt": "colour"}, "Unknown field 'colour' for column 'Fmt'"),
        ({**MAPPING, "Fmt": ""}, "Map a column to: Format"),
        ({**MAPPING, "FPS": "format"}, "Two columns are mapped to Format"),
        ({**MAPPING, "Nope": "reel"}, "The file has no column 'Nope'"),
    ],
)
def test_a_wrong_mapping_is_refused_whole(librarian, vault, mapping, message):
    with pytest.raises(InvalidInput) as refused:
        import_catalogue(
            actor=librarian, data=MESSY, filename="a.csv", mapping=mapping, dry_run=True
        )
    assert refused.value.details["fields"]["mapping"] == [message]


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"PK\x03\x04 not really a workbook", "a.xlsx"),
        (b"title\x00format", "a.csv"),
        (b"title,format", "a.pdf"),
        (b"\n\n", "a.csv"),
        (b'title,notes\nA,"' + b"x" * 200_000 + b'"\n', "a.csv"),  # over csv's field limit
    ],
)
def test_an_unreadable_file_is_refused(librarian, vault, data, filename):
    with pytest.raises(InvalidInput) as refused:
        import_catalogue(actor=librarian, data=data, filename=filename, mapping={}, dry_run=True)
    assert "file" in refused.value.details["fields"]


def test_only_the_library_may_import(make_user, vault):
    runner = make_user("runner", "runner")
    with pytest.raises(Forbidden):
        import_catalogue(actor=runner, data=MESSY, filename="a.csv", mapping=MAPPING, dry_run=True)


def test_a_large_import_refreshes_the_planner_statistics_on_postgresql(librarian, vault):
    """Without fresh statistics the next file's barcode lookups scanned the whole table
    (a second each at 200,000 items): a large import ANALYZEs what it filled."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's; CI runs this on PostgreSQL")

    def estimated_rows():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s",
                [MediaItem._meta.db_table],
            )
            return cursor.fetchone()[0]

    header = "Tape No;Programme;Fmt;Gen;Shelf;FPS;Start TC;Keep until;Show;Comments\n"
    small = header + "".join(
        f"SMALL-{n:04d};Reel {n};HDCAM;Master;LOC-VAULT-A-R1-S1;;;;;\n" for n in range(10)
    )
    import_catalogue(
        actor=librarian, data=small.encode(), filename="s.csv", mapping=MAPPING, dry_run=False
    )
    # A small import leaves the statistics as they were (not yet counting its rows).
    assert estimated_rows() != MediaItem.objects.count()

    large = header + "".join(
        f"BIG-{n:05d};Reel {n};HDCAM;Master;LOC-VAULT-A-R1-S1;;;;;\n" for n in range(1000)
    )
    import_catalogue(
        actor=librarian, data=large.encode(), filename="l.csv", mapping=MAPPING, dry_run=False
    )
    assert estimated_rows() == MediaItem.objects.count() == 1010
