import datetime

import pytest
from django.utils import timezone

from postdesk.core.audit import SYSTEM
from postdesk.scheduling import services as scheduling

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def people(users, make_user, other_company):
    """One user per role, each with an address, and a client user of another company."""
    everyone = dict(users)
    everyone["other_client"] = make_user("client", "other-client", client=other_company)
    for key, user in everyone.items():
        user.email = f"{key}@postdesk.test"
        user.save()
    return everyone


@pytest.fixture
def room(site):
    return scheduling.create_resource(actor=SYSTEM, kind="room", name="Suite 3", site=site)


@pytest.fixture
def soon():
    start = (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)
    return start, start + 8 * HOUR


@pytest.fixture
def pencil(job, room, soon, people):
    """A pencil on the client's job in the room, made (and so owned) by the bookings office."""
    return scheduling.create_booking(
        job=job, resources=[room], start=soon[0], end=soon[1], actor=people["bookings"]
    )


def told(kind: str) -> set[str]:
    """Usernames that have a notification of `kind`."""
    from postdesk.notifications.models import Notification

    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))
