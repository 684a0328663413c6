"""The Django admin keeps the house rules (issue 10): every model admin either saves
through the services, so adds, changes and deletes (bulk delete included) are audited
like any other write, or it refuses them; a revoked API token never comes back."""

import datetime
import json
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory

from postdesk.billing import services as billing
from postdesk.core import services as core_services
from postdesk.core.audit import SYSTEM
from postdesk.core.models import ApiToken, AuditEntry, Site, User
from postdesk.core.roles import role_of
from postdesk.core.service_admin import ServiceAdmin
from postdesk.productions import services as production_services
from postdesk.productions.models import Client, Contact, Job, Production
from postdesk.scheduling import services as scheduling
from postdesk.scheduling.models import Resource, Skill

# How each registered model's admin keeps the rules. A new admin fails the first test
# until it is listed here.
THROUGH_SERVICES = {
    "core.User",
    "core.Site",
    "productions.Client",
    "productions.Production",
    "productions.Job",
    "scheduling.Resource",
    "scheduling.Skill",
}
READ_ONLY = {
    "auth.Group",
    "core.ApiToken",  # revoke is its only action
    "core.AuditEntry",
    "scheduling.Booking",
    "billing.RateCard",
    "billing.ClientDeal",
    "billing.Quote",
    "billing.JobSheet",
    "billing.Invoice",
    "billing.CreditNote",
    "billing.BudgetLine",
    "django_tasks_database.DBTaskResult",
    "engineering.Asset",
    "engineering.FaultTicket",
    "engineering.MaintenanceSchedule",
    "engineering.PatTest",
    "engineering.DeliverySpec",
    "engineering.QcReport",
    # The library's records move only through its services (custody, stock-takes,
    # destruction sign-off); the admin shows them.
    "library.MediaItem",
    "library.Location",
    "library.Badge",
    "library.StockTake",
    "library.DestructionRequest",
    "library.ResearchRequest",
    "frontdesk.RunnerTask",
    "frontdesk.AccidentEntry",
    "coordination.Deliverable",
    "coordination.Milestone",
    "coordination.DealMemo",
    # Each person's own inbox and choices: looked up, changed only by their owner.
    "notifications.Notification",
    "notifications.NotificationMail",
    "notifications.Preference",
}
# django-axes' own records of sign-in attempts: deleting one is how an administrator
# lifts a lockout; they hold no business data.
THIRD_PARTY_LOGS = {"axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}

UTC = datetime.UTC


def admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def audit_rows(obj_or_label, action=None, object_id=None):
    """Audit entries of a model (by label) or of one object, optionally of one action."""
    if isinstance(obj_or_label, str):
        rows = AuditEntry.objects.filter(object_type=obj_or_label)
    else:
        rows = AuditEntry.objects.filter(object_type=obj_or_label._meta.label_lower)
        rows = rows.filter(object_id=str(object_id or obj_or_label.pk))
    return rows.filter(action=action) if action else rows


def _encode(field, value):
    if value is None:
        return ""
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [str(getattr(v, "pk", v)) for v in value]
    if isinstance(field, forms.JSONField):
        return value if isinstance(value, str) else json.dumps(value)
    return str(getattr(value, "pk", value))


def form_data(http, url: str) -> dict:
    """What the admin form at `url` would post untouched: its fields and inline forms."""
    response = http.get(url)
    assert response.status_code == 200, response.content[:500]
    data = {}
    forms_to_read = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): management[k].value() for k in management.fields})
        forms_to_read.extend(inline.formset.forms)
    for form in forms_to_read:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            encoded = _encode(field, form[name].value())
            if encoded is not None:
                data[form.add_prefix(name)] = encoded
    return data


def post_form(http, url: str, changes: dict):
    data = {**form_data(http, url), **changes}
    data = {k: v for k, v in data.items() if v is not None}
    response = http.post(url, data)
    if response.status_code == 200 and response.context and "adminform" in response.context:
        form = response.context["adminform"].form
        pytest.fail(f"the admin refused the form: {form.errors.as_json()}")
    return response


