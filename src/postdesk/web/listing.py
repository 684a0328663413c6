"""Search, sort and paginate a list page from its GET parameters (`q`, `sort`, `page`).

Pages are forgiving where the API is strict: an unknown sort falls back to the default
and an out-of-range page shows the nearest one, because people edit URLs by hand.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import Q

PAGE_SIZE = 25


@dataclass(frozen=True)
class SortLink:
    url: str
    active: bool
    descending: bool

    @property
    def aria_sort(self) -> str:
        if not self.active:
            return "none"
        return "descending" if self.descending else "ascending"


def list_page(
    request,
    queryset,
    *,
    search: tuple[str, ...] = (),
    sorts: dict[str, str],
    default_sort: str,
    page_size: int = PAGE_SIZE,
) -> dict:
    """Context for a list template: `page_obj`, `q`, `sort`, `sort_links`, `page_query`.

    `search` lists the ORM lookups matched by `?q=` (icontains); `sorts` maps the public
    sort keys to ORM fields; `?sort=-key` sorts descending.
    """
    # PostgreSQL text cannot hold NUL, and nobody searches for one.
    q = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    if q and search:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": q}) for f in search)))

    sort = request.GET.get("sort", default_sort)
    if sort.lstrip("-") not in sorts:
        sort = default_sort
    descending = sort.startswith("-")
    field = sorts[sort.lstrip("-")]
    queryset = queryset.order_by(
        f"-{field}" if descending else field, "-pk" if descending else "pk"
    )

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

    sort_links = {}
    for key in sorts:
        active = sort.lstrip("-") == key
        next_sort = key if (active and descending) or not active else f"-{key}"
        sort_links[key] = SortLink(url=query(sort=next_sort), active=active, descending=descending)

    # The current query without `page`, for the pagination links to append to.
    base = query()
    return {
        "page_obj": page_obj,
        "q": q,
        "sort": sort,
        "sort_links": sort_links,
        "page_query": base + ("&" if base != "?" else ""),
    }
