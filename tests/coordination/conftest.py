import datetime
from decimal import Decimal

import pytest

from postdesk.coordination import services
from postdesk.coordination.queries import today
from postdesk.core.audit import SYSTEM
from postdesk.productions import services as production_services
from postdesk.scheduling import services as scheduling
from tests.library.conftest import librarian, register, vault  # noqa: F401 (fixtures)


def days(n: int) -> datetime.date:
    """A day `n` days from the facility's today (inside the configured date window)."""
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def coordinator(users):
    return users["coordinator"]


@pytest.fixture
def supervisor(users, production):
    production_services.update_production(production, actor=SYSTEM, supervisor=users["supervisor"])
    return users["supervisor"]


@pytest.fixture
def uk_list(production, coordinator):
    return services.create_from_template(
        production=production, template="uk_broadcaster", actor=coordinator, due=days(30)
    )


@pytest.fixture
def item(uk_list):
    return uk_list[0]


@pytest.fixture
def freelancer(site):
    return scheduling.create_resource(
        actor=SYSTEM,
        kind="person",
        name="Alex Editor",
        site=site,
        employment="freelance",
        day_rate=Decimal("450.00"),
        currency="GBP",
    )


def walk_to_delivered(item, actor):
    services.start_deliverable(item, actor=actor)
    services.send_to_qc(item, actor=actor)
    return services.deliver(
        item,
        actor=actor,
        delivered_to="BBC media ops",
        method="file_transfer",
        reference="ASPERA-1",
    )
