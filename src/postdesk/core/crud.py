"""Audited create/update/delete for plain records, shared by the apps' services.

Business rules still live in each app's services; these helpers only make sure a simple
record is validated, saved and audited the same way everywhere.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from postdesk.core import audit
from postdesk.core.errors import Conflict, InvalidInput


def _validation_to_domain(exc: ValidationError) -> InvalidInput:
    if hasattr(exc, "error_dict"):
        fields = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    else:
        fields = {"__all__": list(exc.messages)}
    first_field, first_msgs = next(iter(fields.items()))
    label = "" if first_field == "__all__" else f"{first_field}: "
    return InvalidInput(f"{label}{first_msgs[0]}", details={"fields": fields})


def validate(obj: models.Model, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise _validation_to_domain(exc) from exc


@transaction.atomic
def create(model: type[models.Model], *, actor, summary: str = "", **fields: Any):
    obj = model(**fields)
    validate(obj)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(f"This {model._meta.verbose_name} clashes with an existing one") from exc
    audit.record_create(actor, obj, summary=summary)
    return obj


@transaction.atomic
def update(obj: models.Model, *, actor, summary: str = "", **changes: Any):
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = audit.snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    validate(obj)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(f"This {obj._meta.verbose_name} clashes with an existing one") from exc
    audit.record_update(actor, obj, before, summary)
    return obj


def _used_by(exc: ProtectedError | RestrictedError) -> list[str]:
    """Names of the kinds of record that still point at the one being deleted."""
    found = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
    return sorted({str(o._meta.verbose_name_plural) for o in found})


def delete_unless_used(obj: models.Model, *, refusal: str = "") -> None:
    """Delete `obj`, or refuse (409, naming the kinds of record that still point at it)
    when a protecting foreign key holds it, perhaps one of an app built on top.
    `refusal` may name them with "{used_by}"."""
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        used_by = _used_by(exc)
        raise Conflict(
            refusal.replace("{used_by}", ", ".join(used_by))
            if refusal
            else f"This {obj._meta.verbose_name} is still used by other records and cannot "
            "be deleted",
            details={"used_by": used_by},
        ) from exc


@transaction.atomic
def delete(obj: models.Model, *, actor, summary: str = "") -> None:
    before = audit.snapshot(obj)
    delete_unless_used(obj)
    audit.record_delete(actor, obj, before, summary)
