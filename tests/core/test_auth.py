"""Authentication: password hashing, login/logout, throttling, CSRF, headers, API tokens."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import timezone

from postdesk import settings as project_settings
from postdesk.core.audit import SYSTEM
from postdesk.core.models import ApiToken
from postdesk.core.services import authenticate_token, issue_token, revoke_token

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def test_argon2_is_the_default_password_hasher():
    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_passwords_are_stored_as_argon2(settings, make_user):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS

    user = make_user("runner")

    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_login_page_signs_in_and_out(users):
    http = HttpClient()

    assert http.get("/login/").status_code == 200
    signed_in = http.post("/login/", {"username": "bookings-user", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/"
    assert http.get("/").status_code == 200

    signed_out = http.post("/logout/")
    assert signed_out.status_code == 302
    assert signed_out["Location"] == "/login/"
    assert http.get("/").status_code == 302


def test_wrong_password_shows_the_form_again(users):
    response = HttpClient().post("/login/", {"username": "bookings-user", "password": "nope"})

    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


def test_repeated_failures_lock_the_login(settings, users):
    http = HttpClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        http.post("/login/", {"username": "bookings-user", "password": "guess"})

    # Even the right password is refused now.
    locked = http.post("/login/", {"username": "bookings-user", "password": PASSWORD})

    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in http.session


def test_failures_below_the_limit_do_not_lock(settings, users):
    http = HttpClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        http.post("/login/", {"username": "bookings-user", "password": "guess"})

    response = http.post("/login/", {"username": "bookings-user", "password": PASSWORD})

    assert response.status_code == 302


def test_login_form_requires_the_csrf_token(users):
    http = HttpClient(enforce_csrf_checks=True)

    refused = http.post("/login/", {"username": "bookings-user", "password": PASSWORD})
    page = http.get("/login/")
    token = page.cookies["csrftoken"].value
    accepted = http.post(
        "/login/",
        {"username": "bookings-user", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302


def test_session_api_writes_require_the_csrf_token(users):
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(users["bookings"], backend="django.contrib.auth.backends.ModelBackend")
    token = http.get("/").cookies["csrftoken"].value

    refused = http.post("/api/v1/clients", {"name": "Forged"}, content_type="application/json")
    accepted = http.post(
        "/api/v1/clients",
        {"name": "Genuine"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert refused.status_code == 403
    assert refused.json() == {"code": "forbidden", "message": "CSRF check Failed", "details": {}}
    assert accepted.status_code == 201
    from postdesk.productions.models import Client

    assert not Client.objects.filter(name="Forged").exists()


def test_session_api_reads_need_no_csrf_token(users):
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(users["bookings"], backend="django.contrib.auth.backends.ModelBackend")

    assert http.get("/api/v1/me").status_code == 200


def test_bearer_token_writes_need_no_csrf_token(users):
    _, token = issue_token(user=users["bookings"], actor=SYSTEM)
    http = HttpClient(enforce_csrf_checks=True)

    response = http.post(
        "/api/v1/clients",
        {"name": "Scripted Co"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 201


@pytest.mark.parametrize("path", ["/login/", "/", "/api/v1/me", "/healthz"])
def test_security_headers_and_csp(path, page_as):
    response = page_as("bookings").get(path)

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_scripts(page_as, job):
    for path in ("/", "/clients/", f"/jobs/{job.pk}/", "/jobs/new/", "/login/"):
        html = page_as("bookings").get(path).content.decode()
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), (path, chunk[:80])


# --- API tokens -----------------------------------------------------------------------


def test_token_is_stored_only_as_its_hash(users):
    row, token = issue_token(user=users["bookings"], actor=SYSTEM)

    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert stored["key_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(v) for v in stored.values()}
    assert token.startswith(stored["prefix"])


@pytest.mark.parametrize("role", ["bookings", "admin", "client"])
def test_token_user_is_the_holder_with_their_role_and_company(users, role):
    holder = users[role]
    _, token = issue_token(user=holder, actor=SYSTEM)

    user = authenticate_token(token)

    assert (user.pk, user.username, user.client_id) == (
        holder.pk,
        holder.username,
        holder.client_id,
    )
    assert (user.is_active, user.is_staff, user.is_superuser) == (
        True,
        holder.is_staff,
        holder.is_superuser,
    )
    assert user.role == role
    assert user.email == holder.email and user.date_joined == holder.date_joined


def test_revoked_token_is_401(users, client):
    row, token = issue_token(user=users["bookings"], actor=SYSTEM)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/me", **auth).status_code == 200

    revoke_token(token_id=row.pk, actor=users["bookings"])

    response = client.get("/api/v1/me", **auth)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_token_can_revoke_itself_through_the_api(users, client):
    row, token = issue_token(user=users["bookings"], actor=SYSTEM)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    response = client.post(
        f"/api/v1/tokens/{row.pk}/revoke", content_type="application/json", **auth
    )

    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert client.get("/api/v1/me", **auth).status_code == 401


def test_user_cannot_revoke_someone_elses_token(users, api_as):
    row, _ = issue_token(user=users["accounts"], actor=SYSTEM)

    response = api_as("bookings").post(f"tokens/{row.pk}/revoke")

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None


def test_token_of_deactivated_user_is_401(users, client):
    _, token = issue_token(user=users["bookings"], actor=SYSTEM)
    users["bookings"].is_active = False
    users["bookings"].save()

    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_last_used_at_is_updated(users, client):
    row, token = issue_token(user=users["bookings"], actor=SYSTEM)
    assert row.last_used_at is None

    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    first_use = ApiToken.objects.get(pk=row.pk).last_used_at
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=first_use - timedelta(hours=1))
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    later_use = ApiToken.objects.get(pk=row.pk).last_used_at

    assert first_use is not None
    assert later_use > first_use - timedelta(hours=1)
    assert later_use <= timezone.now()


def test_created_token_through_the_api_is_shown_once(api_as):
    response = api_as("runner").post("tokens", {"name": "laptop"})

    assert response.status_code == 201
    token = response.json()["token"]
    listed = api_as("runner").get("tokens").json()
    assert "laptop" in [row["name"] for row in listed]
    assert all("token" not in row for row in listed)
    assert (
        HttpClient().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()["role"]
        == "runner"
    )


def test_token_command_prints_a_working_token(users, client):
    out = StringIO()

    call_command("token", "bookings-user", stdout=out)

    token = out.getvalue().strip()
    response = client.get("/api/v1/jobs", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_token_command_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No active user 'ghost'"):
        call_command("token", "ghost", stdout=StringIO())


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Basic abc", "Bearer pd_forged"])
def test_missing_or_bad_credentials_are_401(header, client, users):
    kwargs = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.get("/api/v1/me", **kwargs)

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_forbidden_is_403_with_the_capability_named(api_as):
    response = api_as("runner").get("clients")

    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "Your role may not do this (needs view clients)",
        "details": {"needs": "view_clients"},
    }
