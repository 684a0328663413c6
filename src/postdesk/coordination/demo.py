"""Coordination's part of the demo facility: each active production gets a deliverables
list from the template that fits it, at different stages (one overdue, one rejected and
back in progress, some delivered and accepted), a post schedule of milestones with one
slipped, crew deal memos (one accepted, so pencilled on the board), and a delivery
schedule in two versions on the first two (a third asked for), costs on a few items
and a QC report linked where engineering's demo made one; on the first, an ADR session
with a 40-cue list half recorded, a screening with RSVPs and an earlier one with its
attendance and feedback, and an EDL of the first cut whose reels are the library's demo
tapes and drives of the production, but one.

Written through the services as the demo's coordinator and supervisor; two runs on one
day agree.
"""

import contextlib
import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from postdesk.coordination import (
    adr,
    attendance,
    crew_services,
    documents,
    edl,
    screenings,
    services,
)
from postdesk.coordination.models import Milestone
from postdesk.core import timecode as tc
from postdesk.core.audit import DEMO
from postdesk.core.errors import DomainError
from postdesk.core.models import User
from postdesk.core.timeutil import facility_zone, local_at
from postdesk.engineering.models import QcReport
from postdesk.library.models import MediaItem
from postdesk.productions import services as productions
from postdesk.productions.models import Production
from postdesk.scheduling.models import Resource

TEMPLATE_FOR = {"feature": "theatrical", "documentary": "streamer"}
# The post schedule, in days from today: (kind, planned offset).
PLAN = [
    (Milestone.Kind.TURNOVER, -40),
    (Milestone.Kind.PICTURE_LOCK, -12),
    (Milestone.Kind.ONLINE, 3),
    (Milestone.Kind.GRADE, 9),
    (Milestone.Kind.MIX, 16),
    (Milestone.Kind.QC, 24),
    (Milestone.Kind.DELIVERY, 30),
]


def _stage(items, coordinator, today) -> None:
    """Walk the list's items to different stages: the first two accepted, the third
    rejected and back in progress, the fourth in QC, the fifth overdue."""
    for n, item in enumerate(items):
        services.update_deliverable(
            item, actor=coordinator, due=today + datetime.timedelta(days=(n - 4) * 4)
        )
        if n > 4:
            continue
        services.start_deliverable(item, actor=coordinator)
        if n == 4:
            continue
        services.send_to_qc(item, actor=coordinator)
        if n == 3:
            continue
        courier = n % 2 == 0
        services.deliver(
            item,
            actor=coordinator,
            delivered_to="Broadcaster's media operations",
            method="courier" if courier else "file_transfer",
            courier="Soho Bikes" if courier else "",
            reference=f"SB-{item.pk:06d}" if courier else f"ASPERA-{item.pk:06d}",
        )
        if n == 2:
            services.reject_deliverable(
                item, actor=coordinator, reason="Loudness 2 LU over R128 in part 2"
            )
            services.start_deliverable(item, actor=coordinator)
        else:
            services.accept_deliverable(item, actor=coordinator, accepted_by="Technical review")


def _documents(production, coordinator) -> None:
    """A delivery schedule in two versions: the second moves the delivery date."""
    first = documents.upload_document(
        production=production,
        kind="delivery_schedule",
        title="Delivery schedule",
        file=ContentFile(
            f"{production.title}: delivery schedule, draft\n".encode(), name="schedule.txt"
        ),
        actor=coordinator,
    )
    documents.add_version(
        first.document,
        file=ContentFile(
            f"{production.title}: delivery schedule, agreed\n".encode(), name="schedule.txt"
        ),
        actor=coordinator,
    )
    documents.request_version(
        first.document,
        reason="Add the textless and M&E delivery dates",
        wanted_by=timezone.localdate(timezone=facility_zone()) + datetime.timedelta(days=4),
        actor=coordinator,
    )


def _costs_and_qc(items, supervisor) -> None:
    """Costs on the first three items (tape stock, a transfer, a courier), and the first
    item's engineering QC report when the engineering demo made one."""
    for item, cost in zip(items, ("185.00", "60.00", "42.50"), strict=False):
        services.set_cost(item, cost=Decimal(cost), actor=supervisor)
    report = QcReport.objects.filter(state=QcReport.State.DONE).order_by("pk").first()
    if items and report is not None:
        with contextlib.suppress(DomainError):
            services.link_qc_report(items[0], report=report, actor=supervisor)


