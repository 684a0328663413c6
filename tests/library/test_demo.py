"""The library's demo data, loaded small (the full demo is 250 reels, 2,000 items): a
vault at each site, masters with protection masters and dubs, camera drives with their
clones and LTO archives, items checked out, one overdue, one in transit, and a stock-take
in progress, all through the services (each item's history starts with its registration)."""

import pytest
from django.utils import timezone

from postdesk.core import audit, demo_data
from postdesk.core.models import AuditEntry
from postdesk.library import demo, queries
from postdesk.library.models import Location, MediaItem, Movement, StockTake
from postdesk.productions import demo as productions_demo

pytestmark = pytest.mark.django_db


def test_the_library_demo_has_every_kind_of_custody_and_lineage():
    demo_data.load()
    productions_demo.load()

    summary = demo.load(groups=12)

    # 12 reels of 8, and the overdue drive
    assert "97 items, 24 checked out, 1 overdue, 1 in transit" in summary
    assert MediaItem.objects.count() == 12 * 8 + 1
    assert Location.objects.filter(kind="shelf").count() == 2 * demo.RACKS * demo.SHELVES
    assert Location.objects.filter(barcode="LOC-SOHO-V-R2-S3").exists()
    master = MediaItem.objects.filter(generation="master").order_by("pk").first()
    copies = queries.descendants(master)
    assert sorted(c["generation"] for c in copies) == ["dub", "dub", "dub", "protection_master"]
    lto = MediaItem.objects.filter(format="lto8").first()
    assert [a["generation"] for a in queries.ancestors(lto)] == ["camera_original"]
    assert MediaItem.objects.filter(custody="person").count() == 24 + 1
    late = queries.overdue(timezone.localdate())
    assert [i.holder_name for i in late] == ["Jo Park (freelance editor)"]
    assert MediaItem.objects.filter(custody="transit").count() == 1
    assert StockTake.objects.filter(status="open").count() == 1
    assert StockTake.objects.get().scans.exists()
    first = Movement.objects.filter(item=master).order_by("at", "id").first()
    assert first.action == "register"
    # Registered in one block, with what register_item gives each item: one REGISTER
    # movement each, to the shelf it is on, a generated barcode, and an audit record.
    registers = Movement.objects.filter(action="register")
    assert registers.count() == MediaItem.objects.count()
    assert registers.values("item").distinct().count() == MediaItem.objects.count()
    assert first.to_place["location"] == master.location_id
    assert MediaItem.objects.filter(barcode__startswith="LIB-").count() == 12 * 8 + 1
    block = AuditEntry.objects.get(summary="Demo catalogue of 96 items")
    assert block.actor_label == audit.actor_label(audit.DEMO) and block.changes["items"] == 96
