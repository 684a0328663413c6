"""Demo resources for the two sites and six weeks of bookings around today.

Rooms, kit and people of a mid-sized London post house; then, through the services,
confirmed runs of suite + crew on the demo jobs (two weeks back, four ahead; the past
ones completed), pencils stacked 1st/2nd/3rd on a few future days, one open challenge,
maintenance and leave. Seeded, so two runs on the same day give the same facility.
"""

import datetime
import random

from django.utils import timezone

from postdesk.core import audit
from postdesk.core.errors import Conflict
from postdesk.core.models import Site, User
from postdesk.productions.models import Job
from postdesk.scheduling import services
from postdesk.scheduling.models import Resource, Skill
from postdesk.scheduling.spans import day_span

SEED = 20260302

SKILLS = [
    "Avid",
    "Premiere",
    "Resolve",
    "Baselight",
    "Flame",
    "Pro Tools",
    "Dolby Atmos",
    "ADR",
    "Online conform",
    "Assistant editor",
    "Colourist",
    "Re-recording mixer",
    "Sound editor",
    "Engineering",
    "Library",
    "Runner",
    "Dolby Vision",
]

# (site, name, capacity, colour, skills, kind of work)
ROOMS = [
    ("soho", "Offline 1", 4, "#2563eb", ["Avid"], "offline"),
    ("soho", "Offline 2", 4, "#2563eb", ["Avid"], "offline"),
    ("soho", "Offline 3", 3, "#2563eb", ["Avid", "Premiere"], "offline"),
    ("soho", "Offline 4", 3, "#2563eb", ["Premiere"], "offline"),
    ("soho", "Online Suite", 4, "#7c3aed", ["Flame", "Online conform"], "online"),
    ("soho", "Grading Theatre 1", 8, "#db2777", ["Baselight", "Dolby Vision"], "grade"),
    ("soho", "Dubbing Theatre", 10, "#059669", ["Pro Tools", "Dolby Atmos"], "mix"),
    ("soho", "ADR Booth", 4, "#ca8a04", ["ADR", "Pro Tools"], "adr"),
    ("soho", "Screening Room", 30, "#475569", [], "screening"),
    ("soho", "Machine Room", None, "#64748b", [], "machine"),
    ("pinewood", "Grading Theatre 2", 10, "#db2777", ["Resolve", "Dolby Vision"], "grade"),
    ("pinewood", "Atmos Theatre", 14, "#059669", ["Pro Tools", "Dolby Atmos"], "mix"),
]

# (site, name, located in, skills)
EQUIPMENT = [
    *[("soho", f"Avid Media Composer licence {i}", None, ["Avid"]) for i in range(1, 5)],
    ("soho", "Sony BVM-HX310 monitor A", "Grading Theatre 1", ["Dolby Vision"]),
    ("soho", "Sony BVM-HX310 monitor B", "Online Suite", []),
    ("pinewood", "Sony BVM-HX310 monitor C", "Grading Theatre 2", ["Dolby Vision"]),
    ("soho", "Sony X300 reference monitor 1", None, []),
    ("soho", "Sony X300 reference monitor 2", None, []),
    ("soho", "HDCAM SR deck SRW-5800", "Machine Room", []),
    ("soho", "Digital Betacam deck DVW-A500", "Machine Room", []),
    ("soho", "LTO-8 drive 1", "Machine Room", []),
    ("soho", "LTO-8 drive 2", "Machine Room", []),
    ("soho", "AJA Ki Pro Ultra 12G", "Machine Room", []),
    *[("soho", f"Portable Avid kit {i}", None, ["Avid"]) for i in range(1, 4)],
    ("soho", "Barco 4K projector", "Screening Room", []),
    ("pinewood", "Christie 4K projector", "Atmos Theatre", []),
    ("soho", "Dolby Vision mastering licence", None, ["Dolby Vision"]),
    ("soho", "Dolby Atmos renderer", "Dubbing Theatre", ["Dolby Atmos"]),
    ("pinewood", "Dolby Atmos renderer 2", "Atmos Theatre", ["Dolby Atmos"]),
    ("soho", "Neumann U87 ADR kit", "ADR Booth", ["ADR"]),
    ("soho", "Sennheiser MKH 416 ADR kit", "ADR Booth", ["ADR"]),
    ("soho", "Flame licence", "Online Suite", ["Flame"]),
    ("soho", "Baselight licence 1", "Grading Theatre 1", ["Baselight"]),
    ("pinewood", "Resolve Studio panel", "Grading Theatre 2", ["Resolve"]),
    ("soho", "Tangent Element panel", None, []),
    ("soho", "Portable QC kit", None, []),
    ("pinewood", "Portable Pro Tools rig", None, ["Pro Tools"]),
]

