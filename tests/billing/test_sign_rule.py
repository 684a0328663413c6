"""Who may sign a job sheet for whom is one rule in the sign service, so the API, the page
and any other caller refuse a client user signing for the operator alike."""

import pytest
from django.urls import reverse

from postdesk.billing import services
from postdesk.billing.models import JobSheet
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Forbidden
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(job, theatre, standard_card, make_booking):
    booking = make_booking(
        job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"), status="completed"
    )
    return services.create_job_sheet(booking=booking, actor=SYSTEM)


def _unsigned(sheet) -> bool:
    sheet = JobSheet.objects.get(pk=sheet.pk)
    return (sheet.status, sheet.operator_signed_at, sheet.operator_name) == (
        JobSheet.Status.DRAFT,
        None,
        "",
    )


def test_service_refuses_a_client_user_signing_for_the_operator(sheet, users):
    with pytest.raises(Forbidden) as caught:
        services.sign_job_sheet(sheet, actor=users["client"], party="operator", name="Hannah")
    assert caught.value.message == "A client user signs for the client only"
    assert _unsigned(sheet)


def test_service_lets_staff_sign_for_the_operator(sheet, users):
    signed = services.sign_job_sheet(sheet, actor=users["bookings"], party="operator", name="Ana")
    assert signed.operator_name == "Ana"


def test_api_refuses_a_client_signing_for_the_operator(sheet, api_as):
    response = api_as("client").post(
        f"job-sheets/{sheet.pk}/sign", {"party": "operator", "name": "Hannah"}
    )
    assert response.status_code == 403
    assert response.json()["message"] == "A client user signs for the client only"
    assert _unsigned(sheet)


def test_api_lets_a_client_sign_for_the_client(sheet, api_as):
    response = api_as("client").post(
        f"job-sheets/{sheet.pk}/sign", {"party": "client", "name": "Hannah"}
    )
    assert response.status_code == 200
    assert JobSheet.objects.get(pk=sheet.pk).client_name == "Hannah"


def test_page_refuses_a_client_signing_for_the_operator(sheet, page_as):
    response = page_as("client").post(
        reverse("billing:sheet_sign", args=[sheet.pk]),
        {"party": "operator", "name": "Hannah"},
    )
    assert response.status_code == 403
    assert _unsigned(sheet)


def test_page_lets_a_client_sign_for_the_client(sheet, page_as):
    response = page_as("client").post(
        reverse("billing:sheet_sign", args=[sheet.pk]),
        {"party": "client", "name": "Hannah"},
    )
    assert response.status_code == 302
    assert JobSheet.objects.get(pk=sheet.pk).client_name == "Hannah"
