import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_without_auth_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_answers_503_when_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_api_without_credentials_is_401_with_error_body(api_as):
    response = api_as(None).get("jobs")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert set(body) == {"code", "message", "details"}


def test_api_with_unknown_token_is_401(client):
    response = client.get("/api/v1/jobs", HTTP_AUTHORIZATION="Bearer pd_not-a-real-token")
    assert response.status_code == 401


def test_bookings_token_lists_jobs(api_as, job):
    response = api_as("bookings").get("jobs")
    assert response.status_code == 200
    assert [j["number"] for j in response.json()["results"]] == [job.number]


def test_runner_on_audit_endpoint_is_403(api_as):
    response = api_as("runner").get("audit")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
