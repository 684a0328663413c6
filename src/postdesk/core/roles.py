"""The permission matrix: what each role may read and change, in one place.

Roles are Django groups named after the role; the matrix below is written into them by
migrations (core 0002 and any later one that calls `sync_roles`). Pages and the API ask
`can(user, capability)`; client users are further scoped to their company
by `scope_to_client`.

Each role also says which bookings it may write (`books`: booking kind -> the job work
types allowed, or ANY_WORK), which the scheduling services enforce on every booking
write (`booking_refusal`), and whether it is `outside` the facility (client users), which
the visibility policies (core/visibility.py) read: outside users never see the facility's
internal notes, costs or staff contacts.
"""

from django.contrib.auth.models import Group, Permission

VIEW_BOARD = "view_board"
CHANGE_BOOKINGS = "change_bookings"
MANAGE_RESOURCES = "manage_resources"
VIEW_CLIENTS = "view_clients"
CHANGE_CLIENTS = "change_clients"
VIEW_MONEY = "view_money"
CHANGE_MONEY = "change_money"
APPROVE_QUOTES = "approve_quotes"
CHANGE_BUDGETS = "change_budgets"
RESPOND_QUOTES = "respond_quotes"
VIEW_AUDIT = "view_audit"
MANAGE_USERS = "manage_users"
# The media library's (carried by library.LibraryPermissions, see sync_roles).
VIEW_MEDIA = "view_media"
MANAGE_LIBRARY = "manage_library"
MOVE_MEDIA = "move_media"
DISPATCH_MEDIA = "dispatch_media"
APPROVE_DESTRUCTION = "approve_destruction"
# Engineering (issue 14): any staff role reports a fault; engineers keep the register,
# tickets, maintenance and PAT; the bookings office sees them to move work off a down room.
REPORT_FAULTS = "report_faults"
VIEW_ENGINEERING = "view_engineering"
MANAGE_ENGINEERING = "manage_engineering"

ALL_CAPABILITIES = (
    VIEW_BOARD,
    CHANGE_BOOKINGS,
    MANAGE_RESOURCES,
    VIEW_CLIENTS,
    CHANGE_CLIENTS,
    VIEW_MONEY,
    CHANGE_MONEY,
    APPROVE_QUOTES,
    CHANGE_BUDGETS,
    RESPOND_QUOTES,
    VIEW_AUDIT,
    MANAGE_USERS,
    VIEW_MEDIA,
    MANAGE_LIBRARY,
    MOVE_MEDIA,
    DISPATCH_MEDIA,
    APPROVE_DESTRUCTION,
    REPORT_FAULTS,
    VIEW_ENGINEERING,
    MANAGE_ENGINEERING,
)
# The apps whose permission-carrying models hold the capabilities above.
CAPABILITY_APPS = ("core", "library", "frontdesk")

# `books` values: which jobs' bookings of that kind the role may write. ANY_WORK: all;
# a set: only jobs of those work types (productions.models.Job.WorkType). Non-job kinds
# (maintenance, leave, internal) have no job, so only ANY_WORK makes sense for them.
ANY_WORK = None
ALL_KINDS = {"job": ANY_WORK, "maintenance": ANY_WORK, "leave": ANY_WORK, "internal": ANY_WORK}

