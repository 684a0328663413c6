"""The equipment register: assets, where they are, and whether they may be used."""

from django.db import transaction

from postdesk.core import audit, crud
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.engineering.models import Asset
from postdesk.library.models import Location
from postdesk.scheduling import services as scheduling_services
from postdesk.scheduling.models import Resource

# An asset in one of these may not be booked: its resource is made unbookable.
OUT_OF_SERVICE = (Asset.Status.FAULTY, Asset.Status.IN_REPAIR, Asset.Status.RETIRED)
FIELDS = (
    "tag",
    "make",
    "model",
    "serial",
    "supplier",
    "purchase_date",
    "warranty_end",
    "status",
    "room",
    "library_location",
    "critical",
    "resource",
    "risk_class",
    "notes",
)


# The fields that name another record: set by id (or the record), checked by _check_links.
LINKS = ("room", "library_location", "resource")


def _check_links(asset: Asset) -> None:
    if asset.room_id is not None and asset.library_location_id is not None:
        raise InvalidInput.field(
            "library_location", "An asset is in a room or at a library location, not both"
        )
    if asset.library_location_id is not None:
        archived = (
            Location.objects.filter(pk=asset.library_location_id)
            .values_list("archived", flat=True)
            .first()
        )
        if archived is None:
            raise InvalidInput.field(
                "library_location", f"No library location with id {asset.library_location_id}"
            )
        if archived:
            raise InvalidInput.field("library_location", "That library location is archived")
    if asset.room_id is not None:
        kind = Resource.objects.filter(pk=asset.room_id).values_list("kind", flat=True).first()
        if kind is None:
            raise InvalidInput.field("room", f"No room with id {asset.room_id}")
        if kind != Resource.Kind.ROOM:
            raise InvalidInput.field("room", "An asset's location must be a room")
    if asset.resource_id is not None:
        kind = Resource.objects.filter(pk=asset.resource_id).values_list("kind", flat=True).first()
        if kind is None:
            raise InvalidInput.field("resource", f"No resource with id {asset.resource_id}")
        if kind != Resource.Kind.EQUIPMENT:
            raise InvalidInput.field(
                "resource", "An asset is booked as an equipment resource, not a room or person"
            )
        taken = Asset.objects.filter(resource_id=asset.resource_id).exclude(pk=asset.pk)
        if taken.exists():
            raise InvalidInput.field("resource", "That resource is another asset's already")


def _sync_bookable(asset: Asset, actor) -> None:
    """A bookable asset out of service cannot be booked; back in service, it can again."""
    if asset.resource_id is None:
        return
    resource = Resource.objects.get(pk=asset.resource_id)
    bookable = asset.status not in OUT_OF_SERVICE
    if resource.bookable != bookable:
        scheduling_services.update_resource(
            resource,
            actor=actor,
            bookable=bookable,
            summary=f"{'Bookable again' if bookable else 'Unbookable'}: asset {asset.tag} "
            f"is {asset.get_status_display().lower()}",
        )


@transaction.atomic
def create_asset(*, actor, **fields) -> Asset:
    asset = Asset(**{k: v for k, v in fields.items() if k not in LINKS})
    for name in LINKS:
        setattr(asset, f"{name}_id", _pk(fields.get(name)))
    _check_links(asset)
    crud.validate(asset, exclude=list(LINKS))
    asset.save()
    audit.record(
        actor, asset, AuditEntry.Action.CREATE, audit.created(asset, FIELDS), f"Asset {asset.tag}"
    )
    _sync_bookable(asset, actor)
    return asset


def _pk(value):
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def update_asset(asset: Asset, *, actor, summary: str = "", **changes) -> Asset:
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    before = audit.snapshot(asset, FIELDS)
    for name, value in changes.items():
        if name in LINKS:
            setattr(asset, f"{name}_id", _pk(value))
        else:
            setattr(asset, name, value)
    _check_links(asset)
    crud.validate(asset, exclude=list(LINKS))
    asset.save()
    diff = audit.diff(before, audit.snapshot(asset, FIELDS))
    if diff:
        audit.record(
            actor, asset, AuditEntry.Action.UPDATE, diff, summary or f"Changed asset {asset.tag}"
        )
    _sync_bookable(asset, actor)
    return asset


def set_asset_status(asset: Asset, *, actor, status: str, summary: str = "") -> Asset:
    if status not in Asset.Status.values:
        raise InvalidInput.field(
            "status", f"status must be one of {', '.join(Asset.Status.values)}"
        )
    return update_asset(asset, actor=actor, status=status, summary=summary)
