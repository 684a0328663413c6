"""The facility's business settings (one database row): read them, change them (audited)."""

from django.conf import settings
from django.db import transaction

from postdesk.core import crud
from postdesk.core.models import FacilitySettings


def current() -> FacilitySettings:
    """The facility's settings, made from the environment's defaults on first read."""
    row = FacilitySettings.objects.filter(pk=1).first()
    if row is not None:
        return row
    row, _ = FacilitySettings.objects.get_or_create(
        pk=1,
        defaults={
            "name": settings.POSTDESK["FACILITY_NAME"],
            "country": settings.POSTDESK["HOME_COUNTRY"],
        },
    )
    return row


@transaction.atomic
def update_facility_settings(*, actor, **changes) -> FacilitySettings:
    """Change the facility's settings; every changed field is in the audit entry."""
    unknown = set(changes) - {f.name for f in FacilitySettings._meta.concrete_fields} - {"id"}
    if unknown or "id" in changes:
        from postdesk.core.errors import InvalidInput

        field = sorted(unknown or {"id"})[0]
        raise InvalidInput.field(field, f"{field} is not a facility setting")
    return crud.update(current(), actor=actor, **changes)
