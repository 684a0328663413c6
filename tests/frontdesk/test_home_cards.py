"""The front desk's home cards: open runner tasks (urgent first) and the user's own
messages not yet dealt with, each row a link, in queries that do not grow with the data."""

import datetime

import pytest
from django.utils import timezone

from postdesk.frontdesk import messages, services

pytestmark = pytest.mark.django_db


def test_tasks_list_urgent_first_and_messages_only_the_users_own(home_card, users):
    post = users["bookings"]
    services.post_task(actor=post, title="Two teas", place="Suite 3")
    due = timezone.now() + datetime.timedelta(hours=1)
    services.post_task(
        actor=post, title="Drive to Dub Co", place="Vault", priority="urgent", due_at=due
    )
    mine = messages.take_message(
        actor=users["reception"],
        recipient=users["engineer"],
        caller="Dana",
        about="Licence",
        caller_company="Dub Co",
    )
    messages.take_message(
        actor=users["reception"], recipient=users["bookings"], caller="Lee", about="Hold"
    )

    tasks, _, _ = home_card("engineer", "Open runner tasks")
    calls, _, page = home_card("engineer", "Messages for you")

    assert [(r.label, r.url) for r in tasks["rows"]] == [
        ("Drive to Dub Co · Vault", "/runners/"),
        ("Two teas · Suite 3", "/runners/"),
    ]
    assert tasks["rows"][0].detail.startswith("urgent, by ")
    assert [(r.label, r.url) for r in calls["rows"]] == [
        ("Dana (Dub Co)", f"/frontdesk/messages/#message-{mine.pk}")
    ]
    assert "Lee" not in page
    assert calls["count"] == 1


def test_the_message_list_has_the_rows_anchor(page_as, users):
    mine = messages.take_message(
        actor=users["reception"], recipient=users["engineer"], caller="Dana", about="Licence"
    )

    page = page_as("engineer").get("/frontdesk/messages/").content.decode()

    assert f'id="message-{mine.pk}"' in page


@pytest.mark.parametrize("title", ["Open runner tasks", "Messages for you"])
def test_desk_cards_cost_the_same_queries_however_many_rows(title, home_card, users):
    def add(n):
        for i in range(n):
            services.post_task(actor=users["bookings"], title=f"Task {i}", place="Suite 3")
            messages.take_message(
                actor=users["reception"], recipient=users["admin"], caller=f"C{i}", about="x"
            )

    add(1)
    _, few, _ = home_card("admin", title)
    add(7)
    card, many, _ = home_card("admin", title)

    assert len(card["rows"]) == 6
    assert many == few
