"""Every role against every endpoint and page of issue 2, expected statuses derived from
core/roles.py: if the matrix or an endpoint drifts, a case here fails."""

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry
from postdesk.core.roles import (
    CHANGE_CLIENTS,
    MANAGE_USERS,
    ROLE_NAMES,
    ROLES,
    VIEW_AUDIT,
    VIEW_CLIENTS,
)
from postdesk.core.services import issue_token
from postdesk.productions import services

pytestmark = pytest.mark.django_db

ANYONE = None  # any signed-in user
INTERNAL = "internal"  # with capabilities, in a tuple: the facility's own pages

# (name, method, path, body, capability needed, status on success). Paths and bodies name
# objects of the fixture `world`; `{spare_*}` objects have nothing hanging off them.
API_ENDPOINTS = [
    ("me", "get", "me", None, ANYONE, 200),
    ("sites", "get", "sites", None, ANYONE, 200),
    ("tokens list", "get", "tokens", None, ANYONE, 200),
    ("tokens create", "post", "tokens", {"name": "laptop"}, ANYONE, 201),
    ("tokens revoke", "post", "tokens/{own_token}/revoke", {}, ANYONE, 200),
    ("audit", "get", "audit", None, VIEW_AUDIT, 200),
    ("clients list", "get", "clients", None, VIEW_CLIENTS, 200),
    ("clients get", "get", "clients/{client}", None, VIEW_CLIENTS, 200),
    ("clients create", "post", "clients", {"name": "New Co"}, CHANGE_CLIENTS, 201),
    ("clients patch", "patch", "clients/{client}", {"notes": "VIP"}, CHANGE_CLIENTS, 200),
    ("clients delete", "delete", "clients/{spare_client}", None, CHANGE_CLIENTS, 204),
    ("contacts list", "get", "contacts", None, VIEW_CLIENTS, 200),
    ("contacts get", "get", "contacts/{contact}", None, VIEW_CLIENTS, 200),
    (
        "contacts create",
        "post",
        "contacts",
        {"client": "{client}", "name": "Ann"},
        CHANGE_CLIENTS,
        201,
    ),
    (
        "contacts patch",
        "patch",
        "contacts/{contact}",
        {"position": "Producer"},
        CHANGE_CLIENTS,
        200,
    ),
    ("contacts delete", "delete", "contacts/{spare_contact}", None, CHANGE_CLIENTS, 204),
    ("productions list", "get", "productions", None, VIEW_CLIENTS, 200),
    ("productions get", "get", "productions/{production}", None, VIEW_CLIENTS, 200),
    (
        "productions create",
        "post",
        "productions",
        {"title": "Pilot", "client": "{client}"},
        CHANGE_CLIENTS,
        201,
    ),
    (
        "productions patch",
        "patch",
        "productions/{production}",
        {"status": "delivered"},
        CHANGE_CLIENTS,
        200,
    ),
    ("productions delete", "delete", "productions/{spare_production}", None, CHANGE_CLIENTS, 204),
    ("jobs list", "get", "jobs", None, VIEW_CLIENTS, 200),
    ("jobs get", "get", "jobs/{job}", None, VIEW_CLIENTS, 200),
    (
        "jobs create",
        "post",
        "jobs",
        {"production": "{production}", "description": "Grade"},
        CHANGE_CLIENTS,
        201,
    ),
    ("jobs patch", "patch", "jobs/{job}", {"description": "Offline, block 2"}, CHANGE_CLIENTS, 200),
    ("jobs delete", "delete", "jobs/{spare_job}", None, CHANGE_CLIENTS, 204),
]

