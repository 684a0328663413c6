"""Random sequences of booking operations never break the two scheduling invariants."""

import datetime
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import DomainError
from postdesk.scheduling import services
from postdesk.scheduling.models import Allocation

pytestmark = pytest.mark.django_db

BASE = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)

span = st.tuples(st.integers(0, 16), st.integers(1, 8))
create = st.tuples(
    st.just("create"),
    st.sets(st.integers(0, 2), min_size=1),
    span,
    st.sampled_from(["pencil", "pencil", "confirmed"]),
)
operation = st.one_of(
    create,
    create,
    create,
    st.tuples(st.just("move"), st.integers(0, 30), span),
    st.tuples(st.sampled_from(["confirm", "release", "cancel", "challenge"]), st.integers(0, 30)),
    st.tuples(st.just("resources"), st.integers(0, 30), st.sets(st.integers(0, 2), min_size=1)),
)


def assert_invariants():
    rows = list(
        Allocation.objects.values_list(
            "id", "resource_id", "start", "end", "status", "blocking", "hold_rank", "held_since"
        )
    )
    by_resource: dict = {}
    for row in rows:
        by_resource.setdefault(row[1], []).append(row)
    for items in by_resource.values():
        blocking = sorted((r for r in items if r[5]), key=lambda r: r[2])
        for a, b in itertools.pairwise(blocking):
            assert a[3] <= b[2], f"blocking allocations {a[0]} and {b[0]} overlap"
        pencils = [r for r in items if r[4] == "pencil"]
        # Connected components of the overlap relation, found the slow, obvious way.
        group_of = {p[0]: {p[0]} for p in pencils}
        for a in pencils:
            for b in pencils:
                if a[0] < b[0] and a[2] < b[3] and b[2] < a[3]:
                    merged = group_of[a[0]] | group_of[b[0]]
                    for member in merged:
                        group_of[member] = merged
        for group in {frozenset(g) for g in group_of.values()}:
            # In the order the holds were made.
            ranked = sorted((r for r in pencils if r[0] in group), key=lambda r: (r[7], r[0]))
            assert [r[6] for r in ranked] == list(range(1, len(ranked) + 1))
        assert all(r[6] is None for r in items if r[4] != "pencil")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=st.lists(create, min_size=2, max_size=8), then=st.lists(operation, max_size=25))
def test_no_overlap_and_gapless_ranks_after_any_sequence(first, then, job, site):
    ops = first + then
    with transaction.atomic():
        resources = [
            services.create_resource(actor=SYSTEM, kind="room", name=f"Room {i}", site=site)
            for i in range(3)
        ]
        bookings = []
        for op in ops:
            try:
                if op[0] == "create":
                    _, chosen, (offset, length), status = op
                    bookings.append(
                        services.create_booking(
                            job=job,
                            resources=[resources[i] for i in sorted(chosen)],
                            start=BASE + offset * HOUR,
                            end=BASE + (offset + length) * HOUR,
                            status=status,
                            actor=SYSTEM,
                        )
                    )
                elif not bookings:
                    continue
                elif op[0] == "move":
                    _, index, (offset, length) = op
                    services.move_booking(
                        bookings[index % len(bookings)],
                        start=BASE + offset * HOUR,
                        end=BASE + (offset + length) * HOUR,
                        actor=SYSTEM,
                    )
                elif op[0] == "resources":
                    _, index, chosen = op
                    services.update_booking(
                        bookings[index % len(bookings)],
                        resources=[resources[i].pk for i in sorted(chosen)],
                        actor=SYSTEM,
                    )
                else:
                    verb, index = op
                    service = getattr(services, f"{verb}_booking")
                    service(bookings[index % len(bookings)], actor=SYSTEM)
            except DomainError:
                # A refusal is one of the outcomes under test; --hypothesis-show-statistics
                # counts them.
                event(f"{op[0]} refused")
            assert_invariants()
        # The first create always books (nothing stands yet), so the invariants were
        # checked over real rows, not vacuously over none.
        assert bookings
        transaction.set_rollback(True)
