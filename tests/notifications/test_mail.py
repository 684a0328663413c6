"""Mail of notifications: sent by the worker, as each person prefers (immediately, in the
day's digest, or not at all), retried when the mail server fails, never losing the
in-app copy; each mail unsubscribes from its kind in one click."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from postdesk.core.audit import SYSTEM
from postdesk.frontdesk import messages
from postdesk.notifications import services, signing, tasks
from postdesk.notifications.models import Notification, NotificationMail, Preference
from postdesk.scheduling import services as scheduling
from tests.notifications.conftest import HOUR, told
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def _message_for(people, recipient="engineer", about="The Atmos licence"):
    return messages.take_message(
        actor=people["reception"], recipient=people[recipient], caller="Dana Wu", about=about
    )


def test_an_immediate_notification_is_mailed_by_the_worker_not_the_request(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _message_for(people)
    assert mail.outbox == []  # nothing inside the request

    run_worker()

    [message] = mail.outbox
    assert message.to == ["engineer@postdesk.test"]
    assert "Dana Wu called: The Atmos licence" in message.body
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://localhost:8000/notifications/unsubscribe/")
    assert url in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = NotificationMail.objects.get()
    assert (row.how, row.attempts, row.last_error) == ("immediately", 1, "")
    assert row.sent_at is not None


def test_off_means_nothing_at_all(people, django_capture_on_commit_callbacks):
    services.set_preferences(actor=people["engineer"], modes={"message_taken": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        _message_for(people)
    run_worker()

    assert told("message_taken") == set()
    assert mail.outbox == []


def test_digest_means_no_mail_now_and_one_grouped_mail_in_the_morning(
    people, pencil, soon, django_capture_on_commit_callbacks
):
    engineer = people["engineer"]
    services.set_preferences(actor=engineer, modes={"message_taken": "digest"})
    services.set_preferences(actor=people["bookings"], modes={"booking_moved": "digest"})
    with django_capture_on_commit_callbacks(execute=True):
        _message_for(people, about="First")
        _message_for(people, about="Second")
        scheduling.move_booking(pencil, start=soon[0] + HOUR, end=soon[1] + HOUR, actor=SYSTEM)
    run_worker()
    # Only the client's notice of the move went at once; the two digests wait.
    assert [m.to for m in mail.outbox] == [["client@postdesk.test"]]
    mail.outbox.clear()

    tasks.send_digests.call()
    run_worker()

    by_user = {tuple(m.to): m for m in mail.outbox}
    assert set(by_user) == {("engineer@postdesk.test",), ("bookings@postdesk.test",)}
    body = by_user[("engineer@postdesk.test",)].body
    assert body.count("Message taken (2)") == 1
    assert body.index("Dana Wu called: Second") < body.index("Dana Wu called: First")
    assert "Booking moved (1)" in by_user[("bookings@postdesk.test",)].body
    assert not NotificationMail.objects.filter(sent_at__isnull=True).exists()
    # Tomorrow's run is queued, once.
    waiting = DBTaskResult.objects.filter(task_path=tasks.DIGEST_TASK, status="READY")
    assert waiting.count() == 1 and waiting.get().run_after > timezone.now()

    mail.outbox.clear()
    tasks.queue_digests()
    run_worker()
    assert mail.outbox == []  # nothing is mailed twice


def test_a_digest_groups_each_kind_under_its_heading_in_the_kinds_order(people):
    user = people["bookings"]
    services.send(kind="runner_task_done", key="t:1", rows=[(user, "Done: teas", "/runners/")])
    services.send(kind="message_taken", key="m:1", rows=[(user, "Dana called", "")])
    services.send(kind="runner_task_done", key="t:2", rows=[(user, "Done: post", "")])
    NotificationMail.objects.update(how="digest")

    tasks.mail_digest.call(user.pk)

    [digest] = mail.outbox
    body = digest.body
    assert body.index("Message taken (1)") < body.index("Runner task done (2)")
    assert body.count("Stop these:") == 2
    assert "3 notification(s)" in digest.subject
    token = digest.extra_headers["List-Unsubscribe"].strip("<>").rsplit("/", 2)[-2]
    assert signing.read_unsubscribe(token) == (user.pk, ["message_taken", "runner_task_done"])


def test_a_failed_mail_is_retried_and_the_in_app_copy_stays(
    people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.worker.SmtpDown"
    with django_capture_on_commit_callbacks(execute=True):
        _message_for(people)

    run_worker()

    notice = Notification.objects.get(recipient=people["engineer"])
    row = NotificationMail.objects.get()
    assert (row.attempts, row.sent_at, row.failed_at) == (1, None, None)
    assert "SMTPServerDisconnected" in row.last_error
    retry = DBTaskResult.objects.get(task_path__endswith="mail_notification", status="READY")
    assert retry.args_kwargs == {"args": [row.pk], "kwargs": {"attempt": 2}}

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()

    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (2, "")
    assert row.sent_at is not None
    assert [m.to for m in mail.outbox] == [["engineer@postdesk.test"]]
    assert Notification.objects.get(pk=notice.pk).read_at is None


def test_when_every_attempt_fails_the_mail_gives_up_and_the_notice_stays(
    people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.worker.SmtpDown"
    with django_capture_on_commit_callbacks(execute=True):
        _message_for(people)
    run_worker()
    while retry := DBTaskResult.objects.filter(
        task_path__endswith="mail_notification", status="READY"
    ).first():
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_worker()

    row = NotificationMail.objects.get()
    assert row.attempts == 4 and row.failed_at is not None and row.sent_at is None
    assert Notification.objects.filter(recipient=people["engineer"]).count() == 1
    tasks.catch_up_now()  # a given-up mail is not queued again
    assert not DBTaskResult.objects.filter(
        task_path__endswith="mail_notification", status="READY"
    ).exists()


def test_a_lost_mail_task_is_queued_again_at_start_up(people):
    _message_for(people)  # no commit callbacks run: its task is never queued
    Notification.objects.update(created_at=timezone.now() - 20 * tasks.LOST_AFTER)

    assert tasks.catch_up_now().startswith("1 lost")
    run_worker()

    assert [m.to for m in mail.outbox] == [["engineer@postdesk.test"]]
    assert tasks.catch_up_now().startswith("0 lost")


def _unsubscribe_url(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _message_for(people)
    run_worker()
    return mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")


def test_the_unsubscribe_link_works_without_signing_in(people, django_capture_on_commit_callbacks):
    url = _unsubscribe_url(people, django_capture_on_commit_callbacks)
    path = url.removeprefix("http://localhost:8000")
    anonymous = Client(enforce_csrf_checks=True)

    page = anonymous.get(path)
    assert page.status_code == 200 and b"Message taken" in page.content
    assert not Preference.objects.exists()  # a mail scanner following the link changes nothing

    # The mail client's one-click button: a POST with no session and no CSRF token.
    done = anonymous.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and b"no longer hear" in done.content
    pref = Preference.objects.get(user=people["engineer"])
    assert (pref.kind, pref.mode) == ("message_taken", "off")

    _message_for(people)
    assert told("message_taken") == {"engineer-user"}  # only the first, from before


def test_an_unsubscribe_link_cannot_be_forged_or_bent(people, django_capture_on_commit_callbacks):
    url = _unsubscribe_url(people, django_capture_on_commit_callbacks)
    path = url.removeprefix("http://localhost:8000")
    token = path.rstrip("/").rsplit("/", 1)[-1]
    other_user = signing.unsubscribe_token(people["bookings"].pk, ["message_taken"])
    tampered = [
        path.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB")),
        path.replace(token, other_user.split(":", 1)[0] + ":" + token.split(":", 1)[1]),
        "/notifications/unsubscribe/not-a-token/",
    ]
    for bad in tampered:
        response = Client().post(bad)
        assert response.status_code == 404, bad
        assert b"not valid" in response.content
    assert not Preference.objects.exists()
