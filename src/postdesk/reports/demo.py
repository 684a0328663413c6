"""A year of bookings behind the reports, generated (seeded) through the scheduling
services: each week of the past year, pencils on the demo rooms, most confirmed and
completed, some released or cancelled, and a day of maintenance now and then. The
scheduling demo's own weeks (two back, four ahead) are left as they are.

The history is the house's own use (internal bookings), not client jobs: priced job
bookings would change every production's cost report, which the billing demo sizes its
budgets and margins to."""

import datetime
import random

from django.utils import timezone

from postdesk.core import audit
from postdesk.core.errors import DomainError
from postdesk.core.timeutil import local_at
from postdesk.scheduling import services
from postdesk.scheduling.models import Resource

SEED = 2026
WEEKS = 50
FIRST_WEEK_BACK = 3  # the scheduling demo books from two weeks back
TITLES = ("Showreel grade", "Trailer conform", "Test screening", "Archive transfer")


def load() -> str:
    rng = random.Random(SEED)
    rooms = list(Resource.objects.filter(kind="room").select_related("site").order_by("pk")[:8])
    if not rooms:
        return "no demo rooms: nothing loaded"
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    made = confirmed = released = down = 0
    for week in range(FIRST_WEEK_BACK, FIRST_WEEK_BACK + WEEKS):
        first = monday - datetime.timedelta(weeks=week)
        for room in rooms:
            zone = room.site.zone
            for day in sorted(rng.sample(range(5), rng.randint(1, 4))):
                date = first + datetime.timedelta(days=day)
                start = local_at(date, datetime.time(rng.choice((9, 9, 10, 14))), zone)
                end = start + datetime.timedelta(hours=rng.choice((4, 5, 8, 10)))
                try:
                    if rng.random() < 0.06:
                        services.create_booking(
                            job=None,
                            kind="maintenance",
                            title="Calibration",
                            resources=[room],
                            start=start,
                            end=end,
                            status="confirmed",
                            actor=audit.DEMO,
                        )
                        down += 1
                        continue
                    booking = services.create_booking(
                        job=None,
                        kind="internal",
                        title=rng.choice(TITLES),
                        resources=[room],
                        start=start,
                        end=end,
                        status="pencil",
                        actor=audit.DEMO,
                    )
                    made += 1
                    if rng.random() < 0.72:
                        services.confirm_booking(booking, actor=audit.DEMO)
                        confirmed += 1
                    elif rng.random() < 0.7:
                        services.release_booking(booking, actor=audit.DEMO)
                        released += 1
                    else:
                        services.cancel_booking(booking, actor=audit.DEMO)
                        released += 1
                except DomainError:
                    continue
    completed = services.complete_past_bookings(actor=audit.DEMO)
    return (
        f"a year of history: {made} pencils ({confirmed} confirmed, {released} let go), "
        f"{down} maintenance days; {completed} bookings completed"
    )
