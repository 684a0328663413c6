"""Every create page of billing, productions and scheduling, submitted through the page
with valid data, makes its record.

Issue 11: the new job sheet form refused every booking and no test had ever submitted it;
the services were tested, the pages were not. The create pages are found from the URL
configuration (names ending in _new/-new/_create/-create), so a new one without a case
here fails `test_every_create_page_has_a_case`.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from postdesk.billing import services as billing
from postdesk.billing.models import (
    CategoryRule,
    ExchangeRate,
    Invoice,
    JobSheet,
    Quote,
    RateCard,
)
from postdesk.core.audit import SYSTEM
from postdesk.engineering.models import (
    Asset,
    Licence,
    Machine,
    MaintenanceSchedule,
    PatTest,
    QcReport,
)
from postdesk.library import services as library
from postdesk.library.models import (
    DestructionRequest,
    Location,
    MediaItem,
    ResearchRequest,
    StockTake,
)
from postdesk.productions.models import Client, Contact, Job, Production
from postdesk.scheduling.models import Resource, Skill
from tests.billing.conftest import (  # noqa: F401 (fixtures)
    at,
    baselight,
    make_booking,
    standard_card,
    theatre,
)

pytestmark = pytest.mark.django_db

APPS = (
    "postdesk.billing",
    "postdesk.productions",
    "postdesk.scheduling",
    "postdesk.library",
    "postdesk.engineering",
)
CREATE_NAME = re.compile(r"[_-](new|create)$")


def _patterns(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def create_pages() -> set[str]:
    return {
        name
        for name, view in _patterns(get_resolver())
        if CREATE_NAME.search(name) and view.__module__.startswith(APPS)
    }


@pytest.fixture
def world(job, contact, theatre, standard_card, make_booking):  # noqa: F811 (imported)
    """A job with a completed booking without a sheet, and one signed sheet to invoice."""
    done = make_booking(
        job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"), "completed"
    )
    other = make_booking(
        job, [theatre], at("2026-03-03", "09:00"), at("2026-03-03", "19:00"), "completed"
    )
    signed = billing.create_job_sheet(booking=other, actor=SYSTEM)
    billing.sign_job_sheet(signed, actor=SYSTEM, party="operator", name="Ana")
    signed = billing.sign_job_sheet(signed, actor=SYSTEM, party="client", name="Hannah")
    return {
        "job": job,
        "contact": contact,
        "booking": done,
        "signed": signed,
        "skill": Skill.objects.create(name="Colourist"),
        "site": theatre.site,
        "theatre": theatre,
    }


# name: (role, url, valid POST data, the record it makes) from the world above.
CASES = {
    "billing:quote_new": lambda w: (
        "bookings",
        reverse("billing:quote_new"),
        {"job": w["job"].pk, "valid_until": "2027-01-31", "notes": "From the page"},
        Quote.objects.filter(job=w["job"], notes="From the page"),
    ),
    "billing:sheet_new": lambda w: (
        "bookings",
        reverse("billing:sheet_new"),
        {"booking": w["booking"].pk},
        JobSheet.objects.filter(booking=w["booking"]),
    ),
    "billing:invoice_new": lambda w: (
        "accounts",
        reverse("billing:invoice_new"),
        {"job_sheets": [w["signed"].pk]},
        Invoice.objects.filter(job_sheets=w["signed"]),
    ),
    "billing:rate_card_new": lambda w: (
        "accounts",
        reverse("billing:rate_card_new"),
        {"name": "Autumn deal", "currency": "GBP", "valid_from": "2027-01-01"},
        RateCard.objects.filter(name="Autumn deal"),
    ),
    "billing:exchange_rate_new": lambda w: (
        "accounts",
        reverse("billing:exchange_rate_new"),
        {"currency": "GBP", "to_currency": "USD", "rate": "1.27", "valid_from": "2026-11-01"},
        ExchangeRate.objects.filter(currency="GBP", to_currency="USD", rate=Decimal("1.27")),
    ),
    "billing:category_rule_new": lambda w: (
        "supervisor",
        reverse("billing:category_rule_new"),
        {
            "target": "skill",
            "skill": w["skill"].pk,
            "resource_kind": "person",
            "category": "grade",
            "rank": "10",
        },
        CategoryRule.objects.filter(skill=w["skill"], category="grade"),
    ),
    "client-create": lambda w: (
        "bookings",
        reverse("client-create"),
        {
            "name": "Kestrel Films",
            "country": "GB",
            "currency": "GBP",
            "payment_terms_days": "30",
            "credit_status": "good",
            "colour": "#112233",
        },
        Client.objects.filter(name="Kestrel Films"),
    ),
    "contact-create": lambda w: (
        "accounts",
        reverse("contact-create", args=[w["job"].client_id]),
        {"name": "Tom Baptiste", "position": "Production accountant", "email": "t@example.com"},
        Contact.objects.filter(name="Tom Baptiste", client=w["job"].client),
    ),
    "production-create": lambda w: (
        "supervisor",
        reverse("production-create"),
        {
            "title": "Second Tide",
            "kind": "feature",
            "client": w["job"].client_id,
            "status": "active",
        },
        Production.objects.filter(title="Second Tide"),
    ),
    "scheduling:resource-create": lambda w: (
        "bookings",
        reverse("scheduling:resource-create"),
        {
            "kind": "person",
            "name": "Ana Colourist",
            "site": w["site"].pk,
            "bookable": "on",
            "colour": "#3366cc",
            "skills": [w["skill"].pk],
            "employment": "freelance",
            "day_rate": "450.00",
            "currency": "GBP",
            **{f"working_hours_{day}": "09:00-19:00" for day in range(5)},
            "sort_order": "0",
        },
        Resource.objects.filter(name="Ana Colourist", skills__name="Colourist"),
    ),
    "job-create": lambda w: (
        "bookings",
        reverse("job-create"),
        {
            "production": w["job"].production_id,
            "description": "Grade from the page",
            "contact": w["contact"].pk,
            "status": "active",
        },
        Job.objects.filter(description="Grade from the page"),
    ),
}


def _shelf(w) -> Location:
    """A library shelf in the world, made once."""
    if "shelf" not in w:
        w["shelf"] = library.create_location(
            actor=SYSTEM, name="Shelf T", kind="shelf", barcode="LOC-T-1", site=w["site"]
        )
    return w["shelf"]


def _expired_item(w) -> MediaItem:
    """A dub past its retention date, on the world's shelf."""
    return library.register_item(
        actor=SYSTEM,
        title="Old viewing copy",
        kind="tape",
        format="digibeta",
        generation="dub",
        location=_shelf(w),
        retention_until=datetime.date(2020, 1, 31),
    )


