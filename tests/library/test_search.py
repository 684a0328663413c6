"""Full-text search over media items (library/search.py, migration 0002_search), on
whichever database the run uses: every word a prefix, matched in the item's title,
barcode, reel or notes or its production's or client's name, with the filters."""

import datetime

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.library import services
from postdesk.library.search import Filters, search_items
from postdesk.productions import services as production_services

pytestmark = pytest.mark.django_db


def codes(queryset):
    """The barcodes found, sorted (the search answers newest first)."""
    return sorted(queryset.values_list("barcode", flat=True))


def test_results_come_newest_first(catalogue):
    found = list(search_items("episode").values_list("barcode", flat=True))
    assert found == ["LIB-900200", "LIB-900124", "LIB-900123"]


@pytest.fixture
def catalogue(register, vault, production, other_job):
    """Five items: two of The Long Tide (Northlight Pictures), one of Elsewhere (Other
    Films Ltd), one dub on rack 2, one drive without a production."""
    return {
        "master": register(
            barcode="LIB-900123",
            title="Episode one master",
            production=production,
            reel="A001",
            generation="master",
        ),
        "dub": register(
            barcode="LIB-900124",
            title="Episode one viewing copy",
            production=production,
            generation="dub",
            location=vault["shelf3"],
            notes="Cue sheets in the box",
        ),
        "other": register(
            barcode="LIB-900200",
            title="Episode one master",
            production=other_job.production,
            generation="master",
            location=vault["shelf2"],
        ),
        "drive": register(
            barcode="ARC-77",
            title="Rushes day 3",
            kind="drive",
            format="ssd",
            generation="camera_original",
            reel="B014",
        ),
    }


def test_a_barcode_typed_in_part_finds_the_items_it_begins(catalogue):
    assert codes(search_items("LIB-9001")) == ["LIB-900123", "LIB-900124"]
    assert codes(search_items("lib-900123")) == ["LIB-900123"]
    assert codes(search_items("ARC")) == ["ARC-77"]


def test_a_typed_barcode_is_looked_up_by_its_start_first_then_as_words(
    catalogue, register, monkeypatch
):
    register(barcode="LIB-900300", title="Dub of TX-4411", generation="dub")
    # By the barcode's start: newest first, filters applied.
    assert list(search_items("LIB-9001").values_list("barcode", flat=True)) == [
        "LIB-900124",
        "LIB-900123",
    ]
    assert codes(search_items("LIB-9001", Filters(generation="dub"))) == ["LIB-900124"]
    # A prefix shared by more items than are read by id first is asked newest first
    # directly: the same answer.
    monkeypatch.setattr("postdesk.library.search.BARCODE_HITS_MAX", 1)
    assert list(search_items("LIB-9001").values_list("barcode", flat=True)) == [
        "LIB-900124",
        "LIB-900123",
    ]
    # No barcode starts with it: the words find it in the title.
    assert codes(search_items("TX-4411")) == ["LIB-900300"]
    assert codes(search_items("TX-4412")) == []


def test_every_word_must_match_somewhere_in_the_item(catalogue):
    assert codes(search_items("episode mast")) == ["LIB-900123", "LIB-900200"]
    assert codes(search_items("episode rushes")) == []


def test_only_the_last_word_and_words_with_digits_are_prefixes(catalogue):
    # "epi" is being typed when last; before another word it is a whole word.
    assert codes(search_items("master epi")) == ["LIB-900123", "LIB-900200"]
    assert codes(search_items("epi master")) == []
    assert codes(search_items("lib 9001 master")) == ["LIB-900123"]


def test_words_match_reel_and_notes(catalogue):
    assert codes(search_items("b014")) == ["ARC-77"]
    assert codes(search_items("cue sheets")) == ["LIB-900124"]


def test_words_match_the_production_title_and_the_client_name(catalogue):
    # "tide" is only in the production's title, "master" only in the item's.
    assert codes(search_items("tide master")) == ["LIB-900123"]
    assert codes(search_items("northlight")) == ["LIB-900123", "LIB-900124"]
    assert codes(search_items("other films")) == ["LIB-900200"]


def test_a_renamed_item_is_found_by_its_new_title_only(catalogue, librarian):
    services.update_item(catalogue["drive"], actor=librarian, title="Pickups day 4")
    assert codes(search_items("pickups")) == ["ARC-77"]
    assert codes(search_items("rushes")) == []


def test_a_renamed_production_is_found_by_its_new_title(catalogue, production):
    production_services.update_production(production, actor=SYSTEM, title="Low Water")
    assert codes(search_items("water master")) == ["LIB-900123"]
    assert codes(search_items("tide")) == []


def test_filters_kind_generation_and_production(catalogue, production):
    assert codes(search_items("", Filters(kind="drive"))) == ["ARC-77"]
    assert codes(search_items("episode", Filters(generation="dub"))) == ["LIB-900124"]
    assert codes(search_items("master", Filters(production=production.pk))) == ["LIB-900123"]


def test_a_location_filter_takes_its_whole_subtree(catalogue, vault):
    on_rack1 = codes(search_items("", Filters(location=vault["rack1"].pk)))
    assert on_rack1 == ["ARC-77", "LIB-900123", "LIB-900200"]
    assert codes(search_items("", Filters(location=vault["shelf3"].pk))) == ["LIB-900124"]
    assert len(codes(search_items("", Filters(location=vault["site"].pk)))) == 4


def test_holder_and_overdue_filters(catalogue, vault, librarian, make_user):
    editor = make_user("coordinator", "editor")
    due = datetime.date.today() + datetime.timedelta(days=3)
    services.check_out(catalogue["dub"], actor=librarian, holder=editor, due_back=due)
    services.check_out(
        catalogue["drive"], actor=librarian, holder_name="Sam at Rushes Ltd", due_back=due
    )
    assert codes(search_items("", Filters(holder=editor.pk))) == ["LIB-900124"]
    # Gone from the shelf it was on: a location filter finds only what is there.
    assert codes(search_items("", Filters(location=vault["shelf3"].pk))) == []
    assert codes(search_items("", Filters(overdue=True))) == []
    later = due + datetime.timedelta(days=1)
    assert codes(search_items("", Filters(overdue=True), today=later)) == ["ARC-77", "LIB-900124"]


def test_the_search_is_scoped_to_the_queryset_given(catalogue, production):
    from postdesk.library.models import MediaItem

    mine = MediaItem.objects.filter(client=production.client)
    assert codes(search_items("master", queryset=mine)) == ["LIB-900123"]


@pytest.mark.parametrize(
    ("q", "filters", "field"),
    [
        ("x" * 201, None, "q"),
        ("a b c d e f g h i", None, "q"),
        ("", Filters(kind="cassette"), "kind"),
        ("", Filters(generation="grandchild"), "generation"),
        ("", Filters(location=2**40), "location"),
    ],
)
def test_bad_searches_are_refused_with_the_field_named(catalogue, q, filters, field):
    with pytest.raises(InvalidInput) as refused:
        list(search_items(q, filters))
    assert field in refused.value.details["fields"]


def test_punctuation_and_query_syntax_are_plain_words(catalogue):
    # FTS5 and tsquery operators typed by a user are separators, never syntax errors.
    assert codes(search_items('"episode" AND (master* OR -x) & !:')) == []
    assert codes(search_items('episode" master*')) == ["LIB-900123", "LIB-900200"]
