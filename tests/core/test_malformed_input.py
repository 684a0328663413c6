"""Every endpoint of issue 2 driven with malformed input: always a 4xx with the error body,
never a 500, and nothing in the database changed."""

import json

import pytest
from django.conf import settings

from postdesk.core.audit import SYSTEM
from postdesk.core.models import ApiToken, AuditEntry, Site, User
from postdesk.core.services import issue_token
from postdesk.productions.models import Client, Contact, Job, Production

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63  # one more than a bigint holds
UNKNOWN = 987654

# Write endpoints: (name, method, path, a valid body, a body with a wrong type,
# bodies naming unknown ids).
WRITES = [
    ("tokens create", "post", "tokens", {"name": "laptop"}, {"name": 12}, []),
    ("tokens revoke", "post", "tokens/{token}/revoke", {}, {"x": 1}, []),
    ("clients create", "post", "clients", {"name": "New Co"}, {"name": ["New Co"]}, []),
    (
        "clients patch",
        "patch",
        "clients/{client}",
        {"notes": "VIP"},
        {"payment_terms_days": "soon"},
        [],
    ),
    (
        "contacts create",
        "post",
        "contacts",
        {"client": "{client}", "name": "Ann"},
        {"client": "{client}", "name": {"first": "Ann"}},
        [{"client": UNKNOWN, "name": "Ann"}, {"client": TOO_BIG, "name": "Ann"}],
    ),
    ("contacts patch", "patch", "contacts/{contact}", {"position": "Producer"}, {"email": 5}, []),
    (
        "productions create",
        "post",
        "productions",
        {"title": "Pilot", "client": "{client}"},
        {"title": "Pilot", "client": "{client}", "kind": "opera"},
        [
            {"title": "Pilot", "client": UNKNOWN},
            {"title": "Pilot", "client": "{client}", "supervisor": UNKNOWN},
            {"title": "Pilot", "client": -1},
        ],
    ),
    (
        "productions patch",
        "patch",
        "productions/{production}",
        {"status": "delivered"},
        {"status": True},
        [{"supervisor": UNKNOWN}, {"supervisor": TOO_BIG}],
    ),
    (
        "jobs create",
        "post",
        "jobs",
        {"production": "{production}", "description": "Grade"},
        {"production": "{production}", "description": "Grade", "status": 3},
        [
            {"production": UNKNOWN, "description": "Grade"},
            {"production": "{production}", "description": "Grade", "contact": UNKNOWN},
            {"production": "{production}", "description": "Grade", "owner": UNKNOWN},
            {"production": "{production}", "description": "Grade", "contact": "{other_contact}"},
        ],
    ),
    (
        "jobs patch",
        "patch",
        "jobs/{job}",
        {"description": "Offline"},
        {"description": None, "status": []},
        [{"contact": UNKNOWN}, {"owner": UNKNOWN}, {"contact": "{other_contact}"}],
    ),
]

# Every endpoint with an id in its path.
BY_ID = [
    ("get", "clients/{id}"),
    ("patch", "clients/{id}"),
    ("delete", "clients/{id}"),
    ("get", "contacts/{id}"),
    ("patch", "contacts/{id}"),
    ("delete", "contacts/{id}"),
    ("get", "productions/{id}"),
    ("patch", "productions/{id}"),
    ("delete", "productions/{id}"),
    ("get", "jobs/{id}"),
    ("patch", "jobs/{id}"),
    ("delete", "jobs/{id}"),
    ("post", "tokens/{id}/revoke"),
]

LISTS = ["clients", "contacts", "productions", "jobs", "audit"]
ORDERED_LISTS = ["clients", "contacts", "productions", "jobs"]


@pytest.fixture
def world(client_company, other_company, contact, production, job):
    other = Contact.objects.create(client=other_company, name="Elsewhere")
    return {
        "client": client_company.pk,
        "contact": contact.pk,
        "production": production.pk,
        "job": job.pk,
        "other_contact": other.pk,
    }


