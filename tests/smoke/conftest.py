"""The production smoke test: Samtal as production runs it (tests/smoke/stack.py), driven
through nginx by Playwright, every page checked with axe."""

import logging
import os
import shutil

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser.conftest import AccessibilityChecker
from tests.smoke.stack import production_stack

WANTED = ["nginx", "openssl", "/usr/lib/postgresql"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/smoke/" in str(item.fspath).replace(os.sep, "/"):
            # It brings its own PostgreSQL; running once (in run_tests.py's PostgreSQL pass)
            # is enough.
            item.add_marker(pytest.mark.smoke)
            item.add_marker(pytest.mark.postgres)
    missing = [
        name
        for name in [*WANTED, CHROMIUM]
        if not (shutil.which(name) or os.path.exists(name) or os.path.exists(f"/usr/sbin/{name}"))
    ]
    if not missing:
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"the smoke test needs {missing}: scripts/bootstrap.sh --system")
    skip = pytest.mark.skip(reason=f"needs {missing}: scripts/bootstrap.sh --system")
    for item in items:
        if "smoke" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def production():
    for noisy in ("mail.log", "werkzeug"):  # aiosmtpd's and moto's per-request logs
        logging.getLogger(noisy).setLevel(logging.WARNING)
    with production_stack() as stack:
        print(f"\nsmoke: production stack up in {stack.startup_seconds:.1f} s")
        yield stack


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def a11y():
    return AccessibilityChecker()


@pytest.fixture
def device(browser, a11y):
    """A new browser (its own cookies), axe-watched; the self-signed certificate accepted."""
    contexts = []

    def make(**kwargs):
        context = browser.new_context(
            locale="sv-SE", timezone_id="Europe/Stockholm", ignore_https_errors=True, **kwargs
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        a11y.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not a11y.unchecked(), f"pages visited without an axe check: {a11y.unchecked()}"
