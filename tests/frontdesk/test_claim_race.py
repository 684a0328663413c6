"""Two (or sixteen) runners claiming one task at the same moment: exactly one wins and every
other gets a Conflict (409), on SQLite and PostgreSQL alike."""

import threading

import pytest
from django.db import connection

from postdesk.core.errors import Conflict
from postdesk.frontdesk import services
from postdesk.frontdesk.models import RunnerTask

RUNNERS = 16


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_sixteen_runners_claim_one_task_at_once_and_exactly_one_wins(make_user):
    runners = [make_user("runner", f"runner-{i}") for i in range(RUNNERS)]
    poster = make_user("reception")
    task = services.post_task(actor=poster, title="Two teas", place="Suite 3")
    barrier = threading.Barrier(RUNNERS)
    winners, losers, errors = [], [], []

    def claim(user):
        try:
            barrier.wait(timeout=30)
            services.claim_task(task.pk, actor=user)
            winners.append(user.pk)
        except Conflict:
            losers.append(user.pk)
        except Exception as exc:  # collected and asserted on below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert len(winners) == 1 and len(losers) == RUNNERS - 1
    stored = RunnerTask.objects.get(pk=task.pk)
    assert stored.status == "claimed" and stored.runner_id == winners[0]
    assert stored.version == 2  # posted, then claimed once
