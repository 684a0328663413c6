"""Demo money: rate cards, a client deal, budget categories, exchange rates, quotes,
signed job sheets, invoices, payments, a credit note and budgets, all through the services
and relative to today.

Runs after the scheduling demo and prices whatever resources exist: by skill where the
card names one, by kind otherwise. Every job with work booked has an accepted quote for
it; people are billed above what freelancers cost (so every production makes a margin);
budgets are sized to each production's own work with some headroom, one line a little
over, as a supervisor would see them. With no bookings it still makes cards, estimate
quotes and budgets.
"""

import datetime
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.utils import timezone

from postdesk.billing import categories, exchange, services
from postdesk.billing.models import Category, JobSheet, Quote, RateCard
from postdesk.core import audit
from postdesk.core.errors import DomainError
from postdesk.core.models import User
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
    # People are billed above what a freelancer in the same chair costs (scheduling demo:
    # colourists 950-1100 a day, mixers 850-900, editors 550-700, assistants 260-280).
    ("Colourist", "person", "Colourist", "145", "650", "1450", Category.GRADE, "4130"),
    (
        "Re-recording mixer",
        "person",
        "Re-recording mixer",
        "120",
        "560",
        "1200",
        Category.MIX,
        "4140",
    ),
    ("Sound editor", "person", "Sound editor", "80", "360", "750", Category.MIX, "4140"),
    ("ADR", "person", "ADR mixer", "95", "430", "900", Category.ADR, "4150"),
    ("Avid", "person", "Offline editor", "95", "420", "900", Category.OFFLINE, "4110"),
    ("Premiere", "person", "Offline editor", "90", "400", "850", Category.OFFLINE, "4110"),
    ("Online conform", "person", "Online editor", "110", "480", "1050", Category.ONLINE, "4120"),
    (
        "Assistant editor",
        "person",
        "Assistant editor",
        "45",
        "200",
        "420",
        Category.OFFLINE,
        "4110",
    ),
]
KIND_RATES = [
    ("room", "Room (other)", "80", "320", "600", Category.OTHER, "4000"),
    ("person", "Crew (other)", "60", "270", "550", Category.OTHER, "4100"),
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
# Other currencies' standard cards: the GBP prices at about the exchange rate, rounded.
PRICE_FACTORS = {"USD": "1.30", "EUR": "1.17"}
# (currency, to, rate a month ago, rate this month): accounts' dated table.
EXCHANGE_RATES = [("GBP", "USD", "1.2650", "1.2710"), ("GBP", "EUR", "1.1720", "1.1685")]
# Where work lands in a budget: (skill, kind or "", category, rank). The people's own
# skills rank first, so a sound editor who also does ADR stays in Mix.
CATEGORY_RULES = [
    ("Colourist", "person", Category.GRADE, 10),
    ("Sound editor", "person", Category.MIX, 10),
    ("Assistant editor", "person", Category.OFFLINE, 10),
    ("ADR", "", Category.ADR, 15),
    ("Re-recording mixer", "person", Category.MIX, 20),
    ("Online conform", "", Category.ONLINE, 20),
    ("Flame", "", Category.ONLINE, 30),
    ("Avid", "", Category.OFFLINE, 30),
    ("Premiere", "", Category.OFFLINE, 30),
    ("Baselight", "", Category.GRADE, 30),
    ("Resolve", "", Category.GRADE, 30),
    ("Dolby Vision", "", Category.GRADE, 30),
    ("Pro Tools", "", Category.MIX, 30),
    ("Dolby Atmos", "", Category.MIX, 30),
    ("Engineering", "person", Category.SERVICES, 40),
    ("Runner", "person", Category.SERVICES, 40),
    ("Library", "person", Category.MEDIA, 40),
]
# Budgets: each category's expected cost (the larger of quoted and at completion) with
# this much headroom, per production (seeded by its title); in some, one line runs over.
HEADROOM = (D("1.08"), D("1.25"))
OVER_BUDGET = D("0.94")


def _price(value: str, factor: Decimal) -> Decimal:
    """A GBP price in another currency, to the nearest 5 (under 100: to the unit)."""
    converted = D(value) * factor
    step = D(5) if converted >= 100 else D(1)
    return (converted / step).quantize(D(1)) * step


def _standard_card(currency: str):
    from postdesk.scheduling.models import Skill

    card = RateCard.objects.filter(name=f"Standard {currency}", is_standard=True).first()
    if card is not None:
        return card
    card = services.create_rate_card(
        actor=audit.DEMO,
        name=f"Standard {currency}",
        is_standard=True,
        currency=currency,
        notes="Day = 10 hours; half day = 5 hours.",
    )
    factor = D(PRICE_FACTORS.get(currency, "1"))
    skills = {s.name: s for s in Skill.objects.all()}
    for skill, kind, label, hourly, half, day, category, nominal in SKILL_RATES:
        if skill in skills:
            services.create_rate_entry(
                actor=audit.DEMO,
                card=card,
                skill=skills[skill],
                resource_kind=kind,
                label=label,
                hourly=_price(hourly, factor),
                half_day=_price(half, factor),
                day=_price(day, factor),
                category=category,
                nominal_code=nominal,
            )
    for kind, label, hourly, half, day, category, nominal in KIND_RATES:
        services.create_rate_entry(
            actor=audit.DEMO,
            card=card,
            resource_kind=kind,
            label=label,
            hourly=_price(hourly, factor),
            half_day=_price(half, factor),
            day=_price(day, factor),
            category=category,
            nominal_code=nominal,
        )
    for service, label, price, category, nominal in SERVICES:
        services.create_rate_entry(
            actor=audit.DEMO,
            card=card,
            service=service,
            label=label,
            unit="item",
            unit_price=_price(price, factor) if factor != 1 else D(price),
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
        actor=audit.DEMO,
        name=f"{client.name} deal",
        currency="GBP",
        notes="Agreed rates for the current slate.",
    )
    baselight = Skill.objects.filter(name="Baselight").first()
    if baselight is not None:
        services.create_rate_entry(
            actor=audit.DEMO,
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
        actor=audit.DEMO,
        client=client,
        card=card,
        discount_percent=D("5"),
        notes="5% slate discount",
    )
    return f"deal for {client.name}"


def _category_rules() -> int:
    from postdesk.scheduling.models import Skill

    skills = {s.name: s for s in Skill.objects.all()}
    made = 0
    for skill, kind, category, rank in CATEGORY_RULES:
        if skill in skills:
            categories.create_category_rule(
                actor=audit.DEMO,
                skill=skills[skill],
                resource_kind=kind,
                category=category,
                rank=rank,
            )
            made += 1
    return made


def _exchange_rates() -> int:
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    for currency, to, earlier, current in EXCHANGE_RATES:
        for day, rate in ((last_month, earlier), (this_month, current)):
            exchange.set_exchange_rate(
                actor=audit.DEMO,
                currency=currency,
                to_currency=to,
                rate=D(rate),
                valid_from=day,
                source="Bank of England spot (demo)",
            )
    return 2 * len(EXCHANGE_RATES)


def _done_work_lines(job) -> list[dict]:
    """The job's finished work as it was quoted before it started: one line per resource
    and day, at the price its booking comes to (already discounted)."""
    from postdesk.billing import lines as L
    from postdesk.billing.rates import RateBook

    client = job.client
    book = RateBook(client=client, currency=client.currency)
    out = []
    for booking in job.bookings.filter(kind="job", status="completed").order_by("start", "pk"):
        for line in L.booking_lines(
            booking=booking, book=book, client=client, currency=client.currency
        ):
            out.append(
                {
                    "kind": "booking",
                    "description": line["description"],
                    "quantity": 1,
                    "unit_price": line["net"],
                    "category": line["category"],
                    "nominal_code": line["nominal_code"],
                    "vat_code": line["vat_code"],
                    "apply_discount": False,
                }
            )
    return out


def _quote_work(job, *, notes: str, extra: list[dict] = ()) -> Quote:
    """A quote of all the job's work: done, confirmed and pencilled; without any booked,
    the estimate lines."""
    booked = job.bookings.filter(kind="job", status__in=["pencil", "confirmed", "completed"])
    if booked.exists():
        return services.create_quote(
            job=job, actor=audit.DEMO, notes=notes, free_lines=[*_done_work_lines(job), *extra]
        )
    return services.create_quote(
        job=job,
        actor=audit.DEMO,
        notes=notes,
        include_bookings=False,
        free_lines=[*ESTIMATE_LINES, *extra],
    )


def _client_of(quote: Quote):
    """Who answers a quote in the demo: a client user of the quote's company (the demo's
    one, "client", is Northlight's), or the demo loader for a company with none."""
    user = User.objects.filter(client_id=quote.job.client_id, is_active=True).order_by("pk")
    return user.first() or audit.DEMO


def _accept(quote: Quote) -> Quote:
    if quote.needs_approval:
        services.approve_quote(quote, actor=audit.DEMO)
    services.send_quote(quote, actor=audit.DEMO)
    return services.respond_quote(quote, actor=_client_of(quote), accept=True)


def _jobs_to_quote() -> list:
    """Jobs with work booked, and for a production with none, its first job (estimated)."""
    jobs = list(Job.objects.select_related("client", "contact", "production").order_by("number"))
    booked = set(
        Job.objects.filter(
            bookings__kind="job", bookings__status__in=["pencil", "confirmed", "completed"]
        ).values_list("pk", flat=True)
    )
    chosen, covered = [], set()
    for job in jobs:
        if job.pk in booked:
            chosen.append(job)
            covered.add(job.production_id)
    for job in jobs:
        if job.production_id not in covered:
            chosen.append(job)
            covered.add(job.production_id)
    return [j for j in chosen if j.contact is not None and j.contact.email]


def _quotes() -> str:
    threshold = D(str(settings.POSTDESK["QUOTE_APPROVAL_THRESHOLD"]))
    jobs = _jobs_to_quote()
    # The demo client user's company has the declined-then-accepted story.
    story = next((j for j in jobs if j.client.name == "Northlight Pictures"), None)
    story = story or (jobs[0] if jobs else None)
    accepted = {}
    for job in jobs:
        try:
            if job == story:
                # v1 declined as too dear; v2 with the couriers at no charge, accepted.
                first = _quote_work(
                    job,
                    notes="Based on the current schedule.",
                    extra=[{"service": "Courier", "kind": "courier", "quantity": 2}],
                )
                if first.needs_approval:
                    services.approve_quote(first, actor=audit.DEMO)
                services.send_quote(first, actor=audit.DEMO)
                services.respond_quote(first, actor=_client_of(first), accept=False)
                accepted[job.pk] = _accept(
                    _quote_work(job, notes="v2: couriers included at no charge.")
                )
            else:
                accepted[job.pk] = _accept(_quote_work(job, notes="Based on the schedule."))
        except DomainError:
            continue
    # A revised quote awaiting a supervisor's approval: more deliverables on a job whose
    # first quote stands (the cost report keeps reading the accepted one).
    awaiting = None
    others = [j for j in jobs if j.pk in accepted and j != story]
    if others:
        job = others[-1]
        awaiting = _quote_work(job, notes="v2: adds the deliverables the distributor asked for.")
        extra = max(threshold - awaiting.net + D("2500"), D("2500"))
        services.add_quote_line(
            awaiting,
            actor=audit.DEMO,
            kind="service",
            description="Deliverables: DCP, IMF and archive",
            unit_price=extra,
            category=Category.DELIVERABLES,
        )
    return (
        f"{Quote.objects.count()} quotes ({len(accepted)} accepted"
        f"{', v1 declined and v2 accepted' if story and story.pk in accepted else ''}, "
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
            sheet = services.create_job_sheet(booking=booking, actor=audit.DEMO)
            if i % 4 == 1:
                services.add_job_sheet_line(
                    sheet, actor=audit.DEMO, kind="catering", service="Catering", quantity=4
                )
            if i % 4 == 2:
                services.add_job_sheet_line(
                    sheet, actor=audit.DEMO, kind="media", service="Hard drive 4TB"
                )
            services.sign_job_sheet(sheet, actor=audit.DEMO, party="operator", name="Ed Nakamura")
            contact = booking.job.contact.name if booking.job.contact else "Client"
            sheets.append(
                services.sign_job_sheet(sheet, actor=audit.DEMO, party="client", name=contact)
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
        invoice = services.create_invoice(job=job, sheets=job_sheets, actor=audit.DEMO)
        last_end = max(s.actual_end for s in job_sheets)
        issue_day = min(today, timezone.localtime(last_end).date() + datetime.timedelta(days=1))
        issued.append(
            services.issue_invoice(
                invoice,
                actor=audit.DEMO,
                issue_date=issue_day,
                reason="Demo data: invoiced the day after the work",
            )
        )
    if len(issued) >= 1:
        services.record_payment(
            issued[0], actor=audit.DEMO, amount=issued[0].gross, received_on=today, reference="BACS"
        )
    if len(issued) >= 2:
        half = (issued[1].gross / 2).quantize(D("0.01"))
        services.record_payment(
            issued[1], actor=audit.DEMO, amount=half, received_on=today, reference="BACS part"
        )
    notes = 0
    if len(issued) >= 3:
        line = issued[2].lines.order_by("-net").first()
        services.create_credit_note(
            invoice=issued[2],
            actor=audit.DEMO,
            reason="Goodwill: session started late",
            lines=[{"invoice_line": line.pk, "net": (line.net / 10).quantize(D("0.01"))}],
        )
        notes = 1
    return f"{len(issued)} invoices issued, {notes} credit note"


BUDGET_STEP = D(250)


def _round_up(amount: Decimal) -> Decimal:
    """Up to a whole BUDGET_STEP, as budgets are written."""
    return (amount / BUDGET_STEP).to_integral_value(rounding=ROUND_CEILING) * BUDGET_STEP


def _budgets() -> int:
    """Each production's budget from its own work: per category the larger of quoted and
    at completion, with headroom; in some productions a line a little over, as they run."""
    import random

    from postdesk.billing.reports import cost_report

    count = 0
    for production in Production.objects.select_related("client").order_by("title"):
        rows = cost_report(production)["categories"]
        expected = {
            r["category"]: max(r["quoted"] or D(0), r["estimate_at_completion"] or D(0))
            for r in rows
        }
        expected = {c: v for c, v in expected.items() if v > 0}
        if not expected:
            continue
        rng = random.Random(production.title)
        low, high = HEADROOM
        headroom = low + (high - low) * D(rng.randint(0, 100)) / 100
        # Some productions have a line running over: the second largest, extra days agreed.
        ranked = sorted(expected, key=expected.get, reverse=True)
        over = ranked[1] if len(ranked) > 2 and rng.random() < 0.5 else None
        total = sum(expected.values(), D(0))
        for category, amount in expected.items():
            share = OVER_BUDGET if category == over else headroom
            services.set_budget_line(
                production=production,
                category=category,
                amount=_round_up(amount * share),
                actor=audit.DEMO,
                notes="Over: extra days agreed" if category == over else "",
            )
            count += 1
        if Category.MEDIA not in expected:
            # Drives and tapes are budgeted before any are bought.
            services.set_budget_line(
                production=production,
                category=Category.MEDIA,
                amount=_round_up(total * D("0.02")),
                actor=audit.DEMO,
                notes="Shuttle drives and LTO archive",
            )
            count += 1
    return count


def load() -> str:
    _standard_card("GBP")
    for currency in sorted(
        set(Client.objects.exclude(currency="GBP").values_list("currency", flat=True))
    ):
        _standard_card(currency)
    deal = _deal()
    rules = _category_rules()
    rates = _exchange_rates()
    quotes = _quotes()
    sheets = _job_sheets()
    invoices = _invoices(sheets)
    budgets = _budgets()
    return (
        f"rate cards, {deal}, {rules} budget category rules, {rates} exchange rates, "
        f"{quotes}, {len(sheets)} signed job sheets, {invoices}, {budgets} budget lines"
    )
