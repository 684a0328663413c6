"""Locks and the retry of a booking write (DOMAIN rule 1).

A booking write first locks the rows of every resource it touches, in id order (SELECT
... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already serialises
writers), then checks for overlaps and writes. Concurrent conflicting requests therefore
queue on the resource rows and the losers see the winner's allocation: a BookingConflict
(409), never a deadlock. The PostgreSQL exclusion constraint stays as the last word; if
it ever fires, or a serialisation failure or deadlock happens anyway, the whole
transaction is retried a bounded number of times (`serialised`).
"""

import contextvars
import functools
import random
import time
from collections.abc import Callable, Iterable

from django.db import IntegrityError, OperationalError, connection, transaction

from postdesk.core import hotsql
from postdesk.core.errors import NotFound
from postdesk.scheduling.models import Allocation, Booking, Resource
from postdesk.scheduling.services.conflicts import BookingConflict, _marks

MAX_ATTEMPTS = 5


class _StaleLocks(Exception):
    """The booking's resources changed between reading them and locking them."""


def _sqlstate(exc: Exception) -> str | None:
    return getattr(exc.__cause__, "sqlstate", None)


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, _StaleLocks):
        return True
    if isinstance(exc, IntegrityError):
        return _sqlstate(exc) == "23P01"  # exclusion_violation: re-check to name the clash
    # serialization_failure, deadlock_detected, lock_not_available; SQLite busy.
    return _sqlstate(exc) in ("40001", "40P01", "55P03") or "database is locked" in str(exc)


# Which attempt of a serialised write is running (1 = first), for _constraint_decides.
_ATTEMPT: contextvars.ContextVar[int] = contextvars.ContextVar("booking_attempt", default=1)


def serialised(func: Callable) -> Callable:
    """Run `func` in its own transaction (or savepoint), retrying races a few times.

    After the last attempt a race still unresolved is reported as a BookingConflict,
    so a client never sees a database error for a clash.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            marker = _ATTEMPT.set(attempt)
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except (IntegrityError, OperationalError, _StaleLocks) as exc:
                if not _retryable(exc):
                    raise
                if attempt == MAX_ATTEMPTS:
                    raise BookingConflict(
                        "Another change to the same resources was being saved at the same "
                        "moment; please try again",
                        details={"conflicts": []},
                    ) from exc
                # A refusal by the exclusion constraint is a clash, not a race: go straight
                # to the attempt that names it. Races back off a little before retrying.
                if _sqlstate(exc) != "23P01":
                    time.sleep(random.uniform(0.001, 0.005) * attempt)
            finally:
                _ATTEMPT.reset(marker)
        raise AssertionError("unreachable")

    return wrapper


def _constraint_decides() -> bool:
    """Whether a new blocking allocation may skip the clash query and let the database's
    exclusion constraint refuse an overlap (PostgreSQL, first attempt).

    The resources are locked either way, so concurrent writers still queue. When the
    constraint refuses, the transaction rolls back and the next attempt runs the query,
    which names the clash for the 409. A create then costs one statement less, the one
    that grew with the booking history (bench/RESULTS.md).
    """
    return connection.vendor == "postgresql" and _ATTEMPT.get() == 1


# The two statements of every booking write are plain SQL: building them through the ORM
# cost more than running them (DESIGN: create within 2.5x of the raw transaction). Their
# text depends only on how many resources there are, so it is built once per count.
@functools.cache
def _lock_sql(count: int, for_update: bool) -> str:
    pk = Resource._meta.pk.column
    columns = ", ".join(
        hotsql.column(Resource, f) for f in ("id", "name", "bookable", "archived_at", "site")
    )
    return (
        f"SELECT {columns} FROM {Resource._meta.db_table} "
        f"WHERE {pk} IN ({_marks(count)}) ORDER BY {pk}{' FOR UPDATE' if for_update else ''}"
    )


def _lock_resources(ids: Iterable[int]) -> dict[int, dict]:
    """Lock the resources' rows in id order and return their bookability facts."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    db = hotsql.database()
    rows = hotsql.fetch(_lock_sql(len(ids), db.features.has_select_for_update), ids, db)
    return {
        pk: {
            "id": pk,
            "name": name,
            "bookable": bool(bookable),
            "archived_at": archived,
            "site_id": site,
        }
        for pk, name, bookable, archived, site in rows
    }


def _current_resource_ids(booking_id: int) -> list[int]:
    return list(
        Allocation.objects.filter(booking_id=booking_id)
        .order_by("pk")
        .values_list("resource_id", flat=True)
    )


def _lock_booking(booking_id: int, extra_resource_ids: Iterable[int] = ()):
    """Lock the booking's resources (plus extra ones) in id order, then the booking.

    Returns (booking, its resource ids, info of all locked resources).
    """
    ids = _current_resource_ids(booking_id)
    info = _lock_resources([*ids, *extra_resource_ids])
    booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
    if booking is None:
        raise NotFound(f"No booking with id {booking_id}")
    if _current_resource_ids(booking_id) != ids:
        raise _StaleLocks()
    return booking, ids, info
