"""The post schedule: milestones with planned, revised and actual dates; a slipped one
and the bookings that no longer fit before one are flagged."""

import datetime

import pytest

from postdesk.coordination import queries, services
from postdesk.coordination.models import Milestone
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.core.timeutil import facility_zone, local_at
from postdesk.productions import services as production_services
from postdesk.scheduling import services as scheduling
from tests.coordination.conftest import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def grade_job(production):
    return production_services.create_job(
        actor=SYSTEM, production=production, description="Grade", work_type="grade"
    )


@pytest.fixture
def theatre(site):
    return scheduling.create_resource(actor=SYSTEM, kind="room", name="Grade 1", site=site)


def book(job, room, first: int, last: int, actor):
    zone = facility_zone()
    return scheduling.create_booking(
        job=job,
        resources=[room],
        start=local_at(days(first), datetime.time(9), zone),
        end=local_at(days(last), datetime.time(19), zone),
        actor=actor,
    )


def test_a_milestone_is_planned_then_revised_and_its_slip_flagged(production, coordinator):
    services.set_milestone(production=production, kind="grade", planned=days(10), actor=coordinator)
    on_time = queries.timeline(production)[0]
    assert (on_time["current"], on_time["slipped"]) == (days(10), False)

    services.set_milestone(
        production=production, kind="grade", planned=days(10), revised=days(14), actor=coordinator
    )

    row = queries.timeline(production)[0]
    assert (row["planned"], row["revised"], row["current"], row["slipped"]) == (
        days(10),
        days(14),
        days(14),
        True,
    )
    assert Milestone.objects.filter(production=production).count() == 1


def test_an_actual_date_after_the_plan_is_a_slip_and_before_it_is_not(production, coordinator):
    services.set_milestone(
        production=production, kind="mix", planned=days(-5), actual=days(-2), actor=coordinator
    )
    services.set_milestone(
        production=production, kind="online", planned=days(-9), actual=days(-10), actor=coordinator
    )

    rows = {r["kind"]: r for r in queries.timeline(production)}
    assert rows["mix"]["slipped"] is True
    assert rows["online"]["slipped"] is False
    assert [r["kind"] for r in queries.timeline(production)] == ["online", "mix"]


def test_bookings_that_no_longer_fit_before_the_milestone_are_listed(
    production, coordinator, grade_job, theatre, users, job
):
    early = book(grade_job, theatre, 2, 3, users["bookings"])
    late = book(grade_job, theatre, 8, 9, users["bookings"])
    services.set_milestone(production=production, kind="grade", planned=days(10), actor=coordinator)
    services.set_milestone(production=production, kind="online", planned=days(5), actor=coordinator)
    assert queries.timeline(production)[1]["late_bookings"] == []

    # when the grade is brought forward to day 6
    services.set_milestone(
        production=production, kind="grade", planned=days(10), revised=days(6), actor=coordinator
    )

    rows = {r["kind"]: r for r in queries.timeline(production)}
    assert [b["id"] for b in rows["grade"]["late_bookings"]] == [late.pk]
    assert early.pk not in [b["id"] for b in rows["grade"]["late_bookings"]]
    # the online milestone watches online work only
    assert rows["online"]["late_bookings"] == []


def test_dates_outside_the_window_and_unknown_kinds_are_refused(production, coordinator):
    with pytest.raises(InvalidInput):
        services.set_milestone(
            production=production,
            kind="grade",
            planned=datetime.date(1900, 1, 1),
            actor=coordinator,
        )
    with pytest.raises(InvalidInput):
        services.set_milestone(
            production=production, kind="lunch", planned=days(1), actor=coordinator
        )
    assert not Milestone.objects.exists()


def test_only_coordinators_supervisors_and_admins_plan(production, users):
    for role in ("bookings", "client", "engineer"):
        with pytest.raises(Forbidden):
            services.set_milestone(
                production=production, kind="qc", planned=days(1), actor=users[role]
            )
    services.set_milestone(
        production=production, kind="qc", planned=days(1), actor=users["supervisor"]
    )
    assert Milestone.objects.count() == 1
