"""Downtime per room and a production's burn against budget agree with totals computed
here, independently, from the raw rows (tickets, allocations, job sheet lines, budget
lines). Every row is made through the services."""

import datetime
import zoneinfo
from collections import defaultdict
from decimal import Decimal

import pytest

from postdesk.billing import services as billing
from postdesk.billing.models import BudgetLine, JobSheetLine
from postdesk.billing.reports import cost_report
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import NotFound
from postdesk.engineering import services as engineering
from postdesk.engineering.models import FaultTicket
from postdesk.reports import burn, downtime, queries
from postdesk.reports.periods import buckets
from postdesk.scheduling import services as scheduling
from postdesk.scheduling.models import Allocation

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 5, 1, 10, 0, tzinfo=LONDON)


def local(day: str, hhmm: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hhmm}:00").replace(tzinfo=LONDON)


@pytest.fixture
def downtime_diary(site, users):
    """Two rooms and a person: a room-down fault across the March clock change (resolved),
    one still open at NOW, a degraded fault (not down), a maintenance block across
    February's end, a cancelled one, and a person's maintenance (not a room)."""
    who, runner, engineer = users["bookings"], users["runner"], users["engineer"]

    def res(kind, name):
        return scheduling.create_resource(actor=who, kind=kind, name=name, site=site)

    a, b, p = res("room", "Suite A"), res("room", "Suite B"), res("person", "Ana Engineer")

    def maintenance(resource, start, end):
        return scheduling.create_booking(
            job=None,
            kind="maintenance",
            title="Service",
            resources=[resource],
            start=start,
            end=end,
            status="confirmed",
            actor=who,
        )

    down = engineering.report_fault(
        actor=runner,
        severity="room_down",
        room=a,
        description="Projector lamp",
        estimate_until=local("2026-03-30", "19:00"),
        now=local("2026-03-27", "09:00"),
    )
    engineering.change_state(
        down, actor=engineer, state="resolved", text="Lamp fitted", now=local("2026-03-30", "12:00")
    )
    engineering.report_fault(
        actor=runner,
        severity="room_down",
        room=b,
        description="No picture",
        estimate_until=local("2026-05-04", "19:00"),
        now=local("2026-04-28", "10:00"),
    )
    engineering.report_fault(
        actor=runner,
        severity="degraded",
        room=a,
        description="Fan noise",
        now=local("2026-02-03", "10:00"),
    )
    maintenance(b, local("2026-02-27", "20:00"), local("2026-03-02", "08:00"))
    gone = maintenance(b, local("2026-01-12", "09:00"), local("2026-01-12", "17:00"))
    scheduling.cancel_booking(gone, actor=who)
    maintenance(p, local("2026-01-20", "09:00"), local("2026-01-20", "17:00"))
    return {"a": a, "b": b, "p": p}


def expected_down(periods, now):
    """{(room id, period index, category): hours}, by hand from every ticket and
    allocation, clipped to each period."""
    spans = []
    ticket_blocks = set()
    for ticket in FaultTicket.objects.all():
        ticket_blocks |= set(ticket.blocks.values_list("pk", flat=True))
        if ticket.severity == "room_down":
            end = ticket.resolved_at or ticket.closed_at or now
            spans.append((ticket.room_id, "fault", ticket.opened_at, end))
    for alloc in Allocation.objects.select_related("booking", "resource"):
        if (
            alloc.booking.kind == "maintenance"
            and alloc.blocking
            and alloc.resource.kind == "room"
            and alloc.booking_id not in ticket_blocks
        ):
            spans.append((alloc.resource_id, "maintenance", alloc.start, alloc.end))
    out = defaultdict(float)
    for room, category, start, end in spans:
        for p in periods:
            lo, hi = max(start, p.start), min(end, p.end)
            if lo < hi:
                out[(room, p.index, category)] += (hi - lo).total_seconds() / 3600
    return out


