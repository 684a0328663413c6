"""Writes of the visitors: pre-registration, booking attendees, NDA texts, sign-in and
sign-out (one tap, or the worker's at midnight); each audited in its transaction."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from postdesk.core import audit, crud, jobs
from postdesk.core.audit import WORKER
from postdesk.core.errors import Conflict, InvalidInput, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.timeutil import facility_zone, local_day_bounds, require_instant
from postdesk.frontdesk import sign_in_requirements
from postdesk.frontdesk.models import Attendee, NdaAcceptance, NdaText, PreRegistration, Visit

MAIL_HOST_TASK = "postdesk.frontdesk.tasks.mail_host_arrival"
MIDNIGHT_TASK = "postdesk.frontdesk.tasks.sign_out_at_midnight"


def pre_register(*, actor, name, expected_at, company="", email="", production=None):
    """A member of staff announces a visitor and hosts them."""
    expected_at = require_instant(expected_at, "expected_at")
    return crud.create(
        PreRegistration,
        actor=actor,
        name=name,
        company=company,
        email=email,
        host=actor,
        expected_at=expected_at,
        production=production,
    )


def add_attendee(*, actor, booking, contact) -> Attendee:
    """Name a client contact as attending a client session (of the job's own client)."""
    if booking.job_id is None or contact.client_id != booking.job.client_id:
        raise InvalidInput.field("contact", "Attendees are contacts of the booking's client")
    return crud.create(Attendee, actor=actor, booking=booking, contact=contact)


@transaction.atomic
def publish_nda(*, actor, production, text: str) -> NdaText:
    """A new version of the production's NDA; everyone accepts it again at next sign-in."""
    from postdesk.productions.models import Production

    Production.objects.select_for_update().filter(pk=production.pk).first()  # one at a time
    latest = NdaText.objects.filter(production=production).aggregate(v=Max("version"))["v"]
    return crud.create(
        NdaText, actor=actor, production=production, version=(latest or 0) + 1, text=text
    )


def current_nda(production_id: int | None) -> NdaText | None:
    if production_id is None:
        return None
    return NdaText.objects.filter(production_id=production_id).order_by("-version").first()


def person_key(name: str, company: str, contact_id: int | None) -> str:
    if contact_id:
        return f"contact:{contact_id}"
    return f"name:{name.strip().casefold()}|{company.strip().casefold()}"[:420]


def _nda_for(nda, *, name, company, contact_id, accepted_version, now):
    """The acceptance covering this visitor for the current NDA text: theirs already, or
    made now when they accept it; refused (422 "nda_required") otherwise."""
    key = person_key(name, company, contact_id)
    known = NdaAcceptance.objects.filter(nda=nda, person=key).first()
    if known is not None:
        return known
    if accepted_version != nda.version:
        raise InvalidInput(
            f"{nda.production.title} requires its NDA (version {nda.version}) to be accepted",
            code="nda_required",
            details={"nda": {"version": nda.version, "text": nda.text}},
        )
    return NdaAcceptance.objects.create(nda=nda, person=key, name=name, accepted_at=now)


def _signature(booking, production_id, *, signature: str, agreed: bool, now) -> tuple[str, str]:
    """(the signature, what it was for) when an app requires an NDA of this sign-in
    (sign_in_requirements), ("", "") when none does; refused (422
    "nda_signature_required", with the reason and the text) until the visitor has typed
    their name and ticked the box."""
    needed = sign_in_requirements.ndas_for(booking=booking, production_id=production_id, now=now)
    if not needed:
        return "", ""
    signature = " ".join((signature or "").split())
    reasons = "; ".join(n.reason for n in needed)
    if not agreed or not signature:
        missing = {}
        if not signature:
            missing["nda_signature"] = ["Type your full name to sign the NDA"]
        if not agreed:
            missing["nda_agreed"] = ["Tick the box to agree to the NDA"]
        raise InvalidInput(
            reasons,
            code="nda_signature_required",
            details={
                "fields": missing,
                "nda": {"reason": reasons, "text": "\n\n".join(n.text for n in needed)},
            },
        )
    if len(signature) > 200:
        raise InvalidInput.field("nda_signature", "A signature is at most 200 characters")
    return signature, reasons[:300]


def _context(booking, preregistration, production):
    """The host and production a sign-in takes from what the visitor was expected for."""
    if booking is not None:
        return booking.owner, booking.job.production_id if booking.job_id else None
    if preregistration is not None:
        return preregistration.host, preregistration.production_id
    return None, production.pk if production is not None else None


@transaction.atomic
def sign_in(
    *,
    actor,
    name: str,
    company: str = "",
    host=None,
    car_registration: str = "",
    contact=None,
    booking=None,
    preregistration=None,
    production=None,
    accept_nda_version: int | None = None,
    nda_signature: str = "",
    nda_agreed: bool = False,
    kind: str = Visit.Kind.VISITOR,
    now: datetime.datetime | None = None,
) -> Visit:
    """Sign a visitor in (expected or walk-in). Where the production requires an NDA the
    visitor must have accepted its current text, and where an app requires an NDA of this
    visit (a screening's) they sign it; the host is mailed by the worker."""
    now = now or timezone.now()
    default_host, production_id = _context(booking, preregistration, production)
    host = host or default_host
    nda = current_nda(production_id)
    acceptance = None
    if nda is not None:
        acceptance = _nda_for(
            nda,
            name=name,
            company=company,
            contact_id=contact.pk if contact else None,
            accepted_version=accept_nda_version,
            now=now,
        )
    signature, signed_for = _signature(
        booking, production_id, signature=nda_signature, agreed=nda_agreed, now=now
    )
    visit = crud.create(
        Visit,
        actor=actor,
        kind=kind,
        name=name,
        company=company,
        host=host,
        car_registration=car_registration.upper(),
        contact=contact,
        booking=booking,
        preregistration=preregistration,
        nda_accepted=acceptance,
        nda_signature=signature,
        nda_signed_for=signed_for,
        signed_in_at=now,
        signed_in_by=actor,
    )
    if host is not None and host.email:
        jobs.enqueue_on_commit(MAIL_HOST_TASK, visit.pk)
    # The worker signs out whoever is still in when this day ends.
    jobs.enqueue_on_commit(MIDNIGHT_TASK, run_after=day_end(now))
    return visit


def day_end(instant: datetime.datetime) -> datetime.datetime:
    day = timezone.localtime(instant, facility_zone()).date()
    return local_day_bounds(day, facility_zone())[1]


@transaction.atomic
def sign_out(visit_id: int, *, actor, now: datetime.datetime | None = None) -> Visit:
    """One tap: the visitor leaves. A visit already signed out is a Conflict."""
    now = now or timezone.now()
    if not Visit.objects.filter(pk=visit_id, signed_out_at__isnull=True).update(signed_out_at=now):
        if not Visit.objects.filter(pk=visit_id).exists():
            raise NotFound("No such visit")
        raise Conflict("This visitor has signed out already")
    visit = Visit.objects.get(pk=visit_id)
    audit.record(
        actor,
        visit,
        AuditEntry.Action.TRANSITION,
        audit.diff({}, {"signed_out_at": now}),
        f"Signed out {visit.name}",
    )
    return visit


def sign_out_left_overnight(now: datetime.datetime | None = None) -> int:
    """Everyone still signed in from a day that has ended is signed out at that day's
    midnight, marked automatic (never a real sign-out). Returns how many."""
    now = now or timezone.now()
    today_start = local_day_bounds(
        timezone.localtime(now, facility_zone()).date(), facility_zone()
    )[0]
    count = 0
    stale = Visit.objects.filter(signed_out_at__isnull=True, signed_in_at__lt=today_start)
    for visit_id, signed_in in stale.values_list("pk", "signed_in_at"):
        with transaction.atomic():
            midnight = day_end(signed_in)
            if Visit.objects.filter(pk=visit_id, signed_out_at__isnull=True).update(
                signed_out_at=midnight, auto_signed_out=True
            ):
                audit.record(
                    WORKER,
                    Visit(pk=visit_id),
                    AuditEntry.Action.TRANSITION,
                    audit.diff({}, {"signed_out_at": midnight, "auto_signed_out": True}),
                    "Signed out automatically at midnight",
                )
                count += 1
    return count
