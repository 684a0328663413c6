import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.scheduling import services, tasks
from postdesk.scheduling.models import Booking
from tests.scheduling.conftest import ranks
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def soon():
    """A working day a week ahead, so that challenges and deadlines are in the future."""
    start = (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)
    return start, start + 10 * HOUR


@pytest.fixture
def holder(book, suite, soon, users):
    users["bookings"].email = "becky@postdesk.test"
    users["bookings"].save()
    return book([suite], *soon, actor=users["bookings"])


@pytest.fixture
def challenger(book, suite, soon, other_job, holder):
    start, end = soon
    return book([suite], start + HOUR, end + HOUR, job=other_job)


def test_challenge_sets_deadline_mails_and_schedules_release(
    holder, challenger, settings, django_capture_on_commit_callbacks
):
    settings.POSTDESK = {**settings.POSTDESK, "CHALLENGE_HOURS": 24}
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        challenged = services.challenge_booking(challenger, actor=SYSTEM)

    assert [b.pk for b in challenged] == [holder.pk]
    holder.refresh_from_db()
    assert holder.challenged_by_id == challenger.pk
    assert before + 24 * HOUR <= holder.challenge_deadline <= timezone.now() + 24 * HOUR
    assert mail.outbox == []
    # The owner is a user of ours: told by the notifications app (its own mail task).
    notified = DBTaskResult.objects.get(task_path__startswith="postdesk.notifications")
    notice, release = DBTaskResult.objects.exclude(pk=notified.pk).order_by("enqueued_at")
    assert (notice.task_path, notice.args_kwargs) == (
        "postdesk.scheduling.tasks.mail_challenge_notice",
        {"args": [holder.pk], "kwargs": {}},
    )
    assert set(DBTaskResult.objects.ready()) == {notice, notified}  # the release waits
    assert release.task_path == "postdesk.scheduling.tasks.release_lapsed_challenge"
    assert release.run_after == holder.challenge_deadline
    assert release.args_kwargs == {"args": [holder.pk], "kwargs": {}}
    assert AuditEntry.objects.filter(object_id=str(holder.pk), action="transition").count() == 1

    run_worker()

    [message] = [m for m in mail.outbox if "hannah@example.com" in m.to]
    assert message.to == ["hannah@example.com"]  # the job's contact, who is no user
    assert "confirm or release" in message.body
    [owner_mail] = [m for m in mail.outbox if m is not message]
    assert owner_mail.to == ["becky@postdesk.test"]
    assert (
        "confirm or release by" in owner_mail.body
        and "List-Unsubscribe" in owner_mail.extra_headers
    )
    release.refresh_from_db()
    assert release.status == "READY"  # not before the deadline
    entry = AuditEntry.objects.filter(
        object_type="scheduling.booking", object_id=str(holder.pk)
    ).latest("pk")
    assert (entry.actor_label, entry.summary) == (
        "worker",
        "Mailed challenge notice to hannah@example.com",
    )


def test_first_pencil_has_nothing_to_challenge(holder, django_capture_on_commit_callbacks):
    # (the mail goes on commit: run those callbacks, or no mail could ever be seen here)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        services.challenge_booking(holder, actor=SYSTEM)
    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()


def test_task_releases_lapsed_pencil_and_ranks_move_up(holder, challenger, suite):
    services.challenge_booking(challenger, actor=SYSTEM)
    Booking.objects.filter(pk=holder.pk).update(
        challenge_deadline=timezone.now() - datetime.timedelta(seconds=1)
    )

    result = tasks.release_lapsed_challenge.call(holder.pk)

    assert result == f"released booking {holder.pk}"
    assert Booking.objects.get(pk=holder.pk).status == "released"
    assert ranks(challenger) == {suite.pk: 1}
    entry = AuditEntry.objects.filter(
        object_type="scheduling.booking", object_id=str(holder.pk)
    ).latest("pk")
    assert (entry.actor_label, entry.summary) == (
        "worker",
        f"Released job booking {holder.pk} (released): challenge lapsed",
    )
    services.confirm_booking(challenger, actor=SYSTEM)


def test_task_before_deadline_or_after_confirm_changes_nothing(holder, challenger):
    services.challenge_booking(challenger, actor=SYSTEM)
    assert tasks.release_lapsed_challenge.call(holder.pk).endswith("nothing to release")

    services.confirm_booking(holder, actor=SYSTEM)  # a challenged 1st pencil may confirm
    Booking.objects.filter(pk=holder.pk).update(challenge_deadline=timezone.now() - HOUR)
    assert tasks.release_lapsed_challenge.call(holder.pk).endswith("nothing to release")
    assert Booking.objects.get(pk=holder.pk).status == "confirmed"


