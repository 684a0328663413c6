"""One table of error codes: the API's handlers and the middleware for failures that never
reached the API answer the same code for the same status."""

import json

import pytest
from django.test import RequestFactory
from ninja.errors import HttpError

from postdesk.api import on_http_error
from postdesk.core.errors import ERROR_CODES, code_for_status


@pytest.mark.parametrize(
    ("status", "code"),
    [(404, "not_found"), (429, "throttled"), (418, "error"), (503, "server_error")],
)
def test_a_status_has_one_code(status, code):
    assert code_for_status(status) == code


@pytest.mark.parametrize("status", sorted(ERROR_CODES))
def test_the_api_handler_answers_the_table_code(status):
    request = RequestFactory().get("/api/v1/jobs")

    response = on_http_error(request, HttpError(status, "because"))

    assert response.status_code == status
    assert json.loads(response.content) == {
        "code": ERROR_CODES[status],
        "message": "because",
        "details": {},
    }


@pytest.mark.django_db
def test_the_middleware_answers_the_table_code_for_a_path_the_api_lacks(client):
    response = client.get("/api/v1/no-such-endpoint")

    assert response.status_code == 404
    assert response.json() == {
        "code": ERROR_CODES[404],
        "message": "No API endpoint /api/v1/no-such-endpoint",
        "details": {},
    }
