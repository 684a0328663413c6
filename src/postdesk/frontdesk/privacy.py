"""Visitor records are kept for a retention period, then anonymised by the worker: the
name, company, e-mail, car registration and the name typed to sign an NDA go; the fact
and time of the visit, its host, which NDA version was accepted and what a signed NDA
was for stay (the facility's own record). No ID photos are ever stored. The period is
POSTDESK["VISITOR_RETENTION_DAYS"], 180 days by default."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from postdesk.core import audit
from postdesk.core.audit import WORKER
from postdesk.core.models import AuditEntry
from postdesk.frontdesk.models import NdaAcceptance, PreRegistration, Visit

DEFAULT_RETENTION_DAYS = 180
ANONYMOUS = "Anonymised visitor"


def retention_days() -> int:
    return int(settings.POSTDESK.get("VISITOR_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


@transaction.atomic
def anonymise_old_visitors(now: datetime.datetime | None = None) -> int:
    """Blank the details of visits that ended (and pre-registrations expected) before the
    retention period; set-based, so a year's backlog is three UPDATEs. Returns how many
    visits were anonymised."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    old = Visit.objects.filter(anonymised_at__isnull=True).filter(
        Q(signed_out_at__lt=cutoff) | Q(signed_out_at__isnull=True, signed_in_at__lt=cutoff)
    )
    acceptance_ids = list(old.exclude(nda_accepted=None).values_list("nda_accepted_id", flat=True))
    visits = old.update(
        name=ANONYMOUS,
        company="",
        car_registration="",
        contact=None,
        # A signed NDA stays a fact (what it was for); the typed name goes.
        nda_signature=Case(When(nda_signature="", then=Value("")), default=Value(ANONYMOUS)),
        anonymised_at=now,
    )
    # Acceptances made by a later visit stay until that visit's turn; the name-based key
    # holds the name, so it goes too (a contact's key is only an id).
    NdaAcceptance.objects.filter(pk__in=acceptance_ids, accepted_at__lt=cutoff).exclude(
        name=ANONYMOUS
    ).update(name=ANONYMOUS, person=_anonymous_key())
    regs = PreRegistration.objects.filter(
        anonymised_at__isnull=True, expected_at__lt=cutoff
    ).update(name=ANONYMOUS, company="", email="", anonymised_at=now)
    if visits or regs:
        audit.record(
            WORKER,
            Visit(pk=0),
            AuditEntry.Action.UPDATE,
            {"anonymised_visits": [None, visits], "anonymised_preregistrations": [None, regs]},
            f"Anonymised {visits} visit(s) and {regs} pre-registration(s) older than "
            f"{retention_days()} days",
            object_id="retention",
        )
    return visits


def _anonymous_key():
    """A unique key per acceptance row (the (nda, person) pair is unique)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    return Concat(Value("anonymised:"), Cast("pk", CharField()))
