"""Resources (rooms, people, equipment) and the skills they are tagged with: create,
change, archive, restore and delete, each in one transaction, audited."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from postdesk.core import audit, crud
from postdesk.core.errors import Conflict, InvalidInput
from postdesk.core.ids import is_id
from postdesk.core.models import AuditEntry
from postdesk.scheduling.models import Allocation, Booking, Resource, Skill
from postdesk.scheduling.spans import validate_working_hours

Status = Booking.Status

RESOURCE_FIELDS = (
    "kind",
    "name",
    "site_id",
    "capacity",
    "bookable",
    "colour",
    "working_hours",
    "notes",
    "employment",
    "day_rate",
    "currency",
    "email",
    "phone",
    "location_id",
    "sort_order",
    "archived_at",
)


def _skills_of(skills) -> list[Skill]:
    out = []
    for item in skills:
        if isinstance(item, Skill):
            out.append(item)
            continue
        if isinstance(item, int) and not isinstance(item, bool):
            skill = Skill.objects.filter(pk=item).first() if is_id(item) else None
        else:
            skill = Skill.objects.filter(name=item).first()
        if skill is None:
            raise InvalidInput.field("skills", f"No skill {item!r}")
        out.append(skill)
    return out


def _with_new_skills(skills: list[Skill], names: Iterable[str], actor) -> list[Skill]:
    """`skills` plus the skills named in `names`: a name the house has already (in any
    case: "avid" is "Avid") is that skill, any other is created (and audited) here, so
    a resource form can tag a resource with a skill nobody has entered yet."""
    out = list(skills)
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        limit = Skill._meta.get_field("name").max_length
        if len(name) > limit:
            raise InvalidInput.field("new_skills", f"A skill name has at most {limit} characters")
        skill = Skill.objects.filter(name__iexact=name).first()
        if skill is None:
            skill = create_skill(actor=actor, name=name)
        if all(s.pk != skill.pk for s in out):
            out.append(skill)
    return out


def _check_resource(resource: Resource) -> None:
    from postdesk.core.crud import validate

    resource.working_hours = validate_working_hours(resource.working_hours)
    if resource.location_id is not None:
        location = Resource.objects.filter(pk=resource.location_id).first()
        if location is None:
            raise InvalidInput.field("location", f"No resource with id {resource.location_id}")
        if location.kind != Resource.Kind.ROOM:
            raise InvalidInput.field("location", "An item can only be located in a room")
        if resource.pk is not None and location.pk == resource.pk:
            raise InvalidInput.field("location", "A resource cannot be located in itself")
    validate(resource, exclude=["location"])


@transaction.atomic
def create_resource(
    *, actor, skills: Iterable = (), new_skills: Iterable[str] = (), **fields
) -> Resource:
    """A new resource with `skills` (skills, ids or names) and `new_skills` (names, made
    into skills when the house has none of that name)."""
    resource = Resource(**fields)
    _check_resource(resource)
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError as exc:
        raise Conflict(f"A resource named {resource.name!r} exists at this site already") from exc
    skill_list = _with_new_skills(_skills_of(skills), new_skills, actor)
    resource.skills.set(skill_list)
    changes = audit.diff({}, audit.snapshot(resource, RESOURCE_FIELDS))
    changes["skills"] = [None, sorted(s.name for s in skill_list)]
    audit.record(
        actor,
        resource,
        AuditEntry.Action.CREATE,
        changes,
        f"Created {resource.kind} {resource.name}",
    )
    return resource


@transaction.atomic
def update_resource(
    resource: Resource,
    *,
    actor,
    skills: Iterable | None = None,
    new_skills: Iterable[str] = (),
    summary: str = "",
    **changes,
) -> Resource:
    """Change the fields in `changes`; `skills` replaces the skills, `new_skills` adds
    skills by name (creating those the house has not got)."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    before = audit.snapshot(resource, RESOURCE_FIELDS)
    old_skills = sorted(resource.skills.values_list("name", flat=True))
    for name, value in changes.items():
        setattr(resource, name, value)
    _check_resource(resource)
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError as exc:
        raise Conflict(f"A resource named {resource.name!r} exists at this site already") from exc
    diff = audit.diff(before, audit.snapshot(resource, RESOURCE_FIELDS))
    new_skills = list(new_skills)
    if skills is not None or new_skills:
        kept = _skills_of(skills) if skills is not None else list(resource.skills.all())
        skill_list = _with_new_skills(kept, new_skills, actor)
        resource.skills.set(skill_list)
        names = sorted(s.name for s in skill_list)
        if names != old_skills:
            diff["skills"] = [old_skills, names]
    if diff:
        audit.record(
            actor,
            resource,
            AuditEntry.Action.UPDATE,
            diff,
            summary or f"Changed {resource.name}",
        )
    return resource


@transaction.atomic
def archive_resource(resource: Resource, *, actor, now=None) -> Resource:
    """Archived resources keep their history but cannot be booked. Refused while active
    bookings still lie ahead on it."""
    now = now or timezone.now()
    # Lock the row first: a booking made meanwhile locks it too (_lock_resources), so it
    # either lands before the count below or finds the resource archived.
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    ahead = Allocation.objects.filter(
        resource=resource, end__gt=now, status__in=(Status.PENCIL, Status.CONFIRMED)
    ).count()
    if ahead:
        raise Conflict(
            f"{resource.name} still has {ahead} active booking{'s' if ahead > 1 else ''} "
            "ahead; move or cancel them before archiving",
            details={"active_bookings_ahead": ahead},
        )
    if resource.archived_at is not None:
        return resource
    return update_resource(
        resource, actor=actor, archived_at=now, summary=f"Archived {resource.name}"
    )


def restore_resource(resource: Resource, *, actor) -> Resource:
    return update_resource(
        resource, actor=actor, archived_at=None, summary=f"Restored {resource.name}"
    )


@transaction.atomic
def delete_resource(resource: Resource, *, actor) -> str:
    """Delete a resource never booked; one with history is archived instead.
    Returns "deleted" or "archived"."""
    if Allocation.objects.filter(resource=resource).exists():
        archive_resource(resource, actor=actor)
        return "archived"
    before = audit.snapshot(resource, RESOURCE_FIELDS)
    before["id"] = resource.pk
    Resource.objects.filter(location=resource).update(location=None)
    crud.delete_unless_used(
        resource,
        refusal=f"{resource.name} is still used by {{used_by}}; archive it instead",
    )
    audit.record_delete(actor, resource, before, f"Deleted {before['kind']} {resource.name}")
    return "deleted"


def create_skill(*, actor, name: str) -> Skill:
    return crud.create(Skill, actor=actor, name=name)


def update_skill(skill: Skill, *, actor, name: str) -> Skill:
    return crud.update(skill, actor=actor, name=name)


def delete_skill(skill: Skill, *, actor) -> None:
    crud.delete(skill, actor=actor)