# (name, path, capability needed). Pages answer 200, 403 without the capability, and send
# a signed-out visitor to the login page.
PAGES = [
    ("home", "/", ANYONE),
    ("clients", "/clients/", VIEW_CLIENTS),
    ("client", "/clients/{client}/", VIEW_CLIENTS),
    ("client new", "/clients/new/", CHANGE_CLIENTS),
    ("client edit", "/clients/{client}/edit/", CHANGE_CLIENTS),
    ("client delete", "/clients/{spare_client}/delete/", CHANGE_CLIENTS),
    ("contact new", "/clients/{client}/contacts/new/", CHANGE_CLIENTS),
    ("contact edit", "/contacts/{contact}/edit/", CHANGE_CLIENTS),
    ("contact delete", "/contacts/{spare_contact}/delete/", CHANGE_CLIENTS),
    ("productions", "/productions/", VIEW_CLIENTS),
    ("production", "/productions/{production}/", VIEW_CLIENTS),
    ("production new", "/productions/new/", CHANGE_CLIENTS),
    ("production edit", "/productions/{production}/edit/", CHANGE_CLIENTS),
    ("production delete", "/productions/{spare_production}/delete/", CHANGE_CLIENTS),
    ("jobs", "/jobs/", VIEW_CLIENTS),
    ("job", "/jobs/{job}/", VIEW_CLIENTS),
    ("job new", "/jobs/new/", CHANGE_CLIENTS),
    ("job edit", "/jobs/{job}/edit/", CHANGE_CLIENTS),
    ("job delete", "/jobs/{spare_job}/delete/", CHANGE_CLIENTS),
]

# Engineering (issue 14): the pages that read, for the roles that see engineering; the
# report page for every staff role.
PAGES += [
    ("engineering", "/engineering/", "view_engineering"),
    ("assets", "/engineering/assets/", "view_engineering"),
    ("asset new", "/engineering/assets/new/", "manage_engineering"),
    ("tickets", "/engineering/tickets/", "view_engineering"),
    ("fault report", "/engineering/report/", "report_faults"),
    ("downtime", "/engineering/downtime/", "view_engineering"),
    ("schedules", "/engineering/schedules/", "view_engineering"),
    ("schedule new", "/engineering/schedules/new/", "manage_engineering"),
    ("pat", "/engineering/pat/", "view_engineering"),
    ("pat new", "/engineering/pat/new/", "manage_engineering"),
    ("timecode calculator", "/engineering/timecode/", "view_engineering"),
    ("signal paths and it", "/engineering/it/", "view_engineering"),
    ("machine new", "/engineering/it/machines/new/", "manage_engineering"),
    ("licence new", "/engineering/it/licences/new/", "manage_engineering"),
    ("qc", "/engineering/qc/", "view_engineering"),
    ("qc new", "/engineering/qc/new/", "manage_engineering"),
    ("qc specs", "/engineering/qc/specs/", "view_engineering"),
]
API_ENDPOINTS += [
    ("timecode", "get", "timecode?rate=25&timecode=01:00:00:00", None, "view_engineering", 200),
    ("assets list", "get", "engineering/assets", None, "view_engineering", 200),
    (
        "assets create",
        "post",
        "engineering/assets",
        {"tag": "T-1", "make": "Sony", "model": "BVM"},
        "manage_engineering",
        201,
    ),
    ("tickets list", "get", "engineering/tickets", None, "view_engineering", 200),
    ("downtime", "get", "engineering/downtime", None, "view_engineering", 200),
    ("pat due", "get", "engineering/pat-due", None, "view_engineering", 200),
    ("schedules", "get", "engineering/schedules", None, "view_engineering", 200),
    ("maintenance due", "get", "engineering/maintenance-due", None, "view_engineering", 200),
    ("machines", "get", "engineering/machines", None, "view_engineering", 200),
    ("licences due", "get", "engineering/licences-due", None, "view_engineering", 200),
    ("qc specs", "get", "engineering/qc/specs", None, "view_engineering", 200),
    ("qc reports", "get", "engineering/qc/reports", None, "view_engineering", 200),
    ("qc specs sync", "post", "engineering/qc/specs/sync", {}, "manage_engineering", 200),
]

