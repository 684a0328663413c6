"""Availability that tells the truth (issue 11, item 8): held time is offered as held,
with how many pencils hold it; "only time with no holds"; "any free colourist"; and the
warning, before saving, that a new pencil would rank behind a confirmed booking."""

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.scheduling import queries, services
from postdesk.scheduling.models import Allocation, Booking

from .conftest import at

pytestmark = pytest.mark.django_db

MON_TO_WED = {"from": "2026-03-02T00:00:00Z", "to": "2026-03-05T00:00:00Z"}


@pytest.fixture
def colourists(site):
    """Two people with the Baselight skill and one without."""
    baselight = services.create_skill(actor=SYSTEM, name="Baselight")
    made = {
        name: services.create_resource(
            actor=SYSTEM, kind="person", name=name, site=site, skills=skills
        )
        for name, skills in (
            ("Ana Grade", [baselight]),
            ("Ben Grade", [baselight]),
            ("Cal Assist", []),
        )
    }
    return made


def slot_view(data):
    return [(s["start"][8:16], s["holds"]) for s in data["slots"]]


def test_held_days_are_offered_with_how_many_pencils_hold_them(api_as, book, suite, other_job):
    # given three pencils holding Suite 3 on Monday
    for _ in range(3):
        book([suite], at(2, 9), at(2, 19), job=other_job)

    # when a coordinator asks for a working day of Suite 3 from Monday to Wednesday
    response = api_as("bookings").get(
        "availability/slots",
        resources=str(suite.pk),
        duration="PT10H",
        working_hours="true",
        **MON_TO_WED,
    )

    # then Monday is offered as free but held by three pencils, the other days unheld
    assert response.status_code == 200, response.content
    assert slot_view(response.json()) == [("02T09:00", 3), ("03T09:00", 0), ("04T09:00", 0)]
    assert response.json()["pencils_block"] is False


def test_a_later_start_is_offered_where_fewer_pencils_hold_the_time(api_as, book, suite, editor):
    # given a pencil on Suite 3 and one on the editor on Monday morning
    book([suite], at(2, 9), at(2, 12))
    book([editor], at(2, 10), at(2, 13))

    # when two hours of both together are asked for on Monday
    data = (
        api_as("bookings")
        .get(
            "availability/slots",
            resources=f"{suite.pk},{editor.pk}",
            duration="PT2H",
            working_hours="true",
            **{"from": "2026-03-02T00:00:00Z", "to": "2026-03-03T00:00:00Z"},
        )
        .json()
    )

    # then 09:00 is offered (held once on each), then 13:00, the first unheld start
    assert slot_view(data) == [("02T09:00", 1), ("02T13:00", 0)]
    assert [s["free_until"] for s in data["slots"]] == ["2026-03-02T19:00:00+00:00"] * 2


def test_only_time_with_no_holds_leaves_held_time_out(api_as, book, suite, other_job):
    book([suite], at(2, 9), at(2, 19), job=other_job)
    book([suite], at(3, 12), at(3, 13), job=other_job)

    data = (
        api_as("bookings")
        .get(
            "availability/slots",
            resources=str(suite.pk),
            duration="PT10H",
            working_hours="true",
            pencils_block="true",
            **MON_TO_WED,
        )
        .json()
    )

    assert slot_view(data) == [("04T09:00", 0)]
    assert data["pencils_block"] is True


def test_any_one_person_with_a_skill_lists_who_fits_each_span(
    api_as, book, suite, colourists, other_job
):
    ana, ben = colourists["Ana Grade"], colourists["Ben Grade"]
    # given Ana confirmed elsewhere on Monday and Ben pencilled on Tuesday
    book([ana], at(2, 9), at(2, 19), "confirmed", job=other_job)
    book([ben], at(3, 9), at(3, 19), job=other_job)
    # and Suite 3 confirmed on Wednesday
    book([suite], at(4, 9), at(4, 19), "confirmed", job=other_job)

    # when they ask for Suite 3 and any one person with Baselight, a day at a time
    response = api_as("bookings").get(
        "availability/slots",
        resources=str(suite.pk),
        any_kind="person",
        any_skill="baselight",
        duration="PT10H",
        working_hours="true",
        **MON_TO_WED,
    )

    # then Monday offers Ben only; Tuesday both, the unheld one (Ana) first; not Wednesday
    assert response.status_code == 200, response.content
    data = response.json()
    assert [
        (s["start"][8:16], [(c["name"], c["holds"]) for c in s["candidates"]])
        for s in data["slots"]
    ] == [
        ("02T09:00", [("Ben Grade", 0)]),
        ("03T09:00", [("Ana Grade", 0), ("Ben Grade", 1)]),
    ]
    assert [s["holds"] for s in data["slots"]] == [0, 0]
    assert data["any"] == {"kind": "person", "skills": ["baselight"], "candidates": 2}


