"""The list page, the header's unread count, the preferences form (submitted through
the page) and the API: each user only ever sees and changes their own."""

import pytest

from postdesk.notifications import services
from postdesk.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(users):
    """Three notifications for the engineer, one for the runner."""
    engineer = users["engineer"]
    for i in range(3):
        services.send(
            kind="message_taken",
            key=f"message:{i}",
            rows=[(engineer, f"Caller {i} called: drives", "/frontdesk/messages/")],
        )
    services.send(kind="message_taken", key="message:9", rows=[(users["runner"], "Runner's", "")])
    return list(Notification.objects.filter(recipient=engineer).order_by("pk"))


def test_the_header_shows_the_unread_count_on_every_page(inbox, page_as):
    page = page_as("engineer").get("/notifications/")

    assert [(h["label"], h["count"]) for h in page.context["header_links"]] == [("unread", 3)]
    assert b'data-count="3"' in page.content
    services.mark_all_read(actor=inbox[0].recipient)
    page = page_as("engineer").get("/board/")
    assert b"data-count=" not in page.content  # nothing unread, no badge


def test_the_list_page_filters_marks_one_and_all_read(inbox, page_as):
    http = page_as("engineer")
    page = http.get("/notifications/")
    assert [n.pk for n in page.context["page_obj"]] == [n.pk for n in reversed(inbox)]
    assert b"Runner's" not in page.content

    http.post(f"/notifications/{inbox[0].pk}/read/")
    unread = http.get("/notifications/?unread=1").context["page_obj"]
    assert [n.pk for n in unread] == [inbox[2].pk, inbox[1].pk]

    # Another user's notification is not found, and stays unread.
    runner_notice = Notification.objects.get(recipient__username="runner-user")
    response = http.post(f"/notifications/{runner_notice.pk}/read/", follow=True)
    assert b"No notification with id" in response.content
    assert Notification.objects.get(pk=runner_notice.pk).read_at is None

    http.post("/notifications/read-all/")
    assert http.get("/notifications/?unread=1").context["page_obj"].paginator.count == 0
    assert Notification.objects.get(pk=runner_notice.pk).read_at is None


def test_the_preferences_form_saves_through_the_page(users, page_as):
    http = page_as("engineer")
    form = http.get("/notifications/preferences/").context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    assert data["message_taken"] == "immediately" and data["runner_task_done"] == "digest"
    data.update(message_taken="digest", room_fault="off")

    response = http.post("/notifications/preferences/", data)

    assert response.status_code == 302 and response.url == "/notifications/"
    chosen = dict(Preference.objects.filter(user=users["engineer"]).values_list("kind", "mode"))
    assert chosen["message_taken"] == "digest" and chosen["room_fault"] == "off"
    assert services.preferences_of(users["engineer"])["booking_moved"] == "immediately"

    bad = http.post("/notifications/preferences/", {**data, "room_fault": "sometimes"})
    assert bad.status_code == 200 and bad.context["form"].errors["room_fault"]


def test_a_client_is_offered_only_the_kinds_about_its_own_work(page_as):
    fields = page_as("client").get("/notifications/preferences/").context["form"].fields
    assert "quote_to_accept" in fields and "invoice_issued" in fields
    assert not {"message_taken", "room_fault", "quote_to_approve", "runner_task_done"} & set(fields)


def test_role_defaults(users):
    assert services.preferences_of(users["bookings"])["booking_confirmed"] == "digest"
    assert services.preferences_of(users["engineer"])["booking_confirmed"] == "immediately"
    assert services.preferences_of(users["accounts"])["invoice_overdue"] == "immediately"
    assert services.preferences_of(users["supervisor"])["invoice_overdue"] == "digest"


def test_api_lists_pages_and_filters_unread(inbox, api_as):
    api = api_as("engineer")
    body = api.get("notifications?page_size=2").json()
    assert (body["count"], body["pages"]) == (3, 2)
    assert [n["id"] for n in body["results"]] == [inbox[2].pk, inbox[1].pk]

    read = api.post(f"notifications/{inbox[2].pk}/read", {})
    assert read.status_code == 200 and read.json()["read_at"] is not None
    unread = api.get("notifications?unread=true").json()
    assert [n["id"] for n in unread["results"]] == [inbox[1].pk, inbox[0].pk]
    assert api.get("notifications?kind=nonsense").status_code == 422

    assert api.post("notifications/read-all", {}).json() == {"marked": 2}
    assert api.get("notifications?unread=true").json()["count"] == 0


def test_api_another_users_notification_is_404(inbox, api_as):
    response = api_as("runner").post(f"notifications/{inbox[0].pk}/read", {})
    assert response.status_code == 404
    assert Notification.objects.get(pk=inbox[0].pk).read_at is None


def test_api_preferences_get_and_set(api_as, users):
    api = api_as("client")
    kinds = {p["kind"]: p["mode"] for p in api.get("notification-preferences").json()}
    assert kinds["quote_to_accept"] == "immediately" and "message_taken" not in kinds

    response = api.put("notification-preferences", {"preferences": {"invoice_issued": "digest"}})
    assert response.status_code == 200
    assert {p["kind"]: p["mode"] for p in response.json()}["invoice_issued"] == "digest"

    # The facility's own kinds are not a client's to choose; nor are made-up modes.
    refused = api.put("notification-preferences", {"preferences": {"room_fault": "off"}})
    assert refused.status_code == 422
    assert api.put("notification-preferences", {"preferences": {"x": "off"}}).status_code == 422
    assert (
        api.put("notification-preferences", {"preferences": {"invoice_issued": "hourly"}})
    ).status_code == 422
    assert not Preference.objects.filter(user=users["client"], kind="room_fault").exists()
