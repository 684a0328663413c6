"""Reads of post coordination shared by the pages and the API: deliverables with their
flags, the post schedule's timeline, the delivery checklist and the desks."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from postdesk.billing.models import BudgetLine, JobSheetLine, Quote
from postdesk.coordination.models import (
    AdrSession,
    DealMemo,
    Deliverable,
    Document,
    Milestone,
    Screening,
)
from postdesk.core.exports import csv_text
from postdesk.core.roles import scope_to_client
from postdesk.core.timeutil import facility_zone
from postdesk.productions.models import Production
from postdesk.scheduling.models import Booking

Status = Deliverable.Status
DONE = (Status.DELIVERED, Status.ACCEPTED)
# An unfinished item due within this many days that has not reached QC is at risk.
AT_RISK_DAYS = 7
NOT_IN_QC = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.REJECTED)
# Which work must be done before each milestone: a booking of those jobs' work types that
# ends after the milestone no longer fits. None: every kind of work (delivery).
MILESTONE_WORK = {
    Milestone.Kind.PICTURE_LOCK: {"offline"},
    Milestone.Kind.ONLINE: {"online"},
    Milestone.Kind.GRADE: {"grade"},
    Milestone.Kind.MIX: {"mix", "adr"},
    Milestone.Kind.DELIVERY: None,
}
LIVE_BOOKINGS = (Booking.Status.PENCIL, Booking.Status.CONFIRMED)
# The most rows a desk's section shows: a desk is read at a glance.
DESK_ROWS = 100


def today() -> datetime.date:
    return timezone.localdate(timezone=facility_zone())


def productions_for(user):
    """The productions the user may open (a client user: its company's)."""
    return scope_to_client(user, Production.objects.select_related("client"), "client")


def deliverables_for(user):
    return scope_to_client(
        user,
        Deliverable.objects.select_related("production", "owner", "qc_report"),
        "production__client",
    )


def milestones_for(user):
    return scope_to_client(
        user, Milestone.objects.select_related("production"), "production__client"
    )


def flag(item: Deliverable, on: datetime.date) -> str:
    """ "overdue" (past its due date, not delivered), "at_risk" (due within AT_RISK_DAYS
    and not yet in QC) or ""."""
    if item.due is None or item.status in DONE:
        return ""
    if item.due < on:
        return "overdue"
    if item.status in NOT_IN_QC and item.due <= on + datetime.timedelta(days=AT_RISK_DAYS):
        return "at_risk"
    return ""


def at_risk_filter(on: datetime.date) -> Q:
    """The rows `flag` calls overdue or at risk, as a filter."""
    soon = on + datetime.timedelta(days=AT_RISK_DAYS)
    return Q(due__lt=on) & ~Q(status__in=DONE) | Q(due__gte=on, due__lte=soon, status__in=NOT_IN_QC)


def deliverable_row(item: Deliverable, on: datetime.date) -> dict:
    return {
        "id": item.pk,
        "production": item.production_id,
        "production_title": item.production.title,
        "name": item.name,
        "spec": item.spec,
        "template": item.template,
        "position": item.position,
        "due": item.due,
        "owner": item.owner.display_name if item.owner_id else None,
        "owner_id": item.owner_id,
        "status": item.status,
        "flag": flag(item, on),
        "rejection_reason": item.rejection_reason,
        "delivered_to": item.delivered_to,
        "delivered_at": item.delivered_at,
        "method": item.method,
        "courier": item.courier,
        "reference": item.reference,
        "accepted_by": item.accepted_by,
        "accepted_at": item.accepted_at,
        "notes": item.notes,
        "qc_report": item.qc_report_id,
        "qc_state": item.qc_report.state if item.qc_report_id else None,
        "qc_verdict": (item.qc_report.verdict or None) if item.qc_report_id else None,
        "cost": item.cost,
        "cost_currency": item.cost_currency or None,
        "version": item.version,
    }


CHECKLIST_HEADER = [
    "Item",
    "Spec",
    "Due",
    "Owner",
    "Status",
    "Flag",
    "Delivered to",
    "Delivered at",
    "How",
    "Courier",
    "Tracking / transfer ref",
    "Accepted by",
    "Media",
]


def checklist(production, on: datetime.date) -> list[dict]:
    """The production's deliverables for the delivery checklist, with their media's
    barcodes, in two queries."""
    items = list(
        Deliverable.objects.filter(production=production)
        .select_related("production", "owner", "qc_report")
        .prefetch_related("media_items")
    )
    return [
        {
            **deliverable_row(i, on),
            "media": ", ".join(sorted(str(m) for m in i.media_items.all())),
        }
        for i in items
    ]


def checklist_csv(production, on: datetime.date) -> str:
    zone = facility_zone()
    rows = [CHECKLIST_HEADER]
    for r in checklist(production, on):
        rows.append(
            [
                r["name"],
                r["spec"],
                r["due"].isoformat() if r["due"] else "",
                r["owner"] or "",
                Status(r["status"]).label,
                r["flag"].replace("_", " "),
                r["delivered_to"],
                r["delivered_at"].astimezone(zone).strftime("%Y-%m-%d %H:%M")
                if r["delivered_at"]
                else "",
                Deliverable.Method(r["method"]).label if r["method"] else "",
                r["courier"],
                r["reference"],
                r["accepted_by"],
                r["media"],
            ]
        )
    return csv_text(rows)


# --- the timeline -------------------------------------------------------------------------


def milestone_row(m: Milestone, late: list[dict] | None = None) -> dict:
    return {
        "id": m.pk,
        "production": m.production_id,
        "kind": m.kind,
        "label": m.get_kind_display(),
        "planned": m.planned,
        "revised": m.revised,
        "actual": m.actual,
        "current": m.current,
        "slipped": m.slipped,
        "late_bookings": late or [],
        "notes": m.notes,
    }


def timeline(production) -> list[dict]:
    """The production's milestones in date order, each with whether it slipped and the
    bookings that no longer fit before it, in two queries."""
    milestones = sorted(
        Milestone.objects.filter(production=production), key=lambda m: (m.current, m.pk)
    )
    watched = [m for m in milestones if m.kind in MILESTONE_WORK]
    bookings = []
    if watched:
        zone = facility_zone()
        earliest = min(m.current for m in watched)
        after = datetime.datetime.combine(earliest, datetime.time.min, tzinfo=zone)
        bookings = list(
            Booking.objects.filter(
                job__production=production, status__in=LIVE_BOOKINGS, end__gt=after
            )
            .order_by("start", "id")
            .values("id", "start", "end", "status", "job__work_type", "job__number", "title")
        )
        for b in bookings:
            # A booking ending at midnight finished the day before.
            b["last_day"] = (b["end"].astimezone(zone) - datetime.timedelta(microseconds=1)).date()
    rows = []
    for m in milestones:
        work = MILESTONE_WORK.get(m.kind, set())
        late = [
            {
                "id": b["id"],
                "job": b["job__number"],
                "work_type": b["job__work_type"],
                "status": b["status"],
                "start": b["start"],
                "end": b["end"],
            }
            for b in bookings
            if m.kind in MILESTONE_WORK
            and (work is None or b["job__work_type"] in work)
            and b["last_day"] > m.current
        ]
        rows.append(milestone_row(m, late))
    return rows


# --- the desks ----------------------------------------------------------------------------


def _monday(on: datetime.date) -> datetime.date:
    return on - datetime.timedelta(days=on.weekday())


def _money_by_production(rows) -> dict[int, dict[str, Decimal]]:
    out: dict[int, dict[str, Decimal]] = {}
    for production, currency, total in rows:
        out.setdefault(production, {})[currency] = total
    return out


def _desk_money(productions: list, ids: list[int]) -> list[dict]:
    """Budget against actual (job sheets) per production in its client's currency, two
    queries; amounts in other currencies are named, and converted in the cost report."""
    budgets = _money_by_production(
        BudgetLine.objects.filter(production_id__in=ids)
        .values_list("production_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    actuals = _money_by_production(
        JobSheetLine.objects.filter(sheet__job__production_id__in=ids)
        .values_list("sheet__job__production_id", "sheet__currency")
        .annotate(total=Sum("net"))
        .order_by()
    )
    money = []
    for p in productions:
        currency = p.client.currency
        budget = budgets.get(p.pk, {}).get(currency)
        actual = actuals.get(p.pk, {}).get(currency, Decimal("0.00"))
        money.append(
            {
                "production": p.pk,
                "title": p.title,
                "currency": currency,
                "budget": budget,
                "actual": actual,
                "variance": None if budget is None else budget - actual,
                "other_currencies": sorted(
                    (set(budgets.get(p.pk, {})) | set(actuals.get(p.pk, {}))) - {currency}
                ),
            }
        )
    return money


def _due_milestones(start: datetime.date, **where):
    """Milestones not yet done whose current date falls in the fortnight from `start`."""
    return (
        Milestone.objects.filter(actual__isnull=True, **where)
        .annotate(when=Coalesce("revised", "planned"))
        .filter(when__gte=start, when__lte=start + datetime.timedelta(days=13))
        .select_related("production")
        .order_by("when", "id")[:DESK_ROWS]
    )


def _waiting(ids: list[int]) -> dict:
    """The pencils and the quotes over the approval threshold waiting on the productions."""
    threshold = Decimal(str(settings.POSTDESK["QUOTE_APPROVAL_THRESHOLD"]))
    return {
        "pencils": list(
            Booking.objects.filter(
                job__production_id__in=ids, status=Booking.Status.PENCIL, end__gt=timezone.now()
            )
            .order_by("start", "id")
            .values("id", "start", "end", "title", "job__number", "job__production__title")[
                :DESK_ROWS
            ]
        ),
        "quotes": list(
            Quote.objects.filter(
                job__production_id__in=ids,
                status=Quote.Status.DRAFT,
                approved_at__isnull=True,
                net__gt=threshold,
            )
            .order_by("id")
            .values("id", "version", "net", "currency", "job__number", "job__production__title")[
                :DESK_ROWS
            ]
        ),
    }


def supervisor_desk(user, on: datetime.date | None = None) -> dict:
    """Everything across the productions `user` supervises, in eight queries whatever
    their number: milestones due this week and next, deliverables at risk, pencils
    awaiting confirmation, quotes awaiting approval, budget against actual per
    production, and hires pending."""
    on = on or today()
    productions = list(
        Production.objects.filter(supervisor=user)
        .exclude(status=Production.Status.CLOSED)
        .select_related("client")
        .order_by("title")
    )
    ids = [p.pk for p in productions]
    start = _monday(on)
    at_risk = (
        Deliverable.objects.filter(at_risk_filter(on), production_id__in=ids)
        .select_related("production", "owner", "qc_report")
        .order_by("due", "id")[:DESK_ROWS]
    )
    hires = (
        DealMemo.objects.filter(
            production_id__in=ids, status__in=[DealMemo.Status.OFFERED, DealMemo.Status.ACCEPTED]
        )
        .select_related("person", "production")
        .order_by("start", "id")[:DESK_ROWS]
    )
    return {
        "on": on,
        "week_start": start,
        "limit": DESK_ROWS,
        "productions": [
            {"id": p.pk, "title": p.title, "client": p.client.name} for p in productions
        ],
        "milestones": [
            milestone_row(m) | {"production_title": m.production.title}
            for m in _due_milestones(start, production_id__in=ids)
        ],
        "at_risk": [deliverable_row(d, on) for d in at_risk],
        **_waiting(ids),
        "money": _desk_money(productions, ids),
        "hires": [memo_row(m) for m in hires],
    }


def coordinator_desk(on: datetime.date | None = None) -> dict:
    """The coordinator's fortnight across the facility's productions: ADR sessions and
    screenings of this week and next, deliverables due in the next fortnight (or
    overdue), the milestones of this week and next and the documents awaiting a new
    version (the soonest wanted first), five queries."""
    on = on or today()
    start = _monday(on)
    due = list(
        Deliverable.objects.exclude(status__in=DONE)
        .filter(due__isnull=False, due__lte=on + datetime.timedelta(days=14))
        .select_related("production", "owner", "qc_report")
        .order_by("due", "id")[:DESK_ROWS]
    )
    zone = facility_zone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    last = first + datetime.timedelta(days=14)
    adr = list(
        AdrSession.objects.filter(booking__start__gte=first, booking__start__lt=last)
        .exclude(booking__status__in=["cancelled", "released"])
        .select_related("production", "booking")
        .order_by("booking__start", "id")[:DESK_ROWS]
    )
    screenings = list(
        Screening.objects.filter(starts_at__gte=first, starts_at__lt=last)
        .select_related("production", "room")
        .order_by("starts_at", "id")[:DESK_ROWS]
    )
    return {
        "on": on,
        "week_start": start,
        "adr_sessions": adr,
        "screenings": screenings,
        "due": [deliverable_row(d, on) for d in due],
        "milestones": [
            milestone_row(m) | {"production_title": m.production.title}
            for m in _due_milestones(start)
        ],
        "awaiting_versions": awaiting_versions(),
    }


def awaiting_versions() -> list[Document]:
    return list(
        Document.objects.filter(version_requested_at__isnull=False)
        .select_related("production", "version_requested_by")
        .order_by(F("version_wanted_by").asc(nulls_last=True), "version_requested_at", "id")[
            :DESK_ROWS
        ]
    )


def memo_row(m: DealMemo) -> dict:
    return {
        "id": m.pk,
        "production": m.production_id,
        "production_title": m.production.title,
        "job": m.job_id,
        "person": m.person_id,
        "person_name": m.person.name,
        "role": m.role,
        "start": m.start,
        "end": m.end,
        "day_rate": m.day_rate,
        "currency": m.currency,
        "overtime_terms": m.overtime_terms,
        "status": m.status,
        "booking": m.booking_id,
    }
