"""Reception's message log: the recipient is told at once and marks it dealt with."""

import pytest
from django.core import mail

from postdesk.frontdesk.models import Message
from postdesk.notifications.models import Notification
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def test_a_message_reaches_its_recipient_by_mail_and_on_their_home(
    api_as, users, page_as, django_capture_on_commit_callbacks
):
    users["engineer"].email = "eng@example.com"
    users["engineer"].save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        res = api_as("reception").post(
            "frontdesk/messages",
            {
                "recipient": users["engineer"].pk,
                "caller": "Dana Wu",
                "caller_company": "Dolby",
                "callback_number": "020 7946 0000",
                "about": "The Atmos renderer licence",
            },
        )
    assert res.status_code == 201, res.content
    assert len(callbacks) == 1  # the notification's mail, for the worker
    notice = Notification.objects.get(recipient=users["engineer"])
    assert notice.kind == "message_taken"
    run_worker()
    assert [m.to for m in mail.outbox] == [["eng@example.com"]]
    assert "020 7946 0000" in mail.outbox[0].body and "Dana Wu (Dolby)" in mail.outbox[0].body

    cards = {c["title"]: c["count"] for c in page_as("engineer").get("/").context["cards"]}
    assert cards["Messages for you"] == 1


def test_the_recipient_marks_it_dealt_with_once_others_may_not(api_as, users):
    message = (
        api_as("reception")
        .post(
            "frontdesk/messages",
            {"recipient": users["engineer"].pk, "caller": "Dana", "about": "Call back"},
        )
        .json()
    )
    assert (
        api_as("library").post(f"frontdesk/messages/{message['id']}/dealt-with").status_code == 403
    )
    done = api_as("engineer").post(f"frontdesk/messages/{message['id']}/dealt-with")
    assert done.status_code == 200 and done.json()["dealt_with_at"] is not None
    assert (
        api_as("engineer").post(f"frontdesk/messages/{message['id']}/dealt-with").status_code == 409
    )


def test_each_sees_their_own_messages_reception_sees_the_log(api_as, users):
    reception = api_as("reception")
    for who in ("engineer", "library"):
        reception.post(
            "frontdesk/messages", {"recipient": users[who].pk, "caller": "X", "about": "Y"}
        )
    assert len(api_as("engineer").get("frontdesk/messages").json()) == 1
    assert len(reception.get("frontdesk/messages").json()) == 2
    assert (
        api_as("engineer")
        .post("frontdesk/messages", {"recipient": users["library"].pk, "caller": "X", "about": "Y"})
        .status_code
        == 403
    )
    assert (
        reception.post(
            "frontdesk/messages", {"recipient": users["client"].pk, "caller": "X", "about": "Y"}
        ).status_code
        == 422
    )
    assert Message.objects.count() == 2


def test_the_message_pages_take_list_and_mark_dealt_with(page_as, users):
    reception = page_as("reception")
    res = reception.post(
        "/frontdesk/messages/new/",
        {
            "recipient": users["engineer"].pk,
            "caller": "Dana Wu",
            "caller_company": "Dolby",
            "callback_number": "020 7946 0000",
            "about": "Renderer licence",
        },
    )
    assert res.status_code == 302 and res["Location"] == "/frontdesk/messages/"
    message = Message.objects.get()
    engineer = page_as("engineer")
    # The home card leads the recipient to their messages, which they may open.
    cards = {c["title"]: c["url"] for c in engineer.get("/").context["cards"]}
    assert cards["Messages for you"] == "/frontdesk/messages/"
    listing = engineer.get("/frontdesk/messages/", {"open": "1"}).content.decode()
    assert "Renderer licence" in listing and "Take a message" not in listing
    assert page_as("library").get("/frontdesk/messages/").context["page_obj"].paginator.count == 0
    assert engineer.get("/frontdesk/messages/new/").status_code == 403
    done = engineer.post(f"/frontdesk/messages/{message.pk}/dealt-with/")
    assert done.status_code == 302
    assert Message.objects.get(pk=message.pk).dealt_with_at is not None
    again = page_as("library").post(f"/frontdesk/messages/{message.pk}/dealt-with/")
    assert again.status_code == 403
