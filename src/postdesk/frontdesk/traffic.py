"""Traffic at the front door: deliveries in and dispatches out, and the day's log.

A delivery's media enter the library as they arrive: an item the library knows and sent
out (in a courier's custody) is received at the chosen location; an item it does not
know is registered there (library.services.register_item, `at_the_door`). A dispatch's
media go into the courier's custody (library.services.dispatch). Either way the
library's movements and the traffic record are written in one transaction: a media
line the library refuses leaves nothing behind. The recipient of a delivery is told as a
phone message is (messages.take_message: their home card and a mail from the worker).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from postdesk.core import audit, events
from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.core.roles import DISPATCH_MEDIA, can
from postdesk.core.timeutil import facility_zone, local_day_bounds
from postdesk.frontdesk import messages
from postdesk.frontdesk.models import Delivery, Dispatch
from postdesk.library import services as library
from postdesk.library.models import MediaItem

# A delivery or dispatch carries at most this many media items (a box of drives).
MAX_MEDIA = 50
NEW_ITEM_FIELDS = ("title", "kind", "format", "generation")


def _need(actor) -> None:
    if not can(actor, DISPATCH_MEDIA):
        raise Forbidden("Your role may not log traffic", details={"needs": DISPATCH_MEDIA})


def _text(field: str, value, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if not isinstance(value, str) or "\x00" in value:
        raise InvalidInput.field(field, f"{field.replace('_', ' ')} must be plain text")
    if len(value) > limit:
        raise InvalidInput.field(field, f"{field.replace('_', ' ')} is at most {limit} characters")
    if required and not value:
        raise InvalidInput.field(field, f"{field.replace('_', ' ')} is required")
    return value


def _job_fields(job) -> dict:
    if job is None:
        return {}
    return {"job": job, "production": job.production, "client": job.production.client}


def _media_in(line: dict, *, actor, location, courier, tracking, job) -> MediaItem:
    """One media line of a delivery into the library: received or registered."""
    code = (line.get("barcode") or "").strip().upper()
    known = MediaItem.objects.filter(barcode=code).first() if code else None
    signer = actor.display_name
    if known is not None:
        note = f"Delivered by {courier} {tracking}".strip()
        library.receive(known, location, actor=actor, signer_name=signer, note=note)
        return known
    missing = [f for f in NEW_ITEM_FIELDS if not line.get(f)]
    if missing:
        raise InvalidInput.field(
            "media",
            f"{code or 'A new item'} is not in the library: give its "
            + ", ".join(missing)
            + " to register it",
        )
    return library.register_item(
        actor=actor,
        at_the_door=True,
        barcode=code,
        location=location,
        signer_name=signer,
        **{f: line[f] for f in NEW_ITEM_FIELDS},
        **_job_fields(job),
    )


def _tell(delivery: Delivery, items: list, *, actor) -> None:
    """The recipient finds it in their messages (home card), and hears of it as a delivery
    (the notifications app: in the app, and by mail as they prefer)."""
    barcodes = ", ".join(i.barcode for i in items)[:1000]
    messages.log_message(
        actor=actor,
        recipient=delivery.recipient,
        caller=f"{delivery.courier} delivery",
        caller_company=delivery.sender,
        about=f"At reception for you: {delivery.description}"
        + (f" ({barcodes})" if barcodes else ""),
    )
    events.publish(events.DELIVERY_RECEIVED, subject=delivery, actor=actor)


@transaction.atomic
def record_delivery(
    *,
    actor,
    courier: str,
    description: str,
    tracking: str = "",
    sender: str = "",
    recipient=None,
    recipient_name: str = "",
    job=None,
    media: list[dict] = (),
    location=None,
) -> Delivery:
    """Log what a courier brought, for whom; its media enter the library at `location`;
    the recipient (a member of staff) gets a message at once."""
    _need(actor)
    recipient_name = _text("recipient_name", recipient_name, 200)
    if recipient is None and not recipient_name:
        raise InvalidInput.field("recipient", "Say whom the delivery is for")
    media = list(media or ())
    if len(media) > MAX_MEDIA:
        raise InvalidInput.field("media", f"At most {MAX_MEDIA} media items per delivery")
    if media and location is None:
        raise InvalidInput.field("location", "Media are put somewhere: choose a location")
    delivery = Delivery(
        received_at=timezone.now(),
        courier=_text("courier", courier, 100, required=True),
        tracking=_text("tracking", tracking, 100),
        description=_text("description", description, 300, required=True),
        sender=_text("sender", sender, 200),
        recipient=recipient,
        recipient_name=recipient_name,
        job=job,
        received_by=actor,
    )
    delivery.save()
    items = [
        _media_in(
            line,
            actor=actor,
            location=location,
            courier=delivery.courier,
            tracking=delivery.tracking,
            job=job,
        )
        for line in media
    ]
    delivery.media.set(items)
    delivery.barcodes = " ".join(i.barcode for i in items)
    delivery.save(update_fields=["barcodes"])
    audit.record_create(actor, delivery, summary=f"Delivery by {delivery.courier}")
    if recipient is not None:
        _tell(delivery, items, actor=actor)
    return delivery


@transaction.atomic
def record_dispatch(
    *,
    actor,
    items: str,
    destination: str,
    courier: str,
    signed_for_by: str,
    booking_reference: str = "",
    tracking: str = "",
    job=None,
    media: list = (),
) -> Dispatch:
    """Log what left with a courier; its media (items or barcodes) go into the courier's
    custody in the library, signed for by the same person."""
    _need(actor)
    media = list(media or ())
    if len(media) > MAX_MEDIA:
        raise InvalidInput.field("media", f"At most {MAX_MEDIA} media items per dispatch")
    dispatch = Dispatch(
        dispatched_at=timezone.now(),
        items=_text("items", items, 500, required=True),
        destination=_text("destination", destination, 300, required=True),
        courier=_text("courier", courier, 100, required=True),
        signed_for_by=_text("signed_for_by", signed_for_by, 200, required=True),
        booking_reference=_text("booking_reference", booking_reference, 100),
        tracking=_text("tracking", tracking, 100),
        job=job,
        dispatched_by=actor,
    )
    dispatch.save()
    sent = []
    for value in media:
        item = _known_item(value)
        library.dispatch(
            item,
            actor=actor,
            courier=dispatch.courier,
            destination=dispatch.destination,
            tracking=dispatch.tracking,
            signer_name=dispatch.signed_for_by,
            note=f"Booking {dispatch.booking_reference}" if dispatch.booking_reference else "",
        )
        sent.append(item)
    dispatch.media.set(sent)
    dispatch.barcodes = " ".join(i.barcode for i in sent)
    dispatch.save(update_fields=["barcodes"])
    audit.record_create(actor, dispatch, summary=f"Dispatch by {dispatch.courier}")
    return dispatch


def _known_item(value) -> MediaItem:
    if isinstance(value, MediaItem):
        return value
    code = value.strip().upper() if isinstance(value, str) else ""
    item = MediaItem.objects.filter(barcode=code).first() if code else None
    if item is None:
        raise InvalidInput.field("media", f"No media item {value!r} in the library")
    return item


# --- the day's log -----------------------------------------------------------------------


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    return local_day_bounds(day, facility_zone())


def today() -> datetime.date:
    return timezone.localtime(timezone.now(), facility_zone()).date()


def deliveries():
    return Delivery.objects.select_related("recipient", "received_by", "job")


def dispatches():
    return Dispatch.objects.select_related("dispatched_by", "job")
