"""Pages for clients, productions and jobs: lists, details, forms, deletes, scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry
from postdesk.productions import services
from postdesk.productions.models import Client, Job, Production

pytestmark = pytest.mark.django_db


def test_client_list_searches_by_name(page_as, client_company, other_company):
    response = page_as("bookings").get("/clients/", {"q": "northlight"})

    assert response.status_code == 200
    assert [c.name for c in response.context["page_obj"]] == ["Northlight Pictures"]


def test_client_list_sorts_descending_and_ignores_unknown_sort(
    page_as, client_company, other_company
):
    http = page_as("bookings")

    descending = http.get("/clients/", {"sort": "-name"})
    bogus = http.get("/clients/", {"sort": "bogus"})

    assert [c.name for c in descending.context["page_obj"]] == [
        "Other Films Ltd",
        "Northlight Pictures",
    ]
    assert [c.name for c in bogus.context["page_obj"]] == [
        "Northlight Pictures",
        "Other Films Ltd",
    ]


def test_client_list_paginates_and_keeps_the_search_in_page_links(page_as):
    for n in range(30):
        services.create_client(actor=SYSTEM, name=f"Studio {n:02d}")
    http = page_as("bookings")

    first = http.get("/clients/", {"q": "studio"})
    second = http.get("/clients/", {"q": "studio", "page": "2"})
    past_the_end = http.get("/clients/", {"q": "studio", "page": "99"})
    not_a_number = http.get("/clients/", {"q": "studio", "page": "x"})

    assert len(first.context["page_obj"]) == 25
    assert [c.name for c in second.context["page_obj"]] == [f"Studio {n}" for n in range(25, 30)]
    assert 'href="?q=studio&amp;page=2"' in first.content.decode()
    assert past_the_end.context["page_obj"].number == 2
    assert not_a_number.context["page_obj"].number == 1


def test_empty_production_list_offers_to_add_one(page_as):
    response = page_as("bookings").get("/productions/")

    assert "No productions yet." in response.content.decode()
    assert 'href="/productions/new/"' in response.content.decode()


def test_search_without_match_says_so(page_as, client_company):
    response = page_as("bookings").get("/clients/", {"q": "nobody"})

    assert "No client matches “nobody”" in response.content.decode()


def test_search_with_nul_character_is_harmless(page_as, client_company):
    response = page_as("bookings").get("/clients/", {"q": "North\x00light"})

    assert response.status_code == 200
    assert [c.name for c in response.context["page_obj"]] == ["Northlight Pictures"]


def test_list_pages_issue_a_bounded_number_of_queries(
    page_as, job, other_job, django_assert_max_num_queries
):
    for n in range(20):
        services.create_job(actor=SYSTEM, production=job.production, description=f"Reel {n}")
    http = page_as("bookings")

    for url in ("/clients/", "/productions/", "/jobs/"):
        with django_assert_max_num_queries(12):
            assert http.get(url).status_code == 200


def test_client_detail_lists_contacts_and_productions(page_as, contact, production):
    response = page_as("reception").get(f"/clients/{production.client_id}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Hannah Reid" in page
    assert f'href="/productions/{production.pk}/"' in page
    # Reception reads clients but does not change them; the coordinator does.
    assert "/edit/" not in page
    edit_link = f'href="/clients/{production.client_id}/edit/"'
    assert (
        edit_link in page_as("bookings").get(f"/clients/{production.client_id}/").content.decode()
    )


def test_production_detail_lists_its_jobs(page_as, job):
    response = page_as("coordinator").get(f"/productions/{job.production_id}/")

    assert f'href="/jobs/{job.pk}/"' in response.content.decode()


def test_job_detail_lists_bookings_in_start_order_with_resources(page_as, job, site):
    from postdesk.scheduling.models import Allocation, Booking, Resource

    suite = Resource.objects.create(kind="room", name="Suite 3", site=site)
    editor = Resource.objects.create(kind="person", name="Ana Editor", site=site)
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    later = Booking.objects.create(
        job=job, start=start + timedelta(days=1), end=start + timedelta(days=1, hours=10)
    )
    sooner = Booking.objects.create(
        job=job, start=start, end=start + timedelta(hours=10), status="confirmed"
    )
    for booking, resources in ((later, [suite]), (sooner, [suite, editor])):
        for resource in resources:
            Allocation.objects.create(
                booking=booking,
                resource=resource,
                start=booking.start,
                end=booking.end,
                status=booking.status,
            )

    response = page_as("bookings").get(f"/jobs/{job.pk}/")

    assert [b.pk for b in response.context["bookings"]] == [sooner.pk, later.pk]
    page = response.content.decode()
    assert 'id="job-bookings"' in page
    assert "Suite 3, Ana Editor" in page


def test_job_detail_without_bookings_says_so(page_as, job):
    response = page_as("bookings").get(f"/jobs/{job.pk}/")

    assert "No bookings for this job yet." in response.content.decode()


def test_create_client_through_the_form_is_audited(page_as, users):
    response = page_as("bookings").post(
        "/clients/new/",
        {
            "name": "Kestrel Films",
            "country": "GB",
            "currency": "GBP",
            "payment_terms_days": "30",
            "credit_status": "good",
            "colour": "#112233",
        },
    )

    client = Client.objects.get(name="Kestrel Films")
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{client.pk}/"
    entry = AuditEntry.objects.get(object_type="productions.client", object_id=str(client.pk))
    assert (entry.action, entry.actor_id) == ("create", users["bookings"].pk)


def test_invalid_client_form_shows_messages_next_to_fields(page_as, client_company):
    response = page_as("bookings").post(
        "/clients/new/",
        {
            "name": "Northlight Pictures",
            "country": "GB",
            "currency": "GBP",
            "payment_terms_days": "-3",
            "credit_status": "good",
            "colour": "#112233",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "payment_terms_days"}
    page = response.content.decode()
    assert 'id="id_name_error"' in page
    assert 'id="id_payment_terms_days_error"' in page
    assert Client.objects.count() == 1


def test_service_refusal_shows_next_to_the_field(page_as, production, other_company):
    stranger = services.create_contact(actor=SYSTEM, client=other_company, name="Stranger")

    response = page_as("bookings").post(
        "/jobs/new/",
        {
            "production": production.pk,
            "description": "Grade",
            "contact": stranger.pk,
            "status": "active",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["contact"] == [
        "Stranger does not work for Northlight Pictures"
    ]
    assert Job.objects.count() == 0


def test_create_job_gets_a_number_and_redirects_to_it(page_as, production, contact):
    response = page_as("bookings").post(
        "/jobs/new/",
        {
            "production": production.pk,
            "description": "Grade",
            "contact": contact.pk,
            "status": "active",
        },
    )

    job = Job.objects.get()
    assert job.number.startswith(f"J-{timezone.localdate().year}-")
    assert response["Location"] == f"/jobs/{job.pk}/"


def test_edit_production_records_before_and_after(page_as, production):
    response = page_as("supervisor").post(
        f"/productions/{production.pk}/edit/",
        {"title": "The Long Tide (2026)", "kind": "feature", "status": "delivered", "notes": ""},
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.changes == {
        "title": ["The Long Tide", "The Long Tide (2026)"],
        "status": ["active", "delivered"],
    }


def test_delete_asks_for_confirmation_first(page_as, job):
    http = page_as("bookings")

    asked = http.get(f"/jobs/{job.pk}/delete/")
    assert asked.status_code == 200
    assert "Delete job" in asked.content.decode()
    assert Job.objects.filter(pk=job.pk).exists()

    done = http.post(f"/jobs/{job.pk}/delete/")
    assert done.status_code == 302
    assert done["Location"] == "/jobs/"
    assert not Job.objects.filter(pk=job.pk).exists()


def test_delete_of_a_client_still_in_use_explains_and_keeps_it(page_as, production):
    response = page_as("bookings").post(f"/clients/{production.client_id}/delete/")

    assert response.status_code == 409
    assert "still used by other records" in response.content.decode()
    assert Client.objects.filter(pk=production.client_id).exists()
    assert Production.objects.filter(pk=production.pk).exists()


def test_client_user_sees_only_their_company(page_as, job, other_job):
    http = page_as("client")

    listed = http.get("/jobs/")
    own = http.get(f"/jobs/{job.pk}/")
    other = http.get(f"/jobs/{other_job.pk}/")
    other_client = http.get(f"/clients/{other_job.client_id}/")

    assert [j.pk for j in listed.context["page_obj"]] == [job.pk]
    assert own.status_code == 200
    assert other.status_code == 404
    assert other_client.status_code == 404


def test_client_user_cannot_open_forms(page_as, job):
    http = page_as("client")

    assert http.get("/jobs/new/").status_code == 403
    assert http.post(f"/jobs/{job.pk}/delete/").status_code == 403
    assert Job.objects.filter(pk=job.pk).exists()


def test_runner_has_no_client_pages(page_as, job):
    http = page_as("runner")

    for url in (
        "/clients/",
        f"/clients/{job.client_id}/",
        "/productions/",
        "/jobs/",
        f"/jobs/{job.pk}/",
    ):
        assert http.get(url).status_code == 403, url


def test_signed_out_visitor_is_sent_to_login(client):
    response = client.get("/clients/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/clients/"


def test_id_too_large_for_the_database_is_a_404(page_as):
    response = page_as("bookings").get("/jobs/99999999999999999999999/")

    assert response.status_code == 404


def test_navigation_shows_client_pages_only_to_roles_that_read_clients(page_as):
    bookings_nav = [i["label"] for i in page_as("bookings").get("/").context["nav_items"]]
    runner_nav = [i["label"] for i in page_as("runner").get("/", follow=True).context["nav_items"]]

    assert {"Clients", "Productions", "Jobs"} <= set(bookings_nav)
    assert not {"Clients", "Productions", "Jobs"} & set(runner_nav)


def test_contacts_are_added_edited_and_deleted_from_their_clients_page(page_as, client_company):
    from postdesk.productions.models import Contact

    http = page_as("accounts")
    added = http.post(
        f"/clients/{client_company.pk}/contacts/new/",
        {"name": "Tom Baptiste", "position": "Production accountant", "email": "tom@x.test"},
    )
    contact = Contact.objects.get(name="Tom Baptiste")
    edited = http.post(
        f"/contacts/{contact.pk}/edit/",
        {"name": "Tom Baptiste", "position": "Financial controller", "email": "not-an-email"},
    )
    fixed = http.post(
        f"/contacts/{contact.pk}/edit/",
        {"name": "Tom Baptiste", "position": "Financial controller", "email": "tom@x.test"},
    )
    deleted = http.post(f"/contacts/{contact.pk}/delete/")

    assert added["Location"] == f"/clients/{client_company.pk}/"
    assert contact.client == client_company
    assert list(edited.context["form"].errors) == ["email"]
    assert fixed.status_code == 302
    assert deleted["Location"] == f"/clients/{client_company.pk}/"
    assert not Contact.objects.filter(pk=contact.pk).exists()
    actions = AuditEntry.objects.filter(object_type="productions.contact").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["create", "delete", "update"]


def test_contact_forms_are_for_roles_that_change_clients(page_as, contact):
    assert page_as("client").get(f"/contacts/{contact.pk}/edit/").status_code == 403
    assert page_as("reception").get(f"/contacts/{contact.pk}/edit/").status_code == 403
    assert page_as("bookings").get(f"/contacts/{contact.pk}/edit/").status_code == 200
