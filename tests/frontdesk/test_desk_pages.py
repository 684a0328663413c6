"""Reception's desk and the kiosk pages."""

import pytest
from django.utils import timezone

from postdesk.frontdesk import visitor_services
from postdesk.frontdesk.models import Visit

pytestmark = pytest.mark.django_db


def test_the_desk_lists_todays_arrivals_and_who_is_in(page_as, book, suite, users):
    now = timezone.now()
    book([suite], now, now + timezone.timedelta(hours=1))
    visitor_services.sign_in(actor=users["reception"], name="Walk In", company="Courier Co")

    body = page_as("reception").get("/frontdesk/").content.decode()

    assert "Hannah Reid" in body and "Suite 3" in body and "bookings-user" in body
    assert "Walk In" in body and "Courier Co" in body


def test_the_desk_signs_out_in_one_tap(page_as, users):
    visit = visitor_services.sign_in(actor=users["reception"], name="Walk In")
    res = page_as("reception").post(f"/frontdesk/visits/{visit.pk}/sign-out/")
    assert res.status_code == 302
    assert Visit.objects.get(pk=visit.pk).signed_out_at is not None


def test_the_kiosk_has_no_staff_menu(page_as):
    body = page_as("reception").get("/frontdesk/kiosk/").content.decode()
    assert 'id="kiosk-name"' in body
    assert 'aria-label="Main"' not in body and "Sign out" not in body


@pytest.mark.parametrize("role", ["runner", "engineer", "bookings", "client"])
def test_only_reception_supervisors_and_admins_open_the_desk(page_as, role):
    assert page_as(role).get("/frontdesk/").status_code == 403
    assert page_as(role).get("/frontdesk/kiosk/").status_code == 403


def test_the_desk_shows_todays_traffic_and_open_messages(page_as, users):
    from postdesk.frontdesk import messages, traffic

    traffic.record_delivery(
        actor=users["reception"], courier="DHL", description="Grading drive", recipient_name="X"
    )
    messages.take_message(
        actor=users["reception"], recipient=users["engineer"], caller="Dana", about="Licence"
    )
    body = page_as("reception").get("/frontdesk/").content.decode()
    assert "1 deliveries in · 0 dispatches out" in body and "Grading drive" in body
    assert "Dana for engineer-user: Licence" in body
    # A supervisor keeps the desk but not the traffic (no dispatch_media).
    assert 'id="traffic-card"' not in page_as("supervisor").get("/frontdesk/").content.decode()
