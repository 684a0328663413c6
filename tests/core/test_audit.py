"""The audit log: one entry per change made through a service, readable by the roles that
may, and append-only in the model, the queryset, the admin and (PostgreSQL) the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from postdesk.core import audit
from postdesk.core import services as core_services
from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry
from postdesk.productions import services
from postdesk.productions.models import Client

pytestmark = pytest.mark.django_db


def entries_for(obj) -> list[AuditEntry]:
    label = f"{obj._meta.app_label}.{obj._meta.model_name}"
    return list(AuditEntry.objects.filter(object_type=label, object_id=str(obj.pk)))


def test_create_records_actor_object_action_and_values(users):
    actor = users["bookings"]

    client = services.create_client(actor=actor, name="Kestrel Films", vat_number="GB1")

    [entry] = entries_for(client)
    assert (entry.actor, entry.actor_label, entry.action) == (actor, "bookings-user", "create")
    assert (entry.object_type, entry.object_id) == ("productions.client", str(client.pk))
    assert entry.changes["name"] == [None, "Kestrel Films"]
    assert entry.changes["vat_number"] == [None, "GB1"]
    assert entry.at is not None


def test_update_records_only_changed_fields_before_and_after(users, client_company):
    services.update_client(
        client_company,
        actor=users["accounts"],
        payment_terms_days=60,
        name="Northlight Pictures",  # unchanged: not recorded
    )

    update = AuditEntry.objects.get(action="update")
    assert update.actor == users["accounts"]
    assert update.changes == {"payment_terms_days": [30, 60]}


def test_update_that_changes_nothing_records_nothing(users, client_company):
    before = AuditEntry.objects.count()

    services.update_client(client_company, actor=users["bookings"], name="Northlight Pictures")

    assert AuditEntry.objects.count() == before


def test_delete_records_the_values_that_were_lost(users, contact):
    pk = contact.pk

    services.delete_contact(contact, actor=users["bookings"])

    entry = AuditEntry.objects.get(action="delete")
    assert (entry.object_type, entry.object_id) == ("productions.contact", str(pk))
    assert entry.changes["name"] == ["Hannah Reid", None]
    assert entry.changes["email"] == ["hannah@example.com", None]


@pytest.mark.parametrize(
    ("make", "change", "remove"),
    [
        (
            lambda w, a: services.create_client(actor=a, name="X Co"),
            lambda o, a: services.update_client(o, actor=a, notes="n"),
            lambda o, a: services.delete_client(o, actor=a),
        ),
        (
            lambda w, a: services.create_contact(actor=a, client=w["client"], name="Ann"),
            lambda o, a: services.update_contact(o, actor=a, phone="020"),
            lambda o, a: services.delete_contact(o, actor=a),
        ),
        (
            lambda w, a: services.create_production(actor=a, client=w["client"], title="P"),
            lambda o, a: services.update_production(o, actor=a, status="delivered"),
            lambda o, a: services.delete_production(o, actor=a),
        ),
        (
            lambda w, a: services.create_job(actor=a, production=w["production"], description="J"),
            lambda o, a: services.update_job(o, actor=a, status="complete"),
            lambda o, a: services.delete_job(o, actor=a),
        ),
    ],
    ids=["client", "contact", "production", "job"],
)
def test_every_productions_service_writes_exactly_one_entry(
    make, change, remove, users, client_company, production
):
    world = {"client": client_company, "production": production}
    actor = users["supervisor"]
    start = AuditEntry.objects.count()

    obj = make(world, actor)
    assert AuditEntry.objects.count() == start + 1
    change(obj, actor)
    assert AuditEntry.objects.count() == start + 2
    remove(obj, actor)
    assert AuditEntry.objects.count() == start + 3

    actions = [e.action for e in AuditEntry.objects.order_by("pk")[start:]]
    assert actions == ["create", "update", "delete"]
    assert {e.actor_id for e in AuditEntry.objects.order_by("pk")[start:]} == {actor.pk}


def test_core_services_are_audited(users):
    admin = users["admin"]
    start = AuditEntry.objects.count()

    site = core_services.create_site(name="Pinewood", code="pinewood", actor=admin)
    user = core_services.create_user(username="newbie", role="runner", actor=admin)
    row, _ = core_services.issue_token(user=user, actor=admin)
    core_services.revoke_token(token_id=row.pk, actor=admin)

    recorded = [
        (e.object_type, e.action, e.actor_id) for e in AuditEntry.objects.order_by("pk")[start:]
    ]
    assert recorded == [
        ("core.site", "create", admin.pk),
        ("core.user", "create", admin.pk),
        ("core.apitoken", "create", admin.pk),
        ("core.apitoken", "update", admin.pk),
    ]
    assert AuditEntry.objects.order_by("pk").last().changes["revoked_at"][0] is None
    assert (
        "key_hash"
        not in AuditEntry.objects.get(object_type="core.apitoken", action="create").changes
    )
    assert site.pk


def test_refused_change_writes_no_entry(users, production, other_company):
    from postdesk.core.errors import InvalidInput

    stranger = services.create_contact(actor=SYSTEM, client=other_company, name="Stranger")
    before = AuditEntry.objects.count()

    with pytest.raises(InvalidInput, match="does not work for Northlight Pictures"):
        services.create_job(
            actor=users["bookings"], production=production, description="Grade", contact=stranger
        )

    assert AuditEntry.objects.count() == before


def test_api_changes_are_recorded_with_the_token_user(api_as, users, client_company):
    api_as("bookings").patch(f"clients/{client_company.pk}", {"credit_status": "hold"})

    entry = AuditEntry.objects.get(action="update")
    assert entry.actor == users["bookings"]
    assert entry.changes == {"credit_status": ["good", "hold"]}


# --- typed: an Action and a user or a named system actor ----------------------------------


@pytest.mark.parametrize(
    "actor",
    [audit.WORKER, audit.DEMO, audit.SYSTEM, audit.CLI],
    ids=lambda a: a.name,
)
def test_a_system_actor_is_named_in_the_log(actor, client_company):
    written = audit.record(actor, client_company, AuditEntry.Action.TRANSITION, {}, "Checked")

    stored = AuditEntry.objects.get(pk=written.pk)
    assert (stored.actor, stored.actor_label, stored.action) == (None, actor.name, "transition")


@pytest.mark.parametrize("actor", [None, "worker", "", 7], ids=repr)
def test_an_actor_that_is_not_a_user_or_system_actor_is_refused(actor, client_company):
    before = AuditEntry.objects.count()

    for write in (audit.entry, audit.record):
        with pytest.raises(TypeError, match="An audit actor is a user or a named SystemActor"):
            write(actor, client_company, AuditEntry.Action.UPDATE, {}, "Changed")

    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("action", ["update", "confirm", None], ids=repr)
def test_an_action_that_is_not_an_audit_action_is_refused(action, users, client_company):
    before = AuditEntry.objects.count()
    # positive control: the same call with the member is written
    audit.record(users["bookings"], client_company, AuditEntry.Action.UPDATE, {}, "Changed")
    assert AuditEntry.objects.count() == before + 1

    for write in (audit.entry, audit.record):
        with pytest.raises(TypeError, match=r"An audit action is an AuditEntry\.Action"):
            write(users["bookings"], client_company, action, {}, "Changed")

    assert AuditEntry.objects.count() == before + 1


def test_services_refuse_a_bare_label_as_actor(users):
    with pytest.raises(TypeError):
        services.create_client(actor="test", name="Label Films")

    assert not Client.objects.filter(name="Label Films").exists()


# --- reading it -------------------------------------------------------------------------


def test_audit_endpoint_filters_by_object(api_as, client_company, other_company, users):
    services.update_client(client_company, actor=users["bookings"], notes="VIP")

    response = api_as("supervisor").get(
        "audit", object_type="productions.client", object_id=str(client_company.pk)
    )

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["action"], r["actor"]) for r in rows] == [
        ("update", "bookings-user"),
        ("create", "system"),
    ]
    assert rows[0]["changes"] == {"notes": ["", "VIP"]}
    assert response.json()["count"] == 2


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("supervisor", 200),
        ("bookings", 403),
        ("accounts", 403),
        ("client", 403),
        ("runner", 403),
    ],
)
def test_audit_endpoint_is_for_admin_and_supervisors(role, status, api_as):
    assert api_as(role).get("audit").status_code == status


# --- append-only --------------------------------------------------------------------------


@pytest.fixture
def entry(client_company):
    return AuditEntry.objects.filter(object_type="productions.client").first()


def test_entry_cannot_be_saved_again(entry):
    entry.summary = "rewritten"

    with pytest.raises(PermissionError):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


def test_entry_cannot_be_deleted(entry):
    with pytest.raises(PermissionError):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    # bulk_update runs in an atomic block without a savepoint: give it one of its own.
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["summary"])

    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


def test_user_in_the_log_cannot_be_deleted_only_deactivated(users, client_company):
    from django.db.models import ProtectedError

    services.update_client(client_company, actor=users["bookings"], notes="x")

    with pytest.raises(ProtectedError):
        users["bookings"].delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditentry SET summary = 'rewritten' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_postgresql_refuses_raw_sql_changes(sql, entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


def test_admin_shows_the_log_read_only(page_as, entry):
    http = page_as("admin")
    change_url = f"/admin/core/auditentry/{entry.pk}/change/"

    assert http.get("/admin/core/auditentry/").status_code == 200
    viewed = http.get(change_url)
    assert viewed.status_code == 200
    assert entry.summary.encode() in viewed.content
    assert b'name="summary"' not in viewed.content  # shown, not editable
    assert http.post(change_url, {"summary": "rewritten"}).status_code == 403
    assert http.get("/admin/core/auditentry/add/").status_code == 403
    assert (
        http.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""
