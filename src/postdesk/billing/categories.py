"""The editable mapping of resources, skills and kinds to budget categories, and reading it.

Cost reports put each line of booked work in the category its resource maps to (see
`CategoryRule`); a line with no resource (stock, couriers, free lines), or whose resource
no rule covers, keeps the category the rate card gave it.
"""

from django.db import transaction

from postdesk.billing.models import Category, CategoryRule
from postdesk.core import crud
from postdesk.core.errors import InvalidInput

KINDS = ("room", "equipment", "person")


class CategoryMap:
    """All the rules and the skills of the resources asked about, loaded in two queries."""

    def __init__(self, resource_ids=()):
        from postdesk.scheduling.models import Resource

        rules = list(CategoryRule.objects.order_by("rank", "pk"))
        self.by_resource = {r.resource_id: r for r in rules if r.resource_id}
        self.by_skill = [r for r in rules if r.skill_id]
        self.by_kind = {r.resource_kind: r for r in rules if not r.resource_id and not r.skill_id}
        self.skills: dict[int, set[int]] = {pk: set() for pk in resource_ids}
        self.kinds: dict[int, str] = {}
        if resource_ids and rules:
            pairs = Resource.skills.through.objects.filter(resource_id__in=list(resource_ids))
            for resource_id, skill_id in pairs.values_list("resource_id", "skill_id"):
                self.skills[resource_id].add(skill_id)
            self.kinds = dict(
                Resource.objects.filter(pk__in=list(resource_ids)).values_list("pk", "kind")
            )

    def rule_for(self, resource_id: int | None) -> CategoryRule | None:
        if resource_id is None:
            return None
        if resource_id in self.by_resource:
            return self.by_resource[resource_id]
        kind = self.kinds.get(resource_id, "")
        skills = self.skills.get(resource_id, set())
        matches = [
            r for r in self.by_skill if r.skill_id in skills and r.resource_kind in ("", kind)
        ]
        if matches:
            # The lowest rank; at a tie a rule for this kind beats one for any kind.
            return min(matches, key=lambda r: (r.rank, r.resource_kind == "", r.pk))
        return self.by_kind.get(kind)

    def category(self, resource_id: int | None, fallback: str) -> str:
        rule = self.rule_for(resource_id)
        return rule.category if rule is not None else (fallback or Category.OTHER)


# --- writes -------------------------------------------------------------------------------


def _target(*, resource=None, skill=None, resource_kind: str = "") -> dict:
    if resource_kind and resource_kind not in KINDS:
        raise InvalidInput.field("resource_kind", f"A kind is one of {', '.join(KINDS)}")
    if resource is not None and (skill is not None or resource_kind):
        raise InvalidInput.field(
            "resource", "A rule maps a resource, a skill (optionally of one kind) or a kind"
        )
    if resource is None and skill is None and not resource_kind:
        raise InvalidInput.field(
            "resource_kind", "Say what the rule maps: a resource, a skill or a kind"
        )
    return {"resource": resource, "skill": skill, "resource_kind": resource_kind}


def _category(category: str) -> str:
    if category not in Category.values:
        raise InvalidInput.field("category", f"{category!r} is not a budget category")
    return category


def _rank(rank: int) -> int:
    if not 0 <= int(rank) <= 10000:
        raise InvalidInput.field("rank", "A rank is between 0 and 10000")
    return int(rank)


@transaction.atomic
def create_category_rule(
    *, actor, category: str, rank: int = 100, resource=None, skill=None, resource_kind: str = ""
) -> CategoryRule:
    target = _target(resource=resource, skill=skill, resource_kind=resource_kind)
    clash = CategoryRule.objects.filter(**target).first()
    if clash is not None:
        raise InvalidInput.field(
            "category",
            f"{clash.target} already maps to {clash.get_category_display()}; change that rule",
        )
    return crud.create(
        CategoryRule, actor=actor, category=_category(category), rank=_rank(rank), **target
    )


@transaction.atomic
def update_category_rule(rule: CategoryRule, *, actor, **changes) -> CategoryRule:
    if "category" in changes:
        _category(changes["category"])
    if "rank" in changes:
        changes["rank"] = _rank(changes["rank"])
    allowed = {k: v for k, v in changes.items() if k in ("category", "rank")}
    return crud.update(rule, actor=actor, **allowed)


@transaction.atomic
def delete_category_rule(rule: CategoryRule, *, actor) -> None:
    crud.delete(rule, actor=actor)


def rule_out(rule: CategoryRule) -> dict:
    return {
        "id": rule.pk,
        "resource": rule.resource_id,
        "skill": rule.skill_id,
        "resource_kind": rule.resource_kind,
        "target": rule.target,
        "category": rule.category,
        "rank": rule.rank,
    }
