"""Engineering's part of the demo facility: about 60 assets across the rooms, two open
faults (one a room down with two confirmed bookings in its way), maintenance schedules,
and PAT records of which some fall due this month. Media QC reports are not part of it
yet (the QC checker is not built).

Everything goes through the services; seeded, so two runs on one day agree.
"""

import datetime
import random
from pathlib import Path

from django.utils import timezone

from postdesk.core.audit import DEMO
from postdesk.core.models import User
from postdesk.engineering import services
from postdesk.engineering.pat import RISK_CLASSES, add_months
from postdesk.scheduling.models import Allocation, Booking, Resource
from postdesk.scheduling.queries import free_resources

SEED = 20261201

# Kit every room of a kind has: (make, model, risk class, critical).
ROOM_KIT = {
    "default": [
        ("HP", "Z8 G5 workstation", "it", True),
        ("Eizo", "CG2700X GUI monitor", "it", False),
        ("APC", "Smart-UPS 1500", "stationary", False),
    ],
    "Grading": [("FilmLight", "Blackboard 2 panel", "movable", True)],
    "Dubbing": [("Avid", "S6 M40 console", "stationary", True)],
    "Atmos": [("Avid", "S6 M40 console", "stationary", True)],
    "Machine": [
        ("Cisco", "Catalyst 9300 switch", "it", True),
        ("Blackmagic", "Smart Videohub 40x40", "it", True),
        ("Tektronix", "WFM8300 waveform monitor", "movable", False),
    ],
    "ADR": [("Genelec", "8341A monitor pair", "portable", False)],
}


def _kit_for(room_name: str) -> list[tuple]:
    kit = list(ROOM_KIT["default"])
    for word, extra in ROOM_KIT.items():
        if word != "default" and word in room_name:
            kit += extra
    return kit


def _assets(rng: random.Random) -> list:
    made = []
    number = 0

    def tag() -> str:
        nonlocal number
        number += 1
        return f"ENG-{number:04d}"

    rooms = list(Resource.objects.filter(kind=Resource.Kind.ROOM).order_by("site_id", "name"))
    for room in rooms:
        for make, model, risk, critical in _kit_for(room.name):
            made.append(
                services.create_asset(
                    actor=DEMO,
                    tag=tag(),
                    make=make,
                    model=model,
                    serial=f"SN{rng.randrange(10**7, 10**8)}",
                    supplier=rng.choice(
                        ["Jigsaw24", "Root6", "Escape Technology", "Creative Video"]
                    ),
                    purchase_date=datetime.date(2023, 1, 1)
                    + datetime.timedelta(days=rng.randrange(900)),
                    room=room,
                    critical=critical,
                    risk_class=risk,
                )
            )
    # The board's kit becomes register entries too, each linked to its resource.
    for resource in Resource.objects.filter(kind=Resource.Kind.EQUIPMENT).order_by("name"):
        make, _, model = resource.name.partition(" ")
        made.append(
            services.create_asset(
                actor=DEMO,
                tag=tag(),
                make=make,
                model=model or resource.name,
                serial=f"SN{rng.randrange(10**7, 10**8)}",
                room=resource.location,
                resource=resource,
                risk_class="" if "licence" in resource.name else "portable",
            )
        )
    return made


def _movable(room, bookings) -> bool:
    """Whether each booking has a free room of the room's kind and skills."""
    skills = list(room.skills.values_list("name", flat=True))
    for start, end in bookings:
        free = free_resources(
            start=start, end=end, kind=Resource.Kind.ROOM, skills=skills, site=room.site_id
        )
        if not [r for r in free["resources"] if r["id"] != room.pk]:
            return False
    return True


def _room_down(engineer, now) -> str:
    """A room down whose estimate reaches over its next two confirmed bookings, on a room
    where both can move to a free room of the same kind and skills."""
    for room in Resource.objects.filter(kind=Resource.Kind.ROOM).order_by("name"):
        ahead = list(
            Allocation.objects.filter(
                resource=room, blocking=True, booking__kind=Booking.Kind.JOB, end__gt=now
            )
            .order_by("start")
            .values_list("start", "end")[:3]
        )
        if len(ahead) < 2 or not _movable(room, ahead[:2]):
            continue
        # Back before the third booking (if any) starts: exactly two are in the way.
        until = ahead[1][1] + datetime.timedelta(hours=1)
        if len(ahead) == 3:
            until = min(until, ahead[2][0])
        ticket = services.report_fault(
            actor=engineer,
            severity="room_down",
            room=room.pk,
            description="Workstation will not boot: PSU failed, replacement ordered",
            estimate_until=until,
            now=now,
        )
        return f"room down on {room.name} (fault {ticket.pk})"
    return "no room with two movable bookings ahead for the room-down fault"


