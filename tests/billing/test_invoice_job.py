"""Invoice this job: finished bookings get job sheets for sign-off, signed sheets become a
draft invoice; one step from the job page or the API, safe to repeat, audited."""

import pytest
from django.urls import reverse

from postdesk.billing import services
from postdesk.billing.invoicing import invoice_job
from postdesk.billing.models import Invoice, JobSheet
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.scheduling.models import Resource
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db


def _sign(sheet):
    services.sign_job_sheet(sheet, actor=SYSTEM, party="operator", name="Ana")
    return services.sign_job_sheet(sheet, actor=SYSTEM, party="client", name="Hannah Reid")


@pytest.fixture
def work(job, theatre, standard_card, make_booking):
    """Two signed sheets, three finished bookings without one (two completed, one confirmed
    and over), a future confirmed day and a pencil (neither finished)."""
    signed = []
    for day in ("2026-03-02", "2026-03-03"):
        booking = make_booking(job, [theatre], at(day, "09:00"), at(day, "19:00"), "completed")
        signed.append(_sign(services.create_job_sheet(booking=booking, actor=SYSTEM)))
    finished = [
        make_booking(job, [theatre], at(day, "09:00"), at(day, "19:00"), status)
        for day, status in (
            ("2026-03-04", "completed"),
            ("2026-03-05", "completed"),
            ("2026-03-06", "confirmed"),
        )
    ]
    make_booking(job, [theatre], at("2099-03-02", "09:00"), at("2099-03-02", "19:00"))
    make_booking(job, [theatre], at("2099-03-03", "09:00"), at("2099-03-03", "19:00"), "pencil")
    return {"signed": signed, "finished": finished}


def test_prepares_sheets_for_finished_work_and_invoices_the_signed_ones(job, work, users):
    result = invoice_job(job, actor=users["accounts"])

    assert [s.booking_id for s in result.prepared] == [b.pk for b in work["finished"]]
    assert all(s.status == "draft" for s in result.prepared)
    invoice = Invoice.objects.get()
    assert result.invoice == invoice
    assert (invoice.status, invoice.net) == ("draft", 2000)
    assert {s.pk for s in invoice.job_sheets.all()} == {s.pk for s in work["signed"]}
    assert result.message == (
        f"Prepared 3 job sheets for sign-off; invoice draft #{invoice.pk} raised from 2 "
        "signed sheets"
    )
    entry = AuditEntry.objects.get(object_type="productions.job", action="transition")
    assert entry.actor == users["accounts"]
    assert entry.summary == result.message
    assert entry.changes["invoice_id"] == [None, invoice.pk]
    assert entry.changes["job_sheets_prepared"] == [None, [s.pk for s in result.prepared]]


def test_running_it_again_makes_nothing_twice(job, work):
    first = invoice_job(job, actor=SYSTEM)
    audit_before = AuditEntry.objects.count()

    again = invoice_job(job, actor=SYSTEM)

    assert JobSheet.objects.count() == 5
    assert Invoice.objects.count() == 1
    assert (again.prepared, again.invoice) == ([], None)
    assert [s.pk for s in again.awaiting] == [s.pk for s in first.prepared]
    assert again.message == (
        f"Nothing to invoice on {job.number}: no finished booking without a job sheet and no "
        "signed-off sheet waiting; 3 earlier job sheets still await sign-off"
    )
    assert AuditEntry.objects.count() == audit_before  # nothing changed, nothing recorded


def test_signing_some_prepared_sheets_then_invoicing_takes_only_those(job, work):
    first = invoice_job(job, actor=SYSTEM)
    _sign(first.prepared[0])

    second = invoice_job(job, actor=SYSTEM)

    assert second.prepared == []
    assert [s.pk for s in second.invoiced] == [first.prepared[0].pk]
    assert [s.pk for s in second.awaiting] == [s.pk for s in first.prepared[1:]]
    assert second.message == (
        f"Invoice draft #{second.invoice.pk} raised from 1 signed sheet; 2 earlier job sheets "
        "still await sign-off"
    )
    assert Invoice.objects.count() == 2


def test_a_job_with_nothing_finished_says_so_and_changes_nothing(
    job, theatre, standard_card, make_booking
):
    make_booking(job, [theatre], at("2099-03-02", "09:00"), at("2099-03-02", "19:00"))
    result = invoice_job(job, actor=SYSTEM)
    assert not result.did_something
    assert result.message == (
        f"Nothing to invoice on {job.number}: no finished booking without a job sheet and no "
        "signed-off sheet waiting"
    )
    assert (JobSheet.objects.count(), Invoice.objects.count()) == (0, 0)


