"""Deliverables: lists from templates, the status machine, the delivery record, media
links, flags and the checklist."""

import csv
import io

import pytest

from postdesk.coordination import catalogue, queries, services
from postdesk.coordination.models import Deliverable
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from tests.coordination.conftest import days, walk_to_delivered

pytestmark = pytest.mark.django_db

UK_ITEMS = [
    "Programme master",
    "Textless elements",
    "M&E",
    "Subtitles",
    "As-broadcast script",
    "Music cue sheet",
    "QC report",
]


def test_the_three_shipped_templates_hold_their_items():
    found = catalogue.templates()

    assert sorted(found) == ["streamer", "theatrical", "uk_broadcaster"]
    assert [i["name"] for i in found["uk_broadcaster"]["items"]] == UK_ITEMS
    assert "DPP AS-11" in found["uk_broadcaster"]["items"][0]["spec"]
    theatrical = [i["name"] for i in found["theatrical"]["items"]]
    assert {"DCP", "Stems", "Trailers"} <= set(theatrical)


def test_a_template_makes_the_productions_list_not_started_in_order(production, coordinator):
    created = services.create_from_template(
        production=production, template="uk_broadcaster", actor=coordinator, due=days(20)
    )

    rows = list(Deliverable.objects.filter(production=production))
    assert [d.name for d in rows] == UK_ITEMS
    assert [d.pk for d in created] == [d.pk for d in rows]
    assert {(d.status, d.due, d.template) for d in rows} == {
        ("not_started", days(20), "uk_broadcaster")
    }
    assert [d.position for d in rows] == list(range(7))
    assert (
        AuditEntry.objects.filter(
            object_type="productions.production", summary__contains="UK broadcaster"
        ).count()
        == 1
    )


def test_a_template_applied_twice_is_refused_and_adds_nothing(uk_list, production, coordinator):
    with pytest.raises(Conflict):
        services.create_from_template(
            production=production, template="uk_broadcaster", actor=coordinator
        )
    assert Deliverable.objects.filter(production=production).count() == 7


def test_an_unknown_template_is_refused(production, coordinator):
    with pytest.raises(InvalidInput) as exc:
        services.create_from_template(production=production, template="../etc", actor=coordinator)
    assert exc.value.details["fields"]["template"] == [
        "template must be one of streamer, theatrical, uk_broadcaster"
    ]
    assert not Deliverable.objects.exists()


def test_roles_without_manage_deliverables_cannot_write(production, users):
    for role in ("bookings", "client", "runner"):
        with pytest.raises(Forbidden):
            services.create_from_template(
                production=production, template="streamer", actor=users[role]
            )
    assert not Deliverable.objects.exists()


def test_the_list_is_editable(item, coordinator, users):
    services.update_deliverable(
        item,
        actor=coordinator,
        name="Programme master (HD)",
        due=days(10),
        owner=users["supervisor"],
    )
    added = services.add_deliverable(
        production=item.production, name="Artwork", spec="Key art, 16:9", actor=coordinator
    )
    services.remove_deliverable(Deliverable.objects.get(name="Subtitles"), actor=coordinator)

    item.refresh_from_db()
    assert (item.name, item.due, item.owner) == (
        "Programme master (HD)",
        days(10),
        users["supervisor"],
    )
    assert added.position == 7
    assert Deliverable.objects.filter(production=item.production).count() == 7
    assert not Deliverable.objects.filter(name="Subtitles").exists()


def test_a_client_user_cannot_own_a_deliverable(item, coordinator, users):
    with pytest.raises(InvalidInput):
        services.update_deliverable(item, actor=coordinator, owner=users["client"])
    item.refresh_from_db()
    assert item.owner is None


def test_the_status_machine_runs_to_accepted_with_its_record(item, coordinator):
    walk_to_delivered(item, coordinator)
    accepted = services.accept_deliverable(item, actor=coordinator, accepted_by="Jo at BBC")

    assert accepted.status == "accepted"
    assert (accepted.delivered_to, accepted.method, accepted.reference) == (
        "BBC media ops",
        "file_transfer",
        "ASPERA-1",
    )
    assert accepted.accepted_by == "Jo at BBC"
    assert accepted.accepted_at is not None and accepted.delivered_at is not None
    verbs = list(
        AuditEntry.objects.filter(object_type="coordination.deliverable", action="transition")
        .order_by("id")
        .values_list("summary", flat=True)
    )
    assert verbs == [
        "Started: Programme master",
        "Sent to QC: Programme master",
        "Delivered: Programme master",
        "Accepted: Programme master",
    ]


@pytest.mark.parametrize(
    ("walk", "call", "kwargs"),
    [
        (0, services.send_to_qc, {}),
        (0, services.accept_deliverable, {"accepted_by": "Jo"}),
        (1, services.start_deliverable, {}),
        (2, services.start_deliverable, {}),
        (3, services.send_to_qc, {}),
    ],
)
def test_a_move_out_of_turn_is_refused(item, coordinator, walk, call, kwargs):
    steps = [services.start_deliverable, services.send_to_qc]
    if walk == 3:
        walk_to_delivered(item, coordinator)
    else:
        for step in steps[:walk]:
            step(item, actor=coordinator)
    before = Deliverable.objects.get(pk=item.pk).status

    with pytest.raises(InvalidTransition):
        call(item, actor=coordinator, **kwargs)
    assert Deliverable.objects.get(pk=item.pk).status == before


