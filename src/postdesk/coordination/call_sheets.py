"""An ADR session's call sheet for the talent's agent: when and where to come (the stage,
or the remote studio), as who, and how many cues; a PDF attached to a plain message,
mailed by the worker (coordination.tasks) once the request that asked for it commits."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from postdesk.coordination.models import AdrSession
from postdesk.coordination.services import need_manage
from postdesk.core import audit, jobs
from postdesk.core.errors import InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.core.timeutil import zone_or_facility
from postdesk.scheduling.models import Booking, Resource

MAIL_TASK = "postdesk.coordination.tasks.mail_call_sheet"
# A released or cancelled booking no longer holds the stage: nobody is called to it.
LIVE = (Booking.Status.PENCIL, Booking.Status.CONFIRMED)


@transaction.atomic
def send_call_sheet(session: AdrSession, *, actor) -> AdrSession:
    """Mail the session's call sheet to the talent's agent (the worker sends it). Refused
    when the talent has no agent email or the session's booking is gone."""
    need_manage(actor)
    session = (
        AdrSession.objects.select_for_update(of=("self",))
        .select_related("booking")
        .get(pk=session.pk)
    )
    if not session.agent_email:
        raise InvalidInput.field(
            "agent_email",
            f"{session.talent} has no agent email: add the agent's address to the session "
            "before sending the call sheet",
        )
    if session.booking is None or session.booking.status not in LIVE:
        raise InvalidTransition("The session's booking is released: there is no call to send")
    audit.record(
        actor,
        session,
        AuditEntry.Action.TRANSITION,
        {"call_sheet_to": session.agent_email},
        f"Call sheet sent to {session.agent_email}",
    )
    jobs.enqueue_on_commit(MAIL_TASK, session.pk)
    return session


def details(session: AdrSession) -> dict:
    """What the call sheet says, in the stage's site's time zone."""
    booking = session.booking
    stage = (
        booking.allocations.select_related("resource__site")
        .filter(resource__kind=Resource.Kind.ROOM)
        .first()
    )
    zone = zone_or_facility(stage.resource.site.time_zone if stage is not None else None)
    start = booking.start.astimezone(zone)
    return {
        "session": session,
        "production": session.production,
        "date": start.date(),
        "call": start.time(),
        "wrap": booking.end.astimezone(zone).time(),
        "zone": zone.key,
        "where": (
            f"Remote: {session.remote_studio}"
            if session.remote
            else (stage.resource.name if stage is not None else "to be confirmed")
        ),
        "cues": session.cues.count(),
        "facility": settings.POSTDESK["FACILITY_NAME"],
    }


def call_sheet_pdf(info: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string("coordination/call_sheet_pdf.html", info)).write_pdf()


def call_sheet_message(session: AdrSession) -> EmailMessage:
    info = details(session)
    title = info["production"].title
    when = f"{info['date']:%a %d %b %Y}, call {info['call']:%H:%M}"
    message = EmailMessage(
        subject=f"ADR call sheet: {session.talent}, {title}, {info['date']:%a %d %b}",
        body=(
            f"Dear agent,\n\nPlease find attached the call sheet for {session.talent}"
            f"{' (' + session.character + ')' if session.character else ''} "
            f"for ADR on {title}: {when} ({info['zone']}), {info['where']}, "
            f"{info['cues']} cues.\n\n{info['facility']}\n"
        ),
        to=[session.agent_email],
    )
    message.attach(f"call-sheet-{session.pk}.pdf", call_sheet_pdf(info), "application/pdf")
    return message
