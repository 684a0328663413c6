"""What the library's lists may be searched, sorted and filtered by (core/listing.ListSpec),
declared once for the API and the pages: media items (their `q` is the full-text search of
search.py), the overdue list, what a location holds, a production's media, stock-takes,
destruction requests and research requests."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from postdesk.core.errors import InvalidInput
from postdesk.core.listing import Filter, ListSpec
from postdesk.library.models import (
    DestructionRequest,
    Location,
    MediaItem,
    ResearchRequest,
    StockTake,
)
from postdesk.library.search import search_items

_YES = {"1", "true", "on", "yes"}
_NO = {"0", "false", "off", "no"}


def flag(text: str) -> bool:
    """A `Filter.parse` for yes/no parameters (a page's checkbox sends "1")."""
    word = text.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError("must be true or false")


def _text_search(qs: QuerySet, q: str) -> QuerySet:
    """Every word of `q` in the item's title, barcode, reel, notes, production or client
    (search.search_items: an index, where icontains read every row), barcodes typed in
    part matched as prefixes. Too long or too many words: InvalidInput on `q`."""
    return search_items(q, queryset=qs)


def _under(qs: QuerySet, pk: int) -> QuerySet:
    """Items in location `pk` or anywhere below it."""
    path = Location.objects.filter(pk=pk).values_list("path", flat=True).first()
    if path is None:
        raise InvalidInput.field("location", f"No location with id {pk}")
    return qs.filter(location_id__in=Location.ids_under(path))


def _overdue(qs: QuerySet, late: bool) -> QuerySet:
    condition = Q(custody=MediaItem.Custody.PERSON, due_back__lt=timezone.localdate())
    return qs.filter(condition) if late else qs.exclude(condition)


def _destroyed(qs: QuerySet, destroyed: bool) -> QuerySet:
    """Destroyed items only, or (false, the API's default) live items only."""
    return qs.filter(destroyed_at__isnull=not destroyed)


MEDIA = ListSpec(
    sorts={
        "barcode": "barcode",
        "title": "title",
        "created": "created_at",
        "due_back": "due_back",
        "id": "pk",
    },
    default_sort="barcode",
    filters={
        "q": Filter(method=_text_search),
        "kind": Filter("kind", parse=MediaItem.Kind),
        "generation": Filter("generation", parse=MediaItem.Generation),
        "custody": Filter("custody", parse=MediaItem.Custody),
        "production": Filter("production_id", parse=int),
        "location": Filter(method=_under, parse=int),
        "holder": Filter("holder_id", parse=int),
        "overdue": Filter(method=_overdue, parse=flag),
        "destroyed": Filter(method=_destroyed, parse=flag),
    },
)

# The overdue list and what one location or production holds are short lists of one
# page's rows: their searches read the columns shown, the holder's name included.
OVERDUE = ListSpec(
    search=("barcode", "title", "holder_name", "holder__username"),
    sorts={"due_back": "due_back", "barcode": "barcode", "since": "placed_at", "id": "pk"},
    default_sort="due_back",
)

LOCATION_CONTENTS = ListSpec(
    search=("barcode", "title", "reel"),
    sorts={"barcode": "barcode", "title": "title", "shelf": "location__path", "id": "pk"},
    default_sort="barcode",
)

PRODUCTION_MEDIA = ListSpec(
    search=("barcode", "title", "reel"),
    sorts={"barcode": "barcode", "title": "title", "generation": "generation", "id": "pk"},
    default_sort="generation",
)

STOCKTAKES = ListSpec(
    search=("location__name", "location__barcode"),
    sorts={"started": "started_at", "location": "location__name", "status": "status", "id": "pk"},
    default_sort="-started",
    filters={"status": Filter("status", parse=StockTake.Status)},
)

DESTRUCTIONS = ListSpec(
    search=("reason",),
    sorts={"requested": "requested_at", "status": "status", "id": "pk"},
    default_sort="-requested",
    filters={"status": Filter("status", parse=DestructionRequest.Status)},
)

RESEARCH = ListSpec(
    search=("requested_by", "wanted", "production__title"),
    sorts={"created": "created_at", "wanted_by": "wanted_by", "status": "status", "id": "pk"},
    default_sort="-created",
    filters={
        "status": Filter("status", parse=ResearchRequest.Status),
        "production": Filter("production_id", parse=int),
    },
)
