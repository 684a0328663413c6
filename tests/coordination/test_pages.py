"""Coordination's pages, each form submitted through the page with valid data."""

from decimal import Decimal

import pytest

from postdesk.coordination import crew_services, services
from postdesk.coordination.models import DealMemo, Deliverable, Milestone
from postdesk.scheduling.models import Booking
from tests.coordination.conftest import days, walk_to_delivered
from tests.scheduling.test_pages_resource_forms import page_form, submit

pytestmark = pytest.mark.django_db


def test_the_coordinator_starts_a_list_from_a_template_on_the_page(page_as, production, users):
    http = page_as("coordinator")
    url = f"/coordination/productions/{production.pk}/from-template/"

    response = submit(
        http, url, template="streamer", due=str(days(21)), owner=str(users["coordinator"].pk)
    )

    assert response.status_code == 302
    assert response["Location"] == f"/coordination/productions/{production.pk}/"
    rows = Deliverable.objects.filter(production=production)
    assert rows.count() == 7
    assert {(d.template, d.due, d.owner_id) for d in rows} == {
        ("streamer", days(21), users["coordinator"].pk)
    }
    page = http.get(response["Location"])
    assert b"IMF package" in page.content


def test_add_and_edit_an_item_on_the_pages(page_as, production):
    http = page_as("coordinator")
    response = submit(
        http,
        f"/coordination/productions/{production.pk}/deliverables/new/",
        name="Artwork",
        spec="Key art",
        due=str(days(9)),
    )
    assert response.status_code == 302
    item = Deliverable.objects.get(name="Artwork")
    assert (item.spec, item.due) == ("Key art", days(9))

    data = page_form(http, f"/coordination/deliverables/{item.pk}/edit/")
    assert data["name"] == "Artwork"
    response = submit(http, f"/coordination/deliverables/{item.pk}/edit/", name="Key artwork")
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.due) == ("Key artwork", days(9))


def test_the_buttons_and_record_pages_walk_an_item_to_accepted(page_as, item):
    http = page_as("supervisor")
    base = f"/coordination/deliverables/{item.pk}"
    assert http.post(f"{base}/start/").status_code == 302
    assert http.post(f"{base}/qc/").status_code == 302
    assert http.post(f"{base}/fail-qc/").status_code == 302
    assert Deliverable.objects.get(pk=item.pk).status == "in_progress"
    http.post(f"{base}/qc/")

    response = submit(
        http,
        f"{base}/deliver/",
        delivered_to="Channel 4",
        method="courier",
        courier="Soho Bikes",
        reference="SB-77",
    )
    assert response.status_code == 302
    response = submit(http, f"{base}/reject/", reason="Missing textless")
    assert response.status_code == 302
    assert Deliverable.objects.get(pk=item.pk).rejection_reason == "Missing textless"
    http.post(f"{base}/start/")
    http.post(f"{base}/qc/")
    submit(
        http, f"{base}/deliver/", delivered_to="Channel 4", method="file_transfer", reference="FT-1"
    )
    response = submit(http, f"{base}/accept/", accepted_by="C4 Tech")

    done = Deliverable.objects.get(pk=item.pk)
    assert response.status_code == 302
    assert (done.status, done.method, done.reference, done.courier, done.accepted_by) == (
        "accepted",
        "file_transfer",
        "FT-1",
        "",
        "C4 Tech",
    )


def test_a_refused_record_shows_the_reason_on_the_form(page_as, item, coordinator):
    services.start_deliverable(item, actor=coordinator)
    services.send_to_qc(item, actor=coordinator)
    http = page_as("coordinator")

    response = submit(
        http,
        f"/coordination/deliverables/{item.pk}/deliver/",
        delivered_to="ITV",
        method="courier",
        reference="T1",
    )

    assert response.status_code == 200
    assert "Name the courier" in response.content.decode()
    assert Deliverable.objects.get(pk=item.pk).status == "in_qc"


def test_a_button_out_of_turn_is_a_message_not_a_500(page_as, item):
    response = page_as("coordinator").post(f"/coordination/deliverables/{item.pk}/qc/", follow=True)
    assert response.status_code == 200
    assert "cannot be in qc from there" in response.content.decode()


def test_media_are_linked_on_the_page(page_as, item, register):
    tape = register(production=item.production, client=item.production.client)
    http = page_as("coordinator")
    response = submit(
        http, f"/coordination/deliverables/{item.pk}/media/", media_items=[str(tape.pk)]
    )
    assert response.status_code == 302
    assert list(item.media_items.values_list("pk", flat=True)) == [tape.pk]


def test_an_item_is_removed_with_its_button(page_as, item):
    response = page_as("coordinator").post(f"/coordination/deliverables/{item.pk}/remove/")
    assert response.status_code == 302
    assert not Deliverable.objects.filter(pk=item.pk).exists()


