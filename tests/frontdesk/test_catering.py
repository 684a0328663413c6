"""Catering: orders per session or job, charged to the job as a catering line on its job
sheet at the rate card's price; a contact's preferences remembered and offered again;
the money shown only to roles with view_money."""

from decimal import Decimal

import pytest
from django.utils import timezone

from postdesk.billing import services as billing
from postdesk.billing.models import JobSheet, JobSheetLine
from postdesk.core.audit import SYSTEM
from postdesk.frontdesk import catering
from postdesk.frontdesk.models import CateringOrder, CateringPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(db):
    card = billing.create_rate_card(actor=SYSTEM, name="Standard", is_standard=True)
    billing.create_rate_entry(
        actor=SYSTEM,
        card=card,
        resource_kind="room",
        label="Room",
        hourly=Decimal("150"),
        half_day=Decimal("600"),
        day=Decimal("1000"),
    )
    billing.create_rate_entry(
        actor=SYSTEM,
        card=card,
        service="Catering: lunch",
        label="Lunch",
        unit="item",
        unit_price=Decimal("14.00"),
        category="services",
    )
    return card


@pytest.fixture
def session(book, suite, card):
    now = timezone.now()
    return book([suite], now - timezone.timedelta(hours=1), now + timezone.timedelta(hours=3))


def test_a_lunch_order_reaches_the_job_sheet_at_the_rate_cards_price(
    api_as, session, contact, users
):
    res = api_as("reception").post(
        "frontdesk/catering",
        {
            "booking": session.pk,
            "contact": contact.pk,
            "kind": "lunch",
            "items": "3 x chicken wrap, 1 x falafel",
            "dietary": "one vegan",
            "covers": 4,
            "supplier": "Pret, Wardour St",
            "cost": "31.60",
            "service": "Catering: lunch",
        },
    )
    assert res.status_code == 201, res.content
    body = res.json()
    # Reception orders without seeing money: neither cost nor charge is in its answer.
    assert "cost" not in body and "charged" not in body
    sheet = JobSheet.objects.get(booking=session)
    line = JobSheetLine.objects.get(sheet=sheet, kind="catering")
    assert (line.quantity, line.unit_price, line.net) == (
        Decimal("4"),
        Decimal("14.00"),
        Decimal("56.00"),
    )
    assert body["sheet"] == sheet.pk
    order = CateringOrder.objects.get()
    assert (order.cost, order.sheet_line_id, order.ordered_by) == (
        Decimal("31.60"),
        line.pk,
        users["reception"],
    )
    seen = api_as("admin").get("frontdesk/catering").json()["results"][0]
    assert (seen["cost"], seen["charged"]) == ("31.60", "56.00")


def test_a_contacts_drinks_and_dietary_needs_are_remembered_and_offered(
    users, session, contact, page_as
):
    catering.place_order(
        actor=users["reception"],
        booking=session,
        contact=contact,
        kind="drinks",
        items="oat flat white",
        dietary="no dairy",
        supplier="Kitchen",
        cost="0",
        service="Catering: lunch",
    )
    pref = CateringPreference.objects.get(contact=contact)
    assert (pref.drinks, pref.dietary) == ("oat flat white", "no dairy")
    page = page_as("reception").get(f"/frontdesk/catering/new/?contact={contact.pk}")
    html = page.content.decode()
    assert "Last time: oat flat white; dietary needs: no dairy" in html
    assert page.context["form"].initial["items"] == "oat flat white"


def test_an_unpriced_service_is_refused_and_leaves_nothing(api_as, session):
    res = api_as("reception").post(
        "frontdesk/catering",
        {
            "booking": session.pk,
            "items": "Champagne",
            "supplier": "Berry Bros",
            "cost": "300",
            "service": "Catering: champagne",
        },
    )
    assert res.status_code == 422
    assert res.json()["code"] == "no_rate"
    assert CateringOrder.objects.count() == 0
    assert JobSheetLine.objects.filter(kind="catering").count() == 0


def test_a_job_without_an_open_sheet_is_a_409(api_as, job, card):
    res = api_as("reception").post(
        "frontdesk/catering",
        {"job": job.pk, "items": "Tea", "supplier": "K", "cost": "1", "service": "Catering: lunch"},
    )
    assert res.status_code == 409 and res.json()["code"] == "no_job_sheet"


@pytest.mark.parametrize("role", ["runner", "engineer", "supervisor", "client"])
def test_only_the_front_office_orders(api_as, role, session):
    res = api_as(role).post(
        "frontdesk/catering",
        {
            "booking": session.pk,
            "items": "Tea",
            "supplier": "K",
            "cost": "1",
            "service": "Catering: lunch",
        },
    )
    assert res.status_code == 403


def test_the_order_form_charges_the_job(page_as, session, contact):
    res = page_as("reception").post(
        "/frontdesk/catering/new/",
        {
            "booking": session.pk,
            "contact": contact.pk,
            "kind": "lunch",
            "items": "2 x soup",
            "covers": 2,
            "supplier": "Leon",
            "cost": "12.00",
            "service": "Catering: lunch",
        },
    )
    assert res.status_code == 302, res.content.decode()[:3000]
    line = JobSheetLine.objects.get(kind="catering")
    assert line.net == Decimal("28.00")
    listing = page_as("reception").get("/frontdesk/catering/", {"q": "soup"}).content.decode()
    assert "2 x soup" in listing and "12.00" not in listing


def test_the_desk_lists_todays_catering_without_money(users, session, contact, page_as, job):
    catering.place_order(
        actor=users["reception"],
        booking=session,
        contact=contact,
        kind="lunch",
        items="two falafel wraps",
        dietary="vegan",
        covers=2,
        supplier="Kitchen",
        cost="18.40",
        service="Catering: lunch",
    )

    page = page_as("reception").get("/frontdesk/").content.decode()

    card = page.split('id="catering-card"')[1].split("</section>")[0]
    assert f"for {job.number}</a>: two falafel wraps (vegan)" in card
    assert f'href="/frontdesk/catering/?job={job.pk}"' in card
    assert "18.40" not in card and "£" not in card
    # A supervisor keeps the desk but orders no catering: no card.
    assert 'id="catering-card"' not in page_as("supervisor").get("/frontdesk/").content.decode()
