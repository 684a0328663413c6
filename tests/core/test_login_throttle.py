"""Sign-in throttling per address (issue 10): one address trying passwords against many
usernames is locked out after POSTDESK["IP_FAILURE_LIMIT"] failures, on top of the
(username, address) lockout after AXES_FAILURE_LIMIT."""

import pytest
from django.test import Client as HttpClient
from django.test import RequestFactory

from postdesk.core.throttle import client_address

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def sign_in(http, username, password):
    return http.post("/login/", {"username": username, "password": password})


def fail_with_many_usernames(http, count: int) -> list[int]:
    """The answers to `count` failed sign-ins, each with another username."""
    return [sign_in(http, f"guess-{n}", "Summer2026!").status_code for n in range(count)]


def test_the_ip_limit_is_higher_than_the_per_user_limit(settings):
    assert settings.POSTDESK["IP_FAILURE_LIMIT"] == 20
    assert settings.AXES_FAILURE_LIMIT == 5


def test_one_address_spraying_many_usernames_is_locked_out(settings, users):
    http = HttpClient(REMOTE_ADDR="203.0.113.7")
    limit = settings.POSTDESK["IP_FAILURE_LIMIT"]

    # The failure that reaches the limit is answered with the lockout already.
    assert fail_with_many_usernames(http, limit) == [200] * (limit - 1) + [429]

    # Even a real user with the right password is refused from that address now.
    locked = sign_in(http, "bookings-user", PASSWORD)

    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in http.session


def test_failures_below_the_ip_limit_do_not_lock_the_address(settings, users):
    http = HttpClient(REMOTE_ADDR="203.0.113.7")
    limit = settings.POSTDESK["IP_FAILURE_LIMIT"]

    assert fail_with_many_usernames(http, limit - 1) == [200] * (limit - 1)
    assert sign_in(http, "bookings-user", PASSWORD).status_code == 302


def test_other_addresses_are_not_locked_by_one_that_is(settings, users):
    fail_with_many_usernames(
        HttpClient(REMOTE_ADDR="203.0.113.7"), settings.POSTDESK["IP_FAILURE_LIMIT"]
    )

    other = HttpClient(REMOTE_ADDR="198.51.100.9")

    assert sign_in(other, "bookings-user", PASSWORD).status_code == 302


def test_signing_in_to_an_own_account_does_not_reset_the_address_count(settings, users):
    http = HttpClient(REMOTE_ADDR="203.0.113.7")
    fail_with_many_usernames(http, settings.POSTDESK["IP_FAILURE_LIMIT"] - 1)
    assert sign_in(http, "runner-user", PASSWORD).status_code == 302
    http.post("/logout/")

    assert sign_in(http, "guess-last", "Summer2026!").status_code == 429
    assert sign_in(http, "bookings-user", PASSWORD).status_code == 429


def test_the_ip_limit_is_a_setting(settings, users):
    settings.POSTDESK = {**settings.POSTDESK, "IP_FAILURE_LIMIT": 3}
    http = HttpClient(REMOTE_ADDR="203.0.113.7")
    assert fail_with_many_usernames(http, 3) == [200, 200, 429]
    assert sign_in(http, "bookings-user", PASSWORD).status_code == 429


def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended():
    factory = RequestFactory()
    forwarded = factory.get(
        "/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    direct = factory.get("/login/", REMOTE_ADDR="10.0.0.1")

    # The first entry is whatever the client claimed; the proxy appends what it saw.
    assert client_address(forwarded) == "203.0.113.7"
    assert client_address(direct) == "10.0.0.1"