# (site, name, role, skills, freelance day rate or None)
PEOPLE = [
    ("soho", "Maya Okonjo", "editor", ["Avid"], None),
    ("soho", "Declan Hurst", "editor", ["Avid"], "650.00"),
    ("soho", "Ines Carvalho", "editor", ["Avid", "Premiere"], None),
    ("soho", "Tom Ashby", "editor", ["Premiere"], "550.00"),
    ("soho", "Priya Nair", "editor", ["Avid"], "700.00"),
    ("soho", "Oliver Grant", "editor", ["Avid", "Premiere"], None),
    ("soho", "Hana Sato", "editor", ["Avid"], "600.00"),
    ("soho", "Callum Reid", "editor", ["Premiere"], None),
    ("soho", "Ruby Flint", "assistant", ["Assistant editor", "Avid"], None),
    ("soho", "Sam Mensah", "assistant", ["Assistant editor", "Avid"], None),
    ("soho", "Leah Byrne", "assistant", ["Assistant editor", "Premiere"], "280.00"),
    ("soho", "Josh Patel", "assistant", ["Assistant editor", "Avid"], None),
    ("soho", "Nora Quinn", "assistant", ["Assistant editor", "Avid"], "260.00"),
    ("soho", "Felix Moreau", "assistant", ["Assistant editor"], None),
    ("soho", "Elena Petrova", "colourist", ["Colourist", "Baselight", "Dolby Vision"], None),
    ("soho", "Marcus Webb", "colourist", ["Colourist", "Baselight"], "1100.00"),
    ("pinewood", "Aiko Tanaka", "colourist", ["Colourist", "Resolve", "Dolby Vision"], None),
    ("pinewood", "Ben Carter", "colourist", ["Colourist", "Resolve"], "950.00"),
    ("soho", "Grace Lindqvist", "mixer", ["Re-recording mixer", "Pro Tools", "Dolby Atmos"], None),
    ("soho", "Harry Doyle", "mixer", ["Re-recording mixer", "Pro Tools"], "900.00"),
    ("pinewood", "Zara Ahmed", "mixer", ["Re-recording mixer", "Pro Tools", "Dolby Atmos"], None),
    (
        "pinewood",
        "Owen Price",
        "mixer",
        ["Re-recording mixer", "Pro Tools", "Dolby Atmos"],
        "850.00",
    ),
    ("soho", "Chloe Martin", "sound editor", ["Sound editor", "Pro Tools"], None),
    ("soho", "Dev Malhotra", "sound editor", ["Sound editor", "Pro Tools"], "500.00"),
    ("soho", "Isla Fraser", "sound editor", ["Sound editor", "Pro Tools", "ADR"], None),
    ("soho", "Kwame Boateng", "online", ["Online conform", "Flame"], None),
    ("soho", "Sofia Russo", "online", ["Online conform", "Flame"], "750.00"),
    ("soho", "Liam O'Connor", "online", ["Online conform", "Resolve"], None),
    ("soho", "Ed Nakamura", "engineer", ["Engineering"], None),
    ("soho", "Fiona Walsh", "engineer", ["Engineering"], None),
    ("pinewood", "Gus Holloway", "engineer", ["Engineering"], None),
    ("soho", "Tariq Aziz", "engineer", ["Engineering"], "400.00"),
    ("soho", "Ravi Singh", "runner", ["Runner"], None),
    ("soho", "Millie Jones", "runner", ["Runner"], None),
    ("soho", "Alfie Cook", "runner", ["Runner"], None),
    ("pinewood", "Poppy Hart", "runner", ["Runner"], None),
    ("soho", "Jack Turner", "runner", ["Runner"], "120.00"),
    ("soho", "Lena Fischer", "librarian", ["Library"], None),
    ("soho", "Yusuf Demir", "adr mixer", ["ADR", "Pro Tools", "Re-recording mixer"], None),
    ("soho", "Clara Novak", "adr mixer", ["ADR", "Pro Tools"], "600.00"),
]

