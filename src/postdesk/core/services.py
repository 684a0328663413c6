"""Writes of the core app: users, API tokens, sites. One transaction each, audited."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from postdesk.core import audit
from postdesk.core.errors import InvalidInput, NotFound
from postdesk.core.models import ApiToken, Site, User
from postdesk.core.roles import MANAGE_USERS, ROLES, can, remember_role

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
    actor=None,
) -> User:
    if role not in ROLES:
        raise InvalidInput.field("role", f"Unknown role {role!r}; one of {', '.join(ROLES)}")
    if role == "client" and client is None:
        raise InvalidInput.field("client", "A client user must belong to a client company")
    if role != "client" and client is not None:
        raise InvalidInput.field("client", "Only client users belong to a client company")
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
def issue_token(*, user: User, name: str = "API token", actor=None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the token text, shown only now."""
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
    """The active user holding `token`, or None. Marks the token used (at most once a minute)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    # The role comes along in the same query, so permission checks need no more.
    role_names = Group.objects.filter(user=OuterRef("user_id"), name__in=ROLES).values("name")
    row = (
        ApiToken.objects.select_related("user")
        .annotate(role_name=Subquery(role_names[:1]))
        .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    user = row.user
    remember_role(user, row.role_name)
    return user


@transaction.atomic
def create_site(
    *,
    name: str,
    code: str,
    time_zone: str = "Europe/London",
    address: str = "",
    country: str = "GB",
    subdivision: str = "ENG",
    actor=None,
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