def _edl(production, coordinator) -> str:
    """An assembly EDL of the production's reels in the library, five seconds each (a
    video event, then one on the audio pair), and one reel the library does not hold."""
    reels = sorted(
        set(
            MediaItem.objects.filter(production=production, destroyed_at__isnull=True)
            .exclude(reel="")
            .values_list("reel", flat=True)
        )
    )[:8]
    if not reels:
        return ""
    lines = [f"TITLE: {production.title.upper()[:40]} ASSEMBLY", "FCM: NON-DROP FRAME", ""]
    record = 90000  # 01:00:00:00 at 25
    for n, reel in enumerate([*reels, "LOST01"], start=1):
        source = 90000 + n * 1500
        times = [source, source + 125, record, record + 125]
        stamps = " ".join(tc.frames_to_timecode(t, "25") for t in times)
        lines.append(f"{n:03d}  {reel[:8]:<8} {'V' if n % 2 else 'AA':<5} C        {stamps}")
        record += 125
    edl.import_edl(
        production=production,
        title="Assembly EDL",
        file=ContentFile(("\n".join(lines) + "\n").encode(), name="assembly.edl"),
        rate="25",
        actor=coordinator,
    )
    return f", an EDL of {len(reels) + 1} reels"


def _adr_and_screening(production, coordinator, today) -> str:
    """An ADR session with a 40-cue list, half recorded, and a screening with RSVPs, on
    first production: in the ADR Booth with Yusuf Demir, and in the
    Screening Room."""
    stage = Resource.objects.filter(name="ADR Booth").first()
    mixer = Resource.objects.filter(name="Yusuf Demir").first()
    room = Resource.objects.filter(name="Screening Room").first()
    if stage is None or mixer is None or room is None:
        return ""
    zone = facility_zone()
    adr_job = productions.create_job(
        actor=DEMO, production=production, description="ADR", work_type="adr"
    )
    day = today + datetime.timedelta(days=3)
    session = adr.book_session(
        job=adr_job,
        stage=stage,
        mixer=mixer,
        start=local_at(day, datetime.time(10), zone),
        end=local_at(day, datetime.time(14), zone),
        talent="Ruth Wilde",
        character="Anna",
        agent_contact="Harriet at Wilde Management, 020 7946 0000",
        agent_email="bookings@wilde.example",
        actor=coordinator,
    )
    rows = ["cue,character,tc_in,tc_out,line"]
    for n in range(40):
        first = 90000 + n * 250
        rows.append(
            f"{101 + n},{'ANNA' if n % 3 else 'TOM'},{tc.frames_to_timecode(first, '25')},"
            f"{tc.frames_to_timecode(first + 75, '25')},Line {n + 1} of the scene"
        )
    adr.import_cues(session, text="\n".join(rows) + "\n", actor=coordinator)
    for cue in list(session.cues.order_by("frame_in"))[:20]:
        adr.mark_recorded(cue, actor=coordinator, take_notes="take 2")
    _screenings(production, room, coordinator, today)
    return (
        ", an ADR session of 40 cues (20 recorded), a screening with RSVPs and an earlier "
        "one with its attendance and feedback"
    )


def _screenings(production, room, coordinator, today) -> None:
    """In five days, the director's cut v3 with RSVPs; two days ago, v2 (_last_screening)."""
    zone = facility_zone()
    job = productions.create_job(
        actor=DEMO, production=production, description="Preview", work_type="screening"
    )
    day = today + datetime.timedelta(days=5)
    screening = screenings.book_screening(
        job=job,
        room=room,
        start=local_at(day, datetime.time(18), zone),
        end=local_at(day, datetime.time(21), zone),
        cut_version="Director's cut v3",
        nda_required=True,
        plus_ones_allowed=1,
        actor=coordinator,
    )
    for n, name in enumerate(["Sam Okafor", "Priya Shah", "Leo Grant", "Mia Chen", "Tom Reyes"]):
        invitee = screenings.invite(
            screening, name=name, email=f"{name.split()[0].lower()}@example.com", actor=coordinator
        )
        if n < 3:
            screenings.respond(
                screening_id=screening.pk, token=invitee.token, accept=True, plus_ones=n % 2
            )
        elif n == 3:
            screenings.respond(screening_id=screening.pk, token=invitee.token, accept=False)
    _last_screening(job, room, coordinator, today)