# Which crew a kind of room needs: [(role, how many)].
CREW = {
    "offline": [("editor", 1), ("assistant", 1)],
    "online": [("online", 1)],
    "grade": [("colourist", 1)],
    "mix": [("mixer", 1), ("sound editor", 1)],
    "adr": [("adr mixer", 1)],
    "screening": [],
}

# Which jobs suit a room: words in the job description.
WORK_WORDS = {
    "offline": ("offline",),
    "online": ("online", "finish", "deliverables"),
    "grade": ("grade",),
    "mix": ("mix", "audio"),
    "adr": ("adr",),
    "screening": ("offline", "grade", "mix"),
}


def _skills() -> dict[str, Skill]:
    out = {s.name: s for s in Skill.objects.all()}
    for name in SKILLS:
        if name not in out:
            out[name] = services.create_skill(actor=audit.DEMO, name=name)
    return out


def _resources(sites: dict[str, Site]) -> tuple[dict, dict]:
    skills = _skills()
    rooms, people = {}, {}
    for order, (site, name, capacity, colour, tags, work) in enumerate(ROOMS):
        rooms[name] = (
            services.create_resource(
                actor=audit.DEMO,
                kind="room",
                name=name,
                site=sites[site],
                capacity=capacity,
                colour=colour,
                skills=[skills[t] for t in tags],
                sort_order=order,
                working_hours={
                    d: [["08:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri")
                },
            ),
            work,
        )
    for order, (site, name, room, tags) in enumerate(EQUIPMENT):
        services.create_resource(
            actor=audit.DEMO,
            kind="equipment",
            name=name,
            site=sites[site],
            location=rooms[room][0] if room else None,
            skills=[skills[t] for t in tags],
            sort_order=order,
            colour="#0f766e",
        )
    for order, (site, name, role, tags, rate) in enumerate(PEOPLE):
        email = name.lower().replace(" ", ".").replace("'", "") + "@postdesk.test"
        person = services.create_resource(
            actor=audit.DEMO,
            kind="person",
            name=name,
            site=sites[site],
            skills=[skills[t] for t in tags],
            sort_order=order,
            colour="#9333ea",
            employment="freelance" if rate else "staff",
            email=email,
            day_rate=rate,
            notes=role.capitalize(),
        )
        people.setdefault(role, []).append(person)
    return rooms, people


def _weekdays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


class _Booker:
    """Books the demo's runs through the services, as `actor`, and remembers which
    resources firm bookings hold on which days, so crews are not double-booked."""

    def __init__(self, actor):
        self.actor = actor
        self.busy: set[tuple[int, datetime.date]] = set()

    def book_days(self, resources, run, *, job, status, kind="job", title="", hours=(9, 19)):
        zone = resources[0].site.zone
        spans = [day_span(d, datetime.time(hours[0]), datetime.time(hours[1]), zone) for d in run]
        try:
            made, _ = services.create_repeating(
                job=job,
                resources=resources,
                occurrences=spans,
                status=status,
                kind=kind,
                title=title,
                actor=self.actor,
                skip_conflicts=True,
            )
        except Conflict:
            return []
        if status != "pencil":
            for d in run:
                for r in resources:
                    self.busy.add((r.pk, d))
        return made


def _leave(booker: _Booker, rng, people, days) -> int:
    """Holidays for eight people, first, so that crew planning sees them."""
    everyone = [p for group in people.values() for p in group]
    made = 0
    for person in rng.sample(everyone, 8):
        start = rng.randrange(0, len(days) - 3)
        run = days[start : start + rng.choice([1, 2, 3])]
        if booker.book_days(
            [person],
            run,
            job=None,
            status="confirmed",
            kind="leave",
            title="Holiday",
            hours=(8, 20),
        ):
            made += 1
    return made


def _maintenance(booker: _Booker, rng, rooms, days) -> int:
    """An early-morning calibration (a machine-room service) per fortnight."""
    made = 0
    for name in ("Grading Theatre 1", "Grading Theatre 2", "Dubbing Theatre", "Machine Room"):
        room = rooms[name][0]
        for offset in (3, 13, 23):
            day = days[min(offset + rng.randrange(0, 3), len(days) - 1)]
            made += len(
                booker.book_days(
                    [room],
                    [day],
                    job=None,
                    status="confirmed",
                    kind="maintenance",
                    title="Calibration" if name != "Machine Room" else "Service",
                    hours=(7, 9),
                )
            )
    return made


def _crew_for(booker: _Booker, rng, people, work, run):
    chosen = []
    for role, n in CREW.get(work, []):
        free = [p for p in people.get(role, []) if not any((p.pk, d) in booker.busy for d in run)]
        if len(free) < n:
            return None
        chosen += rng.sample(free, n)
    return chosen


def _confirmed_runs(booker: _Booker, rng, rooms, people, jobs, days) -> int:
    """Confirmed runs of room + crew, one to five days each."""
    made = 0
    for room, work in rooms.values():
        if work == "machine":
            continue
        suitable = [j for j in jobs if any(w in j.description.lower() for w in WORK_WORDS[work])]
        suitable = suitable or jobs
        i = 0
        while i < len(days):
            length = rng.choice([1, 2, 3, 5, 5])
            run = days[i : i + length]
            i += length
            if rng.random() < 0.2:
                continue  # an empty stretch
            crew = _crew_for(booker, rng, people, work, run)
            if crew is None:
                continue
            job = rng.choice(suitable)
            booked = booker.book_days(
                [room, *crew], run, job=job, status="confirmed", title=job.description
            )
            made += len(booked)
    return made


def _pencil_stacks(booker: _Booker, rng, rooms, jobs, future) -> list[list]:
    """Pencils stacked on free future days: 1st, 2nd and 3rd holds."""
    stacks = []
    for name in ("Grading Theatre 1", "Dubbing Theatre", "Offline 4", "Grading Theatre 2"):
        room, _ = rooms[name]
        free_days = [d for d in future if (room.pk, d) not in booker.busy]
        if len(free_days) < 2:
            continue
        start = rng.randrange(0, len(free_days) - 1)
        run = free_days[start : start + 2]
        holders = rng.sample(jobs, 3 if name != "Offline 4" else 2)
        stack = []
        for job in holders:
            stack += booker.book_days([room], run, job=job, status="pencil", title=job.description)
        stacks.append(stack)
    return stacks


def load() -> str:
    rng = random.Random(SEED)
    sites = {s.code: s for s in Site.objects.filter(code__in=["soho", "pinewood"])}
    if len(sites) < 2 or Resource.objects.exists():
        return "skipped (needs the demo sites and an empty resource list)"
    rooms, people = _resources(sites)
    owner = User.objects.filter(username="bookings").first()
    booker = _Booker(owner or audit.DEMO)
    jobs = list(Job.objects.select_related("production").order_by("number"))
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    days = _weekdays(
        monday - datetime.timedelta(weeks=2), monday + datetime.timedelta(weeks=4, days=-1)
    )
    leave = _leave(booker, rng, people, days)
    maintenance = _maintenance(booker, rng, rooms, days)
    confirmed = _confirmed_runs(booker, rng, rooms, people, jobs, days)
    future = [d for d in days if d > today + datetime.timedelta(days=7)]
    stacks = _pencil_stacks(booker, rng, rooms, jobs, future)
    if stacks and len(stacks[0]) >= 3:
        # The second holder of the first day presses the first: one open challenge.
        services.challenge_booking(stacks[0][2], actor=booker.actor)

    completed = services.complete_past_bookings(actor=audit.DEMO)
    total_resources = Resource.objects.count()
    return (
        f"{total_resources} resources; {confirmed} confirmed bookings "
        f"({completed} completed), {sum(len(s) for s in stacks)} pencils, {maintenance} "
        f"maintenance and {leave} leave blocks"
    )
