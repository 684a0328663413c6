"""Resources in a real browser: a bookings coordinator creates a freelancer through the
pages (skills ticked and typed, working hours per weekday, a day rate) and finds it on the
list and on the board."""

from decimal import Decimal

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry
from postdesk.scheduling import services
from postdesk.scheduling.models import Resource

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_creates_a_resource_through_the_pages(users, login, live_server, site, shot):
    avid = services.create_skill(actor=SYSTEM, name="Avid")
    page = login(users["bookings"])

    # given the resource list, with its "New resource" button
    page.goto(f"{live_server.url}/resources/")
    page.click("text=New resource")
    page.wait_for_url(f"{live_server.url}/resources/new/")

    # when the coordinator fills in a freelancer and saves
    page.select_option("#id_kind", "person")
    page.fill("#id_name", "Robin Grader")
    page.check(f'#id_skills input[value="{avid.pk}"]')
    page.fill("#id_new_skills", "Baselight")
    page.select_option("#id_employment", "freelance")
    page.fill("#id_day_rate", "480")
    page.get_by_label("Friday").fill("09:00-13:00")
    page.get_by_label("Saturday").fill("10:00-16:00")
    shot(page, "resource-new")
    page.click("form.form-card button[type=submit]")

    # then the resource's page says it was created and shows what was entered
    page.wait_for_selector("text=Created person Robin Grader.")
    robin = Resource.objects.get(name="Robin Grader")
    assert page.url == f"{live_server.url}/resources/{robin.pk}/"
    assert page.inner_text("dl.facts").count("Avid, Baselight") == 1
    assert "£480.00" in page.inner_text("dl.facts")
    assert "Fri 09:00–13:00" in page.inner_text("dl.facts")
    assert "Sat 10:00–16:00" in page.inner_text("dl.facts")
    assert (robin.kind, robin.site, robin.employment, robin.day_rate) == (
        "person",
        site,
        "freelance",
        Decimal("480.00"),
    )
    assert robin.working_hours["fri"] == [["09:00", "13:00"]]
    assert AuditEntry.objects.filter(
        object_type="scheduling.resource", object_id=str(robin.pk), actor=users["bookings"]
    ).exists()

    # and the list finds it by its new skill
    page.goto(f"{live_server.url}/resources/?q=baselight")
    assert page.inner_text("table.list tbody").strip().startswith("Robin Grader")