# The front desk's traffic (issue 15 item 5): the roles that receive and dispatch media.
PAGES += [
    ("traffic", "/frontdesk/traffic/", "dispatch_media"),
    ("delivery new", "/frontdesk/traffic/deliveries/new/", "dispatch_media"),
    ("dispatch new", "/frontdesk/traffic/dispatches/new/", "dispatch_media"),
]
API_ENDPOINTS += [
    ("deliveries list", "get", "frontdesk/deliveries", None, "dispatch_media", 200),
    ("dispatches list", "get", "frontdesk/dispatches", None, "dispatch_media", 200),
    ("accidents list", "get", "frontdesk/accidents", None, "keep_accident_book", 200),
    ("catering list", "get", "frontdesk/catering", None, "run_front_office", 200),
    ("supplies list", "get", "frontdesk/supplies", None, "use_runner_board", 200),
]
PAGES += [
    ("accident book", "/frontdesk/accidents/", "keep_accident_book"),
    ("accident new", "/frontdesk/accidents/new/", "keep_accident_book"),
    ("catering", "/frontdesk/catering/", "run_front_office"),
    ("catering new", "/frontdesk/catering/new/", "run_front_office"),
    ("supplies", "/frontdesk/supplies/", "use_runner_board"),
    ("supply new", "/frontdesk/supplies/new/", "run_front_office"),
    ("messages", "/frontdesk/messages/", "host_visitors"),
    ("message new", "/frontdesk/messages/new/", "receive_visitors"),
]

# Post coordination (issue 16): deliverables and milestones read by the roles that see
# them (a client its own company's), kept by coordinators and supervisors; crew deal
# memos and the supervisor's desk are the supervisor's.
PAGES += [
    ("deliverables", "/coordination/deliverables/", "view_deliverables"),
    ("production deliverables", "/coordination/productions/{production}/", "view_deliverables"),
    ("timeline", "/coordination/productions/{production}/timeline/", "view_deliverables"),
    ("checklist", "/coordination/productions/{production}/checklist/", "view_deliverables"),
    (
        "deliverables from template",
        "/coordination/productions/{production}/from-template/",
        "manage_deliverables",
    ),
    ("coordinator desk", "/coordination/", "manage_deliverables"),
    ("supervisor desk", "/coordination/supervisor/", "supervise_post"),
    ("deal memos", "/coordination/productions/{production}/memos/", "supervise_post"),
]
API_ENDPOINTS += [
    ("deliverable templates", "get", "deliverable-templates", None, "view_deliverables", 200),
    ("deliverables list", "get", "deliverables", None, "view_deliverables", 200),
    (
        "deliverables from template",
        "post",
        "deliverables/from-template",
        {"production": "{production}", "template": "streamer"},
        "manage_deliverables",
        201,
    ),
    (
        "checklist csv",
        "get",
        "productions/{production}/delivery-checklist.csv",
        None,
        "view_deliverables",
        200,
    ),
    ("milestones", "get", "productions/{production}/milestones", None, "view_deliverables", 200),
    (
        "milestone set",
        "put",
        "productions/{production}/milestones/grade",
        {"planned": "2026-06-01"},
        "manage_deliverables",
        200,
    ),
    ("deal memos list", "get", "deal-memos", None, "supervise_post", 200),
    ("supervisor desk", "get", "supervisor-desk", None, "supervise_post", 200),
]

