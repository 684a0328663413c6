"""The API docs and the pages run under the Content-Security-Policy in a real browser:
no console errors, no failed requests, nothing fetched from outside the server."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.e2e
def test_docs_and_pages_render_in_a_browser_without_csp_violations(browser, live_server, make_user):
    make_user("bookings")
    problems: list[str] = []
    outside: list[str] = []

    context = browser.new_context()
    try:
        page = context.new_page()
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
        context.close()

    assert operations >= 25
    assert heading == "Clients"
    assert problems == []
    assert outside == []