ROLES: dict[str, dict] = {
    "admin": {
        "label": "Administrator",
        "capabilities": set(ALL_CAPABILITIES) - {RESPOND_QUOTES},
        "books": ALL_KINDS,
    },
    "bookings": {
        "label": "Bookings coordinator",
        "capabilities": {
            VIEW_BOARD,
            CHANGE_BOOKINGS,
            MANAGE_RESOURCES,
            VIEW_CLIENTS,
            CHANGE_CLIENTS,
            VIEW_MONEY,
            CHANGE_MONEY,
        },
        # Keeps the diary: client work, maintenance, staff leave and the house's own use.
        "books": ALL_KINDS,
    },
    "supervisor": {
        "label": "Post-production supervisor",
        "capabilities": {
            VIEW_BOARD,
            CHANGE_BOOKINGS,
            VIEW_CLIENTS,
            CHANGE_CLIENTS,
            VIEW_MONEY,
            APPROVE_QUOTES,
            CHANGE_BUDGETS,
            VIEW_AUDIT,
            # Sees the productions' media, and approves its destruction: the library may
            # ask, but never decide alone that a client's master goes.
            VIEW_MEDIA,
            APPROVE_DESTRUCTION,
        },
        # Hires and schedules post crew across productions, often alone: all kinds.
        "books": ALL_KINDS,
    },
    "coordinator": {
        "label": "Post-production coordinator",
        # Sees the media: the storage of the final masters is the coordinator's concern.
        "capabilities": {VIEW_BOARD, CHANGE_BOOKINGS, VIEW_CLIENTS, VIEW_MEDIA},
        # Books ADR sessions and preview screenings (DOMAIN), nothing else: not other
        # client work, not the facility's maintenance, leave or internal use, which are
        # not the production's to decide.
        "books": {"job": frozenset({"adr", "screening"})},
    },
    "reception": {
        "label": "Receptionist",
        # Traffic at the front door: media received and dispatched to couriers.
        "capabilities": {VIEW_BOARD, VIEW_CLIENTS, VIEW_MEDIA, DISPATCH_MEDIA},
        "books": {},
    },
    "engineer": {
        "label": "Engineer",
        # Engineers block suites and kit for maintenance, so they may book, but only that:
        # installs, calibration and tests are maintenance too; client work, leave and
        # internal use are the bookings office's.
        # Reads the media (formats, timecode, roll numbers), never moves it.
        "capabilities": {VIEW_BOARD, CHANGE_BOOKINGS, MANAGE_RESOURCES, VIEW_MEDIA},
        "books": {"maintenance": ANY_WORK},
    },
    "library": {
        "label": "Library assistant",
        # Everything in the library but approving destruction (a supervisor's).
        "capabilities": {
            VIEW_BOARD,
            VIEW_CLIENTS,
            VIEW_MEDIA,
            MANAGE_LIBRARY,
            MOVE_MEDIA,
            DISPATCH_MEDIA,
        },
        "books": {},
    },
    "runner": {
        "label": "Runner",
        # Runners look after the clients in the building, so the board shows them client
        # and production names (as to all staff), but they have no view_clients: no client
        # records, contacts or notes, no money. They carry media about the building:
        # move, check out and check in, not receive or dispatch (reception's).
        "capabilities": {VIEW_BOARD, VIEW_MEDIA, MOVE_MEDIA},
        "books": {},
    },
    "accounts": {
        "label": "Accounts",
        "capabilities": {VIEW_BOARD, VIEW_CLIENTS, CHANGE_CLIENTS, VIEW_MONEY, CHANGE_MONEY},
        "books": {},
    },
    "client": {
        "label": "Client",
        # Always scoped to the user's own company (scope_to_client); their VIEW_MONEY is
        # their own quotes and invoices, never the facility's costs (core/visibility.py);
        # their VIEW_MEDIA is their own company's media, read-only (MediaItem.client).
        "capabilities": {VIEW_BOARD, VIEW_CLIENTS, VIEW_MONEY, RESPOND_QUOTES, VIEW_MEDIA},
        "books": {},
        "outside": True,
    },
}

# Engineering's capabilities by role, added here rather than inside each role above so
# the matrix's existing lines stay as they are.
_ENGINEERING = {
    "admin": {REPORT_FAULTS, VIEW_ENGINEERING, MANAGE_ENGINEERING},
    "bookings": {REPORT_FAULTS, VIEW_ENGINEERING},
    "supervisor": {REPORT_FAULTS, VIEW_ENGINEERING},
    "coordinator": {REPORT_FAULTS, VIEW_ENGINEERING},
    "reception": {REPORT_FAULTS},
    "engineer": {REPORT_FAULTS, VIEW_ENGINEERING, MANAGE_ENGINEERING},
    "library": {REPORT_FAULTS, VIEW_ENGINEERING},
    "runner": {REPORT_FAULTS},
    "accounts": {REPORT_FAULTS},
}
for _role, _caps in _ENGINEERING.items():
    ROLES[_role]["capabilities"] |= _caps

ROLE_NAMES = tuple(ROLES)