def test_checklist_pages_print_and_export(page_as, item, coordinator):
    walk_to_delivered(item, coordinator)
    http = page_as("supervisor")
    page = http.get(f"/coordination/productions/{item.production_id}/checklist/")
    assert page.status_code == 200
    assert "BBC media ops" in page.content.decode()
    csv = http.get(f"/coordination/productions/{item.production_id}/checklist.csv")
    assert csv["Content-Type"] == "text/csv"
    assert csv.content.decode().splitlines()[1].startswith("Programme master,")


def test_a_milestone_is_planned_on_the_page_and_its_slip_shown(page_as, production):
    http = page_as("coordinator")
    url = f"/coordination/productions/{production.pk}/milestones/"
    response = submit(http, url, kind="mix", planned=str(days(10)), revised=str(days(13)))
    assert response.status_code == 302
    m = Milestone.objects.get()
    assert (m.kind, m.planned, m.revised) == ("mix", days(10), days(13))
    page = http.get(f"/coordination/productions/{production.pk}/timeline/").content.decode()
    assert "Slipped to" in page


def test_a_deal_memo_is_offered_and_accepted_on_the_pages(
    page_as, production, job, freelancer, supervisor
):
    http = page_as("supervisor")
    url = f"/coordination/productions/{production.pk}/memos/new/"
    response = submit(
        http,
        url,
        job=str(job.pk),
        person=str(freelancer.pk),
        role="Sound editor",
        start=str(days(5)),
        end=str(days(6)),
        day_rate="395.00",
        overtime_terms="time and a half",
    )
    assert response.status_code == 302
    memo = DealMemo.objects.get()
    assert (memo.role, memo.day_rate, memo.currency) == ("Sound editor", Decimal("395.00"), "GBP")

    assert http.post(f"/coordination/memos/{memo.pk}/accept/").status_code == 302
    assert Booking.objects.get().status == "pencil"
    assert http.post(f"/coordination/memos/{memo.pk}/contract/").status_code == 302
    assert Booking.objects.get().status == "confirmed"
    page = http.get(f"/coordination/productions/{production.pk}/memos/").content.decode()
    assert "Contracted" in page and "395.00" in page


def test_a_memo_is_withdrawn_with_its_button(page_as, production, job, freelancer, supervisor):
    memo = crew_services.offer_memo(
        production=production,
        job=job,
        person=freelancer,
        role="Editor",
        start=days(1),
        end=days(1),
        day_rate=Decimal("1"),
        actor=supervisor,
    )
    assert page_as("supervisor").post(f"/coordination/memos/{memo.pk}/withdraw/").status_code == 302
    assert DealMemo.objects.get().status == "withdrawn"


def test_the_desks(page_as, item, supervisor, coordinator, production):
    services.update_deliverable(item, actor=coordinator, due=days(-1))
    services.set_milestone(production=production, kind="qc", planned=days(0), actor=coordinator)

    coord = page_as("coordinator").get("/", follow=True)
    assert coord.request["PATH_INFO"] == "/coordination/"
    text = coord.content.decode()
    assert "Programme master" in text and "Overdue" in text and "QC" in text

    desk = page_as("supervisor").get("/coordination/supervisor/").content.decode()
    assert "The Long Tide" in desk and "Programme master" in desk


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("client", "/coordination/deliverables/", 200),
        ("client", "/coordination/productions/{p}/", 200),
        ("client", "/coordination/productions/{p}/from-template/", 403),
        ("client", "/coordination/supervisor/", 403),
        ("coordinator", "/coordination/supervisor/", 403),
        ("coordinator", "/coordination/productions/{p}/memos/", 403),
        ("runner", "/coordination/deliverables/", 403),
        ("bookings", "/coordination/productions/{p}/timeline/", 200),
        ("bookings", "/coordination/productions/{p}/milestones/", 403),
    ],
)
def test_who_opens_which_page(page_as, production, role, path, status):
    assert page_as(role).get(path.format(p=production.pk)).status_code == status


def test_a_client_does_not_see_another_companys_production(page_as, other_job):
    assert (
        page_as("client").get(f"/coordination/productions/{other_job.production_id}/").status_code
        == 404
    )


@pytest.mark.parametrize("role", ["coordinator", "supervisor", "bookings", "accounts", "library"])
def test_the_production_menu_offers_edls_only_to_roles_that_see_media(role, page_as, production):
    from postdesk.core.roles import ROLES

    capabilities = ROLES[role]["capabilities"]
    response = page_as(role).get(f"/coordination/productions/{production.pk}/adr/")
    if "view_deliverables" not in capabilities:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    edls = f'href="/coordination/productions/{production.pk}/edls/"'.encode()
    # The ADR link is there for every role that opens the page (the positive control).
    assert f'href="/coordination/productions/{production.pk}/adr/"'.encode() in response.content
    assert (edls in response.content) == ("view_media" in capabilities)
