"""web/listing.list_page: a list page searched, filtered, sorted and paged by the same
ListSpec as the API's list of the model, forgiving where the API is strict."""

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.core.listing import Filter, ListSpec
from postdesk.productions.models import Client
from postdesk.scheduling import services as scheduling
from postdesk.web.listing import for_page, list_page

pytestmark = pytest.mark.django_db

SPEC = ListSpec(
    search=("name",),
    sorts={"name": "name", "country": "country"},
    default_sort="name",
    filters={
        "country": Filter("country", parse=str.upper),
        "terms": Filter("payment_terms_days__gte", parse=int),
    },
)


@pytest.fixture
def clients(db):
    for name, country, terms in [
        ("Bravo", "GB", 30),
        ("Alpha", "FR", 60),
        ("Charlie", "GB", 14),
        ("Delta", "DE", 30),
    ]:
        Client.objects.create(name=name, country=country, payment_terms_days=terms)


def listed(query: str, spec=SPEC, **kwargs) -> dict:
    request = RequestFactory().get("/clients/?" + query)
    return list_page(request, Client.objects.all(), spec, **kwargs)


def names(context) -> list[str]:
    return [c.name for c in context["page_obj"]]


def test_search_filters_and_sort_come_from_the_query(clients):
    context = listed("q=a&country=gb&sort=-name")

    assert names(context) == ["Charlie", "Bravo"]
    assert (context["q"], context["sort"]) == ("a", "-name")
    assert context["filters"] == {"country": "GB"}


def test_what_cannot_be_understood_is_ignored_never_an_error(clients):
    # An unknown sort, a filter value that does not parse, NUL in the search.
    context = listed("sort=colour&terms=many&q=%00")

    assert names(context) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert (context["q"], context["sort"], context["filters"]) == ("", "name", {})


def test_a_filter_refusing_a_value_when_applied_is_ignored_too(clients):
    def refuse(qs, value):
        raise InvalidInput.field("kind", "no such kind")

    spec = ListSpec(
        sorts={"name": "name"}, default_sort="name", filters={"kind": Filter(method=refuse)}
    )

    context = listed("kind=spaceship", spec)

    assert names(context) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert context["filters"] == {}


def test_sort_links_keep_the_query_and_reverse_the_sorted_column(clients):
    context = listed("q=a&page=2")

    name, country = context["sort_links"]["name"], context["sort_links"]["country"]
    assert (name.active, name.descending, name.aria_sort) == (True, False, "ascending")
    assert QueryDict(name.url[1:]) == QueryDict("q=a&sort=-name")  # page dropped
    assert (country.active, country.aria_sort) == (False, "none")
    assert QueryDict(country.url[1:]) == QueryDict("q=a&sort=country")
    assert context["page_query"] == "?q=a&"


def test_a_columns_tie_breakers_follow_its_key_in_its_link(clients):
    context = listed("", then={"country": "name"})

    assert context["sort_links"]["country"].url == "?sort=country%2Cname"
    by_country = listed("sort=country,name")
    assert names(by_country) == ["Delta", "Alpha", "Bravo", "Charlie"]
    assert by_country["sort_links"]["country"].active


def test_a_page_names_its_sort_parameter_where_its_links_predate_sort(clients):
    context = listed("ordering=-country", sort_param="ordering")

    assert names(context)[0] in ("Bravo", "Charlie")  # GB first, descending
    assert context["sort_links"]["country"].url == "?ordering=country"


def test_pages_past_the_last_show_the_last(clients):
    context = listed("page=99", page_size=3)

    assert context["page_obj"].number == 2
    assert names(context) == ["Delta"]


def test_for_page_adds_lookups_and_sorts_but_keeps_the_filters():
    page = for_page(SPEC, search=("vat_number", "name"), sorts={"terms": "payment_terms_days"})

    assert page.search == ("name", "vat_number")
    assert set(page.sorts) == {"name", "country", "terms"}
    assert page.filters is SPEC.filters
    assert page.default_sort == "name"


def test_a_list_page_and_its_api_list_filter_alike(page_as, api_as, users, client_company):
    from postdesk.productions import services

    services.create_production(actor=SYSTEM, client=client_company, title="Active one")
    done = services.create_production(actor=SYSTEM, client=client_company, title="Done one")
    services.update_production(done, actor=SYSTEM, status="delivered")

    page = page_as("bookings").get("/productions/", {"status": "delivered"})
    api = api_as("bookings").get("productions", status="delivered").json()

    assert [p.title for p in page.context["page_obj"]] == ["Done one"]
    assert [p["title"] for p in api["results"]] == ["Done one"]


def test_the_resource_list_ignores_a_kind_it_does_not_know(page_as, site):
    scheduling.create_resource(actor=SYSTEM, kind="room", name="Suite 1", site=site)

    response = page_as("bookings").get("/resources/", {"kind": "spaceship"})

    assert response.status_code == 200
    assert "Suite 1" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/billing/quotes/", {"job": "9" * 25}),
        ("/billing/invoices/", {"client": str(2**63)}),
        ("/jobs/", {"client": "9" * 25, "production": str(-(2**63) - 1)}),
    ],
    ids=str,
)
def test_an_id_no_column_can_hold_filters_nothing(url, query, page_as, job):
    # Positive control: the same filter with the job's own ids narrows the list to it.
    http = page_as("admin")
    name = next(iter(query))
    own = {"job": job.pk, "client": job.client_id, "production": job.production_id}[name]
    assert http.get(url, {name: own}).context["filters"] == {name: own}

    response = http.get(url, query)

    assert response.status_code == 200
    assert response.context["filters"] == {}


def test_cleaned_query_keeps_what_the_form_cleaned_and_drops_what_it_refused(site):
    from postdesk.scheduling.forms import ResourceListForm
    from postdesk.web.listing import cleaned_query

    request = RequestFactory().get(
        "/resources/", {"site": site.pk, "kind": "room\x00", "q": "suite", "ordering": "-name"}
    )

    params = cleaned_query(request, ResourceListForm(request.GET))

    assert params.dict() == {"site": str(site.pk), "q": "suite", "ordering": "-name"}
