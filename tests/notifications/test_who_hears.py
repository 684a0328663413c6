"""Each kind of event reaches the people it concerns, and nobody else: never the one who
did it, never another company's users, never a client for the facility's own business."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from postdesk.billing import services as billing
from postdesk.core.audit import SYSTEM
from postdesk.engineering import services as engineering
from postdesk.frontdesk import messages, traffic
from postdesk.frontdesk import services as frontdesk
from postdesk.notifications.models import Notification
from postdesk.scheduling import services as scheduling
from tests.notifications.conftest import HOUR, told

pytestmark = pytest.mark.django_db

CLIENT = "client-user"  # make_user's username for the client role


def test_a_confirmed_booking_is_told_to_its_owner_and_its_clients_users_only(pencil, people):
    scheduling.confirm_booking(pencil, actor=SYSTEM)

    assert told("booking_confirmed") == {"bookings-user", CLIENT}
    staff = Notification.objects.get(recipient=people["bookings"])
    client = Notification.objects.get(recipient=people["client"])
    assert "Northlight Pictures" in staff.text and "Suite 3" in staff.text
    assert staff.link.startswith("/board/?date=")
    # The client reads its own work, without the facility's view of it.
    assert "The Long Tide" in client.text and client.link == "/portal/"


def test_whoever_did_it_is_not_told(pencil, people):
    scheduling.confirm_booking(pencil, actor=people["bookings"])

    assert told("booking_confirmed") == {CLIENT}


def test_moved_challenged_and_released(pencil, people, job, other_job, room, soon):
    start, end = soon
    scheduling.move_booking(pencil, start=start + HOUR, end=end + HOUR, actor=SYSTEM)
    assert told("booking_moved") == {"bookings-user", CLIENT}

    challenger = scheduling.create_booking(
        job=other_job, resources=[room], start=start, end=end, actor=SYSTEM
    )
    scheduling.challenge_booking(challenger, actor=SYSTEM)
    assert told("booking_challenged") == {"bookings-user", CLIENT}
    text = Notification.objects.get(kind="booking_challenged", recipient=people["client"]).text
    assert "confirm or release by" in text and "Other Films" not in text

    scheduling.release_booking(pencil, actor=SYSTEM)
    assert told("booking_released") == {"bookings-user", CLIENT}
    assert not Notification.objects.filter(recipient=people["other_client"]).exists()


def test_each_change_of_a_booking_is_news_again(pencil, soon):
    start, end = soon
    scheduling.move_booking(pencil, start=start + HOUR, end=end + HOUR, actor=SYSTEM)
    scheduling.move_booking(pencil, start=start + 2 * HOUR, end=end + 2 * HOUR, actor=SYSTEM)

    assert Notification.objects.filter(kind="booking_moved").count() == 4  # two each


def test_a_quote_over_the_threshold_is_for_the_approvers(job, people, settings):
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "100"}
    quote = billing.create_quote(
        job=job,
        actor=people["bookings"],
        free_lines=[{"description": "Grade", "quantity": Decimal("1"), "unit_price": 500}],
    )
    billing.add_quote_line(
        quote, actor=SYSTEM, description="Conform", quantity=Decimal("1"), unit_price=50
    )

    # Approvers are told once, however often the draft is repriced.
    assert told("quote_to_approve") == {"admin-user", "supervisor-user"}
    assert Notification.objects.filter(kind="quote_to_approve").count() == 2


def test_a_sent_quote_is_for_the_clients_users_to_answer(job, people):
    quote = billing.create_quote(
        job=job,
        actor=SYSTEM,
        free_lines=[{"description": "Grade", "quantity": Decimal("1"), "unit_price": 500}],
    )
    billing.send_quote(quote, actor=people["bookings"])

    assert told("quote_to_accept") == {CLIENT}
    notice = Notification.objects.get(kind="quote_to_accept")
    assert notice.link == f"/portal/quotes/{quote.pk}/"


def _issued_invoice(job, room, people):
    card = billing.create_rate_card(actor=SYSTEM, name="Standard", is_standard=True)
    billing.create_rate_entry(
        actor=SYSTEM,
        card=card,
        resource_kind="room",
        label="Room",
        hourly=Decimal("150"),
        half_day=Decimal("600"),
        day=Decimal("1000"),
        category="offline",
        nominal_code="4000",
    )
    booking = scheduling.create_booking(
        job=job,
        resources=[room],
        start=timezone.now() - 30 * HOUR,
        end=timezone.now() - 20 * HOUR,
        status="confirmed",
        actor=SYSTEM,
    )
    scheduling.complete_booking(booking, actor=SYSTEM)
    sheet = billing.create_job_sheet(booking=booking, actor=SYSTEM)
    sheet = billing.sign_job_sheet(sheet, actor=SYSTEM, party="operator", name="Ana")
    sheet = billing.sign_job_sheet(sheet, actor=SYSTEM, party="client", name="Hannah")
    invoice = billing.create_invoice(job=job, sheets=[sheet], actor=SYSTEM)
    billing.add_invoice_line(
        invoice, actor=SYSTEM, description="Drive", quantity=Decimal("1"), unit_price=100
    )
    return billing.issue_invoice(invoice, actor=people["accounts"])


def test_an_invoice_issued_then_overdue(job, room, people):
    invoice = _issued_invoice(job, room, people)
    assert told("invoice_issued") == {CLIENT}

    later = invoice.due_date + datetime.timedelta(days=1)
    assert billing.announce_overdue_invoices(actor=SYSTEM, today=later) == 1
    assert billing.announce_overdue_invoices(actor=SYSTEM, today=later) == 1
    # The staff who chase money, and the client's own users; each once.
    assert told("invoice_overdue") == {"admin-user", "bookings-user", "accounts-user", CLIENT}
    assert Notification.objects.filter(kind="invoice_overdue").count() == 4


def test_a_delivery_is_told_as_a_delivery_and_a_message_as_a_message(people):
    traffic.record_delivery(
        actor=people["reception"],
        courier="DHL",
        description="Drive back from Dolby",
        recipient=people["engineer"],
    )
    assert told("delivery_received") == {"engineer-user"}
    assert told("message_taken") == set()

    messages.take_message(
        actor=people["reception"], recipient=people["library"], caller="Dana", about="Drives"
    )
    assert told("message_taken") == {"library-user"}


def test_a_finished_runner_task_is_told_to_whoever_posted_it(people):
    task = frontdesk.post_task(
        actor=people["bookings"], title="Two teas", place="Suite 3", details=""
    )
    frontdesk.claim_task(task.pk, actor=people["runner"])
    frontdesk.finish_task(task.pk, actor=people["runner"])

    assert told("runner_task_done") == {"bookings-user"}
    assert "Two teas" in Notification.objects.get(kind="runner_task_done").text


def test_a_fault_on_a_room_is_for_its_bookers_never_a_client(room, pencil, people, soon):
    # A booking a client user holds themselves: the fault is still the facility's own.
    scheduling.create_booking(
        job=None,
        kind="internal",
        title="Viewing",
        resources=[room],
        start=soon[0] + 20 * HOUR,
        end=soon[0] + 22 * HOUR,
        owner=people["client"],
        actor=SYSTEM,
    )
    scheduling.create_booking(
        job=None,
        kind="internal",
        title="Last year",
        resources=[room],
        start=timezone.now() - 50 * HOUR,
        end=timezone.now() - 48 * HOUR,
        owner=people["supervisor"],
        actor=SYSTEM,
    )
    engineering.report_fault(
        actor=people["engineer"], severity="degraded", description="Flicker", room=room.pk
    )

    assert told("room_fault") == {"bookings-user"}  # not the past booking's, not the client's
