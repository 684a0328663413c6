"""The API's own documentation: OpenAPI at /api/v1/openapi.json and interactive docs at
/api/v1/docs, served from ninja's static files so they run under the CSP."""

import os
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

CHROMIUM = os.environ.get("POSTDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


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


def _browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("POSTDESK_REQUIRE_BROWSER"):
            pytest.fail(f"chromium not found at {CHROMIUM}")
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (CI installs it)")
    from playwright.sync_api import sync_playwright

    return sync_playwright()


@pytest.mark.e2e
def test_docs_and_pages_render_in_a_browser_without_csp_violations(live_server, make_user):
    make_user("bookings")
    problems: list[str] = []
    outside: list[str] = []

    with _browser() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on(
                "console",
                lambda msg: problems.append(msg.text) if msg.type == "error" else None,
            )
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.on(
                "response",
                lambda resp: (
                    problems.append(f"{resp.status} {resp.url}") if resp.status >= 400 else None
                ),
            )
            page.on(
                "request",
                lambda req: (
                    None
                    if req.url.startswith(live_server.url) or req.url.startswith("data:")
                    else outside.append(req.url)
                ),
            )

            page.goto(f"{live_server.url}/api/v1/docs")
            page.wait_for_selector(".opblock", timeout=30_000)
            operations = page.locator(".opblock").count()

            page.goto(f"{live_server.url}/login/")
            page.get_by_label("Username").fill("bookings-user")
            page.get_by_label("Password").fill("pw-for-tests")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{live_server.url}/")
            page.get_by_role("link", name="Clients", exact=True).click()
            page.wait_for_url(f"{live_server.url}/clients/")
            heading = page.get_by_role("heading", level=1).inner_text()
        finally:
            browser.close()

    assert operations >= 25
    assert heading == "Clients"
    assert problems == []
    assert outside == []
