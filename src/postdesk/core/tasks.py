"""Background work shared by every app.

The worker runs each app's sweep at start-up, so work whose deferred task was lost (a
database restored from backup, a worker down past a deadline) still happens.
"""

import logging

from django.utils.module_loading import import_string

logger = logging.getLogger("postdesk")

STARTUP_SWEEPS = [
    "postdesk.scheduling.tasks.expire_overdue_challenges_now",
    "postdesk.billing.tasks.expire_quotes_now",
    "postdesk.library.tasks.sweep_overdue_now",
    "postdesk.frontdesk.tasks.sign_out_left_overnight_now",
    "postdesk.engineering.tasks.recover_lost_qc_now",
    "postdesk.billing.tasks.announce_overdue_now",
    "postdesk.notifications.tasks.catch_up_now",
]


def run_startup_sweeps() -> None:
    for path in STARTUP_SWEEPS:
        try:
            func = import_string(path)
        except ImportError:
            continue
        done = func()
        logger.info("start-up sweep %s: %s", path, done)
