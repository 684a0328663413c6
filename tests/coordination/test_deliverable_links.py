"""A deliverable's engineering QC report (linked, shown with its verdict, refused from
another production's file) and its cost, which billing's cost report adds up in a
section of its own."""

from decimal import Decimal

import pytest

from postdesk.billing.reports import cost_report, cost_report_csv
from postdesk.coordination import services
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.engineering import services as engineering
from postdesk.engineering.models import DeliverySpec
from postdesk.engineering.services import qc as qc_services
from postdesk.productions import services as production_services
from tests.scheduling.test_pages_resource_forms import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(tmp_path, settings):
    root = tmp_path / "media-root"
    (root / "deliveries").mkdir(parents=True)
    settings.QC_MEDIA_ROOT = root
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return root


def qc_of(path: str, media_root, users, verdict: str = "fail"):
    """A finished QC report of the media-root file `path`."""
    (media_root / path).write_bytes(b"not really a movie")
    spec = DeliverySpec.objects.order_by("pk").first()
    report = engineering.start_check(actor=users["engineer"], spec=spec, path=path)
    return qc_services.finish(report.pk, state="done", verdict=verdict)


def test_a_qc_report_is_linked_and_shown_with_its_verdict(item, coordinator, users, media_root):
    report = qc_of("deliveries/ep1.mxf", media_root, users)

    linked = services.link_qc_report(item, report=report, actor=coordinator)

    assert linked.qc_report_id == report.pk
    assert services.link_qc_report(item, report=None, actor=coordinator).qc_report_id is None


def test_a_report_of_another_productions_file_is_refused(
    item, coordinator, users, media_root, register, client_company
):
    other = production_services.create_production(
        actor=SYSTEM, client=client_company, title="Other show", kind="feature"
    )
    theirs = qc_of("deliveries/other.mxf", media_root, users)
    ours = qc_of("deliveries/ours.mxf", media_root, users, verdict="pass")
    register(
        barcode="FILE-1",
        kind="file",
        format="file",
        production=other,
        file_path="/mnt/media-root/deliveries/other.mxf",
    )
    register(
        barcode="FILE-2",
        kind="file",
        format="file",
        production=item.production,
        file_path="deliveries/ours.mxf",
    )

    with pytest.raises(InvalidInput, match="media of another production"):
        services.link_qc_report(item, report=theirs, actor=coordinator)
    assert services.link_qc_report(item, report=ours, actor=coordinator).qc_report_id == ours.pk
    with pytest.raises(Forbidden):
        services.link_qc_report(item, report=ours, actor=users["client"])


def test_the_qc_report_on_the_page_and_in_the_api(
    page_as, api_as, item, users, media_root, production
):
    report = qc_of("deliveries/ep1.mxf", media_root, users)
    http = page_as("coordinator")
    url = f"/coordination/deliverables/{item.pk}/qc-report/"

    response = submit(http, url, qc_report=str(report.pk))

    assert response.status_code == 302
    page = http.get(f"/coordination/productions/{production.pk}/").content.decode()
    assert f"/engineering/qc/{report.pk}/" in page and "ep1.mxf" in page and "Fail" in page

    api = api_as("coordinator")
    body = api.get(f"deliverables/{item.pk}").json()
    assert (body["qc_report"], body["qc_state"], body["qc_verdict"]) == (report.pk, "done", "fail")
    missing = api.http.put(
        f"/api/v1/deliverables/{item.pk}/qc-report",
        {"qc_report": 999999},
        content_type="application/json",
        **api.headers,
    )
    assert missing.status_code == 422
    cleared = api.http.put(
        f"/api/v1/deliverables/{item.pk}/qc-report",
        {"qc_report": None},
        content_type="application/json",
        **api.headers,
    )
    assert cleared.status_code == 200 and cleared.json()["qc_report"] is None
    # The client sees the item's status, not the facility's internal QC record.
    client_body = api_as("client").get(f"deliverables/{item.pk}").json()
    assert "qc_report" not in client_body and client_body["status"] == "not_started"


def test_costs_are_kept_in_the_clients_currency_and_bounded(uk_list, users, coordinator):
    supervisor = users["supervisor"]
    first = services.set_cost(uk_list[0], cost=Decimal("1250.505"), actor=supervisor)
    assert (first.cost, first.cost_currency) == (Decimal("1250.51"), "GBP")
    with pytest.raises(InvalidInput, match="more than the largest amount"):
        services.set_cost(uk_list[1], cost=Decimal("10000000000"), actor=supervisor)
    with pytest.raises(InvalidInput):
        services.set_cost(uk_list[1], cost=Decimal("-1"), actor=supervisor)
    # A cost is money: the coordinator keeps the list, not its costs.
    with pytest.raises(Forbidden):
        services.set_cost(uk_list[1], cost=Decimal("5"), actor=coordinator)
    cleared = services.set_cost(uk_list[0], cost=None, actor=supervisor)
    assert (cleared.cost, cleared.cost_currency) == (None, "")


def test_the_cost_report_adds_the_deliverables_section_exactly(production, uk_list, users):
    supervisor = users["supervisor"]
    services.set_cost(uk_list[0], cost=Decimal("1250.50"), actor=supervisor)
    services.set_cost(uk_list[2], cost=Decimal("99.99"), actor=supervisor)
    services.set_cost(uk_list[3], cost=Decimal("0.01"), actor=supervisor)

    report = cost_report(production)

    section = next(s for s in report["sections"] if s["title"] == "Deliverables")
    assert [(line["label"], line["converted"]) for line in section["lines"]] == [
        (uk_list[0].name, Decimal("1250.50")),
        (uk_list[2].name, Decimal("99.99")),
        (uk_list[3].name, Decimal("0.01")),
    ]
    assert section["total"] == Decimal("1350.50")
    assert "Deliverables at cost (GBP),,,,,,1350.50" in cost_report_csv(report)


def test_cost_on_the_page_in_the_api_and_in_the_cost_report(page_as, api_as, uk_list, production):
    http = page_as("supervisor")
    item = uk_list[0]

    response = submit(http, f"/coordination/deliverables/{item.pk}/cost/", cost="420.00")

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.cost, item.cost_currency) == (Decimal("420.00"), "GBP")
    page = http.get(f"/billing/cost-reports/{production.pk}/").content.decode()
    assert "Deliverables at cost" in page and "420.00" in page
    assert (
        page_as("coordinator").get(f"/coordination/deliverables/{item.pk}/cost/").status_code == 403
    )

    api = api_as("supervisor")
    put = api.http.put(
        f"/api/v1/deliverables/{uk_list[1].pk}/cost",
        {"cost": "80.00"},
        content_type="application/json",
        **api.headers,
    )
    assert put.status_code == 200 and put.json()["cost"] == "80.00"
    report = api.get(f"productions/{production.pk}/cost-report").json()
    section = next(s for s in report["sections"] if s["title"] == "Deliverables")
    assert section["total"] == "500.00"
    # Costs are the facility's: neither the coordinator nor the client sees them.
    assert "cost" not in api_as("coordinator").get(f"deliverables/{item.pk}").json()
    assert "cost" not in api_as("client").get(f"deliverables/{item.pk}").json()
