import pytest


def runs_a_server(item):
    parts = item.nodeid.split("::")[0].split("/")
    return "browser" in parts or "smoke" in parts


def pytest_collection_modifyitems(config, items):
    """Real-browser and smoke tests run last, and PostgreSQL-only tests only on PostgreSQL.

    Last, because Playwright's sync API keeps an event loop running in the main thread (so
    async_to_sync fails in any test after it) and live_server tests empty the database when
    they end, data migrations' templates and instruments included, which other tests use.
    """
    from django.conf import settings

    items.sort(key=runs_a_server)  # stable: the order within each group stays
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run scripts/run_tests.py (both databases)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
