"""Demo money: rate cards, a client deal, budgets, quotes, signed job sheets, invoices,
payments and a credit note, all through the services and relative to today.

Runs after the scheduling demo and prices whatever resources exist: by skill where the
card names one, by kind otherwise. With no bookings it still makes cards, budgets and
free-line quotes.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from postdesk.billing import services
from postdesk.billing.models import Category, JobSheet, Quote, RateCard
from postdesk.core.errors import DomainError
from postdesk.productions.models import Client, Job, Production

D = Decimal

# (skill, kind or "", label, hourly, half day, day, category, nominal code)
SKILL_RATES = [
    ("Avid", "room", "Avid offline suite", "85", "350", "650", Category.OFFLINE, "4010"),
    ("Premiere", "room", "Premiere offline suite", "75", "300", "550", Category.OFFLINE, "4010"),
    ("Flame", "room", "Flame online suite", "180", "750", "1400", Category.ONLINE, "4020"),
    ("Online conform", "room", "Online suite", "150", "600", "1100", Category.ONLINE, "4020"),
    (
        "Baselight",
        "room",
        "Baselight grading theatre",
        "250",
        "1000",
        "1900",
        Category.GRADE,
        "4030",
    ),
    ("Resolve", "room", "Resolve grading theatre", "200", "850", "1600", Category.GRADE, "4030"),
    (
        "Dolby Atmos",
        "room",
        "Dolby Atmos dubbing theatre",
        "220",
        "900",
        "1750",
        Category.MIX,
        "4040",
    ),
    ("Pro Tools", "room", "Pro Tools mix room", "150", "600", "1150", Category.MIX, "4040"),
    ("ADR", "room", "ADR booth", "120", "500", "950", Category.ADR, "4050"),
    ("Colourist", "person", "Colourist", "90", "400", "750", Category.GRADE, "4130"),
    (
        "Re-recording mixer",
        "person",
        "Re-recording mixer",
        "85",
        "380",
        "700",
        Category.MIX,
        "4140",
    ),
    ("Sound editor", "person", "Sound editor", "60", "270", "500", Category.MIX, "4140"),
    ("Avid", "person", "Offline editor", "65", "280", "520", Category.OFFLINE, "4110"),
    ("Online conform", "person", "Online editor", "75", "330", "620", Category.ONLINE, "4120"),
    (
        "Assistant editor",
        "person",
        "Assistant editor",
        "35",
        "150",
        "280",
        Category.OFFLINE,
        "4110",
    ),
]
KIND_RATES = [
    ("room", "Room (other)", "80", "320", "600", Category.OTHER, "4000"),
    ("person", "Crew (other)", "45", "200", "380", Category.OTHER, "4100"),
    ("equipment", "Equipment hire", "15", "60", "110", Category.OTHER, "4200"),
]
SERVICES = [
    ("Courier", "Same-day courier (London)", "45", Category.SERVICES, "4300"),
    ("Catering", "Catering per head", "14.50", Category.SERVICES, "4310"),
    ("LTO-8 tape", "LTO-8 tape", "95", Category.MEDIA, "4320"),
    ("Hard drive 4TB", "4TB shuttle drive", "160", Category.MEDIA, "4320"),
    ("DCP", "DCP mastering and QC", "1200", Category.DELIVERABLES, "4400"),
    ("IMF package", "IMF package and QC", "1800", Category.DELIVERABLES, "4400"),
]
# Quotes for jobs with nothing booked yet.
ESTIMATE_LINES = [
    {
        "description": "Grade and finish (estimate)",
        "quantity": 3,
        "unit_price": "1800",
        "category": Category.GRADE,
    },
    {"service": "Hard drive 4TB", "kind": "media"},
]
BUDGET_SHARES = {
    Category.OFFLINE: "0.30",
    Category.ONLINE: "0.12",
    Category.GRADE: "0.22",
    Category.MIX: "0.20",
    Category.ADR: "0.04",
    Category.DELIVERABLES: "0.08",
    Category.MEDIA: "0.02",
    Category.SERVICES: "0.02",
}
BUDGET_TOTALS = {
    "feature": 180000,
    "series": 120000,
    "documentary": 45000,
    "commercial": 18000,
    "promo": 9000,
}


def _standard_card(currency: str, full: bool):
    from postdesk.scheduling.models import Skill

    card = RateCard.objects.filter(name=f"Standard {currency}", is_standard=True).first()
    if card is not None:
        return card
    card = services.create_rate_card(
        actor="demo",
        name=f"Standard {currency}",
        is_standard=True,
        currency=currency,
        notes="Day = 10 hours; half day = 5 hours.",
    )
    if full:
        skills = {s.name: s for s in Skill.objects.all()}
        for skill, kind, label, hourly, half, day, category, nominal in SKILL_RATES:
            if skill in skills:
                services.create_rate_entry(
                    actor="demo",
                    card=card,
                    skill=skills[skill],
                    resource_kind=kind,
                    label=label,
                    hourly=D(hourly),
                    half_day=D(half),
                    day=D(day),
                    category=category,
                    nominal_code=nominal,
                )
    for kind, label, hourly, half, day, category, nominal in KIND_RATES:
        services.create_rate_entry(
            actor="demo",
            card=card,
            resource_kind=kind,
            label=label,
            hourly=D(hourly),
            half_day=D(half),
            day=D(day),
            category=category,
            nominal_code=nominal,
        )
    for service, label, price, category, nominal in SERVICES:
        services.create_rate_entry(
            actor="demo",
            card=card,
            service=service,
            label=label,
            unit="item",
            unit_price=D(price),
            category=category,
            nominal_code=nominal,
        )
    return card


def _deal() -> str:
    from postdesk.scheduling.models import Skill

    # The demo client user works for Northlight: the deal shows on their quotes.
    client = (
        Client.objects.filter(name="Northlight Pictures").first()
        or Client.objects.filter(currency="GBP").order_by("name").first()
    )
    if client is None:
        return "no client deal"
    card = services.create_rate_card(
        actor="demo",
        name=f"{client.name} deal",
        currency="GBP",
        notes="Agreed rates for the current slate.",
    )
    baselight = Skill.objects.filter(name="Baselight").first()
    if baselight is not None:
        services.create_rate_entry(
            actor="demo",
            card=card,
            skill=baselight,
            resource_kind="room",
            label="Baselight theatre (deal)",
            hourly=D("220"),
            half_day=D("900"),
            day=D("1650"),
            category=Category.GRADE,
            nominal_code="4030",
        )
    services.set_client_deal(
        actor="demo", client=client, card=card, discount_percent=D("5"), notes="5% slate discount"
    )
    return f"deal for {client.name}"


def _budgets() -> int:
    count = 0
    for production in Production.objects.select_related("client"):
        total = D(BUDGET_TOTALS.get(production.kind, 30000))
        for category, share in BUDGET_SHARES.items():
            services.set_budget_line(
                production=production,
                category=category,
                amount=(total * D(share)).quantize(D("1")),
                actor="demo",
            )
            count += 1
    return count


def _planned_jobs():
    from postdesk.scheduling.models import Booking

    ids = (
        Booking.objects.filter(
            kind="job", status__in=["pencil", "confirmed"], start__gte=timezone.now()
        )
        .values_list("job_id", flat=True)
        .distinct()
    )
    return list(Job.objects.filter(pk__in=list(ids)).select_related("client").order_by("number"))


def _quotes() -> str:
    threshold = D(str(settings.POSTDESK["QUOTE_APPROVAL_THRESHOLD"]))
    jobs = _planned_jobs()
    made = []
    for job in jobs:
        try:
            quote = services.create_quote(
                job=job,
                actor="demo",
                notes="Based on the current schedule.",
                free_lines=[{"service": "Courier", "kind": "courier", "quantity": 2}],
            )
        except DomainError:
            continue
        made.append(quote)
        if len(made) == 3:
            break
    if not made:
        for job in Job.objects.select_related("client").order_by("number")[:2]:
            try:
                made.append(
                    services.create_quote(
                        job=job,
                        actor="demo",
                        include_bookings=False,
                        free_lines=ESTIMATE_LINES,
                    )
                )
            except DomainError:
                continue
    accepted = awaiting = None
    for quote in made:
        if quote.job.contact is None or not quote.job.contact.email:
            continue
        if accepted is None and not quote.needs_approval:
            # v1 declined as too dear; v2 without the couriers, accepted.
            services.send_quote(quote, actor="demo")
            services.respond_quote(quote, actor="client", accept=False)
            booked = quote.lines.filter(kind="booking").exists()
            second = services.create_quote(
                job=quote.job,
                actor="demo",
                notes="v2: couriers included at no charge.",
                include_bookings=booked,
                free_lines=[] if booked else ESTIMATE_LINES,
            )
            services.send_quote(second, actor="demo")
            accepted = services.respond_quote(second, actor="client", accept=True)
        elif awaiting is None:
            awaiting = quote
    if awaiting is not None and not Quote.objects.get(pk=awaiting.pk).needs_approval:
        # The approval example needs a quote over the threshold: add the deliverables.
        extra = threshold - awaiting.net + D("2500")
        services.add_quote_line(
            awaiting,
            actor="demo",
            kind="service",
            description="Deliverables: DCP, IMF and archive",
            unit_price=extra,
            category=Category.DELIVERABLES,
        )
    return (
        f"{Quote.objects.count()} quotes "
        f"({'v1 declined, v2 accepted' if accepted else 'none accepted'}, "
        f"{'1 awaiting approval' if awaiting else 'none awaiting approval'})"
    )


def _job_sheets() -> list[JobSheet]:
    from postdesk.scheduling.models import Booking

    done = (
        Booking.objects.filter(kind="job", status="completed", job_sheet__isnull=True)
        .select_related("job__client", "job__contact")
        .order_by("start")
    )
    # A few of the demo client user's own sessions, so its login has sheets and invoices.
    own = list(done.filter(job__client__name="Northlight Pictures")[:3])
    past = own + list(done.exclude(pk__in=[b.pk for b in own])[: 12 - len(own)])
    sheets = []
    for i, booking in enumerate(past):
        try:
            sheet = services.create_job_sheet(booking=booking, actor="demo")
            if i % 4 == 1:
                services.add_job_sheet_line(
                    sheet, actor="demo", kind="catering", service="Catering", quantity=4
                )
            if i % 4 == 2:
                services.add_job_sheet_line(
                    sheet, actor="demo", kind="media", service="Hard drive 4TB"
                )
            services.sign_job_sheet(sheet, actor="demo", party="operator", name="Ed Nakamura")
            contact = booking.job.contact.name if booking.job.contact else "Client"
            sheets.append(
                services.sign_job_sheet(sheet, actor="demo", party="client", name=contact)
            )
        except DomainError:
            continue
    return sheets


def _invoices(sheets: list[JobSheet]) -> str:
    by_job: dict[int, list[JobSheet]] = {}
    for sheet in sheets:
        by_job.setdefault(sheet.job_id, []).append(sheet)
    today = timezone.localdate()
    issued = []
    # The demo client user's company first (so its login shows an invoice), then the
    # others; issued oldest work first, so numbers follow issue dates.
    groups = sorted(
        by_job.values(), key=lambda group: group[0].job.client.name != "Northlight Pictures"
    )[:4]
    groups.sort(key=lambda group: max(s.actual_end for s in group))
    for job_sheets in groups:
        job = Job.objects.select_related("client").get(pk=job_sheets[0].job_id)
        invoice = services.create_invoice(job=job, sheets=job_sheets, actor="demo")
        last_end = max(s.actual_end for s in job_sheets)
        issue_day = min(today, timezone.localtime(last_end).date() + datetime.timedelta(days=1))
        issued.append(
            services.issue_invoice(
                invoice,
                actor="demo",
                issue_date=issue_day,
                reason="Demo data: invoiced the day after the work",
            )
        )
    if len(issued) >= 1:
        services.record_payment(
            issued[0], actor="demo", amount=issued[0].gross, received_on=today, reference="BACS"
        )
    if len(issued) >= 2:
        half = (issued[1].gross / 2).quantize(D("0.01"))
        services.record_payment(
            issued[1], actor="demo", amount=half, received_on=today, reference="BACS part"
        )
    notes = 0
    if len(issued) >= 3:
        line = issued[2].lines.order_by("-net").first()
        services.create_credit_note(
            invoice=issued[2],
            actor="demo",
            reason="Goodwill: session started late",
            lines=[{"invoice_line": line.pk, "net": (line.net / 10).quantize(D("0.01"))}],
        )
        notes = 1
    return f"{len(issued)} invoices issued, {notes} credit note"


def load() -> str:
    _standard_card("GBP", full=True)
    for currency in sorted(
        set(Client.objects.exclude(currency="GBP").values_list("currency", flat=True))
    ):
        _standard_card(currency, full=False)
    deal = _deal()
    budgets = _budgets()
    quotes = _quotes()
    sheets = _job_sheets()
    invoices = _invoices(sheets)
    return (
        f"rate cards, {deal}, {budgets} budget lines, {quotes}, "
        f"{len(sheets)} signed job sheets, {invoices}"
    )
