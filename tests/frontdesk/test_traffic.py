"""Traffic at the front door: deliveries (their media enter the library at the door, the
recipient is told) and dispatches (media into the courier's custody), the day's log."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from postdesk.core.audit import SYSTEM
from postdesk.frontdesk import traffic
from postdesk.frontdesk.models import Delivery, Dispatch, Message
from postdesk.library import services as library
from postdesk.library.models import MediaItem, Movement
from postdesk.notifications.models import Notification
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def door(site):
    """Goods-in at reception, a library location."""
    return library.create_location(
        actor=SYSTEM, name="Goods in", kind="room", barcode="LOC-GOODS-IN", site=site
    )


@pytest.fixture
def sent_out(door):
    """A master the library sent out with a courier: in transit."""
    item = library.register_item(
        actor=SYSTEM,
        title="Ep 1 master",
        kind="tape",
        format="hdcam_sr",
        generation="master",
        barcode="LIB-000123",
        location=door,
    )
    library.dispatch(item, actor=SYSTEM, courier="DHL", destination="Dolby, Soho")
    return item


def test_a_delivery_registers_new_media_at_the_door_and_tells_the_recipient(
    api_as, users, door, job, django_capture_on_commit_callbacks
):
    users["engineer"].email = "eng@example.com"
    users["engineer"].save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        res = api_as("reception").post(
            "frontdesk/deliveries",
            {
                "courier": "Rapid Couriers",
                "tracking": "RC-991",
                "description": "Rushes drive, episode 3",
                "sender": "Shoot Co",
                "recipient": users["engineer"].pk,
                "job": job.pk,
                "location": door.pk,
                "media": [
                    {
                        "title": "Ep 3 rushes",
                        "kind": "drive",
                        "format": "ssd",
                        "generation": "camera_original",
                    }
                ],
            },
        )
    assert res.status_code == 201, res.content
    body = res.json()
    item = MediaItem.objects.get(barcode=body["media"][0])
    # Custody starts at the door: registered at goods-in by the receptionist, on the job.
    assert (item.custody, item.location_id, item.job_id) == ("location", door.pk, job.pk)
    first = item.movements.get()
    assert (first.action, first.actor_id) == (Movement.Action.REGISTER, users["reception"].pk)
    # The recipient finds it in their messages, and is notified of a delivery (not of a
    # call): in-app and by mail from the worker.
    message = Message.objects.get(recipient=users["engineer"])
    assert message.caller == "Rapid Couriers delivery"
    assert message.about == f"At reception for you: Rushes drive, episode 3 ({item.barcode})"
    [notice] = Notification.objects.filter(recipient=users["engineer"])
    assert notice.kind == "delivery_received"
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    run_worker()
    assert [m.to for m in mail.outbox] == [["eng@example.com"]]


def test_a_delivery_receives_media_the_library_sent_out(api_as, users, door, sent_out):
    res = api_as("reception").post(
        "frontdesk/deliveries",
        {
            "courier": "DHL",
            "description": "Our master back from Dolby",
            "recipient_name": "Library",
            "location": door.pk,
            "media": [{"barcode": "lib-000123"}],
        },
    )
    assert res.status_code == 201, res.content
    assert res.json()["media"] == ["LIB-000123"]
    sent_out.refresh_from_db()
    assert (sent_out.custody, sent_out.location_id) == ("location", door.pk)
    last = sent_out.movements.order_by("-at", "-id").first()
    assert last.action == Movement.Action.RECEIVE
    assert last.signer_name == users["reception"].display_name
    assert Message.objects.count() == 0  # for a name, not a user: nobody to message


def test_a_delivery_of_an_item_on_a_shelf_is_refused_and_leaves_nothing(api_as, door, sent_out):
    library.receive(sent_out, door, actor=SYSTEM)  # back on a shelf already
    movements = Movement.objects.count()
    res = api_as("reception").post(
        "frontdesk/deliveries",
        {
            "courier": "DHL",
            "description": "Box",
            "recipient_name": "Library",
            "location": door.pk,
            "media": [{"barcode": "LIB-000123"}],
        },
    )
    assert res.status_code == 409, res.content
    assert "LIB-000123" in res.json()["message"]
    assert (Delivery.objects.count(), Movement.objects.count()) == (0, movements)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"recipient_name": ""}, "recipient"),
        ({"location": None}, "location"),
        ({"media": [{"barcode": "NEW-1", "title": "No kind"}]}, "media"),
        ({"courier": "x" * 101}, "courier"),
        ({"media": [{"barcode": "A"}] * 51}, "media"),
    ],
)
def test_a_delivery_with_bad_input_is_a_422_and_changes_nothing(api_as, door, change, field):
    body = {
        "courier": "DHL",
        "description": "Box",
        "recipient_name": "Library",
        "location": door.pk,
        "media": [
            {
                "barcode": "NEW-1",
                "title": "T",
                "kind": "tape",
                "format": "hdcam",
                "generation": "dub",
            }
        ],
        **change,
    }
    res = api_as("reception").post("frontdesk/deliveries", body)
    assert res.status_code == 422, res.content
    assert field in res.content.decode()
    assert (Delivery.objects.count(), MediaItem.objects.count()) == (0, 0)


def test_a_dispatch_puts_its_media_in_the_couriers_custody(api_as, users, door):
    item = library.register_item(
        actor=SYSTEM, title="Ep 2 dub", kind="tape", format="hdcam", generation="dub", location=door
    )
    res = api_as("reception").post(
        "frontdesk/dispatches",
        {
            "items": "Ep 2 viewing dub",
            "destination": "BBC, Broadcasting House",
            "courier": "Addison Lee",
            "booking_reference": "AL-5521",
            "tracking": "AL-TRK-1",
            "signed_for_by": "J. Driver",
            "media": [item.barcode],
        },
    )
    assert res.status_code == 201, res.content
    item.refresh_from_db()
    assert (item.custody, item.courier, item.tracking, item.destination) == (
        "transit",
        "Addison Lee",
        "AL-TRK-1",
        "BBC, Broadcasting House",
    )
    last = item.movements.order_by("-at", "-id").first()
    assert (last.action, last.signer_name, last.note) == (
        "dispatch",
        "J. Driver",
        "Booking AL-5521",
    )
    assert Dispatch.objects.get().dispatched_by == users["reception"]


def test_a_dispatch_of_an_unknown_barcode_is_a_422(api_as):
    res = api_as("reception").post(
        "frontdesk/dispatches",
        {
            "items": "x",
            "destination": "y",
            "courier": "z",
            "signed_for_by": "w",
            "media": ["LIB-999999"],
        },
    )
    assert res.status_code == 422
    assert Dispatch.objects.count() == 0


def test_only_roles_that_receive_media_log_traffic(api_as):
    body = {"items": "x", "destination": "y", "courier": "z", "signed_for_by": "w"}
    assert api_as("runner").post("frontdesk/dispatches", body).status_code == 403
    assert api_as("engineer").get("frontdesk/deliveries").status_code == 403
    assert api_as("library").post("frontdesk/dispatches", body).status_code == 201


def test_the_log_is_a_days_and_searchable(api_as, users):
    reception = users["reception"]
    for courier, what in (("DHL", "Drive for grading"), ("UPS", "Stationery")):
        traffic.record_delivery(
            actor=reception, courier=courier, description=what, recipient_name="Office"
        )
    old = traffic.record_delivery(
        actor=reception, courier="DHL", description="Old drive", recipient_name="Office"
    )
    Delivery.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=2)
    )
    today = traffic.today().isoformat()
    api = api_as("reception")
    rows = api.get("frontdesk/deliveries", day=today).json()["results"]
    assert sorted(r["description"] for r in rows) == ["Drive for grading", "Stationery"]
    found = api.get("frontdesk/deliveries", day=today, q="drive").json()["results"]
    assert [r["description"] for r in found] == ["Drive for grading"]
    assert api.get("frontdesk/deliveries", day="1900-01-01").status_code == 422


def test_the_traffic_page_shows_the_day_and_searches(page_as, users):
    traffic.record_delivery(
        actor=users["reception"], courier="DHL", description="Grading drive", recipient_name="X"
    )
    traffic.record_dispatch(
        actor=users["reception"],
        items="Dub",
        destination="ITV",
        courier="UPS",
        signed_for_by="Sam",
        booking_reference="REF-77",
    )
    page = page_as("reception")
    html = page.get("/frontdesk/traffic/").content.decode()
    assert "Grading drive" in html and "REF-77" in html
    searched = page.get("/frontdesk/traffic/", {"q": "REF-77"}).content.decode()
    assert "REF-77" in searched and "Grading drive" not in searched
    yesterday = (traffic.today() - datetime.timedelta(days=1)).isoformat()
    assert (
        "Grading drive" not in page.get("/frontdesk/traffic/", {"day": yesterday}).content.decode()
    )


def test_the_delivery_form_logs_a_delivery_with_new_media(page_as, users, door):
    res = page_as("reception").post(
        "/frontdesk/traffic/deliveries/new/",
        {
            "courier": "DHL",
            "tracking": "1Z",
            "description": "Two drives",
            "recipient": users["library"].pk,
            "location": door.pk,
            "media": "| Ep 4 rushes | drive | ssd | camera_original\n"
            "OWN-7 | Ep 4 sound | drive | hdd | camera_original",
        },
    )
    assert res.status_code == 302, res.content.decode()[:2000]
    delivery = Delivery.objects.get()
    assert delivery.media.count() == 2
    assert MediaItem.objects.filter(barcode="OWN-7", location=door).exists()
    assert Message.objects.get().recipient == users["library"]


def test_the_delivery_form_shows_a_refusal_next_to_its_field(page_as, door):
    res = page_as("reception").post(
        "/frontdesk/traffic/deliveries/new/",
        {"courier": "DHL", "description": "Box", "recipient_name": "X", "media": "LIB-1"},
    )
    assert res.status_code == 200
    assert "choose a location" in res.content.decode()
    assert Delivery.objects.count() == 0


def test_the_dispatch_form_logs_a_dispatch(page_as, door):
    item = library.register_item(
        actor=SYSTEM, title="Dub", kind="tape", format="hdcam", generation="dub", location=door
    )
    res = page_as("reception").post(
        "/frontdesk/traffic/dispatches/new/",
        {
            "items": "Viewing dub",
            "destination": "Channel 4",
            "courier": "Citysprint",
            "booking_reference": "CS-1",
            "signed_for_by": "Rider 12",
            "media": item.barcode,
        },
    )
    assert res.status_code == 302
    item.refresh_from_db()
    assert item.custody == "transit"
    assert Dispatch.objects.get().booking_reference == "CS-1"