LIBRARY_CASES = {
    "library:media-create": lambda w: (
        "library",
        reverse("library:media-create"),
        {
            "title": "Form master",
            "kind": "tape",
            "format": "hdcam_sr",
            "generation": "master",
            "owner": "client",
            "condition": "good",
            "frame_rate": "25",
            "start_timecode": "10:00:00:00",
            "client": w["job"].client_id,
            "production": w["job"].production_id,
            "location": _shelf(w).pk,
        },
        MediaItem.objects.filter(title="Form master", location=_shelf(w)),
    ),
    "library:location-create": lambda w: (
        "library",
        reverse("library:location-create"),
        {"name": "Vault Z", "kind": "vault", "site": w["site"].pk},
        Location.objects.filter(name="Vault Z", kind="vault"),
    ),
    "library:stocktake-create": lambda w: (
        "library",
        reverse("library:stocktake-create"),
        {"location": _shelf(w).pk},
        StockTake.objects.filter(location=_shelf(w), status="open"),
    ),
    "library:destruction-create": lambda w: (
        "library",
        reverse("library:destruction-create"),
        {"items": [_expired_item(w).pk], "method": "shred", "reason": "Past retention"},
        DestructionRequest.objects.filter(reason="Past retention", items__title="Old viewing copy"),
    ),
    "library:research-create": lambda w: (
        "library",
        reverse("library:research-create"),
        {
            "requested_by": "Dana Hollis",
            "production": w["job"].production_id,
            "wanted": "Aerials of the Thames, 1990s",
            "wanted_by": "2027-01-15",
        },
        ResearchRequest.objects.filter(requested_by="Dana Hollis"),
    ),
}
CASES.update(LIBRARY_CASES)


def _pat_asset(w):
    from postdesk.engineering import services as engineering

    return engineering.create_asset(
        actor=SYSTEM, tag="PAT-1", make="Kettle Co", model="K1", risk_class="portable"
    )


def _qc_file(w) -> str:
    """A file on the configured media root for the QC form to name."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.QC_MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    (root / "create-form-case.mov").write_bytes(b"not a movie")
    return "create-form-case.mov"


def _spec_id() -> int:
    from postdesk.engineering.models import DeliverySpec

    return DeliverySpec.objects.get(slug="dpp-as11-hd").pk


# Engineering (issue 14).
CASES.update(
    {
        "engineering:asset_new": lambda w: (
            "engineer",
            reverse("engineering:asset_new"),
            {
                "tag": "ENG-9",
                "make": "Sony",
                "model": "BVM-HX310",
                "status": "in_service",
                "room": w["theatre"].pk,
                "critical": "on",
                "risk_class": "movable",
            },
            Asset.objects.filter(tag="ENG-9", room=w["theatre"], critical=True),
        ),
        "engineering:schedule_new": lambda w: (
            "engineer",
            reverse("engineering:schedule_new"),
            {
                "title": "Clean filters",
                "room": w["theatre"].pk,
                "every_days": "30",
                "duration_minutes": "60",
                "last_done_at": "2026-03-01T09:00",
            },
            MaintenanceSchedule.objects.filter(title="Clean filters"),
        ),
        "engineering:pat_new": lambda w: (
            "engineer",
            reverse("engineering:pat_new"),
            {
                "asset": _pat_asset(w).pk,
                "tested_on": "2026-03-02",
                "tester": "A. Sparks",
                "result": "pass",
            },
            PatTest.objects.filter(tester="A. Sparks", next_due="2028-03-02"),
        ),
        "engineering:machine_new": lambda w: (
            "engineer",
            reverse("engineering:machine_new"),
            {"room": w["theatre"].pk, "hostname": "grade-ws1", "ip_address": "10.0.0.5"},
            Machine.objects.filter(hostname="grade-ws1", ip_address="10.0.0.5"),
        ),
        "engineering:licence_new": lambda w: (
            "engineer",
            reverse("engineering:licence_new"),
            {"product": "Baselight", "renews_on": "2026-06-30", "room": w["theatre"].pk},
            Licence.objects.filter(product="Baselight", renews_on="2026-06-30"),
        ),
        "engineering:qc_new": lambda w: (
            "engineer",
            reverse("engineering:qc_new"),
            {"spec": _spec_id(), "path": _qc_file(w)},
            QcReport.objects.filter(path="create-form-case.mov", state="queued"),
        ),
    }
)


def test_every_create_page_has_a_case():
    assert create_pages() == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_create_page_makes_its_record_from_a_valid_post(name, world, page_as):
    role, url, data, made = CASES[name](world)
    http = page_as(role)
    assert http.get(url).status_code == 200
    assert not made.exists()

    response = http.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert made.count() == 1