def _pat(assets, engineer, today: datetime.date) -> int:
    """A test for every asset with a risk class; every fifth falls due this month."""
    count = 0
    for i, asset in enumerate(a for a in assets if a.risk_class):
        months = RISK_CLASSES[asset.risk_class].months
        if i % 5 == 0:
            due = today.replace(day=min(28, 1 + i % 27))
            tested = add_months(due, -months)
        else:
            tested = add_months(today, -(i % months)) - datetime.timedelta(days=i % 20)
        services.record_pat_test(
            actor=engineer, asset=asset, tested_on=tested, tester="Ed Nakamura", result="pass"
        )
        count += 1
    return count


def load() -> str:
    rng = random.Random(SEED)
    now = timezone.now().replace(second=0, microsecond=0)
    engineer = User.objects.filter(username="engineer").first()
    if engineer is None:
        return "no engineer user: skipped"
    assets = _assets(rng)
    down = _room_down(engineer, now)
    suite = Resource.objects.filter(kind=Resource.Kind.ROOM, name="Dubbing Theatre").first()
    if suite is not None:
        services.report_fault(
            actor=User.objects.filter(username="runner").first() or engineer,
            severity="degraded",
            room=suite.pk,
            description="Left surround speaker crackles at high level",
            now=now,
        )
    schedules = 0
    for room in Resource.objects.filter(kind=Resource.Kind.ROOM).order_by("name")[:6]:
        services.create_schedule(
            actor=engineer,
            title=f"Clean filters and check fans: {room.name}",
            room=room,
            every_days=30,
            duration_minutes=90,
            last_done_at=now - datetime.timedelta(days=rng.randrange(10, 40)),
        )
        services.create_schedule(
            actor=engineer,
            title=f"Recalibrate reference monitor: {room.name}",
            room=room,
            every_booked_hours=200,
            duration_minutes=120,
            last_done_at=now - datetime.timedelta(days=28),
        )
        schedules += 2
    tests = _pat(assets, engineer, timezone.localdate())
    return (
        f"{len(assets)} assets, {down}, 1 degraded fault, {schedules} schedules, "
        f"{tests} PAT tests, {_qc_reports(engineer)}"
    )


# One QC report of each verdict against the house mezzanine, on files made now with
# lavfi (a few seconds each): a clean ProRes HQ master; the same with a 1.2 s black
# mid-programme (a warning); a small, loud ProRes 422 (fails on size and loudness).
QC_DEMO = (
    ("demo-pass-master.mov", {"seconds": 2, "size": "1920x1080"}),
    ("demo-warn-black.mov", {"seconds": 3, "size": "1920x1080", "black": (25, 54)}),
    ("demo-fail-loud.mov", {"seconds": 2, "size": "320x180", "codec": "prores", "level_db": -14}),
)


def _qc_reports(engineer) -> str:
    from django.conf import settings

    from postdesk.engineering import qc_media, qc_runner
    from postdesk.engineering.models import DeliverySpec, QcReport
    from postdesk.engineering.qc_generate import Media, generate

    if not qc_media.tools_available():
        return "no QC reports (ffmpeg not installed)"
    spec = DeliverySpec.objects.filter(slug="house-prores-mezzanine").first()
    if spec is None or QcReport.objects.exists():
        return "QC reports kept"
    folder = Path(settings.QC_MEDIA_ROOT) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    verdicts = []
    for name, media in QC_DEMO:
        generate(folder / name, Media(**media))
        report = services.start_check(actor=engineer, spec=spec, path=f"demo/{name}")
        qc_runner.run_report(report.pk)
        verdicts.append(QcReport.objects.get(pk=report.pk).verdict or "error")
    return f"QC reports: {', '.join(verdicts)}"