# Coordination's paper, ADR and screenings (issue 16): internal to the facility, read by
# the roles that see deliverables, kept by those that manage them; EDLs and their pull
# lists are media, read by every staff role that sees the library. They name objects of
# the fixture `paper`, made only for these cases.
VIEW_INTERNAL = ("view_deliverables", INTERNAL)
MANAGE_INTERNAL = ("manage_deliverables", INTERNAL)
MEDIA_INTERNAL = ("view_media", INTERNAL)
COORDINATION_PAGES = [
    ("documents", "/coordination/productions/{production}/documents/", VIEW_INTERNAL),
    ("document new", "/coordination/productions/{production}/documents/new/", MANAGE_INTERNAL),
    ("version new", "/coordination/documents/{document}/versions/new/", MANAGE_INTERNAL),
    (
        "version request",
        "/coordination/documents/{document}/request-version/",
        MANAGE_INTERNAL,
    ),
    ("version download", "/coordination/versions/{version}/download/", VIEW_INTERNAL),
    ("edls", "/coordination/productions/{production}/edls/", MEDIA_INTERNAL),
    ("edl import", "/coordination/productions/{production}/edls/import/", MANAGE_INTERNAL),
    ("edl pull list", "/coordination/edls/{edl}/", MEDIA_INTERNAL),
    ("edl unmatched reels", "/coordination/edls/unmatched-reels/", MEDIA_INTERNAL),
    ("adr sessions", "/coordination/productions/{production}/adr/", VIEW_INTERNAL),
    ("adr new", "/coordination/productions/{production}/adr/new/", MANAGE_INTERNAL),
    ("cue import", "/coordination/adr/{adr}/cues/import/", MANAGE_INTERNAL),
    ("cue sheet", "/coordination/adr/{adr}/cue-sheet.pdf", VIEW_INTERNAL),
    ("screenings", "/coordination/productions/{production}/screenings/", VIEW_INTERNAL),
    (
        "screening new",
        "/coordination/productions/{production}/screenings/new/",
        MANAGE_INTERNAL,
    ),
    ("screening invite", "/coordination/screenings/{screening}/invite/", MANAGE_INTERNAL),
    (
        "deliverable qc report",
        "/coordination/deliverables/{deliverable}/qc-report/",
        MANAGE_INTERNAL,
    ),
    (
        "deliverable cost",
        "/coordination/deliverables/{deliverable}/cost/",
        ("manage_deliverables", "view_money", INTERNAL),
    ),
]
COORDINATION_API = [
    ("documents", "get", "productions/{production}/documents", None, VIEW_INTERNAL, 200),
    ("version download", "get", "document-versions/{version}/download", None, VIEW_INTERNAL, 200),
    (
        "version request",
        "post",
        "documents/{document}/version-request",
        {"reason": "Signed copy"},
        MANAGE_INTERNAL,
        200,
    ),
    ("awaiting version", "get", "documents-awaiting-version", None, MANAGE_INTERNAL, 200),
    ("edls", "get", "productions/{production}/edls", None, MEDIA_INTERNAL, 200),
    ("edl", "get", "edls/{edl}", None, MEDIA_INTERNAL, 200),
    ("edl unmatched reels", "get", "edl-unmatched-reels", None, MEDIA_INTERNAL, 200),
    ("adr sessions", "get", "productions/{production}/adr-sessions", None, VIEW_INTERNAL, 200),
    ("cue sheet", "get", "adr-sessions/{adr}/cue-sheet.pdf", None, VIEW_INTERNAL, 200),
    ("screenings", "get", "productions/{production}/screenings", None, VIEW_INTERNAL, 200),
    (
        "screening invite",
        "post",
        "screenings/{screening}/invitees",
        {"name": "Ann Critic", "email": "ann@example.com"},
        MANAGE_INTERNAL,
        201,
    ),
    (
        "deliverable qc report",
        "put",
        "deliverables/{deliverable}/qc-report",
        {"qc_report": None},
        MANAGE_INTERNAL,
        200,
    ),
    (
        "deliverable cost",
        "put",
        "deliverables/{deliverable}/cost",
        {"cost": "120.00"},
        ("manage_deliverables", "view_money", INTERNAL),
        200,
    ),
]
# Issue 17: who is which person on the board (their own calendar feed) is kept by those
# who manage users.
PAGES += [("person links", "/calendar-feeds/people/", "manage_users")]
API_ENDPOINTS += [("person links", "get", "person-links", None, "manage_users", 200)]
# Notifications (issue 17 item 2): every signed-in user reads and sets their own.
PAGES += [
    ("notifications", "/notifications/", ANYONE),
    ("notification preferences", "/notifications/preferences/", ANYONE),
]
API_ENDPOINTS += [
    ("notifications list", "get", "notifications?unread=true", None, ANYONE, 200),
    ("notifications read all", "post", "notifications/read-all", {}, ANYONE, 200),
    ("notification preferences", "get", "notification-preferences", None, ANYONE, 200),
    (
        "notification preferences set",
        "put",
        "notification-preferences",
        {"preferences": {"booking_moved": "digest"}},
        ANYONE,
        200,
    ),
]


