"""One way to search, filter and sort a list, shared by the API and the pages.

A `ListSpec` declares, once per model (in the app's `lists.py`, domain code with no
HTTP), what a list may be searched by, sorted by and filtered by. Two modes apply it:

- `spec.strict(qs, q=..., ordering=..., filters={...})` for the API: an unknown sort key
  or a bad filter value is `InvalidInput` (422) naming the parameter, as a client
  program should be told;
- `spec.forgiving(qs, params)` for the pages, from `request.GET`: an unknown sort falls
  back to the default and a bad filter value is ignored, because people edit URLs by
  hand.

Both sort the same way: the terms asked for, then the primary key in the direction of the
last term, so that pages of equal keys never overlap or skip rows.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from postdesk.core.errors import InvalidInput
from postdesk.core.timeutil import check_instant, restore_plus_offset

# The longest search text and sort expression either mode reads; the API's QuerySchema
# bounds them the same way (max_length=200).
MAX_TEXT = 200


@dataclass(frozen=True)
class Filter:
    """One filter parameter.

    `lookup` is the ORM lookup its value is matched with (`client_id`, `status__in`,
    `end__gt`); `method(qs, value)` replaces it where a lookup cannot say it (a
    subquery). `parse` turns text into the value (a page's GET parameter, or an API
    string field such as comma-separated statuses); values that are not text (already
    typed by the API's QuerySchema) are used as they are. `parse` raises `ValueError`,
    `TypeError` or `InvalidInput` on a bad value; a ValueError's message is a
    predicate, shown after the parameter's name ("start must be ...").
    """

    lookup: str | None = None
    parse: Callable[[str], Any] | None = None
    method: Callable[[QuerySet, Any], QuerySet] | None = None

    def __post_init__(self):
        if (self.lookup is None) == (self.method is None):
            raise TypeError("A Filter has either a lookup or a method")

    def apply(self, qs: QuerySet, value: Any) -> QuerySet:
        if self.method is not None:
            return self.method(qs, value)
        return qs.filter(**{self.lookup: value})


@dataclass(frozen=True)
class ListSpec:
    """What a list of one model may be searched, sorted and filtered by.

    - `search`: ORM lookups that `q` matches, case-insensitively, any of them;
    - `sorts`: public sort keys to ORM fields (`{"client": "client__name"}`);
    - `default_sort`: the sort when none is asked for, in the public keys, comma-separated,
      `-` for descending (`"-number"`, `"site,kind,name"`);
    - `filters`: public parameter names to their `Filter`.
    """

    sorts: Mapping[str, str]
    default_sort: str
    search: tuple[str, ...] = ()
    filters: Mapping[str, Filter] = field(default_factory=dict)

    def __post_init__(self):
        # A default that names an unknown key would fail on every request; fail at import.
        self.order_by(self.default_sort)

    # --- the parts -------------------------------------------------------------------

    def searched(self, qs: QuerySet, q: str | None) -> QuerySet:
        """Rows any of whose `search` lookups contain `q` (all rows for an empty `q`)."""
        q = (q or "").strip()
        if not q or not self.search:
            return qs
        return qs.filter(reduce(or_, (Q(**{f"{f}__icontains": q}) for f in self.search)))

    def order_by(self, ordering: str | None) -> list[str]:
        """`"-name,start"` as ORM `order_by` terms, with the primary key last.

        Raises `InvalidInput` on the `ordering` field for a key not in `sorts`."""
        terms = []
        for raw in (ordering or self.default_sort).split(","):
            raw = raw.strip()
            if not raw:
                continue
            desc = raw.startswith("-")
            key = raw.lstrip("-")
            if key not in self.sorts:
                raise InvalidInput.field(
                    "ordering",
                    f"Cannot order by {key!r}; one of {', '.join(sorted(self.sorts))}",
                )
            terms.append(("-" if desc else "") + self.sorts[key])
        return [*terms, "-pk" if terms and terms[-1].startswith("-") else "pk"]

    def value(self, name: str, raw: Any) -> Any:
        """The typed value of filter `name`, or None when the parameter is empty.

        Raises `InvalidInput` on the parameter for a value `parse` refuses."""
        if raw is None or raw == "" or raw == []:
            return None
        parse = self.filters[name].parse
        if parse is None or not isinstance(raw, str):
            return raw
        try:
            return parse(raw)
        except InvalidInput:
            raise
        except (ValueError, TypeError, OverflowError) as exc:
            # parse's messages are predicates ("must be ..."), read after the name.
            raise InvalidInput.field(name, f"{name} {exc}") from exc

    def filtered(self, qs: QuerySet, values: Mapping[str, Any]) -> QuerySet:
        """`qs` narrowed by each filter whose (typed) value is not empty."""
        for name, flt in self.filters.items():
            value = values.get(name)
            if value is not None and value != "" and value != []:
                qs = flt.apply(qs, value)
        return qs

    # --- the two modes ---------------------------------------------------------------

    def strict(
        self,
        qs: QuerySet,
        *,
        q: str | None = None,
        ordering: str | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> QuerySet:
        """For the API: searched, filtered and ordered, or `InvalidInput` (422) naming
        the parameter at fault. `filters` maps parameter names to values; names the
        spec does not declare are a programming error (KeyError)."""
        filters = filters or {}
        for name in filters:
            if name not in self.filters:
                raise KeyError(f"{name!r} is not a filter of this list")
        values = {name: self.value(name, raw) for name, raw in filters.items()}
        order = self.order_by(ordering)
        return self.filtered(self.searched(qs, q), values).order_by(*order)

    def forgiving(
        self, qs: QuerySet, params: Mapping[str, str], *, sort_param: str = "sort"
    ) -> tuple[QuerySet, "ListState"]:
        """For the pages, from `request.GET`: what can be understood is applied, the
        rest ignored (an unknown sort gives the default sort, a bad filter no filter).
        NUL characters are dropped: PostgreSQL text cannot hold them."""
        q = _text(params.get("q"))
        sort = _text(params.get(sort_param)) or self.default_sort
        try:
            order = self.order_by(sort)
        except InvalidInput:
            sort, order = self.default_sort, self.order_by(self.default_sort)
        values = {}
        for name in self.filters:
            try:
                value = self.value(name, _text(params.get(name)))
            except InvalidInput:
                value = None
            if value is not None:
                values[name] = value
        qs = self.filtered(self.searched(qs, q), values).order_by(*order)
        return qs, ListState(q=q, sort=sort, filters=values)


@dataclass(frozen=True)
class ListState:
    """What a forgiving list applied: the search text, the sort (public keys) and the
    filters' typed values, for the page to show back."""

    q: str
    sort: str
    filters: Mapping[str, Any]

    @property
    def sort_key(self) -> str:
        """The first sort key without its direction (the column shown as sorted)."""
        return self.sort.split(",")[0].strip().lstrip("-")

    @property
    def descending(self) -> bool:
        return self.sort.split(",")[0].strip().startswith("-")


def _text(raw: Any) -> str:
    return ("" if raw is None else str(raw)).replace("\x00", "").strip()[:MAX_TEXT]


def instant(text: str) -> datetime.datetime:
    """A `Filter.parse` for times: an ISO 8601 instant with an offset, inside the
    configured window, in UTC; ValueError otherwise."""
    try:
        parsed = datetime.datetime.fromisoformat(restore_plus_offset(text.strip()))
    except ValueError:
        raise ValueError(
            "must be an ISO 8601 date and time with an offset, e.g. 2026-03-02T09:00:00Z"
        ) from None
    return check_instant(parsed)