@pytest.fixture
def admin_api(make_user, client, world):
    """A bearer-token client for the admin, and the admin's own token id."""
    user = make_user("admin")
    row, token = issue_token(user=user, actor=SYSTEM)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    client.get("/api/v1/me")  # marks the token used now, so later calls leave it alone
    world["token"] = row.pk
    return client


def state() -> dict:
    """Everything an endpoint of issue 2 could write."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Client, Contact, Production, Job, ApiToken, User, Site)
    } | {"audit": AuditEntry.objects.count()}


def fill(template, world):
    if isinstance(template, dict):
        return {k: fill(v, world) for k, v in template.items()}
    if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
        return world[template[1:-1]]
    if isinstance(template, str):
        return template.format(**world)
    return template


def send(http, method, path, *, raw=None, query=None):
    url = f"/api/v1/{path}"
    if raw is None:
        return getattr(http, method)(url, query)
    return getattr(http, method)(url, raw, content_type="application/json")


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert isinstance(body["message"], str) and body["message"]
    if code:
        assert body["code"] == code


def _writes():
    return [pytest.param(w, id=w[0]) for w in WRITES]


@pytest.mark.parametrize("write", _writes())
def test_invalid_json_is_400(write, admin_api, world):
    _, method, path, *_ = write
    before = state()

    response = send(admin_api, method, fill(path, world), raw='{"name": "unterminated')

    assert_error(response, 400, "bad_request")
    assert state() == before


@pytest.mark.parametrize("write", _writes())
def test_wrong_types_are_422_naming_the_field(write, admin_api, world):
    _, method, path, _, wrong, _ = write
    before = state()

    response = send(admin_api, method, fill(path, world), raw=json.dumps(fill(wrong, world)))

    assert_error(response, 422, "invalid")
    assert response.json()["details"]["fields"]
    assert state() == before


@pytest.mark.parametrize("write", _writes())
def test_a_json_array_instead_of_an_object_is_422(write, admin_api, world):
    _, method, path, *_ = write
    before = state()

    response = send(admin_api, method, fill(path, world), raw="[1, 2, 3]")

    assert_error(response, 422, "invalid")
    assert state() == before


@pytest.mark.parametrize("write", _writes())
def test_unknown_fields_are_422(write, admin_api, world):
    _, method, path, valid, *_ = write
    before = state()
    body = {**fill(valid, world), "is_superuser": True}

    response = send(admin_api, method, fill(path, world), raw=json.dumps(body))

    assert_error(response, 422, "invalid")
    assert response.json()["details"]["fields"] == {
        "is_superuser": ["Extra inputs are not permitted"]
    }
    assert state() == before


@pytest.mark.parametrize(
    "write",
    # Revoking takes an empty body: there is no text to poison.
    [pytest.param(w, id=w[0]) for w in WRITES if any(isinstance(v, str) for v in w[3].values())],
)
def test_nul_characters_are_422(write, admin_api, world):
    _, method, path, valid, *_ = write
    body = fill(valid, world)
    text_field = next(k for k, v in body.items() if isinstance(v, str) and not v.isdigit())
    before = state()
    body[text_field] = "a\x00b"

    response = send(admin_api, method, fill(path, world), raw=json.dumps(body))

    assert_error(response, 422, "invalid")
    assert state() == before


@pytest.mark.parametrize("write", _writes())
def test_oversized_payload_is_413(write, admin_api, world):
    _, method, path, *_ = write
    before = state()
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = send(admin_api, method, fill(path, world), raw=json.dumps({"name": padding}))

    assert_error(response, 413, "payload_too_large")
    assert state() == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param(w[1], w[2], body, id=f"{w[0]} {i}")
        for w in WRITES
        for i, body in enumerate(w[5])
    ],
)
def test_unknown_ids_in_the_body_are_422(method, path, body, admin_api, world):
    before = state()

    response = send(admin_api, method, fill(path, world), raw=json.dumps(fill(body, world)))

    assert_error(response, 422, "invalid")
    assert state() == before


@pytest.mark.parametrize(("method", "path"), BY_ID)
@pytest.mark.parametrize(
    # An id no row can have (out of 1..2^63-1) is malformed input, like "abc" (issue 10).
    ("given", "status"),
    [(UNKNOWN, 404), (TOO_BIG, 422), (0, 422), (-1, 422), ("abc", 422)],
)
def test_unknown_or_malformed_path_ids(method, path, given, status, admin_api, world):
    before = state()
    # A valid body, so only the id can be what is wrong.
    raw = None if method in ("get", "delete") else "{}"

    response = send(admin_api, method, path.format(id=given), raw=raw)

    assert_error(response, status)
    assert state() == before


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        {"page": 0},
        {"page": -1},
        {"page": "abc"},
        {"page": 10**12},
        {"page_size": 0},
        {"page_size": 100000},
        {"page_size": "many"},
    ],
    ids=str,
)
def test_bad_paging_is_422(path, query, admin_api, world):
    response = send(admin_api, "get", path, query=query)

    assert_error(response, 422, "invalid")
    assert list(response.json()["details"]["fields"]) == list(query)


@pytest.mark.parametrize("path", ORDERED_LISTS)
@pytest.mark.parametrize("ordering", ["bogus", "-bogus", "name;drop", "pk__in"])
def test_unknown_ordering_is_422(path, ordering, admin_api, world):
    response = send(admin_api, "get", path, query={"ordering": ordering})

    assert_error(response, 422, "invalid")
    assert list(response.json()["details"]["fields"]) == ["ordering"]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("contacts", {"client": "abc"}),
        ("contacts", {"client": TOO_BIG}),
        ("productions", {"status": "lost"}),
        ("jobs", {"production": TOO_BIG}),
        ("jobs", {"q": "x\x00"}),
        ("audit", {"since": "yesterday"}),
        ("audit", {"since": "0001-01-01T00:00:00+14:00"}),
        ("audit", {"since": "9999-12-31T23:59:59Z"}),
        ("audit", {"since": "1999-12-31T23:59:59Z"}),
        ("audit", {"page": 2**63}),
        ("clients", {"q": "a\x00b"}),
        ("contacts", {"client": 0}),
        ("productions", {"client": TOO_BIG}),
        ("jobs", {"client": TOO_BIG}),
        ("audit", {"action": "explode"}),
        ("audit", {"object_id": "1\x00"}),
    ],
    ids=str,
)
def test_bad_filters_are_422(path, query, admin_api, world):
    response = send(admin_api, "get", path, query=query)

    assert_error(response, 422, "invalid")
    assert list(response.json()["details"]["fields"]) == list(query)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/clients/", {"q": "a\x00b"}),
        ("/productions/", {"q": "a\x00b", "status": "active\x00"}),
        ("/jobs/", {"q": "\x00"}),
        ("/productions/new/", {"client": str(TOO_BIG)}),
        ("/jobs/new/", {"production": "99999999999999999999999"}),
    ],
    ids=str,
)
def test_pages_take_any_query_string_without_a_500(path, query, make_user, world):
    # Pages are forgiving where the API is strict: NUL, which PostgreSQL text cannot
    # hold, is dropped from a search; an impossible id preselects nothing.
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(make_user("admin"), backend="django.contrib.auth.backends.ModelBackend")

    response = browser.get(path, query)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "nowhere", 404),
        ("post", "clients/1/explode", 404),
        ("put", "clients", 405),
        ("delete", "jobs", 405),
        ("get", "tokens/1/revoke", 405),
    ],
)
def test_unknown_paths_and_methods_answer_the_error_body(method, path, status, admin_api, world):
    response = send(admin_api, method, path)

    assert_error(response, status)


def test_form_encoded_body_is_refused_without_a_500(admin_api, world):
    before = state()

    response = admin_api.post("/api/v1/clients", {"name": "Form Co"})

    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message", "details"}
    assert state() == before


def test_an_unexpected_crash_still_answers_the_error_body(admin_api, world, monkeypatch):
    from postdesk.productions import services

    def crash(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "create_client", crash)
    admin_api.raise_request_exception = False

    response = admin_api.post("/api/v1/clients", {"name": "X"}, content_type="application/json")

    assert_error(response, 500, "server_error")
    assert "disk on fire" not in response.content.decode()