def allowed(role: str, capability) -> bool:
    """A capability, or a tuple of all the capabilities needed, where INTERNAL says the
    facility's own: refused to outside users (clients) whatever they hold."""
    if capability is ANYONE:
        return True
    needs = capability if isinstance(capability, tuple) else (capability,)
    if INTERNAL in needs and ROLES[role].get("outside"):
        return False
    return all(n in ROLES[role]["capabilities"] for n in needs if n != INTERNAL)


@pytest.fixture
def world(client_company, contact, production, job):
    """Objects of the client user's own company, so scope never hides them."""
    return {
        "client": client_company.pk,
        "contact": contact.pk,
        "production": production.pk,
        "job": job.pk,
        "spare_client": services.create_client(actor=SYSTEM, name="Spare Co").pk,
        "spare_contact": services.create_contact(
            actor=SYSTEM, client=client_company, name="Spare Person"
        ).pk,
        "spare_production": services.create_production(
            actor=SYSTEM, client=client_company, title="Spare production"
        ).pk,
        "spare_job": services.create_job(
            actor=SYSTEM, production=production, description="Spare job"
        ).pk,
    }


def fill(template, world: dict, **extra):
    if isinstance(template, dict):
        return {k: fill(v, world, **extra) for k, v in template.items()}
    if isinstance(template, str) and "{" in template:
        text = template.format(**world, **extra)
        return int(text) if text.isdigit() and template.startswith("{") else text
    return template


def test_every_capability_in_the_matrix_is_a_permission_of_the_groups(users):
    from django.contrib.auth.models import Group

    for role in ROLE_NAMES:
        group = Group.objects.get(name=role)
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert codenames == ROLES[role]["capabilities"], role


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_me_reports_exactly_the_matrix_capabilities(role, api_as):
    body = api_as(role).get("me").json()

    assert body["role"] == role
    assert body["capabilities"] == sorted(ROLES[role]["capabilities"])


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("method", "path", "body", "capability", "ok"),
    [pytest.param(*e[1:], id=e[0]) for e in API_ENDPOINTS],
)
def test_api_matrix(role, method, path, body, capability, ok, world, make_user, client):
    check_api(role, method, path, body, capability, ok, world, make_user, client)


def check_api(role, method, path, body, capability, ok, world, make_user, client):
    user = make_user(role)
    _, token = issue_token(user=user, actor=SYSTEM)
    own_token = user.api_tokens.get().pk
    url = "/api/v1/" + fill(path, world, own_token=own_token)
    audit_before = AuditEntry.objects.count()

    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is not None:
        kwargs.update(data=fill(body, world), content_type="application/json")
    response = getattr(client, method)(url, **kwargs)

    if allowed(role, capability):
        assert response.status_code == ok, response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "forbidden"
        assert AuditEntry.objects.count() == audit_before  # nothing was written


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [pytest.param(*e[1:4], id=e[0]) for e in API_ENDPOINTS],
)
def test_api_without_credentials_is_401(method, path, body, world, client):
    url = "/api/v1/" + fill(path, world, own_token=1)
    kwargs = {}
    if body is not None:
        kwargs.update(data=fill(body, world), content_type="application/json")

    response = getattr(client, method)(url, **kwargs)

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("path", "capability"), [pytest.param(*p[1:], id=p[0]) for p in PAGES])
def test_page_matrix(role, path, capability, world, make_user, client):
    client.force_login(make_user(role), backend="django.contrib.auth.backends.ModelBackend")

    # Home sends runners and reception on to their own desks; the page they land on opens.
    response = client.get(fill(path, world), follow=path == "/")

    assert response.status_code == (200 if allowed(role, capability) else 403)


