"""The API's own documentation: OpenAPI at /api/v1/openapi.json and interactive docs at
/api/v1/docs, served from ninja's static files so they run under the CSP."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_lists_the_endpoints_of_issue_2(page_as):
    response = page_as("runner").get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/me",
        "/api/v1/sites",
        "/api/v1/tokens",
        "/api/v1/tokens/{token_id}/revoke",
        "/api/v1/audit",
        "/api/v1/clients",
        "/api/v1/clients/{client_id}",
        "/api/v1/contacts/{contact_id}",
        "/api/v1/productions/{production_id}",
        "/api/v1/jobs/{job_id}",
    ):
        assert path in paths, path
    schemes = response.json()["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_docs_page_loads_its_scripts_from_our_own_static_files(page_as):
    response = page_as("runner").get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts == ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    assert "http://" not in html and "https://" not in html  # no CDN
    # The only inline script is JSON data, which a browser does not execute.
    assert re.findall(r"<script(?![^>]*src=)([^>]*)>", html) == [
        ' type="application/json" id="swagger-settings"'
    ]
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
        "/static/ninja/swagger-ui.css",
    ],
)
def test_docs_static_files_are_served(path, client):
    response = client.get(path)

    assert response.status_code == 200
