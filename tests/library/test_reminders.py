"""Overdue reminders: three at most, at 1, 3 and 7 days overdue, to the holder or (for
someone outside) the library staff, mailed by the real worker; a return stops them."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from postdesk.core import audit
from postdesk.library import services, tasks
from postdesk.library.models import MediaItem
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

User = get_user_model()


def overdue_since(item, days: int) -> datetime.date:
    due = timezone.localdate() - datetime.timedelta(days=days)
    MediaItem.objects.filter(pk=item.pk).update(due_back=due)
    return due


def sweep(day_offset: int = 0) -> int:
    today = timezone.localdate() + datetime.timedelta(days=day_offset)
    return services.send_overdue_reminders(actor=audit.WORKER, today=today)


def test_three_reminders_at_increasing_intervals_to_the_holder(
    register, users, next_week, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=users["runner"].pk).update(email="runner@example.com")
    item = register(holder=users["runner"], due_back=next_week)
    overdue_since(item, 1)

    outcomes = []
    for offset in range(0, 12):
        with django_capture_on_commit_callbacks(execute=True):
            outcomes.append(sweep(offset))
    run_worker()

    # Overdue by 1 on day 0: reminders on days 0 (1 overdue), 2 (3) and 6 (7), then none.
    assert [day for day, n in enumerate(outcomes) if n] == [0, 2, 6]
    item.refresh_from_db()
    assert item.reminders_sent == 3
    assert item.last_reminder_at is not None
    assert [m.to for m in mail.outbox] == [["runner@example.com"]] * 3
    assert "(reminder 1)" in mail.outbox[0].subject
    assert mail.outbox[2].subject.endswith("(final reminder)")
    assert item.barcode in mail.outbox[0].body


def test_an_item_not_yet_overdue_gets_no_reminder(register, users, next_week):
    register(holder=users["runner"], due_back=next_week)
    item = register(holder_name="Sam", due_back=timezone.localdate())

    assert sweep() == 0
    item.refresh_from_db()
    assert item.reminders_sent == 0


def test_someone_outside_is_chased_by_the_library_staff(
    register, librarian, make_user, next_week, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=librarian.pk).update(email="library@example.com")
    second = make_user("library", "second-librarian")
    User.objects.filter(pk=second.pk).update(email="vault@example.com")
    item = register(holder_name="Sam at Dub Co", due_back=next_week)
    overdue_since(item, 4)

    with django_capture_on_commit_callbacks(execute=True):
        assert sweep() == 1
    run_worker()

    assert [m.to for m in mail.outbox] == [["library@example.com", "vault@example.com"]]
    assert "Sam at Dub Co" in mail.outbox[0].body


def test_a_return_stops_the_reminders_and_resets_the_count(
    register, librarian, users, vault, next_week, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=users["runner"].pk).update(email="runner@example.com")
    item = register(holder=users["runner"], due_back=next_week)
    overdue_since(item, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep() == 1
    # Checked in before the worker got to the mail: nothing is sent.
    services.check_in(item, vault["shelf1"], actor=librarian)
    run_worker()

    assert mail.outbox == []
    item.refresh_from_db()
    assert (item.reminders_sent, item.last_reminder_at) == (0, None)


def test_the_daily_sweep_runs_in_the_worker_and_plants_the_next(
    register, users, next_week, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=users["runner"].pk).update(email="runner@example.com")
    item = register(holder=users["runner"], due_back=next_week)
    overdue_since(item, 3)

    tasks.sweep_overdue.enqueue()
    # The sweep enqueues its mail when its transaction commits; a second pass sends it.
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    run_worker()

    assert [m.to for m in mail.outbox] == [["runner@example.com"]]
    waiting = DBTaskResult.objects.filter(task_path=tasks.SWEEP_TASK, status=TaskResultStatus.READY)
    assert [w.run_after for w in waiting] == [tasks.next_sweep_at()]
    assert tasks.plant_next_sweep() is False
