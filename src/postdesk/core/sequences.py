"""Gap-free counters (job numbers, invoice and credit note numbers).

`next_value` must be called inside the transaction that uses the number: the row lock
(PostgreSQL) or the IMMEDIATE write lock (SQLite) is held until that transaction ends, so
a rolled-back transaction gives its number back and concurrent callers queue.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from postdesk.core.models import Sequence


def next_value(name: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value must run inside the transaction that uses the number")
    updated = Sequence.objects.filter(name=name).update(last_value=F("last_value") + 1)
    if not updated:
        try:
            with transaction.atomic():
                Sequence.objects.create(name=name, last_value=0)
        except IntegrityError:
            pass  # created by a concurrent caller; its row lock now orders us after it
        Sequence.objects.filter(name=name).update(last_value=F("last_value") + 1)
    return Sequence.objects.get(name=name).last_value
