"""Browser tests: Playwright for Python driving Debian's chromium against a live server.

Never downloads a browser. Without a chromium they skip, loudly; with
POSTDESK_REQUIRE_BROWSER=1 (set by .ci/run) a missing chromium fails instead.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("POSTDESK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).parent / "artifacts"

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses calls
# made while a loop runs unless told that this (test-only) use is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_found() -> bool:
    return Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    if _chromium_found():
        return
    reason = (
        f"BROWSER TESTS SKIPPED: no chromium at {CHROMIUM} "
        "(install Debian's chromium package or set POSTDESK_CHROMIUM)"
    )
    here = Path(__file__).parent
    e2e = [item for item in items if Path(str(item.fspath)).is_relative_to(here)]
    if not e2e:
        return
    if os.environ.get("POSTDESK_REQUIRE_BROWSER") == "1":
        return  # the `browser` fixture fails each test with the reason
    print(f"\n{'!' * 78}\n{reason}\n{'!' * 78}")
    for item in e2e:
        item.add_marker(pytest.mark.skip(reason=reason))


# One Playwright per test: while Playwright's sync API runs, its event loop sits in this
# thread, and a browser kept open across tests would leave later database tests on
# connections made inside that loop.
@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    if not _chromium_found():
        pytest.fail(
            f"POSTDESK_REQUIRE_BROWSER=1 but no chromium at {CHROMIUM}; browser tests must run"
        )

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()
        # Database connections the test opened while Playwright's loop ran belong to that
        # loop's context; close them here, or PostgreSQL still counts one against the
        # test database when the session drops it.
        from django.db import connections

        connections.close_all()


@pytest.fixture
def shot():
    """shot(page, "name") saves a screenshot to tests/e2e/artifacts/ (git-ignored; the
    copies reviewed by a person are committed under docs/screenshots/)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    return take


@pytest.fixture
def login(browser, live_server):
    """login(user, viewport=None) -> a page of a fresh browser context (1366x768 unless
    told), signed in, on the user's home (runners and reception have their own desks)."""
    contexts = []

    def sign_in(user, password="pw-for-tests", viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1366, "height": 768})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    yield sign_in
    for context in contexts:
        context.close()