@pytest.fixture
def paper(world, production, settings, tmp_path, site, make_user):
    """A document with a version, an EDL, an ADR session, a screening and a deliverable
    of the world's production, made by the services."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from postdesk.coordination import adr, documents, edl, screenings
    from postdesk.coordination import services as coordination
    from postdesk.core.timeutil import facility_zone, local_at
    from postdesk.scheduling import services as scheduling
    from tests.coordination.conftest import days

    settings.MEDIA_ROOT = tmp_path / "media"
    actor = make_user("coordinator", "paper-coordinator")
    version = documents.upload_document(
        production=production,
        kind="script",
        title="Script",
        file=SimpleUploadedFile("script.txt", b"INT. KITCHEN - DAY"),
        actor=actor,
    )
    cut = edl.import_edl(
        production=production,
        title="EDL",
        file=SimpleUploadedFile(
            "cut.edl", b"001  TAPE_01 V C 01:00:00:00 01:00:01:00 01:00:00:00 01:00:01:00\n"
        ),
        rate="25",
        actor=actor,
    )
    zone = facility_zone()
    start = local_at(days(3), datetime.time(10), zone)
    end = local_at(days(3), datetime.time(13), zone)
    session = adr.book_session(
        job=services.create_job(
            actor=SYSTEM, production=production, description="ADR", work_type="adr"
        ),
        stage=scheduling.create_resource(actor=SYSTEM, kind="room", name="ADR 1", site=site),
        mixer=scheduling.create_resource(
            actor=SYSTEM, kind="person", name="Mix Er", site=site, employment="staff"
        ),
        start=start,
        end=end,
        talent="Ruth Wilde",
        actor=actor,
    )
    screening = screenings.book_screening(
        job=services.create_job(
            actor=SYSTEM, production=production, description="Preview", work_type="screening"
        ),
        room=scheduling.create_resource(actor=SYSTEM, kind="room", name="Theatre", site=site),
        start=start,
        end=end,
        cut_version="v1",
        actor=actor,
    )
    item = coordination.add_deliverable(production=production, name="Textless", actor=actor)
    return {
        **world,
        "document": version.document_id,
        "version": version.pk,
        "edl": cut.pk,
        "adr": session.pk,
        "screening": screening.pk,
        "deliverable": item.pk,
    }


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("method", "path", "body", "capability", "ok"),
    [pytest.param(*e[1:], id=e[0]) for e in COORDINATION_API],
)
def test_coordination_api_matrix(
    role, method, path, body, capability, ok, paper, make_user, client
):
    test_api_matrix(role, method, path, body, capability, ok, paper, make_user, client)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [pytest.param(*e[1:4], id=e[0]) for e in COORDINATION_API],
)
def test_coordination_api_without_credentials_is_401(method, path, body, paper, client):
    test_api_without_credentials_is_401(method, path, body, paper, client)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("path", "capability"), [pytest.param(*p[1:], id=p[0]) for p in COORDINATION_PAGES]
)
def test_coordination_page_matrix(role, path, capability, paper, make_user, client):
    test_page_matrix(role, path, capability, paper, make_user, client)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_admin_site_opens_only_for_roles_that_manage_users(role, make_user, client):
    client.force_login(make_user(role), backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/admin/")

    if MANAGE_USERS in ROLES[role]["capabilities"]:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(("path", "capability"), [pytest.param(*p[1:], id=p[0]) for p in PAGES])
def test_pages_send_signed_out_visitors_to_login(path, capability, world, client):
    response = client.get(fill(path, world))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


# --- client users: their own company only -------------------------------------------------

OTHER_COMPANY_API = [
    ("get", "clients/{other_client}", None),
    ("get", "contacts/{other_contact}", None),
    ("get", "productions/{other_production}", None),
    ("get", "jobs/{other_job}", None),
]


@pytest.fixture
def elsewhere(other_job, other_company):
    return {
        "other_client": other_company.pk,
        "other_contact": services.create_contact(
            actor=SYSTEM, client=other_company, name="Not yours"
        ).pk,
        "other_production": other_job.production_id,
        "other_job": other_job.pk,
    }


@pytest.mark.parametrize(("method", "path", "body"), OTHER_COMPANY_API)
def test_client_user_gets_404_for_another_company(method, path, body, elsewhere, api_as):
    response = getattr(api_as("client"), method)(fill(path, elsewhere))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "/clients/{other_client}/",
        "/productions/{other_production}/",
        "/jobs/{other_job}/",
    ],
)
def test_client_user_page_for_another_company_is_404(path, elsewhere, page_as):
    assert page_as("client").get(fill(path, elsewhere)).status_code == 404


@pytest.mark.parametrize("resource", ["clients", "contacts", "productions", "jobs"])
def test_client_user_lists_only_their_company(resource, world, elsewhere, api_as, users):
    rows = api_as("client").get(resource).json()["results"]

    owners = {r["id"] if resource == "clients" else r["client"] for r in rows}
    assert owners == {users["client"].client_id}


def test_staff_list_sees_every_company(world, elsewhere, api_as):
    rows = api_as("coordinator").get("jobs").json()["results"]

    assert {r["id"] for r in rows} == {world["job"], world["spare_job"], elsewhere["other_job"]}


def test_client_user_cannot_create_for_another_company_even_by_id(elsewhere, make_user, client):
    # The client role has no change_clients at all: refused before scope is considered.
    user = make_user("client")
    _, token = issue_token(user=user, actor=SYSTEM)

    response = client.post(
        "/api/v1/contacts",
        {"client": elsewhere["other_client"], "name": "Intruder"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 403


# Post coordination's ADR call sheets and screenings' aftermath (issue 16): the
# coordinator's and supervisor's; their objects are made for these cases only.
AFTERMATH_PAGES = [
    ("call sheet send", "/coordination/adr/{adr_session}/call-sheet/send/", "manage_deliverables"),
    ("attendance", "/coordination/screenings/{screening}/attendance/", "manage_deliverables"),
    ("feedback", "/coordination/screenings/{screening}/feedback/", "manage_deliverables"),
]
AFTERMATH_API = [
    (
        "call sheet send",
        "post",
        "adr-sessions/{adr_session}/call-sheet",
        {},
        "manage_deliverables",
        202,
    ),
    (
        "attendance",
        "put",
        "screenings/{screening}/attendance",
        {"attended": [], "walk_ins": ["Jo"]},
        "manage_deliverables",
        200,
    ),
    (
        "feedback",
        "post",
        "screenings/{screening}/feedback",
        {"note": "Too long"},
        "manage_deliverables",
        201,
    ),
]


@pytest.fixture
def coordination_world(world, production, site, make_user):
    import datetime

    from django.utils import timezone

    from postdesk.coordination import adr, screenings
    from postdesk.coordination.models import Screening
    from postdesk.scheduling import services as scheduling

    coordinator = make_user("coordinator", username="matrix-coordinator")
    stage = scheduling.create_resource(actor=SYSTEM, kind="room", name="ADR", site=site)
    mixer = scheduling.create_resource(
        actor=SYSTEM, kind="person", name="Mixer", site=site, employment="staff"
    )
    start = timezone.now() + datetime.timedelta(days=2)
    session = adr.book_session(
        job=services.create_job(
            actor=SYSTEM, production=production, description="ADR", work_type="adr"
        ),
        stage=stage,
        mixer=mixer,
        start=start,
        end=start + datetime.timedelta(hours=2),
        talent="Ruth Wilde",
        agent_email="agent@example.com",
        actor=coordinator,
    )
    screening = screenings.book_screening(
        job=services.create_job(
            actor=SYSTEM, production=production, description="Preview", work_type="screening"
        ),
        external_venue="Soho Screening Rooms",
        venue_capacity=40,
        start=start,
        end=start + datetime.timedelta(hours=2),
        cut_version="v1",
        actor=coordinator,
    )
    # Begun an hour ago: attendance and feedback are taken after the start.
    Screening.objects.filter(pk=screening.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    return {**world, "adr_session": session.pk, "screening": screening.pk}


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("method", "path", "body", "capability", "ok"),
    [pytest.param(*e[1:], id=e[0]) for e in AFTERMATH_API],
)
def test_aftermath_api_matrix(
    role, method, path, body, capability, ok, coordination_world, make_user, client
):
    check_api(role, method, path, body, capability, ok, coordination_world, make_user, client)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("path", "capability"), [pytest.param(*p[1:], id=p[0]) for p in AFTERMATH_PAGES]
)
def test_aftermath_page_matrix(role, path, capability, coordination_world, make_user, client):
    client.force_login(make_user(role), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(fill(path, coordination_world))
    assert response.status_code == (200 if allowed(role, capability) else 403)