def test_any_one_person_alone_needs_no_named_resource(api_as, book, colourists, other_job):
    book([colourists["Ana Grade"]], at(2, 9), at(2, 19), "confirmed", job=other_job)
    data = (
        api_as("bookings")
        .get(
            "availability/slots",
            any_skill="Baselight",
            duration="PT10H",
            working_hours="true",
            **{"from": "2026-03-02T00:00:00Z", "to": "2026-03-03T00:00:00Z"},
        )
        .json()
    )
    assert [[c["name"] for c in s["candidates"]] for s in data["slots"]] == [["Ben Grade"]]
    assert data["resources"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"any_skill": "Telekinesis"}, "any_skill"),
        ({"any_skill": "999999"}, "any_skill"),
        ({"any_kind": "spaceship"}, "any_kind"),
        ({}, "resources"),
    ],
)
def test_a_requirement_that_cannot_be_met_is_refused_by_name(api_as, colourists, params, field):
    response = api_as("bookings").get("availability/slots", duration="PT1H", **MON_TO_WED, **params)
    assert response.status_code == 422, response.content
    assert field in response.json()["details"]["fields"]


def test_slots_take_a_bounded_number_of_queries(
    django_assert_max_num_queries, book, site, suite, other_job
):
    skill = services.create_skill(actor=SYSTEM, name="Avid")
    people = [
        services.create_resource(
            actor=SYSTEM, kind="person", name=f"Editor {i}", site=site, skills=[skill]
        )
        for i in range(8)
    ]
    for i, person in enumerate(people):
        for day in range(2, 6):
            book([person], at(day, 9 + i % 3), at(day, 11 + i % 3), job=other_job)
    # the named resources, the candidates, their allocations; the skill check
    with django_assert_max_num_queries(4):
        data = queries.earliest_slots(
            resource_ids=[suite.pk],
            need={"kind": "person", "skills": ["Avid"]},
            duration=at(1, 12) - at(1, 10),
            start=at(2, 0),
            end=at(9, 0),
            working_hours=True,
            limit=50,
        )
    assert data["any"]["candidates"] == 8
    assert data["slots"][0]["candidates"][0]["holds"] == 0


def test_a_pencil_behind_a_confirmed_booking_is_warned_of_before_saving(
    api_as, book, suite, editor, other_job
):
    # given Suite 3 confirmed for another job on Monday, and a pencil on the editor
    book([suite], at(2, 9), at(2, 19), "confirmed", job=other_job)
    book([editor], at(2, 8), at(2, 11), job=other_job)
    before = Booking.objects.count()

    # when the booking form asks about a pencil on both from 10:00 to 12:00
    response = api_as("bookings").get(
        "availability/check",
        resources=f"{suite.pk},{editor.pk}",
        start="2026-03-02T10:00:00Z",
        end="2026-03-02T12:00:00Z",
    )

    # then it names the confirmed booking in words, and the pencil already there
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["warnings"] == [
        "This pencil would rank behind a confirmed booking: "
        f"Suite 3, {other_job.number}, Mon 2 Mar 09:00–19:00",
        "1 pencil already holds Jo Editor then: this one would rank after it.",
    ]
    assert [(b["resource_name"], b["job_number"]) for b in data["blocking"]] == [
        ("Suite 3", other_job.number)
    ]
    assert [(h["resource_name"], h["pencils"]) for h in data["holds"]] == [
        ("Suite 3", 0),
        ("Jo Editor", 1),
    ]
    # and nothing was booked by asking
    assert Booking.objects.count() == before


def test_the_check_words_a_confirmed_booking_as_a_clash(api_as, book, suite, other_job):
    services.create_booking(
        actor=SYSTEM,
        kind="maintenance",
        job=None,
        title="Projector lamp",
        resources=[suite],
        status="confirmed",
        start=at(2, 9),
        end=at(3, 19),
    )
    data = (
        api_as("bookings")
        .get(
            "availability/check",
            resources=str(suite.pk),
            start="2026-03-02T10:00:00Z",
            end="2026-03-02T12:00:00Z",
            status="confirmed",
        )
        .json()
    )
    assert data["warnings"] == [
        "This booking would clash with maintenance: "
        "Suite 3, Projector lamp, Mon 2 Mar 09:00 – Tue 3 Mar 19:00"
    ]


def test_the_check_is_for_those_who_book_and_takes_two_queries(
    api_as, book, suite, editor, other_job, users, django_assert_max_num_queries
):
    book([suite], at(2, 9), at(2, 19), "confirmed", job=other_job)
    runner = api_as("runner").get(
        "availability/check",
        resources=str(suite.pk),
        start="2026-03-02T10:00:00Z",
        end="2026-03-02T12:00:00Z",
    )
    unknown = api_as("bookings").get(
        "availability/check",
        resources="999999",
        start="2026-03-02T10:00:00Z",
        end="2026-03-02T12:00:00Z",
    )
    with django_assert_max_num_queries(2):
        data = queries.booking_outlook(
            resource_ids=[suite.pk, editor.pk], start=at(2, 10), end=at(2, 12)
        )

    assert runner.status_code == 403
    assert unknown.status_code == 422
    assert len(data["blocking"]) == 1
    assert Allocation.objects.count() == 1
