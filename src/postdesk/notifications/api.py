"""API of notifications: a user's own list (paged, unread filter), marking read, and
their preferences per kind."""

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router

from postdesk.core.apiutil import Id, InputSchema, ListQuery, OutSchema, Page, paged
from postdesk.core.roles import is_outside
from postdesk.notifications import kinds, lists, queries, services
from postdesk.notifications.models import Notification

router = Router(tags=["notifications"])

KindName = Literal[tuple(kinds.KINDS)]  # type: ignore[valid-type]
ModeName = Literal[tuple(kinds.Mode.values)]  # type: ignore[valid-type]


class NotificationOut(OutSchema):
    id: int
    kind: KindName
    text: str
    link: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationQuery(ListQuery):
    unread: bool | None = Field(None, description="Only the unread ones")
    kind: KindName | None = Field(None, description="Only this kind")


class MarkedOut(OutSchema):
    marked: int


class PreferenceOut(OutSchema):
    kind: KindName
    label: str
    mode: ModeName


class PreferencesIn(InputSchema):
    preferences: dict[KindName, ModeName]


def notification_out(n: Notification) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "text": n.text,
        "link": n.link,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


def _preferences_out(user, modes: dict) -> list[dict]:
    return [
        {"kind": k.key, "label": k.label, "mode": modes[k.key]}
        for k in kinds.kinds_for(is_outside(user))
    ]


@router.get("/notifications", response=Page[NotificationOut])
def list_notifications(request: HttpRequest, query: Query[NotificationQuery]):
    """Your notifications, newest first; `unread=true` for the unread ones."""
    return paged(
        lists.NOTIFICATIONS, queries.inbox(request.user), query, serialise=notification_out
    )


@router.post("/notifications/read-all", response=MarkedOut)
def read_all(request: HttpRequest):
    return {"marked": services.mark_all_read(actor=request.user)}


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def read(request: HttpRequest, notification_id: Id):
    return notification_out(services.mark_read(notification_id, actor=request.user))


@router.get("/notification-preferences", response=list[PreferenceOut])
def get_preferences(request: HttpRequest):
    """How you hear of each kind: immediately, in the daily digest, or not at all."""
    return _preferences_out(request.user, services.preferences_of(request.user))


@router.put("/notification-preferences", response=list[PreferenceOut])
def set_preferences(request: HttpRequest, payload: PreferencesIn):
    """Change the kinds named; the others stay as they are."""
    modes = services.set_preferences(actor=request.user, modes=dict(payload.preferences))
    return _preferences_out(request.user, modes)
