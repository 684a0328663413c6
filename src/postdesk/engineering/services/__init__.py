"""Engineering's writes, one module per concern; every public name is importable from
here. Each is one transaction, audited, raising the domain errors of core/errors.py."""

from postdesk.engineering.services.assets import (  # noqa: F401
    create_asset,
    set_asset_status,
    update_asset,
)
from postdesk.engineering.services.faults import (  # noqa: F401
    ENGINEERING,
    add_note,
    attach_photo,
    change_state,
    move_all_off,
    move_off,
    report_fault,
    resolve_ticket,
    set_estimate,
)
from postdesk.engineering.services.it import (  # noqa: F401
    create_licence,
    create_machine,
    renew_licence,
    set_signal_path,
)
from postdesk.engineering.services.maintenance import (  # noqa: F401
    create_schedule,
    mark_done,
    place_task,
)
from postdesk.engineering.services.pat_tests import record_pat_test  # noqa: F401
from postdesk.engineering.services.qc import (  # noqa: F401
    cancel_check,
    start_check,
    sync_specs,
    update_spec,
)
