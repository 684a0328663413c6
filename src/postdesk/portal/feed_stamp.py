"""A feed's ETag for a conditional request, answered before anything is built: two
hand-written statements (the feed with its owner's rights, then the aggregate of its
bookings' versions), as core/hotsql answers the other hot paths.

Measured (bench/reports.py, `--profile`): of a 304's time, composing the ORM's SQL for
`open_feed` (four joined tables and two subqueries) and for the aggregate was most; the
database's own work was the smaller part. The text here is written once per vendor and
kind; the rights are decided by the same rules as `feeds.refusal`, from the row. The
ETag is the very one `feeds.stamp` gives (tests/portal/test_feed_stamp.py holds the two
equal), so a calendar never sees two ETags for one feed.

A production's or a person's feed has events besides bookings (feed_events); those are
few and read through the ORM after the quick statements, as `feeds.stamp` reads them."""

import datetime
import functools
import types

from django.db import connection

from postdesk.core import hotsql
from postdesk.core.models import User
from postdesk.core.roles import remember_role
from postdesk.productions.models import Job, Production
from postdesk.scheduling.models import Allocation, Booking
from postdesk.scheduling.overlap import max_span

from . import feeds
from .models import CalendarFeed, PersonLink

Kind = CalendarFeed.Kind
Status = Booking.Status


@functools.lru_cache(maxsize=2)
def _feed_sql(vendor: str) -> str:
    f, u = CalendarFeed._meta.db_table, User._meta.db_table
    groups = User.groups.through._meta.db_table
    group = User.groups.field.related_model._meta.db_table
    person, production = PersonLink._meta.db_table, Production._meta.db_table
    names = ", ".join(f"'{n}'" for n in feeds.ROLE_NAMES)
    return (
        "SELECT f.id, f.kind, f.owner_id, f.resource_id, f.production_id, f.client_id, "
        "f.token_issued_at, f.created_at, u.is_active, u.is_superuser, u.client_id, "
        f"(SELECT g.name FROM {groups} ug JOIN {group} g ON g.id = ug.group_id "
        f"WHERE ug.user_id = f.owner_id AND g.name IN ({names}) LIMIT 1), "
        f"(SELECT l.resource_id FROM {person} l WHERE l.user_id = f.owner_id), "
        f"(SELECT p.client_id FROM {production} p WHERE p.id = f.production_id), u.email "
        f"FROM {f} f JOIN {u} u ON u.id = f.owner_id "
        "WHERE f.token_hash = %s AND f.revoked_at IS NULL"
    )


@functools.lru_cache(maxsize=8)
def _stamp_sql(vendor: str, kind: str) -> str:
    a, b, j = Allocation._meta.db_table, Booking._meta.db_table, Job._meta.db_table
    col = hotsql.column
    where = {
        Kind.RESOURCE: f"a.{col(Allocation, 'resource')} = %s",
        Kind.PERSON: f"a.{col(Allocation, 'resource')} = %s",
        Kind.PRODUCTION: f"j.{col(Job, 'production')} = %s",
        Kind.COMPANY: f"j.{col(Job, 'client')} = %s",
    }[kind]
    job = (
        f"JOIN {j} j ON j.id = b.{col(Booking, 'job')} "
        if kind in (Kind.PRODUCTION, Kind.COMPANY)
        else ""
    )
    active = ", ".join(f"'{s}'" for s in Booking.ACTIVE_STATUSES)
    return (
        f"SELECT COUNT(a.id), MAX(b.updated_at), SUM(b.version) FROM {a} a "
        f"JOIN {b} b ON b.id = a.{col(Allocation, 'booking')} {job}"
        f'WHERE {where} AND a."start" < %s AND a."start" > %s AND a."end" > %s '
        f"AND (b.status IN ({active}) OR (b.status IN ('{Status.CANCELLED}', "
        f"'{Status.RELEASED}') AND b.updated_at >= %s))"
    )


def _instant(value) -> datetime.datetime | None:
    """A timestamp as the ORM reads it: aware, in UTC (SQLite hands back text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


def _target(kind: str, row: tuple):
    """The id the feed's bookings are chosen by."""
    resource, production, client, person = row[3], row[4], row[5], row[12]
    return {
        Kind.RESOURCE: resource,
        Kind.PERSON: person,
        Kind.PRODUCTION: production,
        Kind.COMPANY: client,
    }[kind]


def _allowed(row: tuple, owner: User) -> bool:
    """`feeds.refusal`'s answer from the row: the owner's role may hold the kind, the
    target exists, and a client's user only its own company's production."""
    kind = row[1]
    production_client = row[13]
    if feeds.forbidden(owner, kind):
        return False
    if kind == Kind.PERSON:
        return bool(row[12])
    if kind == Kind.PRODUCTION:
        if production_client is None:
            return False
        if owner.client_id:
            return production_client == owner.client_id
        # scope_to_client: a client's user with no company sees no production.
        return row[11] != "client"
    if kind == Kind.COMPANY:
        return row[5] == owner.client_id
    return row[3] is not None


def quick_stamp(token: str, now: datetime.datetime) -> tuple[str, datetime.datetime] | None:
    """(ETag, Last-Modified) of the feed holding `token`, or None where `open_feed`
    would find no feed."""
    if not token.startswith(feeds.TOKEN_PREFIX) or len(token) > 80:
        return None
    found = hotsql.fetch(_feed_sql(connection.vendor), [feeds.hash_token(token)])
    if not found:
        return None
    row = found[0]
    owner = User(
        id=row[2],
        is_active=bool(row[8]),
        is_superuser=bool(row[9]),
        client_id=row[10],
        email=row[14] or "",
    )
    remember_role(owner, row[11])
    if not _allowed(row, owner):
        return None
    kind = row[1]
    lo, hi = now - feeds.PAST, now + feeds.AHEAD
    params = [
        _target(kind, row),
        hotsql.instant(hi),
        hotsql.instant(lo - max_span()),
        hotsql.instant(lo),
        hotsql.instant(now - feeds.CANCELLED_KEPT),
    ]
    count, last, versions = hotsql.fetch(_stamp_sql(connection.vendor, kind), params)[0]
    # What feeds._stamp reads of a feed, without loading one.
    feed = types.SimpleNamespace(
        pk=row[0],
        kind=kind,
        token_issued_at=_instant(row[6]),
        created_at=_instant(row[7]),
        owner=owner,
        owner_id=row[2],
        production_id=row[4],
        person_resource_id=row[12],
    )
    others = []
    if kind in (Kind.PRODUCTION, Kind.PERSON):
        feed.production = Production.objects.filter(pk=row[4]).first()
        others = feeds.extras(feed, now)
    return feeds.stamp_values(feed, now, count or 0, versions, _instant(last), others)
