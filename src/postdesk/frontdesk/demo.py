"""The front desk's demo day: today's expected visitors from the demo bookings (some
signed in already, one pre-registered guest, a contractor), and runner tasks open,
claimed, started and done. Everything goes through the services."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from postdesk.core.errors import InvalidInput
from postdesk.frontdesk import (
    demo_office,
    queries,
    rollcall,
    services,
    visitor_queries,
    visitor_services,
)

TASKS = [
    ("Two teas, one oat milk", "Suite 3", "urgent"),
    ("Take LIB-000123 to Grading 2", "Library", "normal"),
    ("Collect from the courier at the door", "Reception", "normal"),
    ("Lunch order for Theatre 1", "Theatre 1", "normal"),
    ("Restock the machine room fridge", "Machine room", "low"),
]


def _users() -> dict:
    wanted = ("reception", "runner", "bookings", "engineer", "supervisor", "library")
    return {u.username: u for u in get_user_model().objects.filter(username__in=wanted)}


def _runner_tasks(people: dict) -> int:
    now = timezone.now()
    made = []
    for i, (title, place, priority) in enumerate(TASKS):
        poster = people["reception"] if i % 2 == 0 else people["bookings"]
        made.append(
            services.post_task(
                actor=poster,
                title=title,
                place=place,
                priority=priority,
                due_at=now + datetime.timedelta(minutes=20 + 15 * i),
            )
        )
    runner = people["runner"]
    services.claim_task(made[1].pk, actor=runner)  # claimed
    services.claim_task(made[2].pk, actor=runner)
    services.start_task(made[2].pk, actor=runner)  # on its way
    services.claim_task(made[4].pk, actor=runner)
    services.finish_task(made[4].pk, actor=runner)  # done
    return len(made)


def _visitors(people: dict) -> tuple[int, int]:
    reception = people["reception"]
    now = timezone.now()
    visitor_services.pre_register(
        actor=people["engineer"],
        name="Priya Shah",
        company="Dolby Laboratories",
        expected_at=now + datetime.timedelta(hours=2),
    )
    expected = visitor_queries.expected(reception)
    signed = 0
    # The first half of today's expected client contacts have arrived.
    for row in expected[: len(expected) // 2]:
        if row["source"] != "booking":
            continue
        try:
            visitor_services.sign_in(
                actor=reception,
                name=row["name"],
                company=row["company"],
                contact=_contact(row["contact"], reception),
                booking=_booking(row["booking"], reception),
            )
        except InvalidInput:  # a production asking for an NDA: they accept it at the kiosk
            continue
        signed += 1
    visitor_services.sign_in(
        actor=reception,
        name="Mark Rivers",
        company="Rivers Electrical",
        kind="contractor",
        host=people["engineer"],
        car_registration="LK21 ABC",
    )
    rollcall.staff_in(actor=people["engineer"])
    return len(expected) + 1, signed + 1


def _contact(pk, user):
    from postdesk.productions.queries import contacts_for

    return contacts_for(user).filter(pk=pk).first() if pk else None


def _booking(pk, user):
    from postdesk.scheduling.queries import bookings_for

    return bookings_for(user).filter(pk=pk).select_related("owner").first() if pk else None


def load() -> str:
    people = _users()
    if "reception" not in people or "runner" not in people:
        return "no demo users: nothing loaded"
    tasks = _runner_tasks(people)
    expected, signed = _visitors(people)
    office = [
        demo_office.traffic_day(people),
        demo_office.catering_day(people),
        demo_office.supplies_list(people),
    ]
    return (
        f"{tasks} runner tasks ({queries.open_tasks().count()} open), "
        f"{expected} expected visitors today, {signed} signed in, " + ", ".join(office)
    )