def sync_roles(group_model=Group, permission_model=Permission, using: str = "default") -> None:
    """Make every role group hold exactly the permissions of the matrix.

    Takes the models as arguments so that data migrations can pass historical ones.
    """
    perms = {
        p.codename: p
        for p in permission_model.objects.using(using).filter(
            content_type__app_label__in=CAPABILITY_APPS, codename__in=ALL_CAPABILITIES
        )
    }
    for name, spec in ROLES.items():
        group, _ = group_model.objects.using(using).get_or_create(name=name)
        group.permissions.set([perms[c] for c in sorted(spec["capabilities"]) if c in perms])


def remember_role(user, group_name: str | None) -> None:
    """Cache the role on the user object for the request (when it was read already)."""
    user._postdesk_role = group_name or ("admin" if user.is_superuser else None)


def role_of(user) -> str | None:
    """The user's role name, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_postdesk_role", "unset")
    if cached != "unset":
        return cached
    names = [g.name for g in user.groups.all() if g.name in ROLES]
    remember_role(user, names[0] if names else None)
    return user._postdesk_role


def can(user, capability: str) -> bool:
    """Whether the user's role holds `capability`, decided by the matrix above.

    The groups hold the same permissions (sync_roles), but asking the matrix through the
    role cached on the user costs no query, where `has_perm` loads the user's and the
    group's permissions on every request (measured: a quarter of an API create).
    """
    if not (user and user.is_authenticated and user.is_active):
        return False
    role = role_of(user)
    return role is not None and capability in ROLES[role]["capabilities"]


def capabilities_of(user) -> list[str]:
    return [c for c in ALL_CAPABILITIES if can(user, c)]


def is_outside(user) -> bool:
    """Whether the user is outside the facility (a client user): the visibility policies
    hide the facility's internals from them. A user tied to a company counts as outside
    whatever its role, as `scope_to_client` treats it."""
    if getattr(user, "client_id", None):
        return True
    role = role_of(user)
    return role is not None and ROLES[role].get("outside", False)


def booking_rights(user) -> dict:
    """{booking kind: ANY_WORK or the work types} the user may book; empty if none."""
    if not can(user, CHANGE_BOOKINGS):
        return {}
    return dict(ROLES[role_of(user)].get("books", {}))


# How work types read in a refusal; the rest read as they are stored.
_WORK_WORDS = {"adr": "ADR"}


def _plural(label: str) -> str:
    return label if label.endswith("s") else label + "s"


def _rights_text(books: dict) -> str:
    """What a role may book, as a refusal says it: "maintenance only", "ADR and screening
    jobs only"."""
    parts = []
    for kind, work in books.items():
        if kind == "job" and work is not ANY_WORK:
            words = [_WORK_WORDS.get(w, w) for w in sorted(work)]
            parts.append(" and ".join(words) + " jobs")
        else:
            parts.append(kind if kind != "job" else "jobs")
    return ", ".join(parts) + " only"


def booking_refusal(user, kind: str, work_type=None) -> str | None:
    """Why the user may not write a booking of this kind (on a job of this work type), or
    None when the matrix lets them. Services call this on every booking write.

    `work_type` may be a function returning it, called only when the role's right
    depends on it (reading a booking's job costs a query the other roles need not pay)."""
    role = role_of(user) if getattr(user, "is_active", True) else None
    if role is None or CHANGE_BOOKINGS not in ROLES[role]["capabilities"]:
        who = _plural(ROLES[role]["label"]) if role else "Users without a role"
        return f"{who} may not book"
    books = ROLES[role].get("books", {})
    if kind in books:
        allowed = books[kind]
        if allowed is ANY_WORK or (work_type() if callable(work_type) else work_type) in allowed:
            return None
    return f"{_plural(ROLES[role]['label'])} may book {_rights_text(books)}"


def scope_to_client(user, queryset, client_field: str = "client"):
    """Limit a queryset to the user's company when the user is a client user.

    Staff see everything their capabilities allow; a client user sees only rows whose
    `client_field` (a lookup path such as "job__client") is their company. Objects
    outside the scope then answer 404, as if they did not exist.
    """
    if getattr(user, "client_id", None):
        return queryset.filter(**{client_field: user.client_id})
    if role_of(user) == "client":
        # A client user with no company sees nothing rather than everything.
        return queryset.none()
    return queryset


