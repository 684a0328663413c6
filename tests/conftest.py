"""Fixtures every test shares: users per role, API clients, a small facility."""

import pytest
from django.test import Client as HttpClient

from postdesk.core.audit import SYSTEM
from postdesk.core.roles import ROLE_NAMES
from postdesk.core.services import create_site, create_user, issue_token
from postdesk.productions import services as production_services


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is deliberately slow; tests that are not about hashing need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _role_groups_after_flush(request):
    """Transactional tests run on a database flushed by the test before, which empties
    the role groups the migrations made; put them back. (serialized_rollback would too,
    but mixing it with plain transactional tests breaks on re-created content types.)"""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if transactional:
        from postdesk.core.roles import ensure_roles

        request.getfixturevalue("transactional_db")
        ensure_roles()


@pytest.fixture(autouse=True)
def _audit_truncate_for_flush(request):
    """After a transactional test Django empties every table with TRUNCATE on PostgreSQL,
    which the audit table refuses (core migration 0006) unless the session allows it."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET postdesk.allow_audit_truncate = 'on'")


@pytest.fixture(autouse=True)
def _movements_purge_for_flush(request):
    """After a transactional test Django empties every table, on SQLite with DELETE, which
    the library's movement history refuses while foreign keys are enforced (library
    migration 0003); empty it first with enforcement off for this connection."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.disable_constraint_checking()
        try:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM library_movement")
        finally:
            connection.enable_constraint_checking()


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def site(db):
    return create_site(name="Soho", code="soho", actor=SYSTEM)


@pytest.fixture
def client_company(db):
    return production_services.create_client(
        actor=SYSTEM,
        name="Northlight Pictures",
        vat_number="GB123456789",
        billing_address="1 Example Street\nLondon",
    )


@pytest.fixture
def other_company(db):
    return production_services.create_client(actor=SYSTEM, name="Other Films Ltd")


@pytest.fixture
def contact(client_company):
    return production_services.create_contact(
        actor=SYSTEM, client=client_company, name="Hannah Reid", email="hannah@example.com"
    )


@pytest.fixture
def production(client_company):
    return production_services.create_production(
        actor=SYSTEM, client=client_company, title="The Long Tide", kind="feature"
    )


@pytest.fixture
def job(production, contact):
    return production_services.create_job(
        actor=SYSTEM, production=production, description="Offline edit", contact=contact
    )


@pytest.fixture
def other_job(other_company):
    prod = production_services.create_production(
        actor=SYSTEM, client=other_company, title="Elsewhere", kind="series"
    )
    return production_services.create_job(actor=SYSTEM, production=prod, description="Grade")


@pytest.fixture
def make_user(db, client_company):
    def make(role: str, username: str | None = None, client=None):
        return create_user(
            username=username or f"{role}-user",
            role=role,
            password="pw-for-tests",
            client=(client or client_company) if role == "client" else None,
            actor=SYSTEM,
        )

    return make


@pytest.fixture
def users(make_user):
    """One user per role, keyed by role."""
    return {role: make_user(role) for role in ROLE_NAMES}


class ApiClient:
    """Calls /api/v1 with a bearer token, sending and reading JSON."""

    def __init__(self, token: str | None):
        self.http = HttpClient()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, data=None, raw: str | bytes | None = None, **params):
        import json

        url = path if path.startswith("/") else f"/api/v1/{path}"
        func = getattr(self.http, method)
        if method == "get" or (method == "delete" and data is None and raw is None):
            return func(url, params or None, **self.headers)
        body = raw if raw is not None else json.dumps(data, default=str)
        return func(url, body, content_type="application/json", **self.headers)

    def get(self, path, **params):
        return self._call("get", path, **params)

    def post(self, path, data=None, raw=None):
        return self._call("post", path, data, raw)

    def patch(self, path, data=None, raw=None):
        return self._call("patch", path, data, raw)

    def put(self, path, data=None, raw=None):
        return self._call("put", path, data, raw)

    def delete(self, path):
        return self._call("delete", path)


@pytest.fixture
def api_as(users):
    """api_as("bookings") -> an ApiClient authenticated as that role's user."""
    cache = {}

    def make(role: str | None) -> ApiClient:
        if role is None:
            return ApiClient(None)
        if role not in cache:
            _, token = issue_token(user=users[role], actor=SYSTEM)
            cache[role] = ApiClient(token)
        return cache[role]

    return make


@pytest.fixture
def page_as(users):
    """page_as("runner") -> a Django test client logged in as that role's user."""

    def make(role: str) -> HttpClient:
        http = HttpClient()
        http.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
        return http

    return make


@pytest.fixture
def home_card(page_as, users):
    """home_card(role, title) -> the card as the role's home page draws it (None when the
    role does not get it), and the number of database queries the card itself took to count
    and list: the home page's cost, which must not grow with the data."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from postdesk.core.money_display import locale_scope
    from postdesk.core.roles import role_of
    from postdesk.shell.home import CARD_ROWS
    from postdesk.shell.registry import home_cards

    def read(role: str, title: str):
        response = page_as(role).get("/")
        shown = {c["title"]: c for c in response.context["cards"]}
        card = next(c for c in home_cards() if c.title == title)
        user = users[role]
        role_of(user)  # the user's role is read once per request, not per card
        # As in a request, the facility's locale is read once for all the money shown.
        with locale_scope("en_GB"), CaptureQueriesContext(connection) as queries:
            card.count(user)
            if card.rows is not None:
                list(card.rows(user, CARD_ROWS))
        return shown.get(title), len(queries), response.content.decode()

    return read