def test_holder_may_release_and_challenger_then_confirms(holder, challenger):
    services.challenge_booking(challenger, actor=SYSTEM)
    services.release_booking(holder, actor=SYSTEM)
    services.confirm_booking(challenger, actor=SYSTEM)
    assert Booking.objects.get(pk=challenger.pk).status == "confirmed"


def test_startup_sweep_releases_all_lapsed(holder, challenger, book, suite, soon):
    third = book([suite], soon[0], soon[1] + 2 * HOUR)
    services.challenge_booking(third, actor=SYSTEM)
    Booking.objects.filter(pk__in=[holder.pk, challenger.pk]).update(
        challenge_deadline=timezone.now() - HOUR
    )

    assert tasks.expire_overdue_challenges_now() == "released 2 pencil(s) whose challenge lapsed"
    assert ranks(third) == {suite.pk: 1}


def test_challenger_going_away_lifts_its_challenge(holder, challenger):
    services.challenge_booking(challenger, actor=SYSTEM)
    services.release_booking(challenger, actor=SYSTEM)
    holder.refresh_from_db()
    assert (holder.challenge_deadline, holder.challenged_by_id) == (None, None)


def test_moving_apart_lifts_the_challenge_either_way(holder, challenger, soon):
    start, _ = soon
    services.challenge_booking(challenger, actor=SYSTEM)

    services.move_booking(holder, start=start - 30 * HOUR, end=start - 20 * HOUR, actor=SYSTEM)

    holder.refresh_from_db()
    assert (holder.challenge_deadline, holder.challenged_by_id) == (None, None)
    assert AuditEntry.objects.filter(
        object_id=str(holder.pk), summary__endswith="lifted: they no longer overlap"
    ).exists()


def test_challenger_moving_away_lifts_its_challenge(holder, challenger, soon):
    _, end = soon
    services.challenge_booking(challenger, actor=SYSTEM)

    services.move_booking(challenger, start=end + 5 * HOUR, end=end + 6 * HOUR, actor=SYSTEM)

    holder.refresh_from_db()
    assert holder.challenge_deadline is None


def test_moving_within_the_overlap_keeps_the_challenge(holder, challenger, soon):
    start, end = soon
    services.challenge_booking(challenger, actor=SYSTEM)
    services.move_booking(challenger, start=start + 2 * HOUR, end=end, actor=SYSTEM)
    holder.refresh_from_db()
    assert holder.challenged_by_id == challenger.pk


def test_challenge_notice_with_the_mail_server_down_is_retried_then_the_failure_recorded(
    holder, challenger, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.worker.SmtpDown"
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_booking(challenger, actor=SYSTEM)

    run_worker()
    retry = DBTaskResult.objects.get(task_path__endswith="mail_challenge_notice", status="READY")
    assert retry.args_kwargs == {"args": [holder.pk], "kwargs": {"attempt": 2}}
    assert retry.run_after > timezone.now()
    while retry is not None:
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_worker()
        retry = DBTaskResult.objects.filter(
            task_path__endswith="mail_challenge_notice", status="READY"
        ).first()

    failed = DBTaskResult.objects.filter(status="FAILED")
    assert failed.filter(task_path__endswith="mail_challenge_notice").count() == 4
    entry = AuditEntry.objects.filter(
        object_type="scheduling.booking", object_id=str(holder.pk)
    ).latest("pk")
    assert (entry.actor_label, entry.summary) == (
        "worker",
        "Could not mail challenge notice after 4 attempt(s): Connection unexpectedly closed",
    )
    assert Booking.objects.get(pk=holder.pk).challenged_by_id == challenger.pk
    assert mail.outbox == []


def test_a_challenge_answered_before_the_worker_runs_mails_nothing(
    holder, challenger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_booking(challenger, actor=SYSTEM)
    services.confirm_booking(holder, actor=SYSTEM)

    run_worker()

    # The owner's notification was written with the challenge and stays (its mail went);
    # the contact's notice, about a challenge gone, is not sent.
    assert [m.to for m in mail.outbox] == [["becky@postdesk.test"]]
    notice = DBTaskResult.objects.get(task_path__endswith="mail_challenge_notice")
    assert (notice.status, notice.return_value) == (
        "SUCCESSFUL",
        f"booking {holder.pk}: no challenge notice to mail",
    )
    assert not AuditEntry.objects.filter(
        actor_label="worker", object_type="scheduling.booking"
    ).exists()
