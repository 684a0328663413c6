"""Background work for coordination: ADR call sheets mailed by the worker."""

from django_tasks import task

from postdesk.coordination import call_sheets
from postdesk.coordination.models import AdrSession
from postdesk.core import mailing


@task()
def mail_call_sheet(session_id: int, attempt: int = 1) -> str:
    """Enqueued by call_sheets.send_call_sheet once it commits."""
    session = (
        AdrSession.objects.select_related("booking", "production").filter(pk=session_id).first()
    )
    if session is None or session.booking is None or not session.agent_email:
        return f"ADR session {session_id}: no call sheet to mail"
    return mailing.deliver(
        lambda: call_sheets.call_sheet_message(session),
        about=session,
        what="ADR call sheet",
        task=mail_call_sheet,
        task_args=(session_id,),
        attempt=attempt,
    )
