"""The reports agree with totals computed here, independently, from the raw rows: each
allocation clipped to its month by hand, each invoice, payment and credit note summed by
hand. Every row is made through the services."""

import datetime
import zoneinfo
from collections import defaultdict
from decimal import Decimal

import pytest

from postdesk.billing import services as billing
from postdesk.billing.models import CreditNote, Invoice, Payment
from postdesk.core.audit import SYSTEM
from postdesk.reports import pipeline, revenue, utilisation
from postdesk.reports.periods import buckets
from postdesk.scheduling import services as scheduling
from postdesk.scheduling.models import Allocation

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC


def local(day: str, hhmm: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hhmm}:00").replace(tzinfo=LONDON)


@pytest.fixture
def diary(site, users, job):
    """Two rooms and a person, with confirmed, pencilled (first and second hold),
    maintenance, leave and cancelled time from January to April 2026, across a month's
    end and the March clock change."""
    who = users["bookings"]

    def res(kind, name):
        return scheduling.create_resource(actor=who, kind=kind, name=name, site=site)

    a, b, p = res("room", "Suite A"), res("room", "Suite B"), res("person", "Ana Editor")

    def book(resources, start, end, status="confirmed", kind="job", **kw):
        return scheduling.create_booking(
            job=job if kind == "job" else None,
            kind=kind,
            resources=resources,
            start=start,
            end=end,
            status=status,
            actor=who,
            **kw,
        )

    book([a], local("2026-01-30", "09:00"), local("2026-02-02", "19:00"))
    book([b], local("2026-03-27", "09:00"), local("2026-03-30", "19:00"), status="pencil")
    book([b], local("2026-03-28", "10:00"), local("2026-03-28", "12:00"), status="pencil")
    book(
        [a],
        local("2026-02-10", "09:00"),
        local("2026-02-10", "13:00"),
        kind="maintenance",
        title="Lamp",
    )
    book(
        [p], local("2026-04-06", "09:00"), local("2026-04-10", "19:00"), kind="leave", title="Away"
    )
    book([a, p], local("2026-03-02", "09:00"), local("2026-03-02", "19:00"))
    gone = book([a], local("2026-02-20", "09:00"), local("2026-02-20", "19:00"))
    scheduling.cancel_booking(gone, actor=who)
    return {"a": a, "b": b, "p": p}


def expected_hours(periods):
    """{(resource id, month index, category): hours}, by hand from every allocation."""
    out = defaultdict(float)
    for alloc in Allocation.objects.select_related("booking"):
        if not (alloc.blocking or (alloc.status == "pencil" and alloc.hold_rank == 1)):
            continue
        category = (
            "down"
            if alloc.booking.kind in ("maintenance", "leave")
            else "confirmed"
            if alloc.blocking
            else "pencilled"
        )
        for p in periods:
            lo, hi = max(alloc.start, p.start), min(alloc.end, p.end)
            if lo < hi:
                out[(alloc.resource_id, p.index, category)] += (hi - lo).total_seconds() / 3600
    return out


def weekday_hours(first: datetime.date, after: datetime.date) -> float:
    days = (after - first).days
    return 10.0 * sum(1 for i in range(days) if (first + datetime.timedelta(i)).weekday() < 5)


def test_utilisation_per_resource_agrees_with_the_raw_allocations(diary):
    periods = buckets("month", datetime.date(2026, 1, 1), 4)

    report = utilisation.utilisation(periods, group="resource")

    expected = expected_hours(periods)
    assert report["periods"] == ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]
    assert [r["label"] for r in report["rows"]] == ["Ana Editor", "Suite A", "Suite B"]
    for row in report["rows"]:
        for p, cell in zip(periods, row["cells"], strict=True):
            for category in ("confirmed", "pencilled", "down"):
                assert cell[category] == round(expected[(row["key"], p.index, category)], 2)
            assert cell["working"] == weekday_hours(p.first_day, p.next_day)
    suite_a = next(r for r in report["rows"] if r["label"] == "Suite A")
    # 30 Jan 09:00 to 2 Feb 19:00: 39 h in January (15 + 24), 43 h in February (24 + 19).
    assert [c["confirmed"] for c in suite_a["cells"]] == [39.0, 43.0, 10.0, 0.0]
    assert [c["down"] for c in suite_a["cells"]] == [0.0, 4.0, 0.0, 0.0]
    suite_b = next(r for r in report["rows"] if r["label"] == "Suite B")
    # 27 Mar 09:00 GMT to 30 Mar 19:00 BST: 81 h, one lost to the clock; the second
    # hold inside it is not counted again.
    assert suite_b["cells"][2]["pencilled"] == 81.0
    assert suite_a["cells"][1]["utilisation"] == round(43.0 / 200.0, 4)


def test_utilisation_per_kind_sums_its_resources(diary):
    periods = buckets("month", datetime.date(2026, 1, 1), 4)

    by_kind = utilisation.utilisation(periods, group="kind")
    by_resource = utilisation.utilisation(periods, group="resource")

    assert [r["key"] for r in by_kind["rows"]] == ["person", "room"]
    for kind_row in by_kind["rows"]:
        members = [r for r in by_resource["rows"] if r["kind"] == kind_row["key"]]
        for i, cell in enumerate(kind_row["cells"]):
            for field in ("working", "confirmed", "pencilled", "down"):
                assert cell[field] == pytest.approx(sum(m["cells"][i][field] for m in members))
    person = by_kind["rows"][0]
    # Leave from Mon 6 April 09:00 to Fri 10 April 19:00 is one span: 4 days and 10 hours.
    assert [c["down"] for c in person["cells"]] == [0.0, 0.0, 0.0, 106.0]
    assert by_kind["totals"][2]["confirmed"] == 20.0


