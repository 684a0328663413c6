"""The demo facility: a believable two-site London post house.

Each app contributes a loader (`load() -> str`), run in order. A loader that has run is
marked in the Sequence table, so `postdesk demo` is idempotent: running it again changes
nothing, and a loader added by a later release still runs on an older demo database.
All data goes through the services, so the audit log tells the same story as the data.
"""

from django.db import transaction
from django.utils.module_loading import import_string

from postdesk.core.models import Sequence

LOADERS = [
    "postdesk.core.demo_data.load",
    # Before billing's, so the demo's issued invoices keep these details.
    "postdesk.core.demo_facility.load",
    "postdesk.productions.demo.load",
    "postdesk.scheduling.demo.load",
    "postdesk.billing.demo.load",
    "postdesk.library.demo.load",
    "postdesk.engineering.demo.load",
    "postdesk.frontdesk.demo.load",
    "postdesk.coordination.demo.load",
    "postdesk.reports.demo.load",
    "postdesk.portal.demo.load",
    # Last: the history the others' services wrote, topped up for everyone.
    "postdesk.notifications.demo.load",
]

DEMO_PASSWORD = "demo"


def load_demo() -> list[str]:
    lines = []
    for path in LOADERS:
        marker = f"demo:{path.rsplit('.', 2)[0]}"
        try:
            loader = import_string(path)
        except ImportError:
            continue
        with transaction.atomic():
            if Sequence.objects.filter(name=marker).exists():
                lines.append(f"{marker}: already loaded")
                continue
            lines.append(f"{marker}: {loader()}")
            Sequence.objects.create(name=marker, last_value=1)
    return lines
