"""Real-browser tests: Playwright drives Debian's Chromium against Django's live server.

Every page a test visits must be checked with axe-core (`assert_accessible`); a page that
loaded but was never checked fails the test at teardown.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(
            f"Chromium not found at {CHROMIUM}; CI must run the browser tests "
            "(scripts/bootstrap.sh --system installs it)."
        )
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install it with "
        "'sudo apt-get install chromium' (or run scripts/bootstrap.sh --system)"
    )
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


def pytest_collection_finish(session):
    for item in session.items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


class AccessibilityChecker:
    def __init__(self):
        self.axe = Axe()
        self.loaded = []
        self.checked = set()

    def watch(self, page):
        page.on("load", lambda: self.loaded.append(page.url.split("#")[0]))

    def check(self, page):
        page.wait_for_load_state("load")
        results = self.axe.run(page, options=WCAG_21_AA)
        self.checked.add(page.url.split("#")[0])
        assert results.violations_count == 0, (
            f"axe found violations on {page.url}:\n{results.generate_report()}"
        )

    def unchecked(self):
        return sorted(set(self.loaded) - self.checked)


@pytest.fixture
def a11y():
    return AccessibilityChecker()


@pytest.fixture
def page(page, a11y, live_server):
    """The Playwright page, watched so that every page it loads gets an axe check."""
    a11y.watch(page)
    page.set_default_timeout(10_000)
    yield page
    assert not a11y.unchecked(), f"pages visited without an axe check: {a11y.unchecked()}"


@pytest.fixture
def assert_accessible(a11y):
    return a11y.check


@pytest.fixture
def new_page(context, a11y):
    """A second (or third) page in its own browser context, also axe-watched."""
    contexts = []

    def make(**kwargs):
        ctx = context.browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", **kwargs)
        contexts.append(ctx)
        extra = ctx.new_page()
        extra.set_default_timeout(10_000)
        a11y.watch(extra)
        return extra

    yield make
    for ctx in contexts:
        ctx.close()


def log_in(page, live_server, username, check, password="rätt-lösenord-123"):
    page.goto(f"{live_server.url}/logga-in/")
    check(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state("load")


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, tmp_path_factory):
    """uvicorn serving samtal.asgi against the test database (PostgreSQL only)."""
    from django.db import connection

    from tests.browser.asgi import AsgiServer

    if connection.vendor != "postgresql":
        pytest.skip("the live views are tested under uvicorn on PostgreSQL")
    server = AsgiServer(connection.settings_dict, tmp_path_factory.mktemp("uvicorn") / "log")
    yield server
    server.stop()


@pytest.fixture
def asgi_live_server(asgi_server, transactional_db):
    return asgi_server