def _last_screening(job, room, coordinator, today) -> None:
    """Two days ago's screening of the previous cut: who came (two of three invitees and
    a walk-in) and what they said."""
    zone = facility_zone()
    day = today - datetime.timedelta(days=2)
    earlier = screenings.book_screening(
        job=job,
        room=room,
        start=local_at(day, datetime.time(18), zone),
        end=local_at(day, datetime.time(21), zone),
        cut_version="Director's cut v2",
        nda_required=True,
        actor=coordinator,
    )
    came = [
        screenings.invite(
            earlier, name=name, email=f"{name.split()[0].lower()}@example.com", actor=coordinator
        )
        for name in ["Sam Okafor", "Priya Shah", "Leo Grant"]
    ][:2]
    attendance.record_attendance(
        earlier, attended=[i.pk for i in came], walk_ins=["Dana Cole"], actor=coordinator
    )
    for given_by, note in [
        ("Sam Okafor", "The second act drags; the market scene could lose a minute."),
        ("", "Several people missed the line about the letter: ADR it clearer."),
    ]:
        attendance.add_feedback(earlier, note=note, given_by=given_by, actor=coordinator)


def load() -> str:
    coordinator = User.objects.filter(username="coordinator").first()
    supervisor = User.objects.filter(username="supervisor").first()
    if coordinator is None or supervisor is None:
        return "skipped: no demo coordinator or supervisor"
    today = timezone.localdate(timezone=facility_zone())
    productions = list(
        Production.objects.filter(status=Production.Status.ACTIVE).prefetch_related("jobs")[:8]
    )
    freelancers = list(
        Resource.objects.filter(
            kind=Resource.Kind.PERSON,
            employment=Resource.Employment.FREELANCE,
            archived_at__isnull=True,
        ).order_by("name")[:4]
    )
    items = memos = 0
    extra = ""
    for n, production in enumerate(productions):
        template = TEMPLATE_FOR.get(production.kind, "uk_broadcaster")
        created = services.create_from_template(
            production=production, template=template, owner=coordinator, actor=coordinator
        )
        _stage(created, coordinator, today)
        _costs_and_qc(created, supervisor)
        items += len(created)
        _milestones(production, coordinator, today, slipped=n == 0)
        if n < 2:
            _documents(production, coordinator)
        if n == 0:
            with contextlib.suppress(DomainError):
                extra = _adr_and_screening(production, coordinator, today)
            extra += _edl(production, coordinator)
        jobs = list(production.jobs.all())
        if freelancers and jobs and n < len(freelancers):
            _memo(production, jobs[0], freelancers[n], n, supervisor, today)
            memos += 1
    return (
        f"{items} deliverables, {len(productions) * len(PLAN)} milestones, "
        f"{memos} deal memos{extra}"
    )


def _milestones(production, coordinator, today, *, slipped: bool) -> None:
    for kind, offset in PLAN:
        planned = today + datetime.timedelta(days=offset)
        # One slipped milestone: the first production's grade, a week late.
        revised = planned + datetime.timedelta(days=7) if kind == "grade" and slipped else None
        actual = planned if offset < 0 else None
        services.set_milestone(
            production=production,
            kind=kind,
            planned=planned,
            revised=revised,
            actual=actual,
            actor=coordinator,
        )


def _memo(production, job, person, n: int, supervisor, today) -> None:
    memo = crew_services.offer_memo(
        production=production,
        job=job,
        person=person,
        role="Assistant editor" if n % 2 else "Dialogue editor",
        start=today + datetime.timedelta(days=7),
        end=today + datetime.timedelta(days=11),
        day_rate=(person.day_rate or Decimal("300.00")) - Decimal("25.00"),
        currency=person.currency,
        overtime_terms="1.5x after 10 hours",
        actor=supervisor,
    )
    if n % 2 == 0:
        # A person not bookable those days leaves the memo offered.
        with contextlib.suppress(DomainError):
            crew_services.accept_memo(memo, actor=supervisor)
