"""Archive research requests: created, moved through their states with the items found
linked, refused transitions."""

import datetime

import pytest

from postdesk.core.errors import Forbidden, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.library import services
from postdesk.library.models import ResearchRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(librarian, production):
    return services.create_research_request(
        actor=librarian,
        requested_by="Mia (edit producer)",
        production=production,
        wanted="Aerials of the estuary at dawn, any format",
        wanted_by=datetime.date(2026, 12, 18),
    )


def test_open_to_closed_with_the_items_found(request_, librarian, register):
    reel = register(title="Estuary aerials roll 4")

    for status in ("searching",):
        services.transition_research_request(request_, status, actor=librarian)
    with pytest.raises(InvalidTransition):
        services.transition_research_request(request_, "found", actor=librarian)
    services.link_research_items(request_, [reel], actor=librarian)
    for status in ("found", "delivered", "closed"):
        services.transition_research_request(request_, status, actor=librarian)

    request_.refresh_from_db()
    assert request_.status == ResearchRequest.Status.CLOSED
    assert list(request_.items.all()) == [reel]
    steps = AuditEntry.objects.filter(
        object_type="library.researchrequest", action="transition"
    ).order_by("id")
    assert [e.changes["status"] for e in steps] == [
        ["open", "searching"],
        ["searching", "found"],
        ["found", "delivered"],
        ["delivered", "closed"],
    ]


@pytest.mark.parametrize(
    ("path", "refused"),
    [([], "found"), ([], "delivered"), (["searching"], "delivered"), (["closed"], "open")],
)
def test_transitions_out_of_order_are_refused(request_, librarian, path, refused):
    for status in path:
        services.transition_research_request(request_, status, actor=librarian)

    with pytest.raises(InvalidTransition):
        services.transition_research_request(request_, refused, actor=librarian)


def test_a_settled_request_takes_no_more_items(request_, librarian, register):
    services.transition_research_request(request_, "closed", actor=librarian)
    with pytest.raises(InvalidTransition):
        services.link_research_items(request_, [register()], actor=librarian)


def test_unlinking_and_updating(request_, librarian, register):
    a, b = register(), register()
    services.link_research_items(request_, [a, b], actor=librarian)
    services.unlink_research_items(request_, [a], actor=librarian)
    services.update_research_request(request_, actor=librarian, notes="Try the 2019 rushes")

    request_.refresh_from_db()
    assert list(request_.items.all()) == [b]
    assert request_.notes == "Try the 2019 rushes"


def test_only_the_library_handles_research(users, request_):
    with pytest.raises(Forbidden):
        services.transition_research_request(request_, "searching", actor=users["runner"])
