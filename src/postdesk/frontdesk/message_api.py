"""API of reception's message log."""

import datetime

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Router, Status

from postdesk.core.apiutil import Id, InputSchema, OutSchema, require
from postdesk.core.errors import InvalidInput
from postdesk.core.roles import HOST_VISITORS, RECEIVE_VISITORS
from postdesk.frontdesk import messages

router = Router(tags=["frontdesk"])
LIMIT = 200


class DeskMessageIn(InputSchema):
    recipient: Id
    caller: str = Field(..., min_length=1, max_length=200)
    caller_company: str = Field("", max_length=200)
    callback_number: str = Field("", max_length=40)
    about: str = Field(..., min_length=1, max_length=2000)


class DeskMessageOut(OutSchema):
    id: int
    caller: str
    caller_company: str
    callback_number: str
    about: str
    recipient: int
    taken_by: int
    taken_at: datetime.datetime
    dealt_with_at: datetime.datetime | None


def _out(m) -> dict:
    return {
        "id": m.pk,
        "caller": m.caller,
        "caller_company": m.caller_company,
        "callback_number": m.callback_number,
        "about": m.about,
        "recipient": m.recipient_id,
        "taken_by": m.taken_by_id,
        "taken_at": m.taken_at,
        "dealt_with_at": m.dealt_with_at,
    }


@router.post("/frontdesk/messages", response={201: DeskMessageOut})
def take(request: HttpRequest, payload: DeskMessageIn):
    """Reception takes a message; the recipient is told at once."""
    require(request, RECEIVE_VISITORS)
    recipient = get_user_model().objects.filter(pk=payload.recipient).first()
    if recipient is None:
        raise InvalidInput.field("recipient", "No such user")
    data = payload.model_dump(exclude={"recipient"})
    return Status(201, _out(messages.take_message(actor=request.user, recipient=recipient, **data)))


@router.get("/frontdesk/messages", response=list[DeskMessageOut])
def log(request: HttpRequest):
    """The latest messages: all of them for reception, your own for everyone else."""
    require(request, HOST_VISITORS)
    return [_out(m) for m in messages.visible_to(request.user)[:LIMIT]]


@router.post("/frontdesk/messages/{message_id}/dealt-with", response=DeskMessageOut)
def dealt_with(request: HttpRequest, message_id: Id):
    require(request, HOST_VISITORS)
    return _out(messages.mark_dealt_with(message_id, actor=request.user))
