"""Writes of the core app: users, API tokens, sites. One transaction each, audited."""

import functools
import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from postdesk.core import audit, crud, hotsql
from postdesk.core.errors import InvalidInput, NotFound
from postdesk.core.models import ApiToken, AuditEntry, Site, User
from postdesk.core.roles import MANAGE_USERS, ROLES, can, remember_role, role_of

TOKEN_PREFIX = "pd_"
# Writing last_used_at on every request would add a write to every read; once a minute
# is precise enough for "when was this token last used".
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_user(
    *,
    username: str,
    role: str,
    password: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    client=None,
    actor: User | audit.SystemActor = audit.SYSTEM,
) -> User:
    _check_role_and_client(role, client)
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput.field("username", f"A user called {username!r} already exists")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        client=client,
        # The Django admin is for those who manage users (the matrix says who).
        is_staff=MANAGE_USERS in ROLES[role]["capabilities"],
        is_superuser=role == "admin",
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    audit.record_create(
        actor, user, ["username", "email", "first_name", "last_name", "client_id"], f"role {role}"
    )
    return user


@transaction.atomic
def issue_token(
    *, user: User, name: str = "API token", actor: User | audit.SystemActor | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the token text, shown only now. The
    actor is `user` themselves unless another is named."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name[:100], prefix=token[:10], key_hash=hash_token(token)
    )
    audit.record_create(actor or user, row, ["user_id", "name", "prefix"])
    return row, token


@transaction.atomic
def revoke_token(*, token_id: int, actor: User) -> ApiToken:
    qs = ApiToken.objects.select_for_update()
    if not can(actor, MANAGE_USERS):
        qs = qs.filter(user=actor)
    row = qs.filter(pk=token_id).first() if 1 <= token_id < 2**63 else None
    if row is None:
        raise NotFound(f"No API token {token_id}")
    if row.revoked_at is None:
        before = audit.snapshot(row, ["revoked_at"])
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit.record_update(actor, row, before, "revoked")
    return row


def authenticate_token(token: str) -> User | None:
    """The active user holding `token`, or None. Marks the token used (at most once a minute).

    Every API request runs this, so it is one hand-written query: the user, whether the
    token's last use is older than LAST_USED_RESOLUTION, and the role, which permission
    checks then read without another query. Building the same query through the ORM
    (select_related plus a subquery annotation) cost more than a millisecond per request.
    """
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    stale_before = hotsql.instant(now - LAST_USED_RESOLUTION)
    rows = hotsql.fetch(_token_sql(), [stale_before, *ROLES, hash_token(token)])
    if not rows:
        return None
    token_id, stale, role_name, *values = rows[0]
    values[TOKEN_USER_FIELDS.index("is_active")] = True  # the query asked for active users
    for name in ("is_staff", "is_superuser"):  # SQLite answers 0 or 1
        values[TOKEN_USER_FIELDS.index(name)] = bool(values[TOKEN_USER_FIELDS.index(name)])
    # The fields a request needs; the rest (password, dates) load if something asks.
    user = User.from_db(connection.alias, TOKEN_USER_FIELDS, values)
    if stale:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    remember_role(user, role_name)
    return user


_REQUEST_USER_FIELDS = frozenset(
    [
        "id",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_staff",
        "is_superuser",
        "client_id",
    ]
)
# In the model's field order, which Model.from_db expects.
TOKEN_USER_FIELDS = tuple(
    f.attname for f in User._meta.concrete_fields if f.attname in _REQUEST_USER_FIELDS
)


