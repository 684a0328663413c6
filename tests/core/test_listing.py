"""core/listing: one ListSpec, strict for the API and forgiving for the pages."""

import pytest

from postdesk.core.errors import InvalidInput
from postdesk.core.listing import Filter, ListSpec
from postdesk.productions.models import Client

SPEC = ListSpec(
    search=("name", "vat_number"),
    sorts={"name": "name", "country": "country", "id": "pk"},
    default_sort="name",
    filters={
        "country": Filter("country", parse=lambda s: s.upper()),
        "terms": Filter("payment_terms_days__gte", parse=int),
    },
)


@pytest.fixture
def clients(db):
    return [
        Client.objects.create(name="Bravo", country="GB", vat_number="GB1", payment_terms_days=30),
        Client.objects.create(name="Alpha", country="FR", vat_number="X", payment_terms_days=60),
        Client.objects.create(name="Charlie", country="GB", vat_number="Y", payment_terms_days=14),
    ]


def names(qs):
    return [c.name for c in qs]


def test_strict_searches_any_lookup_filters_and_sorts(clients):
    qs = SPEC.strict(Client.objects.all(), q="gb1", ordering=None, filters={})
    assert names(qs) == ["Bravo"]
    qs = SPEC.strict(Client.objects.all(), ordering="country,-name", filters={"country": "gb"})
    assert names(qs) == ["Charlie", "Bravo"]
    qs = SPEC.strict(Client.objects.all(), filters={"terms": "30"})
    assert names(qs) == ["Alpha", "Bravo"]


def test_strict_refuses_an_unknown_sort_and_a_bad_filter_naming_the_parameter(clients):
    with pytest.raises(InvalidInput) as caught:
        SPEC.strict(Client.objects.all(), ordering="name,colour")
    assert caught.value.message == "Cannot order by 'colour'; one of country, id, name"
    assert caught.value.details == {"fields": {"ordering": [caught.value.message]}}
    with pytest.raises(InvalidInput) as caught:
        SPEC.strict(Client.objects.all(), filters={"terms": "many"})
    assert caught.value.message == ("terms invalid literal for int() with base 10: 'many'")
    assert caught.value.details == {"fields": {"terms": [caught.value.message]}}


def test_empty_filter_values_filter_nothing(clients):
    qs = SPEC.strict(Client.objects.all(), filters={"country": "", "terms": None})
    assert len(qs) == 3


def test_order_ends_with_the_primary_key_in_the_last_terms_direction():
    assert SPEC.order_by("name") == ["name", "pk"]
    assert SPEC.order_by("-name") == ["-name", "-pk"]
    assert SPEC.order_by("-name,country") == ["-name", "country", "pk"]


def test_forgiving_falls_back_and_ignores_what_it_cannot_read(clients):
    qs, state = SPEC.forgiving(
        Client.objects.all(), {"sort": "colour", "terms": "many", "q": "\x00a"}
    )
    # "a" matches Alpha, Bravo, Charlie by name; the bad sort gives the default.
    assert state.sort == "name" and state.filters == {} and state.q == "a"
    assert names(qs) == ["Alpha", "Bravo", "Charlie"]
    qs, state = SPEC.forgiving(Client.objects.all(), {"sort": "-country", "terms": "20"})
    assert names(qs) == ["Bravo", "Alpha"]
    assert state.sort_key == "country" and state.descending and state.filters == {"terms": 20}


def test_a_spec_whose_default_names_an_unknown_key_fails_at_declaration():
    with pytest.raises(InvalidInput):
        ListSpec(sorts={"name": "name"}, default_sort="title")
    with pytest.raises(TypeError):
        Filter()