def ensure_roles() -> None:
    """Create any missing permissions, then sync the role groups.

    For a database emptied by a flush (transactional tests); on a real database the
    migrations that call `sync_roles` keep the roles.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    sync_roles()


# The front desk and the runners (issue 15). Every staff role uses the runner board (posts
# tasks, follows them); runners run them; reception, which "is responsible for traffic,
# dispatch and runners", assigns them as head runner, with admins. Added here rather than
# inside each role above so the matrix's existing lines stay as they are.
# Their permission rows are carried by frontdesk.FrontdeskPermissions, as the library's are.
USE_RUNNER_BOARD = "use_runner_board"
RUN_TASKS = "run_tasks"
ASSIGN_TASKS = "assign_tasks"
# Visitors: any staff member announces (hosts) one; only reception, supervisors and admins
# see visitor details, sign visitors in and out and run the kiosk (issue 15 item 4).
HOST_VISITORS = "host_visitors"
RECEIVE_VISITORS = "receive_visitors"
# The accident book (issue 15 item 10): read and written only by admins, supervisors and
# reception (the first aid point is the front desk).
KEEP_ACCIDENT_BOOK = "keep_accident_book"
# Catering and supplies (items 7 and 8): reception runs the front office, with admins.
# Using supplies (a quick decrement) is any staff member's (use_runner_board).
RUN_FRONT_OFFICE = "run_front_office"
ALL_CAPABILITIES = (
    *ALL_CAPABILITIES,
    USE_RUNNER_BOARD,
    RUN_TASKS,
    ASSIGN_TASKS,
    HOST_VISITORS,
    RECEIVE_VISITORS,
    KEEP_ACCIDENT_BOOK,
    RUN_FRONT_OFFICE,
)
_STAFF = {USE_RUNNER_BOARD, HOST_VISITORS}
_FRONTDESK = {
    "admin": {
        *_STAFF,
        RUN_TASKS,
        ASSIGN_TASKS,
        RECEIVE_VISITORS,
        KEEP_ACCIDENT_BOOK,
        RUN_FRONT_OFFICE,
    },
    "bookings": _STAFF,
    "supervisor": {*_STAFF, RECEIVE_VISITORS, KEEP_ACCIDENT_BOOK},
    "coordinator": _STAFF,
    "reception": {*_STAFF, ASSIGN_TASKS, RECEIVE_VISITORS, KEEP_ACCIDENT_BOOK, RUN_FRONT_OFFICE},
    "engineer": _STAFF,
    "library": _STAFF,
    "runner": {*_STAFF, RUN_TASKS},
    "accounts": _STAFF,
}
for _role, _capabilities in _FRONTDESK.items():
    ROLES[_role]["capabilities"] |= _capabilities

# Post coordination (issue 16): the productions' deliverables and post schedules are seen
# by the bookings office, supervisors, coordinators and the client (their own
# productions only, scope_to_client); coordinators and supervisors keep them. Crew deal
# memos (day rates agreed with freelancers) and the supervisor's desk are the
# supervisor's. Carried by coordination.CoordinationPermissions.
VIEW_DELIVERABLES = "view_deliverables"
MANAGE_DELIVERABLES = "manage_deliverables"
SUPERVISE_POST = "supervise_post"
ALL_CAPABILITIES = (*ALL_CAPABILITIES, VIEW_DELIVERABLES, MANAGE_DELIVERABLES, SUPERVISE_POST)
CAPABILITY_APPS = (*CAPABILITY_APPS, "coordination")
_COORDINATION = {
    "admin": {VIEW_DELIVERABLES, MANAGE_DELIVERABLES, SUPERVISE_POST},
    "bookings": {VIEW_DELIVERABLES},
    "supervisor": {VIEW_DELIVERABLES, MANAGE_DELIVERABLES, SUPERVISE_POST},
    "coordinator": {VIEW_DELIVERABLES, MANAGE_DELIVERABLES},
    "client": {VIEW_DELIVERABLES},
}
for _role, _capabilities in _COORDINATION.items():
    ROLES[_role]["capabilities"] |= _capabilities
