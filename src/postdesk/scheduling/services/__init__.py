"""Every write to resources, skills and bookings. One transaction each, audited.

One module per concern, from the bottom up:

- `conflicts`: the clash check and the messages that name a clash (BookingConflict,
  HigherPencil);
- `locking`: the resource locks every booking write takes first, and `serialised`, the
  transaction that retries a race a bounded number of times (DOMAIN rule 1);
- `checks`: what a booking must be before it is written, and who may write it;
- `records`: the version bump, the allocations' status and the audit entry every change
  to a booking writes;
- `ranks`: pencil ranks;
- `challenges`: one pencil pressing the pencils ranked above it;
- `bookings`: making and changing bookings;
- `transitions`: confirm, release, cancel, complete;
- `resources`: resources and skills.

The names the API, the pages, the admin, the tasks and the demo call are imported here,
so `from postdesk.scheduling import services` is the one way in.
"""

from postdesk.scheduling.services.bookings import (
    UNSET,
    add_resources,
    create_booking,
    create_repeating,
    move_booking,
    remove_resources,
    split_into_days,
    update_booking,
)
from postdesk.scheduling.services.challenges import challenge_booking
from postdesk.scheduling.services.checks import KINDS, default_status
from postdesk.scheduling.services.conflicts import BookingConflict, HigherPencil
from postdesk.scheduling.services.locking import MAX_ATTEMPTS, serialised
from postdesk.scheduling.services.ranks import rank_groups
from postdesk.scheduling.services.records import BOOKING_FIELDS
from postdesk.scheduling.services.resources import (
    RESOURCE_FIELDS,
    archive_resource,
    create_resource,
    create_skill,
    delete_resource,
    delete_skill,
    restore_resource,
    update_resource,
    update_skill,
)
from postdesk.scheduling.services.transitions import (
    cancel_booking,
    complete_booking,
    complete_past_bookings,
    confirm_booking,
    release_booking,
    release_if_lapsed,
)

__all__ = [
    "BOOKING_FIELDS",
    "KINDS",
    "MAX_ATTEMPTS",
    "RESOURCE_FIELDS",
    "UNSET",
    "BookingConflict",
    "HigherPencil",
    "add_resources",
    "archive_resource",
    "cancel_booking",
    "challenge_booking",
    "complete_booking",
    "complete_past_bookings",
    "confirm_booking",
    "create_booking",
    "create_repeating",
    "create_resource",
    "create_skill",
    "default_status",
    "delete_resource",
    "delete_skill",
    "move_booking",
    "rank_groups",
    "release_booking",
    "release_if_lapsed",
    "remove_resources",
    "restore_resource",
    "serialised",
    "split_into_days",
    "update_booking",
    "update_resource",
    "update_skill",
]
