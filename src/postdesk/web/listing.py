"""Every list page's search, filters, sort and pages, from its GET parameters (`q`, the
spec's filters, `sort`, `page`), declared by the same `core.listing.ListSpec` as the API
list of the same model (each app's `lists.py`).

Pages are forgiving where the API is strict (`ListSpec.forgiving`): an unknown sort falls
back to the default, a filter value that does not parse filters nothing, NUL is dropped
from the text, and an out-of-range page shows the nearest one, because people edit URLs
by hand.
"""

import dataclasses
from collections.abc import Mapping

from django.core.paginator import Paginator

from postdesk.core.errors import InvalidInput
from postdesk.core.listing import ListSpec

PAGE_SIZE = 25


@dataclasses.dataclass(frozen=True)
class SortLink:
    url: str
    active: bool
    descending: bool

    @property
    def aria_sort(self) -> str:
        if not self.active:
            return "none"
        return "descending" if self.descending else "ascending"


def for_page(
    spec: ListSpec,
    *,
    search: tuple[str, ...] = (),
    sorts: Mapping[str, str] | None = None,
    default_sort: str | None = None,
) -> ListSpec:
    """The API's spec with what a page adds: more lookups for `q` (the page shows more
    of each row than the API's search covers), the sort keys of its columns, its own
    default sort. Its filters stay the API's, so both filter alike."""
    return dataclasses.replace(
        spec,
        search=(*spec.search, *(s for s in search if s not in spec.search)),
        sorts={**spec.sorts, **(sorts or {})},
        default_sort=default_sort or spec.default_sort,
    )


def list_page(
    request,
    queryset,
    spec: ListSpec,
    *,
    page_size: int = PAGE_SIZE,
    sort_param: str = "sort",
    then: Mapping[str, str] | None = None,
    params=None,
) -> dict:
    """Context for a list template: `page_obj`, `q`, `sort`, `sort_links` (one per sort
    key), `filters` (the filters applied, typed) and `page_query` (the query without
    `page`, for the pagination links to append `page=` to).

    `then` gives a column's tie-breakers, sort keys its link adds after its own
    (`{"site": "kind,name"}`: sorting by site lists each site's resources by kind, then
    name); `sort_param` is the parameter's name where a page's links predate `sort`;
    `params` is the query to apply where a page's filter form cleans `request.GET` first
    (`cleaned_query`). The links are built from `request.GET`, the address as typed.
    """
    params = _without_refused_filters(spec, queryset, request.GET if params is None else params)
    queryset, state = spec.forgiving(queryset, params, sort_param=sort_param)
    page_obj = Paginator(queryset, page_size).get_page(request.GET.get("page"))

    def query(**changes) -> str:
        params = request.GET.copy()
        params.pop("page", None)
        for key, value in changes.items():
            if value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = value
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else "?"

    then = then or {}
    sort_links = {}
    for key in spec.sorts:
        active = state.sort_key == key
        # A second click on the sorted column reverses it; any other column sorts up.
        flip = active and not state.descending
        order = ("-" if flip else "") + key + (f",{then[key]}" if key in then else "")
        sort_links[key] = SortLink(
            url=query(**{sort_param: order}), active=active, descending=state.descending
        )

    base = query()
    return {
        "page_obj": page_obj,
        "q": state.q,
        "sort": state.sort,
        "sort_links": sort_links,
        "filters": dict(state.filters),
        "page_query": base + ("&" if base != "?" else ""),
    }


def cleaned_query(request, form):
    """`request.GET` with a filter form's fields as the form cleaned them, for a page whose
    filter controls are a form (scheduling's resource list): a value the form refuses
    (an unknown site, NUL in a choice, a search too long for the box) filters nothing;
    a chosen record is passed on by its id."""
    params = request.GET.copy()
    if not form.is_bound:
        return params
    form.is_valid()  # cleaned_data then holds the fields that cleaned
    for name in form.fields:
        params.pop(name, None)
        value = form.cleaned_data.get(name)
        if value not in (None, ""):
            params[name] = str(getattr(value, "pk", value))
    return params


# No database integer column holds more: SQLite raises OverflowError on a larger number
# and PostgreSQL a DataError, either of which would be a 500.
BIGINT = range(-(2**63), 2**63)


def _without_refused_filters(spec: ListSpec, queryset, params):
    """`params` less the filters a page must ignore rather than answer with a 500: a
    value that parses but which the filter refuses when applied (a `method` that checks
    its value, such as scheduling's resource kind), or a number no column can hold (an
    id typed past a bigint). Applying builds a lazy queryset, so this costs no query."""
    kept = params.copy()
    for name in spec.filters:
        try:
            value = spec.value(name, params.get(name, "").replace("\x00", "").strip())
            if isinstance(value, int) and value not in BIGINT:
                raise ValueError(f"{name} is past any id")
            if value is not None:
                spec.filtered(queryset, {name: value})
        except (InvalidInput, ValueError, TypeError):
            kept.pop(name, None)
    return kept