def test_a_booking_that_cannot_be_priced_refuses_the_whole_run(job, work, site, make_booking):
    deck = Resource.objects.create(kind="equipment", name="HDCAM SR deck", site=site)
    make_booking(job, [deck], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"), "completed")

    with pytest.raises(InvalidInput, match="No GBP rate for HDCAM SR deck"):
        invoice_job(job, actor=SYSTEM)

    assert JobSheet.objects.count() == 2  # the two signed before; none prepared
    assert Invoice.objects.count() == 0
    assert JobSheet.objects.filter(status="signed_off").count() == 2


# --- the job page -------------------------------------------------------------------------


def test_the_job_page_offers_it_to_roles_that_change_money(page_as, job):
    url = reverse("job-detail", args=[job.pk])
    button = reverse("billing:job_invoice", args=[job.pk])
    for role in ("bookings", "accounts", "admin"):
        assert button in page_as(role).get(url).content.decode()
    for role in ("supervisor", "reception", "coordinator"):
        assert button not in page_as(role).get(url).content.decode()


def test_invoicing_from_the_page_goes_to_the_draft_with_the_summary(page_as, job, work):
    http = page_as("bookings")
    response = http.post(reverse("billing:job_invoice", args=[job.pk]))
    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:invoice", args=[invoice.pk])
    page = http.get(response["Location"]).content.decode()
    assert f"Prepared 3 job sheets for sign-off; invoice draft #{invoice.pk} raised" in page
    job_page = http.get(reverse("job-detail", args=[job.pk])).content.decode()
    # The three prepared sheets and the draft invoice; the two signed sheets now invoiced.
    assert (job_page.count("<td>Draft</td>"), job_page.count("<td>Invoiced</td>")) == (4, 2)


def test_nothing_to_do_from_the_page_goes_back_to_the_job_and_says_so(page_as, job):
    http = page_as("accounts")
    response = http.post(reverse("billing:job_invoice", args=[job.pk]))
    assert response["Location"] == reverse("job-detail", args=[job.pk]) + "#job-billing"
    assert "Nothing to invoice" in http.get(response["Location"]).content.decode()


def test_a_refusal_on_the_page_is_a_message_and_leaves_nothing(
    page_as, job, work, site, make_booking
):
    deck = Resource.objects.create(kind="equipment", name="HDCAM SR deck", site=site)
    make_booking(job, [deck], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"), "completed")
    http = page_as("accounts")
    response = http.post(reverse("billing:job_invoice", args=[job.pk]))
    page = http.get(response["Location"]).content.decode()
    assert "Nothing was changed: No GBP rate for HDCAM SR deck on 09 Mar 2026: add an entry" in page
    assert (JobSheet.objects.count(), Invoice.objects.count()) == (2, 0)


def test_the_page_action_is_refused_to_others(page_as, job, work):
    url = reverse("billing:job_invoice", args=[job.pk])
    assert page_as("supervisor").post(url).status_code == 403
    assert page_as("client").post(url).status_code == 403
    assert page_as("bookings").get(url).status_code == 405
    assert page_as("bookings").post("/billing/jobs/999999/invoice/").status_code == 404
    assert (JobSheet.objects.count(), Invoice.objects.count()) == (2, 0)


# --- the API ------------------------------------------------------------------------------


def test_the_api_does_it_and_reports_what_it_did(api_as, job, work):
    response = api_as("accounts").post(f"jobs/{job.pk}/invoice")
    body = response.json()
    invoice = Invoice.objects.get()
    assert response.status_code == 200
    assert [s["booking"] for s in body["prepared_job_sheets"]] == [b.pk for b in work["finished"]]
    assert body["invoice"]["id"] == invoice.pk
    assert body["invoice"]["net"] == "2000.00"
    assert body["invoiced_job_sheets"] == [s.pk for s in work["signed"]]
    assert body["awaiting_sign_off"] == [s["id"] for s in body["prepared_job_sheets"]]
    assert body["message"].startswith("Prepared 3 job sheets for sign-off; invoice draft #")

    again = api_as("accounts").post(f"jobs/{job.pk}/invoice").json()
    assert (again["prepared_job_sheets"], again["invoice"]) == ([], None)
    assert again["message"].startswith(f"Nothing to invoice on {job.number}")


def test_the_api_refuses_clearly_and_changes_nothing(
    api_as, job, work, other_job, site, make_booking
):
    assert api_as("supervisor").post(f"jobs/{job.pk}/invoice").status_code == 403
    assert api_as("client").post(f"jobs/{job.pk}/invoice").status_code == 403
    assert api_as("accounts").post("jobs/999999/invoice").status_code == 404
    deck = Resource.objects.create(kind="equipment", name="HDCAM SR deck", site=site)
    make_booking(job, [deck], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"), "completed")
    refused = api_as("accounts").post(f"jobs/{job.pk}/invoice")
    assert refused.status_code == 422
    assert refused.json()["code"] == "no_rate"
    assert (JobSheet.objects.count(), Invoice.objects.count()) == (2, 0)
