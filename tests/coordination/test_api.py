"""The coordination API: conventions (typed bodies, 4xx with reasons, nothing changed on
a refusal) and who sees what (client users: their own productions, no owners or notes)."""

import csv
import io
from decimal import Decimal

import pytest

from postdesk.coordination import services
from postdesk.coordination.models import DealMemo, Deliverable, Milestone
from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry
from postdesk.productions import services as production_services
from tests.coordination.conftest import days, walk_to_delivered

pytestmark = pytest.mark.django_db


def test_templates_are_listed(api_as):
    body = api_as("coordinator").get("deliverable-templates").json()
    assert [t["key"] for t in body] == ["streamer", "theatrical", "uk_broadcaster"]
    assert body[2]["items"][0]["name"] == "Programme master"


def test_the_coordinator_makes_a_list_from_a_template(api_as, production, users):
    response = api_as("coordinator").post(
        "deliverables/from-template",
        {
            "production": production.pk,
            "template": "theatrical",
            "due": str(days(40)),
            "owner": users["coordinator"].pk,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert [d["name"] for d in body][:3] == ["DCP", "Stems", "M&E"]
    assert {(d["status"], d["due"], d["owner"]) for d in body} == {
        ("not_started", str(days(40)), users["coordinator"].display_name)
    }


def test_the_status_machine_through_the_api(api_as, item):
    api = api_as("coordinator")
    base = f"deliverables/{item.pk}"
    assert api.post(f"{base}/start").json()["status"] == "in_progress"
    assert api.post(f"{base}/send-to-qc").json()["status"] == "in_qc"
    delivered = api.post(
        f"{base}/deliver",
        {"delivered_to": "ITV", "method": "courier", "courier": "DHL", "reference": "TRK-9"},
    ).json()
    assert (delivered["status"], delivered["courier"], delivered["reference"]) == (
        "delivered",
        "DHL",
        "TRK-9",
    )
    refused = api.post(f"{base}/reject", {"reason": ""})
    assert refused.status_code == 422
    assert Deliverable.objects.get(pk=item.pk).status == "delivered"
    rejected = api.post(f"{base}/reject", {"reason": "Audio out of sync"}).json()
    assert (rejected["status"], rejected["rejection_reason"]) == ("rejected", "Audio out of sync")
    again = api.post(f"{base}/send-to-qc")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"


def test_a_client_sees_its_own_deliverables_without_owner_or_notes(
    api_as, item, coordinator, other_job
):
    services.update_deliverable(
        item, actor=coordinator, notes="internal: chase the grade", owner=coordinator
    )
    other = services.add_deliverable(
        production=other_job.production, name="Theirs", actor=coordinator
    )

    body = api_as("client").get("deliverables").json()

    assert body["count"] == 7
    assert other.pk not in [d["id"] for d in body["results"]]
    assert "owner" not in body["results"][0] and "notes" not in body["results"][0]
    assert api_as("client").get(f"deliverables/{other.pk}").status_code == 404
    staff = api_as("coordinator").get(f"deliverables/{item.pk}").json()
    assert staff["notes"] == "internal: chase the grade"


def test_a_client_cannot_change_deliverables(api_as, item):
    response = api_as("client").post(f"deliverables/{item.pk}/start")
    assert response.status_code == 403
    assert Deliverable.objects.get(pk=item.pk).status == "not_started"


def test_the_checklist_csv_through_the_api(api_as, item, coordinator):
    walk_to_delivered(item, coordinator)
    response = api_as("supervisor").get(f"productions/{item.production_id}/delivery-checklist.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 8 and rows[1][0] == "Programme master" and rows[1][4] == "Delivered"


def test_milestones_through_the_api(api_as, production):
    api = api_as("coordinator")
    put = api.put(
        f"productions/{production.pk}/milestones/picture_lock",
        {"planned": str(days(5)), "revised": str(days(8))},
    )
    assert put.status_code == 200, put.content
    assert (put.json()["slipped"], put.json()["current"]) == (True, str(days(8)))
    assert (
        api.put(
            f"productions/{production.pk}/milestones/lunch", {"planned": str(days(5))}
        ).status_code
        == 422
    )
    rows = api_as("client").get(f"productions/{production.pk}/milestones").json()
    assert [(r["kind"], r["slipped"]) for r in rows] == [("picture_lock", True)]
    assert "notes" not in rows[0]
    assert api.delete(f"productions/{production.pk}/milestones/picture_lock").status_code == 204
    assert not Milestone.objects.exists()


def test_deal_memos_through_the_api(api_as, production, job, freelancer, supervisor):
    api = api_as("supervisor")
    created = api.post(
        "deal-memos",
        {
            "production": production.pk,
            "job": job.pk,
            "person": freelancer.pk,
            "role": "Dialogue editor",
            "start": str(days(2)),
            "end": str(days(3)),
            "day_rate": "410.00",
        },
    )
    assert created.status_code == 201, created.content
    memo_id = created.json()["id"]
    assert created.json()["day_rate"] == "410.00"
    assert api.post(f"deal-memos/{memo_id}/accept").json()["status"] == "accepted"
    assert api.post(f"deal-memos/{memo_id}/contract").json()["status"] == "contracted"
    assert api_as("coordinator").get("deal-memos").status_code == 403
    refused = api.post(
        "deal-memos",
        {
            "production": production.pk,
            "job": job.pk,
            "person": freelancer.pk,
            "role": "x",
            "start": str(days(2)),
            "end": str(days(3)),
            "day_rate": "-1",
        },
    )
    assert refused.status_code == 422
    assert DealMemo.objects.count() == 1


def test_bad_input_is_a_4xx_and_changes_nothing(api_as, item):
    api = api_as("coordinator")
    audit_before = AuditEntry.objects.count()
    cases = [
        api.post(
            "deliverables/from-template", {"production": item.production_id, "template": "nope"}
        ),
        api.post("deliverables/from-template", {"production": 999999, "template": "streamer"}),
        api.post("deliverables", {"production": item.production_id, "name": "x" * 201}),
        api.patch(f"deliverables/{item.pk}", {"due": "1800-01-01"}),
        api.patch(f"deliverables/{item.pk}", {"name": None}),
        api.patch(f"deliverables/{item.pk}", {"owner": 99999999}),
        api.put(f"deliverables/{item.pk}/media", {"media_items": [99999999]}),
        api.post(
            f"deliverables/{item.pk}/deliver",
            {"delivered_to": "x", "method": "pigeon", "reference": "r"},
        ),
        api.post(f"deliverables/{item.pk}/start", raw='{"x": 1}'),
    ]
    assert [r.status_code for r in cases] == [422, 404, 422, 422, 422, 422, 422, 422, 200]
    # the last one (a body on a button) is ignored and moves the item on, audited once
    assert AuditEntry.objects.count() == audit_before + 1


def test_the_supervisor_desk_in_a_bounded_number_of_queries(
    api_as, supervisor, production, coordinator, client_company, django_assert_max_num_queries
):
    for n in range(3):
        extra = production_services.create_production(
            actor=SYSTEM, client=client_company, title=f"Series {n}", supervisor=supervisor
        )
        services.create_from_template(
            production=extra, template="streamer", actor=coordinator, due=days(2)
        )
        services.set_milestone(production=extra, kind="mix", planned=days(1), actor=coordinator)
    api = api_as("supervisor")
    api.get("supervisor-desk")  # warm the token lookup

    with django_assert_max_num_queries(12):
        body = api.get("supervisor-desk").json()

    assert [p["title"] for p in body["productions"]] == [
        "Series 0",
        "Series 1",
        "Series 2",
        "The Long Tide",
    ]
    assert len(body["at_risk"]) == 21
    assert len(body["milestones"]) == 3
    assert body["money"][0]["variance"] is None
    assert api_as("coordinator").get("supervisor-desk").status_code == 403


def test_budget_against_actual_on_the_desk(supervisor, production, users):
    from postdesk.billing import services as billing
    from postdesk.coordination import queries

    billing.set_budget_line(
        production=production, category="grade", amount=Decimal("5000.00"), actor=users["admin"]
    )
    desk = queries.supervisor_desk(supervisor)
    row = desk["money"][0]
    assert (row["budget"], row["actual"], row["variance"]) == (
        Decimal("5000.00"),
        Decimal("0.00"),
        Decimal("5000.00"),
    )
