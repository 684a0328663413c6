"""Every write of the media library, one module per concern; import them from here:
`from postdesk.library import services; services.move(item, shelf, actor=user)`.

- items.py      register, update, lineage (add_parents), archive/restore, badges
- locations.py  the location tree: create, rename/update, move, archive
- custody.py    move, check out, check in, dispatch, receive
- scan.py       the scan station's scan_move
- stocktake.py  stock-takes: start, record scans, close, resolve misplaced
- reminders.py  overdue reminders (run by the worker, tasks.py)
- destruction.py  retention: destruction requests, approval, certificate numbers
- research.py   archive research requests

Every service is one transaction with its audit entry; custody changes append one
Movement each (common.relocate). Errors are core/errors' domain exceptions, plus the
Conflict subclasses below (409s with their own codes).
"""

from postdesk.library.services.common import ItemArchived, ItemDestroyed
from postdesk.library.services.custody import check_in, check_out, dispatch, move, receive
from postdesk.library.services.destruction import (
    DestructionRefused,
    approve_destruction,
    check_destroyable,
    complete_destruction,
    reject_destruction,
    request_destruction,
)
from postdesk.library.services.items import (
    DuplicateBarcode,
    add_parents,
    archive_item,
    register_item,
    restore_item,
    set_badge,
    update_item,
)
from postdesk.library.services.locations import (
    LocationNotEmpty,
    archive_location,
    change_location,
    create_location,
    move_location,
    rename_location,
    update_location,
)
from postdesk.library.services.reminders import send_overdue_reminders
from postdesk.library.services.research import (
    create_research_request,
    link_research_items,
    transition_research_request,
    unlink_research_items,
    update_research_request,
)
from postdesk.library.services.scan import scan_move
from postdesk.library.services.stocktake import (
    classify,
    close_stocktake,
    record_scans,
    resolve_misplaced,
    start_stocktake,
)

__all__ = [
    "DestructionRefused",
    "DuplicateBarcode",
    "ItemArchived",
    "ItemDestroyed",
    "LocationNotEmpty",
    "add_parents",
    "approve_destruction",
    "archive_item",
    "archive_location",
    "change_location",
    "check_destroyable",
    "check_in",
    "check_out",
    "classify",
    "close_stocktake",
    "complete_destruction",
    "create_location",
    "create_research_request",
    "dispatch",
    "link_research_items",
    "move",
    "move_location",
    "receive",
    "record_scans",
    "register_item",
    "reject_destruction",
    "rename_location",
    "request_destruction",
    "resolve_misplaced",
    "restore_item",
    "scan_move",
    "send_overdue_reminders",
    "set_badge",
    "start_stocktake",
    "transition_research_request",
    "unlink_research_items",
    "update_item",
    "update_location",
    "update_research_request",
]
