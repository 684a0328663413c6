"""The engineer's home cards list the work: rooms down and open faults worst first, PAT
tests due, media checks running and failed, each row a link to the ticket, asset or report,
in queries that do not grow with the data."""

import datetime

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.engineering import services
from postdesk.engineering.models import DeliverySpec
from postdesk.engineering.services import qc as qc_services

pytestmark = pytest.mark.django_db

TITLES = ("Rooms down", "Open faults", "PAT due this month", "QC running", "QC failed this week")


@pytest.fixture
def media_root(tmp_path, settings):
    root = tmp_path / "media-root"
    root.mkdir()
    settings.QC_MEDIA_ROOT = root
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return root


@pytest.fixture
def check(media_root, users):
    """check(name, verdict=None) -> a QC report of a file, queued, or done with `verdict`."""
    spec = DeliverySpec.objects.get(slug="streamer-master")

    def make(name, verdict=None):
        (media_root / name).write_bytes(b"x")
        report = services.start_check(actor=users["engineer"], spec=spec, path=name)
        if verdict:
            report = qc_services.finish(report.pk, state="done", verdict=verdict)
        return report

    return make


def fault(users, room, severity="degraded", text="Scope flickers"):
    return services.report_fault(
        actor=users["engineer"], severity=severity, description=text, room=room
    )


def lamp(tag, tested_on=None):
    asset = services.create_asset(
        actor=SYSTEM, tag=tag, make="Anglepoise", model="Type 75", risk_class="class2"
    )
    if tested_on:
        services.record_pat_test(
            actor=SYSTEM, asset=asset, tested_on=tested_on, tester="A. Sparks", result="pass"
        )
    return asset


def test_engineer_home_lists_faults_worst_first_and_what_is_due(home_card, users, rooms, check):
    cosmetic = fault(users, rooms["edit"], "cosmetic", "Chair squeaks")
    down = fault(users, rooms["grade1"], "room_down", "No picture on the grading monitor")
    old = lamp("ENG-0101", datetime.date(2020, 1, 10))
    new = lamp("ENG-0102")
    running = check("ep1.mov")
    failed = check("ep2.mov", verdict="fail")
    check("ep3.mov", verdict="pass")

    cards = {t: home_card("engineer", t)[0] for t in TITLES}

    (row,) = cards["Rooms down"]["rows"]
    assert (row.label, row.url) == (
        "Grade 1: No picture on the grading monitor",
        f"/engineering/tickets/{down.pk}/",
    )
    assert [r.url for r in cards["Open faults"]["rows"]] == [
        f"/engineering/tickets/{down.pk}/",
        f"/engineering/tickets/{cosmetic.pk}/",
    ]
    assert cards["Open faults"]["rows"][1].detail.startswith("cosmetic · since ")
    pat = {r.url: r.detail for r in cards["PAT due this month"]["rows"]}
    assert pat[f"/engineering/assets/{old.pk}/"].startswith("overdue since")
    assert pat[f"/engineering/assets/{new.pk}/"] == "never tested"
    assert cards["PAT due this month"]["count"] == 2
    (row,) = cards["QC running"]["rows"]
    assert (row.url, row.detail) == (f"/engineering/qc/{running.pk}/", "queued 0%")
    (row,) = cards["QC failed this week"]["rows"]
    assert (row.label, row.url, row.detail) == (
        f"ep2.mov · {failed.spec_name}",
        f"/engineering/qc/{failed.pk}/",
        "fail",
    )


def test_a_quiet_workshop_says_so(home_card):
    card, _, page = home_card("engineer", "Open faults")

    assert card["rows"] == []
    for sentence in ("Every room is working.", "No fault is open.", "No media check is running."):
        assert sentence in page


def test_a_room_down_reaches_every_staff_home_but_the_workshop_only_engineers(
    page_as, users, rooms
):
    fault(users, rooms["grade1"], "room_down", "No picture")

    for role in ("bookings", "supervisor", "library"):
        page = page_as(role).get("/").content.decode()
        assert "Grade 1: No picture" in page, role
        assert "Open faults" not in page and "QC failed" not in page, role


@pytest.mark.parametrize("title", TITLES)
def test_engineering_cards_cost_the_same_queries_however_many_rows(
    title, home_card, users, site, check
):
    from postdesk.scheduling import services as scheduling

    made = iter(range(100))

    def add(n):
        for _ in range(n):
            i = next(made)
            room = scheduling.create_resource(
                actor=SYSTEM, kind="room", name=f"Room {i}", site=site
            )
            fault(users, room, "room_down")
            lamp(f"ENG-{i:04d}", datetime.date(2020, 1, 10))
            check(f"run{i}.mov")
            check(f"bad{i}.mov", verdict="fail")

    add(1)
    _, few, _ = home_card("admin", title)
    add(7)
    card, many, _ = home_card("admin", title)

    assert len(card["rows"]) == 6
    assert many == few
