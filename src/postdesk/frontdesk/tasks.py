"""Background work for the front desk: the host is mailed when their visitor arrives, and
whoever is still signed in at midnight is signed out, marked automatic."""

from django_tasks import task

from postdesk.core import mailing
from postdesk.frontdesk import notifications, privacy, visitor_services


@task()
def mail_host_arrival(visit_id: int, attempt: int = 1) -> str:
    """Enqueued by visitor_services.sign_in once the sign-in commits."""
    visit = notifications.arrived_visit(visit_id)
    if visit is None or visit.host is None or not visit.host.email:
        return f"visit {visit_id}: no host to mail"
    return mailing.deliver(
        lambda: notifications.arrival_notice(visit),
        about=visit,
        what="arrival notice",
        task=mail_host_arrival,
        task_args=(visit_id,),
        attempt=attempt,
    )


@task()
def sign_out_at_midnight() -> str:
    """Runs when a day with sign-ins ends (enqueued by each sign-in for its day's end)."""
    return sign_out_left_overnight_now()


def sign_out_left_overnight_now() -> str:
    """The same as a start-up sweep: a worker down over midnight still signs them out.
    The day's end is also when visitors past the retention period are anonymised."""
    out = visitor_services.sign_out_left_overnight()
    gone = privacy.anonymise_old_visitors()
    return f"signed out {out} visitor(s) left in overnight; anonymised {gone} old visit(s)"
