"""The background worker, run inside a test: django-tasks-db's own loop, as `postdesk worker
--batch` runs it, doing every task that is due and then returning."""

import smtplib
from unittest import mock

from django.core.mail.backends.base import BaseEmailBackend
from django_tasks_db.management.commands import db_worker


def run_worker() -> None:
    worker = db_worker.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    # Between tasks the loop closes connections left in a transaction, which in a test is
    # the test's own (its changes would vanish); the test's connection is never stale.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()


class SmtpDown(BaseEmailBackend):
    """A mail backend whose server refuses every message, as a real one does when down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
