"""A sent quote is mailed by the worker: the sending commits and enqueues the mail; the
task renders the PDF from the committed quote, retries when the mail server fails, and
records in the audit log that the mail went or finally failed."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from postdesk.billing import services
from postdesk.billing.models import Quote
from postdesk.core import jobs
from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry
from tests.billing.conftest import at
from tests.billing.test_quotes import pdf_text
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

SMTP_DOWN = "tests.worker.SmtpDown"


@pytest.fixture
def quote(job, theatre, standard_card, make_booking):
    make_booking(job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"))
    return services.create_quote(job=job, actor=SYSTEM, valid_until=datetime.date(2099, 1, 1))


def worker_entries(quote):
    return list(
        AuditEntry.objects.filter(
            object_type="billing.quote", object_id=str(quote.pk), actor_label="worker"
        ).values_list("summary", "changes")
    )


def make_due(task: DBTaskResult) -> None:
    """As if the clock had reached the task's run_after."""
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())


def test_sending_commits_and_enqueues_then_the_worker_mails_the_pdf(
    quote, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_quote(quote, actor=SYSTEM)

    assert Quote.objects.get().status == "sent"
    assert mail.outbox == []
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs, task.status) == (
        "postdesk.billing.tasks.mail_quote",
        {"args": [quote.pk, "hannah@example.com"], "kwargs": {}},
        "READY",
    )

    run_worker()

    (message,) = mail.outbox
    assert message.to == ["hannah@example.com"]
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (f"quote-{quote.job.number}-v1.pdf", "application/pdf")
    assert "£1,200.00" in pdf_text(content)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert worker_entries(quote) == [
        (
            f"Mailed quote {quote.reference} to hannah@example.com",
            {"mail": f"quote {quote.reference}", "to": ["hannah@example.com"], "attempts": 1},
        )
    ]


def test_a_sending_rolled_back_enqueues_no_mail(quote, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.send_quote(quote, actor=SYSTEM)
        raise RuntimeError("the caller's transaction fails after the sending")

    assert DBTaskResult.objects.count() == 0
    assert Quote.objects.get().status == "draft"


def test_mail_server_down_the_api_still_answers_200_and_the_mail_is_retried_later(
    quote, api_as, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = SMTP_DOWN

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("bookings").post(f"quotes/{quote.pk}/send")
    assert response.status_code == 200
    assert Quote.objects.get().status == "sent"
    before = timezone.now()
    run_worker()

    first, second = DBTaskResult.objects.order_by("enqueued_at")
    assert (first.status, first.exception_class_path) == (
        "FAILED",
        "smtplib.SMTPServerDisconnected",
    )
    assert (second.status, second.args_kwargs) == (
        "READY",
        {"args": [quote.pk, "hannah@example.com"], "kwargs": {"attempt": 2}},
    )
    assert (
        before + jobs.RETRY_DELAYS[0] <= second.run_after <= timezone.now() + jobs.RETRY_DELAYS[0]
    )
    assert Quote.objects.get().status == "sent"
    assert worker_entries(quote) == []
    assert mail.outbox == []


def test_mail_server_down_the_page_still_redirects_and_the_quote_is_sent(
    quote, page_as, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = SMTP_DOWN

    with django_capture_on_commit_callbacks(execute=True):
        response = page_as("bookings").post(reverse("billing:quote_send", args=[quote.pk]))
    run_worker()

    assert response.status_code == 302
    assert Quote.objects.get().status == "sent"
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_each_retry_waits_longer_and_after_the_last_the_failure_is_recorded(
    quote, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = SMTP_DOWN
    with django_capture_on_commit_callbacks(execute=True):
        services.send_quote(quote, actor=SYSTEM)

    waits = []
    run_worker()
    while (due := DBTaskResult.objects.filter(status="READY").first()) is not None:
        waits.append(due.run_after - due.enqueued_at)
        make_due(due)
        run_worker()

    assert [round(w.total_seconds() / 60) for w in waits] == [1, 5, 30]
    assert DBTaskResult.objects.filter(status="FAILED").count() == jobs.MAX_ATTEMPTS == 4
    assert worker_entries(quote) == [
        (
            f"Could not mail quote {quote.reference} after 4 attempt(s): "
            "Connection unexpectedly closed",
            {
                "mail": f"quote {quote.reference}",
                "to": ["hannah@example.com"],
                "attempts": 4,
                "error": "SMTPServerDisconnected: Connection unexpectedly closed",
            },
        )
    ]
    assert Quote.objects.get().status == "sent"
    assert mail.outbox == []


def test_the_server_back_before_the_last_attempt_the_mail_goes(
    quote, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = SMTP_DOWN
    with django_capture_on_commit_callbacks(execute=True):
        services.send_quote(quote, actor=SYSTEM)
    run_worker()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(DBTaskResult.objects.get(status="READY"))
    run_worker()

    assert len(mail.outbox) == 1
    assert [summary for summary, _ in worker_entries(quote)] == [
        f"Mailed quote {quote.reference} to hannah@example.com"
    ]
    assert worker_entries(quote)[0][1]["attempts"] == 2
    assert DBTaskResult.objects.filter(status="READY").count() == 0