def test_a_rejection_needs_its_reason_then_goes_back_to_in_progress(item, coordinator):
    walk_to_delivered(item, coordinator)

    with pytest.raises(InvalidInput) as exc:
        services.reject_deliverable(item, actor=coordinator, reason="   ")
    assert exc.value.details["fields"]["reason"] == ["A rejection needs its reason"]
    assert Deliverable.objects.get(pk=item.pk).status == "delivered"

    services.reject_deliverable(item, actor=coordinator, reason="Loudness over R128")
    rejected = Deliverable.objects.get(pk=item.pk)
    assert (rejected.status, rejected.rejection_reason) == ("rejected", "Loudness over R128")
    services.start_deliverable(item, actor=coordinator)
    assert Deliverable.objects.get(pk=item.pk).status == "in_progress"


def test_the_database_refuses_a_rejection_without_reason(item):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Deliverable.objects.filter(pk=item.pk).update(status="rejected", rejection_reason="")


def test_a_courier_delivery_needs_the_courier_and_its_tracking(item, coordinator):
    services.start_deliverable(item, actor=coordinator)
    services.send_to_qc(item, actor=coordinator)

    with pytest.raises(InvalidInput) as exc:
        services.deliver(
            item, actor=coordinator, delivered_to="ITV", method="courier", reference="TRK1"
        )
    assert exc.value.details["fields"]["courier"] == ["Name the courier"]
    with pytest.raises(InvalidInput) as exc:
        services.deliver(
            item,
            actor=coordinator,
            delivered_to="ITV",
            method="courier",
            courier="DHL",
            reference="",
        )
    assert exc.value.details["fields"]["reference"] == [
        "A courier delivery needs its tracking number"
    ]
    assert Deliverable.objects.get(pk=item.pk).status == "in_qc"

    done = services.deliver(
        item,
        actor=coordinator,
        delivered_to="ITV",
        method="courier",
        courier="DHL",
        reference="TRK1",
    )
    assert (done.status, done.courier, done.reference) == ("delivered", "DHL", "TRK1")


def test_overdue_and_at_risk_flags(production, coordinator):
    on = days(0)
    late = services.add_deliverable(
        production=production, name="Late", due=days(-1), actor=coordinator
    )
    soon = services.add_deliverable(
        production=production, name="Soon", due=days(5), actor=coordinator
    )
    soon_qc = services.add_deliverable(
        production=production, name="In QC", due=days(5), actor=coordinator
    )
    services.start_deliverable(soon_qc, actor=coordinator)
    services.send_to_qc(soon_qc, actor=coordinator)
    far = services.add_deliverable(
        production=production, name="Far", due=days(30), actor=coordinator
    )
    done = services.add_deliverable(
        production=production, name="Done", due=days(-3), actor=coordinator
    )
    walk_to_delivered(done, coordinator)

    flags = {d.name: queries.flag(d, on) for d in Deliverable.objects.all()}
    assert flags == {"Late": "overdue", "Soon": "at_risk", "In QC": "", "Far": "", "Done": ""}
    flagged = Deliverable.objects.filter(queries.at_risk_filter(on))
    assert sorted(d.name for d in flagged) == ["Late", "Soon"]
    assert {late.pk, soon.pk} == {d.pk for d in flagged}
    assert far.pk not in {d.pk for d in flagged}


def test_media_of_the_production_is_linked_and_others_refused(
    item, coordinator, other_job, register
):
    own = register(production=item.production, client=item.production.client)
    foreign = register(production=other_job.production, client=other_job.client)

    with pytest.raises(InvalidInput):
        services.link_media(item, media_items=[own, foreign], actor=coordinator)
    assert item.media_items.count() == 0

    services.link_media(item, media_items=[own], actor=coordinator)
    assert list(item.media_items.values_list("pk", flat=True)) == [own.pk]
    row = next(r for r in queries.checklist(item.production, days(0)) if r["id"] == item.pk)
    assert row["media"] == str(own)


def test_the_checklist_csv_has_a_row_per_item_with_its_delivery(item, coordinator):
    walk_to_delivered(item, coordinator)

    rows = list(csv.reader(io.StringIO(queries.checklist_csv(item.production, days(0)))))

    assert rows[0] == queries.CHECKLIST_HEADER
    assert [r[0] for r in rows[1:]] == UK_ITEMS
    first = rows[1]
    assert first[4:7] == ["Delivered", "", "BBC media ops"]
    assert first[8:11] == ["File transfer", "", "ASPERA-1"]


def test_a_delivered_item_cannot_be_removed(item, coordinator):
    walk_to_delivered(item, coordinator)
    with pytest.raises(Conflict):
        services.remove_deliverable(item, actor=coordinator)
    assert Deliverable.objects.filter(pk=item.pk).exists()
