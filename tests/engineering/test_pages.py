"""Engineering's pages: the phone report, the ticket page with its moves, the calculator,
downtime and its CSV."""

import io

from PIL import Image

from postdesk.engineering import services
from postdesk.engineering.models import FaultTicket, TicketPhoto

from .conftest import at


def _photo() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(data, "PNG")
    data.seek(0)
    data.name = "../../etc/passwd.png"
    return data


def test_reporting_from_the_page_makes_the_ticket_with_its_photo(
    page_as, rooms, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = page_as("runner").post(
        "/engineering/report/",
        {
            "room": rooms["edit"].pk,
            "severity": "degraded",
            "description": "Hum on the left monitor",
            "photo": _photo(),
        },
    )
    assert response.status_code == 302
    assert response.url == "/engineering/report/"  # a runner cannot read tickets: report again
    ticket = FaultTicket.objects.get()
    assert (ticket.room_id, ticket.severity, ticket.description) == (
        rooms["edit"].pk,
        "degraded",
        "Hum on the left monitor",
    )
    photo = TicketPhoto.objects.get()
    assert photo.image.name.startswith("engineering/faults/") and "passwd" not in photo.image.name


def test_a_refused_report_shows_why_and_makes_nothing(page_as, rooms):
    response = page_as("runner").post(
        "/engineering/report/",
        {"room": rooms["edit"].pk, "severity": "degraded", "description": ""},
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert FaultTicket.objects.count() == 0


def test_the_ticket_page_lists_bookings_in_the_way_and_moves_one(
    page_as, users, rooms, book, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: at(2, 8))
    booked = book([rooms["grade1"]], at(2, 9), at(2, 12))
    ticket = services.report_fault(
        actor=users["runner"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="Dead",
        estimate_until=at(2, 18),
    )
    http = page_as("engineer")
    page = http.get(f"/engineering/tickets/{ticket.pk}/").content.decode()
    assert "Bookings in the way" in page
    assert "Hannah Reid" in page and "hannah@example.com" in page
    assert f'<option value="{rooms["grade2"].pk}">Grade 2</option>' in page
    response = http.post(
        f"/engineering/tickets/{ticket.pk}/move/",
        {"booking": booked.pk, "to_room": rooms["grade2"].pk},
    )
    assert response.status_code == 302
    assert list(booked.allocations.values_list("resource_id", flat=True)) == [rooms["grade2"].pk]
    assert (
        "Bookings in the way" not in http.get(f"/engineering/tickets/{ticket.pk}/").content.decode()
    )


def test_the_calculator_converts_and_explains_impossible_input(page_as):
    http = page_as("engineer")
    page = http.get(
        "/engineering/timecode/",
        {"timecode": "01:00:00:00", "rate": "25", "operation": "convert", "to_rate": "23.976"},
    ).content.decode()
    assert "00:59:56:10" in page
    page = http.get(
        "/engineering/timecode/",
        {"timecode": "00:01:00;00", "rate": "29.97", "operation": "convert", "to_rate": "25"},
    ).content.decode()
    assert "frames 00-01 are dropped at the start of minute 01" in page


def test_downtime_page_and_csv(page_as, users, rooms):
    ticket = services.report_fault(
        actor=users["engineer"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="Dead",
        estimate_until=at(2, 18),
        now=at(2, 8),
    )
    services.resolve_ticket(ticket, actor=users["engineer"], now=at(2, 14))
    http = page_as("bookings")
    assert "Grade 1" in http.get("/engineering/downtime/").content.decode()
    csv = http.get("/engineering/downtime/", {"format": "csv"}).content.decode().splitlines()
    assert csv == [
        "month,kind,name,tickets,downtime_hours,mttr_hours",
        "2026-03,room,Grade 1,1,6.0,",
        "2026-03,all,mean time to repair,,,6.0",
    ]


def test_the_engineers_home_shows_rooms_down(page_as, users, rooms):
    services.report_fault(
        actor=users["runner"], severity="room_down", room=rooms["grade1"].pk, description="Dead"
    )
    page = page_as("engineer").get("/engineering/").content.decode()
    assert "Grade 1: fault" in page
