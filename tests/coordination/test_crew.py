"""Crew deal memos: offered → accepted (pencilled through the scheduling service) →
contracted (confirmed); the memo's rate is the person's actual cost in the cost report."""

import datetime
from decimal import Decimal

import pytest

from postdesk.billing.reports import cost_report
from postdesk.coordination import crew_services
from postdesk.coordination.models import DealMemo
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from postdesk.core.timeutil import local_at
from postdesk.scheduling import services as scheduling
from postdesk.scheduling.models import Allocation, Booking
from tests.coordination.conftest import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo(production, job, freelancer, supervisor):
    return crew_services.offer_memo(
        production=production,
        job=job,
        person=freelancer,
        role="Assistant editor",
        start=days(3),
        end=days(4),
        day_rate=Decimal("380.00"),
        overtime_terms="1.5x after 10 hours",
        actor=supervisor,
    )


def test_an_offer_books_nothing_acceptance_pencils_contract_confirms(memo, supervisor, freelancer):
    assert memo.status == "offered"
    assert not Booking.objects.exists()

    accepted = crew_services.accept_memo(memo, actor=supervisor)
    booking = Booking.objects.get()
    assert (accepted.status, accepted.booking_id) == ("accepted", booking.pk)
    assert (booking.status, booking.job_id, booking.title) == (
        "pencil",
        memo.job_id,
        "Assistant editor",
    )
    assert list(Allocation.objects.values_list("resource_id", flat=True)) == [freelancer.pk]

    contracted = crew_services.contract_memo(memo, actor=supervisor)
    assert contracted.status == "contracted"
    assert Booking.objects.get().status == "confirmed"


def test_a_withdrawn_memo_cancels_its_pencil(memo, supervisor):
    crew_services.accept_memo(memo, actor=supervisor)
    crew_services.withdraw_memo(memo, actor=supervisor)

    assert DealMemo.objects.get().status == "withdrawn"
    assert Booking.objects.get().status == "cancelled"
    with pytest.raises(InvalidTransition):
        crew_services.contract_memo(memo, actor=supervisor)


def test_contracting_before_acceptance_is_refused(memo, supervisor):
    with pytest.raises(InvalidTransition):
        crew_services.contract_memo(memo, actor=supervisor)
    assert DealMemo.objects.get().status == "offered"


def test_a_clash_on_contract_leaves_the_memo_accepted(memo, supervisor, freelancer, job, users):
    crew_services.accept_memo(memo, actor=supervisor)
    pencil = Booking.objects.get()
    # someone else confirms the person over the same days first
    scheduling.create_booking(
        job=job,
        resources=[freelancer],
        start=pencil.start,
        end=pencil.end,
        status="confirmed",
        actor=users["bookings"],
    )

    with pytest.raises(Conflict):
        crew_services.contract_memo(memo, actor=supervisor)
    assert DealMemo.objects.get().status == "accepted"
    assert Booking.objects.get(pk=pencil.pk).status == "pencil"


def test_only_a_freelancer_of_the_productions_job_may_be_hired(
    production, job, other_job, freelancer, supervisor, site
):
    staff = scheduling.create_resource(
        actor=SYSTEM, kind="person", name="Sam Staff", site=site, employment="staff"
    )
    base = {
        "production": production,
        "role": "Editor",
        "start": days(1),
        "end": days(2),
        "day_rate": Decimal("400"),
        "actor": supervisor,
    }
    with pytest.raises(InvalidInput) as exc:
        crew_services.offer_memo(job=job, person=staff, **base)
    assert exc.value.details["fields"]["person"] == ["Sam Staff is not a freelancer"]
    with pytest.raises(InvalidInput):
        crew_services.offer_memo(job=other_job, person=freelancer, **base)
    with pytest.raises(InvalidInput):
        crew_services.offer_memo(job=job, person=freelancer, **{**base, "end": days(0)})
    with pytest.raises(InvalidInput):
        crew_services.offer_memo(
            job=job, person=freelancer, **{**base, "day_rate": Decimal("100000000")}
        )
    assert not DealMemo.objects.exists()


def test_only_supervisors_and_admins_hire(production, job, freelancer, users):
    for role in ("coordinator", "bookings", "client"):
        with pytest.raises(Forbidden):
            crew_services.offer_memo(
                production=production,
                job=job,
                person=freelancer,
                role="Editor",
                start=days(1),
                end=days(1),
                day_rate=Decimal("1"),
                actor=users[role],
            )
    assert not DealMemo.objects.exists()


def test_the_cost_report_uses_the_memo_rate_for_that_person(memo, supervisor, production):
    crew_services.accept_memo(memo, actor=supervisor)
    crew_services.contract_memo(memo, actor=supervisor)

    row = cost_report(production)["freelancers"][0]

    # two booked days at the memo's 380.00, not the resource's default 450.00
    assert (row["name"], row["days"], row["day_rate"], row["agreed"]) == (
        "Alex Editor",
        Decimal(2),
        Decimal("380.00"),
        True,
    )
    assert row["cost"] == Decimal("760.00")


def test_without_a_memo_the_default_rate_stands(production, job, freelancer, users):
    booking = scheduling.create_booking(
        job=job,
        resources=[freelancer],
        start=local_at(days(3), datetime.time(9), freelancer.site.zone),
        end=local_at(days(3), datetime.time(19), freelancer.site.zone),
        status="confirmed",
        actor=users["bookings"],
    )
    assert booking.pk

    row = cost_report(production)["freelancers"][0]
    assert (row["day_rate"], row["agreed"], row["cost"]) == (
        Decimal("450.00"),
        False,
        Decimal("450.00"),
    )
