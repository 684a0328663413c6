"""What each role may see of each model (DOMAIN rule 9), declared once per model.

Each app declares a `Policy` per model next to its queries (`scheduling/visibility.py`,
`productions/visibility.py`): which fields are hidden from whom, by naming the audience
each sensitive field is for. The API, the pages and the board all ask the same policy,
so a field hidden from a role is hidden everywhere. Fields a policy does not name are
seen by everyone who may open the model at all (the capabilities of core/roles.py).

Two kinds of rule:
- per field, by audience: e.g. a resource's day rate is an internal cost, seen only by
  the facility's staff with view_money; a client's notes are for staff only;
- per row, for outside users: on a row of another company (or of the facility's own
  use) the fields in `own_company` are hidden, so another company's booking reads as
  plain "Booked".

Which fields each role cannot see is computed once per role and model from the role
matrix and cached, so applying a policy costs a set lookup, not a rule evaluation.
"""

from collections.abc import Iterable, Mapping
from functools import cache

from postdesk.core.roles import ROLES, VIEW_MONEY, is_outside, role_of

# Audiences: who a sensitive field is for.
STAFF = "staff"
"""The facility's own: internal notes, staff and freelancers' contact details. Every
staff role; never outside users (clients)."""
MONEY = "money"
"""Prices and terms: roles with view_money (a client user sees its own company's)."""
COSTS = "costs"
"""The facility's internal costs and its financial judgements of clients (a freelancer's
day rate, a client's credit status): staff with view_money, never outside users."""

AUDIENCES = (STAFF, MONEY, COSTS)


def _role_sees(role: str | None, audience: str) -> bool:
    if role is None:
        return False
    spec = ROLES[role]
    staff = not spec.get("outside", False)
    capabilities = spec["capabilities"]
    return {
        STAFF: staff,
        MONEY: VIEW_MONEY in capabilities,
        COSTS: staff and VIEW_MONEY in capabilities,
    }[audience]


class Shown(dict):
    """{field: seen?} for templates; fields the policy does not name are seen."""

    def __missing__(self, key):
        return True


class Policy:
    """The visibility of one model: `fields` maps each sensitive field to its audience;
    `own_company` names the fields an outside user sees only on its own company's rows."""

    def __init__(self, key: str, fields: Mapping[str, str], own_company: Iterable[str] = ()):
        unknown = set(fields.values()) - set(AUDIENCES)
        if unknown:
            raise ValueError(f"{key}: unknown audiences {sorted(unknown)}")
        self.key = key
        self.fields = dict(fields)
        self.own_company = frozenset(own_company)

    @cache  # noqa: B019 - policies are module-level and live as long as the process
    def hidden_for_role(self, role: str | None) -> frozenset[str]:
        """The declared fields this role never sees: the policy's table, row by row."""
        return frozenset(f for f, audience in self.fields.items() if not _role_sees(role, audience))

    def hidden(self, user) -> frozenset[str]:
        """The fields hidden from this user on every row."""
        role = role_of(user)
        if role is not None and is_outside(user) and not ROLES[role].get("outside", False):
            # A staff role tied to a company is treated as outside, as scope_to_client does.
            role = "client"
        return self.hidden_for_role(role)

    def is_foreign(self, user, client_id: int | None) -> bool:
        """Whether a row of `client_id` (None: the facility's own, e.g. maintenance) is
        another company's for this user: only ever for outside users."""
        return is_outside(user) and client_id != getattr(user, "client_id", None)

    def hidden_on_row(self, user, client_id: int | None) -> frozenset[str]:
        hidden = self.hidden(user)
        return hidden | self.own_company if self.is_foreign(user, client_id) else hidden

    def visible(self, user, names: Iterable[str]) -> list[str]:
        """`names` without those hidden from the user, in their order."""
        hidden = self.hidden(user)
        return [n for n in names if n not in hidden]

    def strip(self, user, data: dict, *, client_id: int | None = None, row=False) -> dict:
        """`data` without the fields hidden from the user; with `row`, also those hidden
        on a row of `client_id` that is not the user's company."""
        hidden = self.hidden_on_row(user, client_id) if row else self.hidden(user)
        if not hidden:
            return data
        return {k: v for k, v in data.items() if k not in hidden}

    def stripper(self, user):
        """strip(user, ·) for serialising many rows: the hidden set is looked up once."""
        hidden = self.hidden(user)
        if not hidden:
            return lambda data: data
        return lambda data: {k: v for k, v in data.items() if k not in hidden}

    def shown(self, user) -> Shown:
        """{field: seen?} of the declared fields, for templates (`shows.day_rate`)."""
        hidden = self.hidden(user)
        return Shown({f: f not in hidden for f in self.fields})

    def table(self) -> dict[str, list[str]]:
        """{role: the fields it never sees}, for the docs and the tests."""
        return {role: sorted(self.hidden_for_role(role)) for role in ROLES}

    def __repr__(self) -> str:
        return f"Policy({self.key!r})"
