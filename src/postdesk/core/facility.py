"""The facility's business settings (one database row): read them, change them (audited)."""

import base64
import re
import uuid

from django.conf import settings
from django.core.files import File
from django.db import transaction

from postdesk.core import crud
from postdesk.core.errors import InvalidInput
from postdesk.core.models import FacilitySettings

# A letterhead logo: small, and one of the raster kinds WeasyPrint and browsers both draw.
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 4000 * 4000
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
LOGO_CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}


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
    """Change the facility's settings; every changed field is in the audit entry.

    `logo` may be an uploaded file (checked to be a small image of an accepted kind and
    stored under a name of our making, never the uploader's) or "" to remove it.
    """
    unknown = set(changes) - {f.name for f in FacilitySettings._meta.concrete_fields} - {"id"}
    if unknown or "id" in changes:
        field = sorted(unknown or {"id"})[0]
        raise InvalidInput.field(field, f"{field} is not a facility setting")
    if "country" in changes:
        changes["country"] = _country(changes["country"])
    if "locale" in changes:
        changes["locale"] = _locale(changes["locale"])
    if changes.get("logo"):
        changes["logo"] = _logo_file(changes["logo"])
    return crud.update(current(), actor=actor, **changes)


def _country(value: str) -> str:
    code = (value or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise InvalidInput.field("country", "Give the country as its two-letter ISO code (GB)")
    return code


def _locale(value: str) -> str:
    from postdesk.core.money_display import is_known_locale

    name = (value or "").strip().replace("-", "_")
    if not is_known_locale(name):
        raise InvalidInput.field("locale", f"{value!r} is not a locale this system knows")
    return name


def _logo_file(upload) -> File:
    """The uploaded logo, checked, under a new name: logo-<random>.<its real kind>."""
    from PIL import Image, UnidentifiedImageError

    size = getattr(upload, "size", None)
    if size is None or size > LOGO_MAX_BYTES:
        raise InvalidInput.field(
            "logo", f"The logo may be at most {LOGO_MAX_BYTES // 1024} KB; make it smaller"
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput.field("logo", "The logo is not an image this system can read") from exc
    except Image.DecompressionBombError as exc:
        raise InvalidInput.field("logo", "The logo has too many pixels") from exc
    if kind not in LOGO_FORMATS:
        raise InvalidInput.field("logo", "The logo must be a PNG, JPEG, GIF or WebP image")
    if width * height > LOGO_MAX_PIXELS:
        raise InvalidInput.field("logo", "The logo has too many pixels (at most 4000 × 4000)")
    upload.seek(0)
    return File(upload, name=f"logo-{uuid.uuid4().hex}.{LOGO_FORMATS[kind]}")


def logo_data_uri(row: FacilitySettings) -> str:
    """The logo as a data: URI for a page or PDF to embed (read through the storage API,
    whatever the backend), or "" when there is none or it cannot be read."""
    if not row.logo:
        return ""
    kind = LOGO_CONTENT_TYPES.get(row.logo.name.rsplit(".", 1)[-1].lower())
    if kind is None:
        return ""
    try:
        with row.logo.open("rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except OSError:
        return ""
    if len(data) > LOGO_MAX_BYTES:
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"
