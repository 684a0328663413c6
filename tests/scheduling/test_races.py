"""The service's safety net: clashes that get past the check, deadlocks and serialisation
failures end as a retry or a BookingConflict, never as a database error."""

import pytest
from django.conf import settings
from django.db import OperationalError

from postdesk.scheduling.models import Booking
from postdesk.scheduling.services import BookingConflict, bookings
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


class _PgError(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _database_error(sqlstate: str) -> OperationalError:
    exc = OperationalError(f"simulated {sqlstate}")
    exc.__cause__ = _PgError(sqlstate)
    return exc


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="SQLite has no exclusion constraint")
def test_exclusion_constraint_violation_becomes_a_named_conflict(book, suite, monkeypatch):
    first = book([suite], at(2, 9), at(2, 19), "confirmed")
    real_check = bookings._check_blocking_clashes
    calls = []

    def check_skipped_once(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            real_check(*args, **kwargs)

    monkeypatch.setattr(bookings, "_check_blocking_clashes", check_skipped_once)

    with pytest.raises(BookingConflict) as caught:
        book([suite], at(2, 10), at(2, 11), "confirmed")

    assert len(calls) == 2  # the constraint fired, the retry's check named the clash
    assert caught.value.details["conflicts"][0]["booking"] == first.pk
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_deadlock_or_serialisation_failure_is_retried(book, suite, monkeypatch, sqlstate):
    real_lock = bookings._lock_resources
    calls = []

    def lock_failing_once(ids):
        calls.append(1)
        if len(calls) == 1:
            raise _database_error(sqlstate)
        return real_lock(ids)

    monkeypatch.setattr(bookings, "_lock_resources", lock_failing_once)

    booking = book([suite], at(2, 9), at(2, 19), "confirmed")

    assert len(calls) == 2
    assert Booking.objects.get().pk == booking.pk


def test_persistent_deadlocks_end_as_a_conflict_not_a_500(api_as, job, suite, monkeypatch):
    def always_deadlocked(ids):
        raise _database_error("40P01")

    monkeypatch.setattr(bookings, "_lock_resources", always_deadlocked)

    response = api_as("bookings").post(
        "bookings",
        {
            "job": job.pk,
            "resources": [suite.pk],
            "status": "confirmed",
            "start": "2026-03-02T09:00:00Z",
            "end": "2026-03-02T19:00:00Z",
        },
    )

    assert response.status_code == 409
    assert response.json()["code"] == "booking_conflict"
    assert Booking.objects.count() == 0


def test_other_database_errors_are_not_swallowed(book, suite, monkeypatch):
    def broken(ids):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(bookings, "_lock_resources", broken)
    with pytest.raises(OperationalError):
        book([suite], at(2, 9), at(2, 19), "confirmed")
