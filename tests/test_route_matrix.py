"""Every route, tried by every member of the fixed cast against a meeting in every status,
answers what tests/route_matrix.py says. A route missing from that table fails here."""

import os
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import route_matrix as matrix
from tests.route_world import STATUSES, build_world, walk

pytestmark = pytest.mark.django_db
ROUTES = sorted(walk(), key=lambda item: item[0])
# The admin is judged by one rule (staff only), tried on these few of its URLs.
ADMIN_SAMPLE = {
    "admin:index",
    "admin:meetings_meeting_changelist",
    "admin:meetings_meeting_change",
    "admin:auth_user_changelist",
}
PDF_STUB = b"%PDF-1.7 matris"
CLIENT = Client()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The cast and the meetings, built once; each request below runs in a savepoint that is
    rolled back, and this transaction is rolled back at the end of the module."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock():
        old_media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, media
        try:
            with transaction.atomic():
                built = build_world()
                built.media = media
                built.files = [m.file.path for m in built.materials()]
                yield built
                transaction.set_rollback(True)
        finally:
            settings.MEDIA_ROOT = old_media


@pytest.fixture
def matrix_env(world, django_db_blocker, settings, monkeypatch):
    settings.MEDIA_ROOT = world.media
    # The PDFs' content is tested in test_a3_pdf.py; here only who gets one matters, and a
    # WeasyPrint render per cell would take minutes.
    monkeypatch.setattr("samtal.archive.views.pdf_for_download", lambda *a, **k: PDF_STUB)
    monkeypatch.setattr("samtal.a3.views.render_pdf", lambda *a, **k: PDF_STUB)
    monkeypatch.setattr("samtal.archive.plans.render_plan_pdf", lambda *a, **k: PDF_STUB)
    monkeypatch.setattr("samtal.a3.views.render_template_pdf", lambda *a, **k: PDF_STUB)
    # The join code's request budget (one address tries every cell) is tested on its own.
    monkeypatch.setattr("samtal.core.throttle.over_budget", lambda *a, **k: False)
    monkeypatch.setattr("samtal.a3.room_views.over_budget", lambda *a, **k: False)
    with django_db_blocker.unblock():
        yield world


def outcome(response):
    if response.status_code in (301, 302, 303):
        target = response["Location"].split("?")[0]
        logins = (reverse("login"), reverse("admin:login"))
        return matrix.LOGIN if target.endswith(logins) else 302
    return response.status_code


def attempt(world, member, method, url, status):
    """One cell: the answer's code, or LOGIN for a redirect to a login page."""
    client = CLIENT  # one client: a new one would load the middleware again
    client.cookies = SimpleCookie()
    if world.sessions[member]:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[member]
    headers = {"HTTP_X_LIVE_FETCH": "1"} if "/live/" in url else {}
    with transaction.atomic():
        try:
            if method == "GET":
                response = client.get(url, **headers)
            else:
                response = client.post(url, {}, **headers)
            result = outcome(response)
        except Exception as error:  # noqa: BLE001 - a crash is an answer the table can judge
            result = f"500 {type(error).__name__}: {error}"
        transaction.set_rollback(True)
    # Removing material deletes its file, which no rollback brings back.
    for path in world.files:
        if not os.path.exists(path):
            with open(path, "wb") as file:
                file.write(world.material_bytes)
    if member == "other_link" and result == 200 and url.startswith("/l/"):
        # The other meeting's link opens its own meeting's pages, never this one's. (Off the
        # /l/ routes it holds no link: it is anyone, like `anonymous` — the join code is.)
        leaked = [theme for theme in world.themes(status) if theme in body(response)]
        assert not leaked, f"{url} shows {leaked} to another meeting's link"
    # A survey's answer link is open to anyone; so is a running meeting's join code, shown on
    # the projector to whoever is in the room (it gives no more than the anonymous phone view).
    public = url.startswith(("/enkat/", "/delta/"))
    if member == "other_organisation" and result == 200 and not public:
        leaked = [word for word in world.organisation_words() if word in body(response)]
        assert not leaked, f"{url} shows {leaked} to another organisation's user"
    return result


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def cells(world, name, names, method):
    for status in STATUSES:
        for member in matrix.CAST:
            kwargs = world.kwargs(member, status, names, name)
            url = reverse(name, kwargs=kwargs)
            yield status, member, url


def cases():
    for name, names in ROUTES:
        if name.startswith("admin:") and name not in ADMIN_SAMPLE:
            continue
        for method in matrix.methods(name) if matrix.judged(name) else ("GET",):
            yield pytest.param(name, names, method, id=f"{name}-{method}")


def test_every_route_in_the_resolver_is_in_the_table():
    missing = [name for name, _names in ROUTES if not matrix.judged(name)]
    assert not missing, f"routes missing from tests/route_matrix.py: {missing}"


@pytest.mark.parametrize(("name", "names", "method"), cases())
def test_route_answers_every_cast_member_as_the_table_says(matrix_env, name, names, method):
    assert matrix.judged(name), f"{name} is missing from tests/route_matrix.py: judge it there"
    world = matrix_env
    wrong = []
    for status, member, url in cells(world, name, names, method):
        expected = matrix.expected(name, method, member, status)
        got = attempt(world, member, method, url, status)
        if got != expected:
            note = matrix.changed_by_policy(name, method, member, status)
            wrong.append(
                f"  {method} {url} as {member} ({status}): got {got}, table says {expected}"
                + (f"  [{note}]" if note else "")
            )
    assert not wrong, f"{name} {method} disagrees with the table:\n" + "\n".join(wrong)


ID_ARGUMENTS = {"meeting_id", "participation_id", "material_id", "entry_id", "wish_id"}
ID_ARGUMENTS |= {"action_id", "item_id", "conflict_id", "answer_id", "unit_id", "object_id"}
ID_ARGUMENTS |= {"membership_id", "person_id", "user_id", "key_figure_id", "favourite_id"}
ID_ARGUMENTS |= {"identity_provider_id"}


def allowed_member(name, method):
    """Someone the table lets through (in any status), to ask for objects that do not exist."""
    for member in matrix.CAST:
        for status in STATUSES:
            if matrix.expected(name, method, member, status) not in (403, 404, 405, matrix.LOGIN):
                return member, status
    return None


def unknown_object_cases():
    for name, names in ROUTES:
        if name.startswith("admin:") or not matrix.judged(name):
            continue
        unknown = [n for n in names if n in ID_ARGUMENTS or n in ("token", "key")]
        if not unknown or unknown == ["token"] and name.startswith("participants:"):
            continue  # a bad personal link is the matrix's own case (NO_LINK → 404)
        for method in matrix.methods(name):
            if allowed_member(name, method):
                yield pytest.param(name, names, method, id=f"{name}-{method}")


@pytest.mark.parametrize(("name", "names", "method"), unknown_object_cases())
def test_an_unknown_object_is_404_for_those_who_may_use_the_route(matrix_env, name, names, method):
    """The documented rule behind the table: ids (and survey keys) that name nothing
    answer 404 to a cast member the route lets in, never 403 or a crash."""
    world = matrix_env
    member, status = allowed_member(name, method)
    kwargs = world.kwargs(member, status, names, name)
    for argument in names:
        if argument in ID_ARGUMENTS:
            kwargs[argument] = 999999
        elif argument == "key" or argument == "token" and not name.startswith("participants:"):
            kwargs[argument] = "finns-inte"
    url = reverse(name, kwargs=kwargs)
    got = attempt(world, member, method, url, status)
    assert got == 404, f"{method} {url} as {member} ({status}): got {got}, expected 404"