@functools.cache
def _token_sql() -> str:
    qn, col = connection.ops.quote_name, hotsql.column
    users = qn(User._meta.db_table)
    groups = User._meta.get_field("groups")
    membership = qn(groups.m2m_db_table())
    roles = ", ".join(["%s"] * len(ROLES))
    columns = ", ".join(f"u.{qn(User._meta.get_field(f).column)}" for f in TOKEN_USER_FIELDS)
    token_id, user_id, group_id = (m._meta.pk.column for m in (ApiToken, User, Group))
    last_used, group_name = col(ApiToken, "last_used_at"), col(Group, "name")
    return (
        f"SELECT t.{token_id}, (t.{last_used} IS NULL OR t.{last_used} < %s), "
        f"(SELECT g.{group_name} FROM {qn(Group._meta.db_table)} g "
        f"INNER JOIN {membership} m ON m.{groups.m2m_reverse_name()} = g.{group_id} "
        f"WHERE m.{groups.m2m_column_name()} = u.{user_id} AND g.{group_name} IN ({roles}) "
        f"ORDER BY g.{group_name} LIMIT 1), {columns} "
        f"FROM {qn(ApiToken._meta.db_table)} t "
        f"INNER JOIN {users} u ON u.{user_id} = t.{col(ApiToken, 'user')} "
        f"WHERE t.{col(ApiToken, 'key_hash')} = %s AND t.{col(ApiToken, 'revoked_at')} IS NULL "
        f"AND u.{col(User, 'is_active')}"
    )


@transaction.atomic
def create_site(
    *,
    name: str,
    code: str,
    time_zone: str = "Europe/London",
    address: str = "",
    country: str = "GB",
    subdivision: str = "ENG",
    actor: User | audit.SystemActor = audit.SYSTEM,
) -> Site:
    site = Site(
        name=name,
        code=code,
        time_zone=time_zone,
        address=address,
        country=country,
        subdivision=subdivision,
    )
    site.full_clean()
    site.save()
    audit.record_create(actor, site)
    return site


def update_site(site: Site, *, actor, **changes) -> Site:
    return crud.update(site, actor=actor, **changes)


def delete_site(site: Site, *, actor) -> None:
    crud.delete(site, actor=actor)


# What a user's audit entries record; never the password hash.
USER_FIELDS = ("first_name", "last_name", "email", "is_active", "client_id")


def _check_role_and_client(role: str, client) -> None:
    if role not in ROLES:
        raise InvalidInput.field("role", f"Unknown role {role!r}; one of {', '.join(ROLES)}")
    if role == "client" and client is None:
        raise InvalidInput.field("client", "A client user must belong to a client company")
    if role != "client" and client is not None:
        raise InvalidInput.field("client", "Only client users belong to a client company")


@transaction.atomic
def update_user(user: User, *, actor, role: str | None = None, **changes) -> User:
    """Change a user's names, e-mail, active flag, company or role (the role decides the
    admin flags, as in create_user). Nobody changes their own role or deactivates
    themselves: the last administrator could lock everyone out."""
    unknown = sorted(set(changes) - {"first_name", "last_name", "email", "is_active", "client"})
    if unknown:
        raise InvalidInput(f"These user fields cannot be changed here: {', '.join(unknown)}")
    user = User.objects.select_for_update().get(pk=user.pk)
    old_role = role_of(user)
    new_role = role or old_role
    is_self = actor is not None and getattr(actor, "pk", None) == user.pk
    if is_self and (new_role != old_role or changes.get("is_active") is False):
        raise InvalidInput.field(
            "role" if new_role != old_role else "is_active",
            "You cannot change your own role or deactivate yourself; ask another administrator",
        )
    client = changes.get("client", user.client)
    _check_role_and_client(new_role, client)
    before = audit.snapshot(user, USER_FIELDS)
    for name, value in changes.items():
        setattr(user, name, value)
    user.is_staff = MANAGE_USERS in ROLES[new_role]["capabilities"]
    user.is_superuser = new_role == "admin"
    crud.validate(user, exclude=["password"])
    user.save()
    diff = audit.diff(before, audit.snapshot(user, USER_FIELDS))
    if new_role != old_role:
        user.groups.set([Group.objects.get(name=new_role)])
        remember_role(user, new_role)
        diff["role"] = [old_role, new_role]
    if diff:
        audit.record(actor, user, AuditEntry.Action.UPDATE, diff, f"Changed {user}")
    return user


@transaction.atomic
def set_user_password(user: User, *, password: str | None, actor) -> User:
    """Set a user's password, or with None turn password sign-in off. The audit entry says
    that it changed, never what to."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if password:
        user.set_password(password)
        summary = "password changed"
    else:
        user.set_unusable_password()
        summary = "password sign-in disabled"
    user.save(update_fields=["password"])
    audit.record(actor, user, AuditEntry.Action.UPDATE, {}, summary)
    return user
