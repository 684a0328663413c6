"""API of the core app: who am I, sites, my API tokens, the audit log."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from postdesk.core import lists, services
from postdesk.core.apiutil import (
    Id,
    InputSchema,
    Instant,
    ModelOutSchema,
    OutSchema,
    Page,
    QuerySchema,
    paged,
    require,
    shown,
)
from postdesk.core.models import ApiToken, AuditEntry, Site
from postdesk.core.roles import VIEW_AUDIT, capabilities_of, role_of

router = Router(tags=["core"])


class MeOut(OutSchema):
    id: int
    username: str
    name: str
    role: str | None
    client: int | None
    capabilities: list[str]


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "role": role_of(user),
        "client": user.client_id,
        "capabilities": sorted(capabilities_of(user)),
    }


class SiteOut(ModelOutSchema):
    id: int
    name: str
    code: str
    time_zone: str
    address: str
    country: str
    subdivision: str


@router.get("/sites", response=list[SiteOut])
def list_sites(request: HttpRequest):
    return list(Site.objects.all())


class TokenIn(InputSchema):
    name: str = Field("API token", min_length=1, max_length=100)


class TokenOut(ModelOutSchema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest):
    return list(ApiToken.objects.filter(user=request.user))


@router.post("/tokens", response={201: NewTokenOut})
def create_token(request: HttpRequest, payload: TokenIn):
    row, token = services.issue_token(user=request.user, name=payload.name, actor=request.user)
    out = TokenOut.from_orm(row).model_dump()
    return Status(201, {**out, "token": token})


class RevokeIn(InputSchema):
    """No fields: the body may be empty or `{}`, but not anything else."""


@router.post("/tokens/{token_id}/revoke", response=TokenOut)
def revoke_token(request: HttpRequest, token_id: Id, payload: RevokeIn | None = None):
    return services.revoke_token(token_id=token_id, actor=request.user)


class AuditFilter(QuerySchema):
    object_type: str | None = Field(None, max_length=100)
    object_id: str | None = Field(None, max_length=64)
    actor: str | None = Field(None, max_length=150)
    action: AuditEntry.Action | None = None
    since: Instant | None = None
    page: int = 1
    page_size: int | None = None


class AuditOut(OutSchema):
    id: int
    at: datetime
    actor: str
    object_type: str
    object_id: str
    action: str
    changes: dict[str, Any] = Field(..., description="{field: [before, after]}")
    summary: str


def _audit_row(e: AuditEntry) -> dict:
    return {
        "id": e.pk,
        "at": e.at,
        "actor": e.actor_label,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "action": e.action,
        "changes": e.changes,
        "summary": e.summary,
    }


@router.get("/audit", response=Page[AuditOut])
def list_audit(request: HttpRequest, filters: Query[AuditFilter]):
    """The audit log, newest first (admin and supervisors)."""
    require(request, VIEW_AUDIT)
    return shown(
        Page[AuditOut], paged(lists.AUDIT, AuditEntry.objects.all(), filters, serialise=_audit_row)
    )
