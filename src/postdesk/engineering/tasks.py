"""Background work of engineering: media QC checks, enqueued when a check is started."""

from django_tasks import task

from postdesk.engineering import qc_runner
from postdesk.engineering.services import qc as qc_services


@task()
def run_qc(report_id: int) -> str:
    return qc_runner.run_report(report_id)


def recover_lost_qc_now() -> str:
    """Start-up sweep: checks left running by a worker that died are queued again (or,
    after their last attempt, marked as errors)."""
    requeued, failed = qc_services.recover_lost()
    return f"{requeued} QC check(s) requeued, {failed} ended"