def delete_one(http, obj):
    meta = obj._meta
    return http.post(f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/delete/", {"post": "yes"})


def delete_selected(http, model, objs):
    meta = model._meta
    return http.post(
        f"/admin/{meta.app_label}/{meta.model_name}/",
        {"action": "delete_selected", "_selected_action": [o.pk for o in objs], "post": "yes"},
    )


@pytest.fixture
def staff(page_as, users):
    return page_as("admin")


# --- every admin is accounted for --------------------------------------------------------


def test_every_registered_admin_saves_through_services_or_is_read_only(users):
    registered = {
        model._meta.label: model_admin for model, model_admin in admin.site._registry.items()
    }
    request = admin_request(users["admin"])

    assert set(registered) == THROUGH_SERVICES | READ_ONLY | THIRD_PARTY_LOGS
    for label in THROUGH_SERVICES:
        assert isinstance(registered[label], ServiceAdmin), label
    for label in READ_ONLY:
        model_admin = registered[label]
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        assert "delete_selected" not in model_admin.get_actions(request), label
    for label in THIRD_PARTY_LOGS:
        assert not registered[label].has_add_permission(request), label


# --- clients, contacts, productions, jobs --------------------------------------------------


def test_client_and_its_contacts_are_added_and_changed_through_the_services(staff, users):
    url = "/admin/productions/client/add/"
    data = form_data(staff, url)
    data.update(
        {
            "name": "Harbour Films",
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-name": "Priya Shah",
            "contacts-0-email": "priya@example.com",
        }
    )

    response = staff.post(url, data)

    assert response.status_code == 302
    client = Client.objects.get(name="Harbour Films")
    contact = Contact.objects.get(client=client)
    admin_user = users["admin"]
    assert list(audit_rows(client).values_list("action", "actor_id")) == [("create", admin_user.pk)]
    assert list(audit_rows(contact).values_list("action", "actor_id")) == [
        ("create", admin_user.pk)
    ]

    change_url = f"/admin/productions/client/{client.pk}/change/"
    response = post_form(
        staff, change_url, {"credit_status": "hold", "contacts-0-name": "Priya Shah-Jones"}
    )

    assert response.status_code == 302
    assert audit_rows(client, "update").get().changes == {"credit_status": ["good", "hold"]}
    assert audit_rows(contact, "update").get().changes == {
        "name": ["Priya Shah", "Priya Shah-Jones"]
    }

    response = post_form(staff, change_url, {"contacts-0-DELETE": "on"})

    assert response.status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert audit_rows(contact, "delete").count() == 1


def test_client_delete_and_bulk_delete_are_audited(staff):
    one, two, three = (
        production_services.create_client(actor=SYSTEM, name=name)
        for name in ("One Ltd", "Two Ltd", "Three Ltd")
    )

    assert delete_one(staff, one).status_code == 302
    assert audit_rows(one, "delete", one.pk).count() == 1

    assert delete_selected(staff, Client, [two, three]).status_code == 302

    assert not Client.objects.filter(pk__in=[one.pk, two.pk, three.pk]).exists()
    assert audit_rows("productions.client", "delete").count() == 3


def test_a_client_still_in_use_is_kept(staff, production):
    client = production.client

    response = delete_selected(staff, Client, [client])

    assert response.status_code == 200  # the admin lists what still points at it
    assert b"<title>Cannot delete client" in response.content
    assert Client.objects.filter(pk=client.pk).exists()
    assert not audit_rows(client, "delete").exists()


def test_production_add_change_delete_are_audited(staff, client_company, users):
    response = post_form(
        staff,
        "/admin/productions/production/add/",
        {"title": "Night Ferry", "kind": "series", "client": str(client_company.pk)},
    )

    assert response.status_code == 302
    production = Production.objects.get(title="Night Ferry")
    assert audit_rows(production, "create").get().actor_id == users["admin"].pk

    post_form(staff, f"/admin/productions/production/{production.pk}/change/", {"status": "closed"})
    assert audit_rows(production, "update").get().changes == {"status": ["active", "closed"]}

    assert delete_one(staff, production).status_code == 302
    assert not Production.objects.filter(pk=production.pk).exists()
    assert audit_rows(production, "delete", production.pk).count() == 1


def test_jobs_added_in_the_admin_get_numbers_from_the_sequence(staff, production):
    url = "/admin/productions/job/add/"
    year = datetime.date.today().year

    for description in ("Online", "Grade"):
        response = post_form(
            staff, url, {"production": str(production.pk), "description": description}
        )
        assert response.status_code == 302

    jobs = Job.objects.order_by("number")
    assert [(j.number, j.description) for j in jobs] == [
        (f"J-{year}-00001", "Online"),
        (f"J-{year}-00002", "Grade"),
    ]
    assert all(j.client_id == production.client_id for j in jobs)
    assert audit_rows("productions.job", "create").count() == 2


def test_job_change_and_bulk_delete_are_audited(staff, job, other_job):
    post_form(staff, f"/admin/productions/job/{job.pk}/change/", {"status": "complete"})
    assert audit_rows(job, "update").get().changes == {"status": ["active", "complete"]}

    response = delete_selected(staff, Job, [job, other_job])

    assert response.status_code == 302
    assert not Job.objects.exists()
    assert audit_rows("productions.job", "delete").count() == 2


def test_a_job_refused_by_the_service_leaves_nothing_and_says_why(staff, production, other_company):
    stranger = production_services.create_contact(
        actor=SYSTEM, client=other_company, name="Not Theirs"
    )

    response = post_form(
        staff,
        "/admin/productions/job/add/",
        {"production": str(production.pk), "description": "Mix", "contact": str(stranger.pk)},
    )

    assert response.status_code == 302
    assert not Job.objects.exists()
    assert not audit_rows("productions.job").exists()
    messages = [m.message for m in response.wsgi_request._messages]
    assert messages == ["Not Theirs does not work for Northlight Pictures"]


# --- sites, resources, skills ------------------------------------------------------------


def test_site_add_change_delete_are_audited(staff):
    response = post_form(
        staff,
        "/admin/core/site/add/",
        {"name": "Leeds", "code": "leeds", "time_zone": "Europe/London", "subdivision": "ENG"},
    )
    assert response.status_code == 302
    site = Site.objects.get(code="leeds")

    post_form(staff, f"/admin/core/site/{site.pk}/change/", {"address": "1 Dock St"})
    delete_one(staff, site)

    assert list(audit_rows("core.site").order_by("id").values_list("action", flat=True)) == [
        "create",
        "update",
        "delete",
    ]
    assert not Site.objects.filter(pk=site.pk).exists()


def test_resource_add_and_change_are_audited_and_delete_is_refused(staff, site):
    avid = scheduling.create_skill(actor=SYSTEM, name="Avid")
    response = post_form(
        staff,
        "/admin/scheduling/resource/add/",
        {"kind": "room", "name": "Suite 9", "site": str(site.pk), "skills": [str(avid.pk)]},
    )
    assert response.status_code == 302
    room = Resource.objects.get(name="Suite 9")
    assert list(room.skills.all()) == [avid]
    assert audit_rows(room, "create").get().changes["skills"] == [None, ["Avid"]]

    post_form(staff, f"/admin/scheduling/resource/{room.pk}/change/", {"skills": []})
    assert audit_rows(room, "update").get().changes == {"skills": [["Avid"], []]}

    assert delete_one(staff, room).status_code == 403
    assert delete_selected(staff, Resource, [room]).status_code == 200  # no such action
    assert Resource.objects.filter(pk=room.pk).exists()


def test_skill_bulk_delete_goes_through_the_service(staff):
    skills = [scheduling.create_skill(actor=SYSTEM, name=n) for n in ("Avid", "Resolve")]

    response = delete_selected(staff, Skill, skills)

    assert response.status_code == 302
    assert not Skill.objects.exists()
    assert audit_rows("scheduling.skill", "delete").count() == 2


# --- users -------------------------------------------------------------------------------


def test_user_added_in_the_admin_gets_a_role_through_the_service(staff, users):
    response = post_form(
        staff,
        "/admin/core/user/add/",
        {
            "username": "newrunner",
            "role": "runner",
            "usable_password": "true",
            "password1": "a-long-Passw0rd!",
            "password2": "a-long-Passw0rd!",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="newrunner")
    assert (role_of(user), user.is_staff, user.is_superuser) == ("runner", False, False)
    assert user.check_password("a-long-Passw0rd!")
    entry = audit_rows(user, "create").get()
    assert (entry.actor_id, entry.summary) == (users["admin"].pk, "role runner")


def test_user_role_change_is_audited_and_sets_the_admin_flags(staff, users):
    runner = users["runner"]

    response = post_form(
        staff, f"/admin/core/user/{runner.pk}/change/", {"role": "admin", "email": "r@example.com"}
    )

    assert response.status_code == 302
    runner.refresh_from_db()
    assert (role_of(runner), runner.is_staff, runner.is_superuser) == ("admin", True, True)
    assert audit_rows(runner, "update").get().changes == {
        "email": ["", "r@example.com"],
        "role": ["runner", "admin"],
    }


def test_an_admin_cannot_demote_themselves(staff, users):
    me = users["admin"]

    response = post_form(staff, f"/admin/core/user/{me.pk}/change/", {"role": "runner"})

    assert response.status_code == 302
    messages = [m.message for m in response.wsgi_request._messages]
    assert messages == [
        "You cannot change your own role or deactivate yourself; ask another administrator"
    ]
    me.refresh_from_db()
    assert role_of(me) == "admin"
    assert not audit_rows(me, "update").exists()


def test_password_change_in_the_admin_is_audited_without_the_password(staff, users):
    runner = users["runner"]
    url = f"/admin/core/user/{runner.pk}/password/"

    response = staff.post(
        url,
        {"usable_password": "true", "password1": "N3w-pass-phrase", "password2": "N3w-pass-phrase"},
    )

    assert response.status_code == 302
    runner.refresh_from_db()
    assert runner.check_password("N3w-pass-phrase")
    entry = audit_rows(runner, "update").get()
    assert (entry.actor_id, entry.summary, entry.changes) == (
        users["admin"].pk,
        "password changed",
        {},
    )


def test_users_are_never_deleted_in_the_admin(staff, users):
    runner = users["runner"]

    assert delete_one(staff, runner).status_code == 403
    assert delete_selected(staff, User, [runner]).status_code == 200  # no such action
    assert User.objects.filter(pk=runner.pk).exists()


# --- API tokens --------------------------------------------------------------------------


@pytest.fixture
def revoked(users):
    row, token = core_services.issue_token(user=users["bookings"], actor=SYSTEM)
    core_services.revoke_token(token_id=row.pk, actor=users["admin"])
    row.refresh_from_db()
    return row, token


def test_a_revoked_token_cannot_be_revived_in_the_admin(staff, revoked, client):
    row, token = revoked
    url = f"/admin/core/apitoken/{row.pk}/change/"

    response = staff.post(url, {"user": row.user_id, "name": row.name, "revoked_at_0": ""})

    assert response.status_code == 403
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_revoked_token_cannot_be_revived_by_any_save(revoked):
    row, _ = revoked

    row.revoked_at = None
    with pytest.raises(PermissionError, match="stays revoked"):
        row.save()
    with pytest.raises(PermissionError, match="stays revoked"):
        ApiToken.objects.filter(pk=row.pk).update(revoked_at=None)

    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None


def test_tokens_are_not_added_or_deleted_in_the_admin(staff, revoked):
    row, _ = revoked

    assert staff.get("/admin/core/apitoken/add/").status_code == 403
    assert delete_one(staff, row).status_code == 403
    assert ApiToken.objects.filter(pk=row.pk).exists()


def test_tokens_are_revoked_from_the_admin_through_the_service(staff, users):
    row, _ = core_services.issue_token(user=users["bookings"], actor=SYSTEM)

    response = staff.post(
        "/admin/core/apitoken/", {"action": "revoke_tokens", "_selected_action": [row.pk]}
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    entry = audit_rows(row, "update").get()
    assert (entry.actor_id, entry.summary) == (users["admin"].pk, "revoked")


# --- read-only admins refuse every write over HTTP --------------------------------------


@pytest.fixture
def billing_documents(job, site, make_user):
    """One of each billing record, the invoice issued and credited."""
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
    room = scheduling.create_resource(actor=SYSTEM, kind="room", name="Theatre", site=site)
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=UTC)
    booking = scheduling.create_booking(
        job=job,
        resources=[room],
        start=start,
        end=start + datetime.timedelta(hours=10),
        status="confirmed",
        actor=SYSTEM,
    )
    booking = scheduling.complete_booking(booking, actor=SYSTEM, now=booking.end)
    quote = billing.create_quote(job=job, actor=SYSTEM)
    sheet = billing.create_job_sheet(booking=booking, actor=SYSTEM)
    billing.sign_job_sheet(sheet, actor=SYSTEM, party="operator", name="Ana")
    sheet = billing.sign_job_sheet(sheet, actor=SYSTEM, party="client", name="Hannah")
    invoice = billing.issue_invoice(
        billing.create_invoice(job=job, sheets=[sheet], actor=SYSTEM), actor=SYSTEM
    )
    credit = billing.create_credit_note(invoice=invoice, actor=SYSTEM, reason="Goodwill")
    deal = billing.set_client_deal(
        actor=SYSTEM, client=job.client, card=None, discount_percent=Decimal("5")
    )
    budget = billing.set_budget_line(
        production=job.production, category="grade", amount=Decimal("5000"), actor=SYSTEM
    )
    return [card, deal, quote, sheet, invoice, credit, budget, booking]


def test_read_only_admins_refuse_add_change_and_delete(staff, billing_documents):
    entry = AuditEntry.objects.first()
    role = Group.objects.get(name="runner")
    records = [*billing_documents, entry, role]
    audit_before = AuditEntry.objects.count()

    for obj in records:
        meta = obj._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        assert staff.get(f"{base}{obj.pk}/change/").status_code == 200, meta.label  # to read
        assert staff.get(f"{base}add/").status_code == 403, meta.label
        assert staff.post(f"{base}add/", {}).status_code == 403, meta.label
        assert staff.post(f"{base}{obj.pk}/change/", {}).status_code == 403, meta.label
        assert delete_one(staff, obj).status_code == 403, meta.label
        assert delete_selected(staff, type(obj), [obj]).status_code == 200, meta.label

    for obj in records:
        assert type(obj).objects.filter(pk=obj.pk).exists()
    invoice = billing_documents[4]
    invoice.refresh_from_db()
    assert (invoice.status, invoice.gross) == ("issued", Decimal("1200.00"))
    assert AuditEntry.objects.count() == audit_before