def test_utilisation_by_week_and_of_one_kind(diary):
    periods = buckets("week", datetime.date(2026, 3, 25), 2)

    report = utilisation.utilisation(periods, group="resource", kind="room")

    assert report["periods"] == ["2026-03-23", "2026-03-30"]
    assert [r["label"] for r in report["rows"]] == ["Suite A", "Suite B"]
    suite_b = report["rows"][1]
    # Fri 27 09:00 to Mon 30 00:00 in the first week (63 h, a short Sunday), then 19 h.
    assert [c["pencilled"] for c in suite_b["cells"]] == [62.0, 19.0]
    assert [c["working"] for c in suite_b["cells"]] == [50.0, 50.0]


@pytest.mark.parametrize(
    "kwargs, field",
    [({"group": "planet"}, "group"), ({"kind": "boat"}, "kind")],
)
def test_utilisation_refuses_an_unknown_cut(db, kwargs, field):
    from postdesk.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        utilisation.utilisation(buckets("month", datetime.date(2026, 1, 1), 1), **kwargs)
    assert list(refused.value.details["fields"]) == [field]


@pytest.fixture
def invoices(job, other_job, signed_sheet, standard_card):
    """Three issued invoices over February and March 2026 for two clients, a part
    payment and a credit note."""
    feb = billing.create_invoice(job=job, sheets=[signed_sheet("2026-02-02")], actor=SYSTEM)
    billing.issue_invoice(feb, actor=SYSTEM, issue_date=datetime.date(2026, 2, 14))
    mar = billing.create_invoice(job=job, sheets=[signed_sheet("2026-03-02")], actor=SYSTEM)
    billing.issue_invoice(mar, actor=SYSTEM, issue_date=datetime.date(2026, 3, 5))
    feb = Invoice.objects.get(pk=feb.pk)
    billing.record_payment(
        feb, actor=SYSTEM, amount=Decimal("500.00"), received_on=datetime.date(2026, 2, 20)
    )
    mar = Invoice.objects.get(pk=mar.pk)
    billing.create_credit_note(
        invoice=mar, actor=SYSTEM, reason="Half day not used", issue_date=datetime.date(2026, 3, 20)
    )
    return feb, mar


def test_revenue_agrees_with_invoices_payments_and_credit_notes(invoices):
    periods = buckets("month", datetime.date(2026, 1, 1), 3)

    report = revenue.revenue(periods)

    expected = defaultdict(lambda: defaultdict(Decimal))
    for inv in Invoice.objects.filter(status="issued"):
        month = inv.issue_date.replace(day=1)
        paid = sum((p.amount for p in Payment.objects.filter(invoice=inv)), Decimal(0))
        credited = sum((c.gross for c in CreditNote.objects.filter(invoice=inv)), Decimal(0))
        expected[(inv.client_id, month)]["invoiced"] += inv.net
        expected[(inv.client_id, month)]["outstanding"] += inv.gross - paid - credited
    for note in CreditNote.objects.select_related("invoice"):
        expected[(note.invoice.client_id, note.issue_date.replace(day=1))]["credited"] += note.net
    (row,) = report["rows"]
    assert (row["label"], row["currency"]) == ("Northlight Pictures", "GBP")
    for p, cell in zip(periods, row["cells"], strict=True):
        for field in ("invoiced", "credited", "outstanding"):
            assert cell[field] == expected[(row["client"], p.first_day)][field]
    feb, _ = invoices
    assert row["cells"][1] == {
        "invoiced": feb.net,
        "credited": Decimal("0.00"),
        "outstanding": feb.gross - Decimal("500.00"),
    }
    assert row["cells"][2]["credited"] == CreditNote.objects.get().net
    assert report["totals"]["GBP"][1]["invoiced"] == feb.net


def test_pencil_conversion_and_quote_win_rate_count_what_happened(site, users, job):
    who = users["bookings"]
    room = scheduling.create_resource(actor=who, kind="room", name="Suite C", site=site)
    today = datetime.date.today()
    made = []
    for n in range(5):
        start = local((today + datetime.timedelta(days=10 + n)).isoformat(), "09:00")
        made.append(
            scheduling.create_booking(
                job=job,
                resources=[room],
                start=start,
                end=start + datetime.timedelta(hours=4),
                status="pencil",
                actor=who,
            )
        )
    scheduling.confirm_booking(made[0], actor=who)
    scheduling.confirm_booking(made[1], actor=who)
    scheduling.release_booking(made[2], actor=who)
    scheduling.cancel_booking(made[3], actor=who)
    periods = buckets("month", today, 1)

    pencils = pipeline.pencil_conversion(periods)

    (cell,) = pencils["cells"]
    assert (cell["confirmed"], cell["released"], cell["conversion"]) == (2, 2, 0.5)
    assert 0 <= cell["median_hours_held"] < 1
    assert pencils["open_now"] == 1

    quotes = []
    for n in range(4):
        quote = billing.create_quote(
            job=job,
            actor=SYSTEM,
            include_bookings=False,
            valid_until=today + datetime.timedelta(days=30),
            free_lines=[{"description": f"Grade {n}", "unit_price": "100"}],
        )
        quotes.append(billing.send_quote(quote, actor=SYSTEM))
    billing.respond_quote(quotes[0], actor=users["client"], accept=True)
    billing.respond_quote(quotes[1], actor=users["client"], accept=False)
    billing.respond_quote(quotes[2], actor=users["client"], accept=True)

    (q,) = pipeline.quote_win_rate(periods)["cells"]
    assert {k: q[k] for k in ("sent", "accepted", "declined", "expired", "open", "win_rate")} == {
        "sent": 4,
        "accepted": 2,
        "declined": 1,
        "expired": 0,
        "open": 1,
        "win_rate": round(2 / 3, 4),
    }
