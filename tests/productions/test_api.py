"""The clients/contacts/productions/jobs API: CRUD, search, ordering, paging, job numbers."""

import pytest
from django.utils import timezone

from postdesk.core.audit import SYSTEM
from postdesk.productions import services
from postdesk.productions.models import Client, Job

pytestmark = pytest.mark.django_db


def test_client_crud(api_as):
    api = api_as("bookings")

    created = api.post("clients", {"name": "Kestrel Films", "currency": "EUR", "country": "FR"})
    pk = created.json()["id"]
    patched = api.patch(f"clients/{pk}", {"credit_status": "hold"})
    fetched = api.get(f"clients/{pk}")
    deleted = api.delete(f"clients/{pk}")

    assert created.status_code == 201
    assert patched.json()["credit_status"] == "hold"
    assert fetched.json()["currency"] == "EUR"
    assert deleted.status_code == 204
    assert not Client.objects.filter(pk=pk).exists()


def test_duplicate_client_name_is_a_422_on_the_field(api_as, client_company):
    response = api_as("bookings").post("clients", {"name": "Northlight Pictures"})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["name"]
    assert Client.objects.count() == 1


def test_search_ordering_and_paging(api_as):
    for name in ("Alpha Films", "Beta Films", "Gamma Post", "Delta Films"):
        services.create_client(actor=SYSTEM, name=name)
    api = api_as("bookings")

    body = api.get("clients", q="films", ordering="-name", page=2, page_size=2).json()

    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (3, 2, 2, 2)
    assert [c["name"] for c in body["results"]] == ["Alpha Films"]


def test_job_numbers_count_up_per_year(api_as, production):
    api = api_as("bookings")
    year = timezone.localdate().year

    first = api.post("jobs", {"production": production.pk, "description": "Offline"}).json()
    second = api.post("jobs", {"production": production.pk, "description": "Grade"}).json()

    assert (first["number"], second["number"]) == (f"J-{year}-00001", f"J-{year}-00002")
    assert first["client"] == production.client_id
    assert first["client_name"] == "Northlight Pictures"


def test_job_contact_must_work_for_the_jobs_client(api_as, production, other_company):
    stranger = services.create_contact(actor=SYSTEM, client=other_company, name="Stranger")

    response = api_as("bookings").post(
        "jobs", {"production": production.pk, "description": "Grade", "contact": stranger.pk}
    )

    assert response.status_code == 422
    assert response.json()["details"]["fields"] == {
        "contact": ["Stranger does not work for Northlight Pictures"]
    }
    assert Job.objects.count() == 0


def test_jobs_filter_by_production_and_status(api_as, job, other_job):
    services.update_job(other_job, actor=SYSTEM, status="complete")
    api = api_as("bookings")

    by_production = api.get("jobs", production=job.production_id).json()["results"]
    complete = api.get("jobs", status="complete").json()["results"]

    assert [j["id"] for j in by_production] == [job.pk]
    assert [j["id"] for j in complete] == [other_job.pk]


def test_deleting_a_production_with_jobs_is_a_409_naming_them(api_as, job):
    response = api_as("bookings").delete(f"productions/{job.production_id}")

    assert response.status_code == 409
    assert response.json()["details"] == {"used_by": ["jobs"]}
    assert Job.objects.filter(pk=job.pk).exists()


@pytest.mark.parametrize("resource", ["clients", "contacts", "productions", "jobs", "audit"])
def test_lists_issue_a_bounded_number_of_queries(
    resource, api_as, production, django_assert_max_num_queries
):
    for n in range(25):
        client = services.create_client(actor=SYSTEM, name=f"Studio {n}")
        services.create_contact(actor=SYSTEM, client=client, name=f"Person {n}")
        p = services.create_production(actor=SYSTEM, client=client, title=f"Film {n}")
        services.create_job(actor=SYSTEM, production=p, description=f"Job {n}")
    api = api_as("admin")
    api.get("me")  # token bookkeeping done before counting

    with django_assert_max_num_queries(8):
        response = api.get(resource, page_size=100)

    assert response.status_code == 200
    assert len(response.json()["results"]) >= 25
