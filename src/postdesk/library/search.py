"""Full-text search over media items, with the library's filters.

The last word of a query, and any word with digits, is matched as a prefix ("master d"
finds "master dub", "LIB-0001" finds LIB-000123), the others as whole words (is_prefix
says why); every word must match, and a word matches an item when it is in the item's
title, barcode, reel or notes (the full-text index of migration 0002_search: a tsvector
with a GIN index on PostgreSQL, FTS5 on SQLite) or in the name of its production or
client. Those names are looked up in their own small tables, word by word, and turned
into id lists, so the database can still answer each word from indexes alone.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from postdesk.core import timeutil
from postdesk.core.errors import InvalidInput
from postdesk.library.models import Location, MediaItem
from postdesk.productions.models import Client, Production

QUERY_MAX = 200
# A typed barcode's matches are read by id first when at most this many (_by_barcode).
BARCODE_HITS_MAX = 2000
WORDS_MAX = 8
# Words the indexes tokenise the same way on both databases: letters and digits; anything
# else (hyphens in barcodes, punctuation) separates words.
_WORD = re.compile(r"[^\W_]+")


def words_of(q: str) -> list[str]:
    """The words of a query as the indexes see them, lower-cased, repeats dropped."""
    if len(q) > QUERY_MAX:
        raise InvalidInput.field("q", f"A search is at most {QUERY_MAX} characters.")
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(q)))
    if len(words) > WORDS_MAX:
        raise InvalidInput.field("q", f"A search has at most {WORDS_MAX} words.")
    return words


def is_prefix(word: str, last: bool) -> bool:
    """Whether a word of a query is matched as the start of a word: the last one (still
    being typed) and any with digits (a barcode or reel typed in part); the others whole.

    Measured on SQLite at 100,000 items: "harbour ember" as two prefixes took 7.8 ms, as
    whole words 0.2 ms, with only the last a prefix 2.6 ms. A prefix makes FTS5 gather the
    whole list of items for every word it begins before it can stop at a page.
    """
    return last or any(c.isdigit() for c in word)


def _text_query(words: list[str], *, prefix_last: bool = True) -> str:
    """The database's full-text query for items holding every one of `words`. The words
    are letters and digits only (words_of), so they cannot be query syntax."""
    marked = [(w, is_prefix(w, prefix_last and i == len(words) - 1)) for i, w in enumerate(words)]
    if connection.vendor == "postgresql":
        return " & ".join(f"{w}:*" if p else w for w, p in marked)
    return " ".join(f'"{w}"*' if p else f'"{w}"' for w, p in marked)


def _text_match(words: list[str], *, prefix_last: bool) -> Q:
    """Items whose own indexed text holds every one of `words`, as a condition that can be
    OR-ed with others (a word that may also be a production's or client's name)."""
    if connection.vendor == "postgresql":
        sql = "SELECT id FROM library_mediaitem WHERE search_document @@ to_tsquery('simple', %s)"
    else:
        sql = "SELECT rowid FROM library_item_fts WHERE library_item_fts MATCH %s"
    return Q(id__in=RawSQL(sql, [_text_query(words, prefix_last=prefix_last)]))


def _with_text(queryset: QuerySet, words: list[str], *, prefix_last: bool) -> QuerySet:
    """`queryset` narrowed to items whose own text holds every one of `words`.

    Written into the query's own FROM and WHERE rather than as an IN (subquery), so that
    newest-first with a LIMIT can stop early: on SQLite the FTS5 table is joined and read
    in rowid order; on PostgreSQL the planner may walk the primary key backwards testing
    the stored tsvector, instead of collecting every match of a common word to sort it.
    """
    if connection.vendor == "postgresql":
        return queryset.extra(
            where=["library_mediaitem.search_document @@ to_tsquery('simple', %s)"],
            params=[_text_query(words, prefix_last=prefix_last)],
        )
    # Ordered by the FTS table's own rowid (the item's id), which FTS5 yields in order:
    # ordered by library_mediaitem.id, SQLite sorted every match in a temporary b-tree.
    return queryset.extra(
        select={"fts_rowid": "library_item_fts.rowid"},
        tables=["library_item_fts"],
        where=["library_item_fts.rowid = library_mediaitem.id", "library_item_fts MATCH %s"],
        params=[_text_query(words, prefix_last=prefix_last)],
        order_by=["-fts_rowid"],
    )


def _word_match(words: list[str]) -> tuple[Q, list[str], bool]:
    """(condition, text-only words): every word matches the item's text, its production's
    title or its client's name.

    Words found in no production or client name need only the text index, so they are
    left to `_with_text`, asked together; the others each get an alternative here.
    """
    condition = Q()
    text_only = []
    for i, word in enumerate(words):
        last = i == len(words) - 1
        productions = list(Production.objects.filter(title__icontains=word).values_list("id"))
        clients = list(Client.objects.filter(name__icontains=word).values_list("id"))
        if not productions and not clients:
            text_only.append(word)
            continue
        alternative = _text_match([word], prefix_last=last)
        if productions:
            alternative |= Q(production_id__in=[x for (x,) in productions])
        if clients:
            alternative |= Q(client_id__in=[x for (x,) in clients])
        condition &= alternative
    # Whether the query's last word (a prefix) is among the text-only ones.
    return condition, text_only, bool(text_only) and text_only[-1] == words[-1]


_BARCODE = re.compile(r"[A-Z0-9]+(?:[-./][A-Z0-9]+)+[-./]?")


def _barcode_typed(q: str) -> str | None:
    """The query as a barcode typed in part ("LIB-0001", "BENCH-00001"): one token of
    letters and digits joined by hyphens, dots or slashes, holding a digit; else None.

    Such a query is first looked up as the start of a barcode, through the barcode's own
    index. As words ("bench" & "00001*") the full-text index had to intersect a word every
    barcode holds with a prefix: 1.8 s at 1,000,000 items on PostgreSQL."""
    code = q.strip().upper()
    if len(code) > QUERY_MAX or not _BARCODE.fullmatch(code) or not any(c.isdigit() for c in code):
        return None
    return code


def _barcode_starts(code: str) -> Q:
    """Barcodes that start with `code`, answered from an index on either database: on
    PostgreSQL LIKE 'code%' through the pattern-ops index Django gives a unique CharField there; on
    SQLite, whose LIKE ignores case and so cannot use the index, the same prefix as a
    range of the index's binary order (the character after the range is above any a
    barcode holds)."""
    if connection.vendor == "postgresql":
        return Q(barcode__startswith=code)
    return Q(barcode__gte=code, barcode__lt=code + chr(0x10FFFF))


def _by_barcode(queryset: QuerySet, code: str) -> QuerySet | None:
    """The items of `queryset` whose barcode starts with `code`, newest first; None when
    there are none.

    Their ids are read first from the barcode's index alone, unordered (at most
    BARCODE_HITS_MAX of them), and the page is then taken among those: asked in one query
    newest first, PostgreSQL could walk every item by id from the newest looking for a
    rare prefix whose items are old (206 ms at 1,000,000 items, where the same search
    had taken 7 ms with other statistics). A prefix shared by more items than that (a
    code typed in little part) is dense, and is asked newest first directly."""
    ids = list(
        queryset.filter(_barcode_starts(code))
        .order_by()
        .values_list("id", flat=True)[: BARCODE_HITS_MAX + 1]
    )
    if not ids:
        return None
    if len(ids) > BARCODE_HITS_MAX:
        return queryset.filter(_barcode_starts(code)).order_by("-id")
    return queryset.filter(id__in=ids).order_by("-id")


@dataclass(frozen=True)
class Filters:
    """What a search may be narrowed to; None (or False) leaves a filter out."""

    kind: str | None = None
    generation: str | None = None
    production: int | None = None
    location: int | None = None  # the location and everything under it
    holder: int | None = None  # a user holding the item
    overdue: bool = False  # checked out and past its due-back date


def _filter_condition(filters: Filters, today: datetime.date) -> Q:
    condition = Q()
    if filters.kind:
        if filters.kind not in MediaItem.Kind.values:
            raise InvalidInput.field("kind", f"Unknown kind {filters.kind!r}.")
        condition &= Q(kind=filters.kind)
    if filters.generation:
        if filters.generation not in MediaItem.Generation.values:
            raise InvalidInput.field("generation", f"Unknown generation {filters.generation!r}.")
        condition &= Q(generation=filters.generation)
    if filters.production is not None:
        condition &= Q(production_id=filters.production)
    if filters.location is not None:
        path = Location.objects.filter(pk=filters.location).values_list("path", flat=True).first()
        if path is None:
            raise InvalidInput.field("location", "No such location.")
        # Listed, not as a subquery: with the ids in the query the planner sees how few
        # items they hold, where otherwise it walked every item newest first ("night" in
        # one rack took 659 ms at 1,000,000 items on PostgreSQL).
        places = [row["id"] for row in Location.ids_under(path)]
        # A location implies custody=location (the item_in_one_place check).
        condition &= Q(location_id__in=places)
    if filters.holder is not None:
        condition &= Q(custody=MediaItem.Custody.PERSON, holder_id=filters.holder)
    if filters.overdue:
        condition &= Q(custody=MediaItem.Custody.PERSON, due_back__lt=today)
    return condition


def search_items(
    q: str = "",
    filters: Filters | None = None,
    *,
    queryset: QuerySet | None = None,
    today: datetime.date | None = None,
) -> QuerySet:
    """The items of `queryset` (default: every item; pass one scoped to the user) that
    match every word of `q` and every filter, newest first. An empty `q` filters only.
    Destroyed items are included: a search of the catalogue finds its history too.

    Newest first (by id), not by barcode: with a page's LIMIT the database then stops at
    the first matches it meets, where any other order would make it collect and sort every
    item a common word matches (at 1M items, 200,000 of them for one title word)."""
    base = MediaItem.objects.all() if queryset is None else queryset
    today = today or timezone.localdate(timezone.now(), timeutil.facility_zone())
    condition = _filter_condition(filters or Filters(), today)
    words = words_of(q)
    code = _barcode_typed(q)
    if code:
        by_barcode = _by_barcode(base.filter(condition), code)
        if by_barcode is not None:
            return by_barcode
    text_only, prefix_last = [], False
    if words:
        names, text_only, prefix_last = _word_match(words)
        condition &= names
    found = base.filter(condition).order_by("-id")
    if text_only:
        found = _with_text(found, text_only, prefix_last=prefix_last)
    return found
