"""Job sheets: actual times (default booked), overtime, extras, sign-off, quote differences."""

from decimal import Decimal

import pytest

from postdesk.billing import services
from postdesk.billing.models import JobSheet
from postdesk.billing.queries import quote_comparison
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Conflict, InvalidInput, InvalidTransition
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(job, theatre, standard_card, make_booking):
    return make_booking(
        job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"), status="completed"
    )


def test_sheet_defaults_to_booked_times(booking):
    sheet = services.create_job_sheet(booking=booking, actor=SYSTEM)
    assert (sheet.actual_start, sheet.actual_end) == (booking.start, booking.end)
    assert sheet.net == Decimal("1000.00")


def test_overrun_adds_overtime_and_extras_add_lines(booking):
    sheet = services.create_job_sheet(booking=booking, actor=SYSTEM)
    sheet = services.update_job_sheet(sheet, actor=SYSTEM, actual_end=at("2026-03-02", "21:00"))
    services.add_job_sheet_line(sheet, actor=SYSTEM, kind="courier", service="Courier")
    services.add_job_sheet_line(
        sheet,
        actor=SYSTEM,
        kind="catering",
        description="Lunch x4",
        quantity=4,
        unit_price="12.50",
        category="services",
    )
    sheet = JobSheet.objects.get()
    assert sorted(line.net for line in sheet.lines.all()) == [
        Decimal("35.00"),
        Decimal("50.00"),
        Decimal("1450.00"),
    ]
    assert sheet.net == Decimal("1535.00")


def test_only_completed_or_confirmed_job_bookings_get_sheets(
    job, theatre, make_booking, standard_card
):
    pencil = make_booking(
        job, [theatre], at("2026-03-03", "09:00"), at("2026-03-03", "19:00"), status="pencil"
    )
    with pytest.raises(InvalidInput, match="for confirmed or completed job bookings"):
        services.create_job_sheet(booking=pencil, actor=SYSTEM)
    assert JobSheet.objects.count() == 0


def test_one_sheet_per_booking(booking):
    services.create_job_sheet(booking=booking, actor=SYSTEM)
    with pytest.raises(Conflict):
        services.create_job_sheet(booking=booking, actor=SYSTEM)


def test_end_before_start_is_refused_and_nothing_changes(booking):
    sheet = services.create_job_sheet(booking=booking, actor=SYSTEM)
    with pytest.raises(InvalidInput):
        services.update_job_sheet(sheet, actor=SYSTEM, actual_end=at("2026-03-02", "08:00"))
    assert JobSheet.objects.get().actual_end == booking.end


def test_sign_off_needs_operator_and_client_then_locks(booking):
    sheet = services.create_job_sheet(booking=booking, actor=SYSTEM)
    sheet = services.sign_job_sheet(sheet, actor=SYSTEM, party="operator", name="Ana")
    assert sheet.status == "draft"
    assert sheet.operator_signed_at is not None
    with pytest.raises(InvalidTransition):
        services.update_job_sheet(sheet, actor=SYSTEM, notes="late change")
    sheet = services.sign_job_sheet(sheet, actor=SYSTEM, party="client", name="Hannah Reid")
    assert (sheet.status, sheet.client_name) == ("signed_off", "Hannah Reid")
    with pytest.raises(InvalidTransition):
        services.sign_job_sheet(sheet, actor=SYSTEM, party="client", name="Again")


def test_differences_from_the_quote_are_visible(job, theatre, standard_card, make_booking, users):
    from postdesk.scheduling import services as scheduling

    # Quoted while confirmed; then it ran two hours over.
    booking = make_booking(job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"))
    quote = services.create_quote(job=job, actor=SYSTEM)
    services.send_quote(quote, actor=SYSTEM)
    services.respond_quote(quote, actor=users["client"], accept=True)
    booking = scheduling.complete_booking(booking, actor=SYSTEM, now=booking.end)
    sheet = services.create_job_sheet(booking=booking, actor=SYSTEM)
    sheet = services.update_job_sheet(sheet, actor=SYSTEM, actual_end=at("2026-03-09", "21:00"))
    comparison = quote_comparison(sheet)
    assert comparison["quote"] == f"{job.number} v1"
    assert comparison["rows"] == [
        {
            "item": "Grading theatre 1",
            "quoted": Decimal("1000.00"),
            "actual": Decimal("1450.00"),
            "difference": Decimal("450.00"),
        }
    ]