def test_downtime_per_room_agrees_with_tickets_and_maintenance(downtime_diary):
    periods = buckets("month", datetime.date(2026, 1, 1), 5)

    report = downtime.downtime(periods, now=NOW)

    expected = expected_down(periods, NOW)
    assert [r["label"] for r in report["rows"]] == ["Suite A", "Suite B"]
    for row in report["rows"]:
        for p, cell in zip(periods, row["cells"], strict=True):
            for category in ("fault", "maintenance"):
                assert cell[category] == round(expected[(row["key"], p.index, category)], 2)
            assert cell["total"] == round(cell["fault"] + cell["maintenance"], 2)
    suite_a, suite_b = report["rows"]
    # 27 Mar 09:00 GMT to 30 Mar 12:00 BST: 74 h, one lost to the clock change. The
    # maintenance blocks the ticket put on the room are not counted a second time.
    assert [c["fault"] for c in suite_a["cells"]] == [0.0, 0.0, 74.0, 0.0, 0.0]
    assert [c["maintenance"] for c in suite_a["cells"]] == [0.0] * 5
    # 27 Feb 20:00 to 2 Mar 08:00: 28 h in February, 32 h in March.
    assert [c["maintenance"] for c in suite_b["cells"]] == [0.0, 28.0, 32.0, 0.0, 0.0]
    # Still open: 28 Apr 10:00 to NOW, 1 May 10:00.
    assert [c["fault"] for c in suite_b["cells"]] == [0.0, 0.0, 0.0, 62.0, 10.0]
    assert suite_b["total"] == 132.0
    assert report["totals"][2] == {"fault": 74.0, "maintenance": 32.0, "total": 106.0}


def test_downtime_by_week(downtime_diary):
    periods = buckets("week", datetime.date(2026, 3, 23), 2)

    report = downtime.downtime(periods, now=NOW)

    suite_a = report["rows"][0]
    # Fri 27 09:00 to Mon 30 00:00 is 62 h (a short Sunday), then 12 h on the 30th.
    assert [c["fault"] for c in suite_a["cells"]] == [62.0, 12.0]


@pytest.fixture
def burn_diary(production, job, other_job, signed_sheet, make_booking, theatre):
    """A budget of 6,000 and sheets of 1,000 each: one in January (before the weeks
    shown), two in the week of 2 February, one in the week of 16 February; and a sheet of
    another production's, which must not count."""
    billing.set_budget(
        production=production,
        lines=[
            {"category": "offline", "amount": "5000"},
            {"category": "other", "amount": "1000"},
        ],
        actor=SYSTEM,
    )
    for day in ("2026-01-05", "2026-02-02", "2026-02-04", "2026-02-17"):
        signed_sheet(day)
    start = datetime.datetime(2026, 2, 10, 9, tzinfo=datetime.UTC)
    other = make_booking(
        other_job, [theatre], start, start + datetime.timedelta(hours=10), "completed"
    )
    billing.create_job_sheet(booking=other, actor=SYSTEM)
    return production


def expected_burn(production, periods):
    """(opening, [week cost]) by hand from every job sheet line of the production."""
    opening = Decimal("0.00")
    weeks = [Decimal("0.00") for _ in periods]
    for line in JobSheetLine.objects.select_related("sheet__job"):
        if line.sheet.job.production_id != production.pk:
            continue
        at = (line.sheet.actual_start or line.sheet.created_at).astimezone(LONDON)
        if at < periods[0].start:
            opening += line.net
        for p in periods:
            if p.start <= at < p.end:
                weeks[p.index] += line.net
    return opening, weeks


def test_burn_adds_up_the_job_sheets_week_by_week_against_the_budget(burn_diary):
    params = queries.Params(start=datetime.date(2026, 2, 1), months=1)
    periods = queries.utilisation_periods(params, "week")

    report = burn.burn(periods, burn_diary.pk)

    opening, weeks = expected_burn(burn_diary, periods)
    budget = sum((b.amount for b in BudgetLine.objects.filter(production=burn_diary)), Decimal(0))
    assert report["periods"] == [p.label for p in periods]
    assert report["periods"][0] == "2026-01-26"
    assert (report["budget"], report["opening"]) == (budget, opening)
    running = opening
    for cell, week in zip(report["cells"], weeks, strict=True):
        running += week
        assert (cell["actual"], cell["cumulative"], cell["remaining"]) == (
            week,
            running,
            budget - running,
        )
    assert [c["cumulative"] for c in report["cells"]] == [
        Decimal(n) for n in ("1000", "3000", "3000", "4000", "4000")
    ]
    # The last running total is the cost report's actual.
    assert report["cells"][-1]["cumulative"] == cost_report(burn_diary)["total"]["actual"]
    assert report["production"]["title"] == burn_diary.title


def test_burn_defaults_to_the_newest_budgeted_production_and_refuses_an_unknown_one(
    burn_diary,
):
    periods = buckets("week", datetime.date(2026, 2, 2), 2)
    assert burn.burn(periods)["production"]["id"] == burn_diary.pk
    with pytest.raises(NotFound):
        burn.burn(periods, 987654)


def test_burn_without_any_budget_is_empty_not_an_error(db):
    report = burn.burn(buckets("week", datetime.date(2026, 2, 2), 2))
    assert report["production"] is None
    assert [c["cumulative"] for c in report["cells"]] == [Decimal("0.00")] * 2
