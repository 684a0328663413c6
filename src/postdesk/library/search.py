"""Full-text search over media items, with the library's filters.

The words of a query are matched as prefixes ("dub" finds "dubs", "LIB-0001" finds
LIB-000123), every word must match, and a word matches an item when it is in the item's
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


def _text_match(words: list[str]) -> Q:
    """Items whose own indexed text holds every one of `words` as a prefix."""
    if connection.vendor == "postgresql":
        # The words are letters and digits only (words_of), so they cannot be tsquery
        # operators; each becomes a prefix term, all of them required.
        query = " & ".join(f"{w}:*" for w in words)
        sql = "SELECT id FROM library_mediaitem WHERE search_document @@ to_tsquery('simple', %s)"
    else:
        query = " ".join(f'"{w}"*' for w in words)
        sql = "SELECT rowid FROM library_item_fts WHERE library_item_fts MATCH %s"
    return Q(id__in=RawSQL(sql, [query]))


def _word_match(words: list[str]) -> Q:
    """Every word matches the item's text, its production's title or its client's name.

    Words found in no production or client name need only the text index, so they are
    asked together in one full-text query; the others each get their own alternative.
    """
    condition = Q()
    text_only = []
    for word in words:
        productions = list(Production.objects.filter(title__icontains=word).values_list("id"))
        clients = list(Client.objects.filter(name__icontains=word).values_list("id"))
        if not productions and not clients:
            text_only.append(word)
            continue
        alternative = _text_match([word])
        if productions:
            alternative |= Q(production_id__in=[x for (x,) in productions])
        if clients:
            alternative |= Q(client_id__in=[x for (x,) in clients])
        condition &= alternative
    if text_only:
        condition &= _text_match(text_only)
    return condition


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
        condition &= Q(custody=MediaItem.Custody.LOCATION, location__path__startswith=path)
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
    match every word of `q` and every filter, in barcode order. An empty `q` filters only.
    Destroyed items are included: a search of the catalogue finds its history too."""
    base = MediaItem.objects.all() if queryset is None else queryset
    today = today or timezone.localdate(timezone.now(), timeutil.facility_zone())
    condition = _filter_condition(filters or Filters(), today)
    words = words_of(q)
    if words:
        condition &= _word_match(words)
    return base.filter(condition).order_by("barcode")
