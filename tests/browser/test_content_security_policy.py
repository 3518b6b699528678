"""Every kind of page under the strict Content-Security-Policy: Chromium reports no violation
(securitypolicyviolation events and console errors), and each page passes axe."""

from django.urls import reverse

from samtal.a3 import live
from samtal.actions.models import ActionItem
from samtal.meetings.models import Meeting
from samtal.participants.links import make_token
from samtal.participants.models import Participation, Person
from samtal.surveys.models import Round
from tests.browser.conftest import log_in
from tests.browser.test_archive_journey import PASSWORD, demo
from tests.evaluation_helpers import builtin, make_round

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
    " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


class CspWatch:
    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(LISTEN)
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and self.console.append(message.text)
            ),
        )

    def visit(self, url, check):
        response = self.page.goto(url)
        assert response.status < 400, f"{url} answered {response.status}"
        assert "default-src 'none'" in response.headers["content-security-policy"], url
        assert "camera=()" in response.headers["permissions-policy"], url
        assert "no-store" in response.headers["cache-control"], url
        # Let deferred scripts, htmx and the live views' first refresh run.
        self.page.wait_for_timeout(700)
        check(self.page)
        found = self.page.evaluate("window.__cspViolations") + self.console
        self.console = []
        assert not found, f"CSP violations on {url}:\n" + "\n".join(found)


def staff_pages(meeting_ids):
    planned, running, finished = meeting_ids
    return [
        reverse("meetings:mine"),
        reverse("meetings:create"),
        reverse("meetings:detail", args=[planned]),
        reverse("meetings:plan", args=[planned]),
        reverse("meetings:preparation_overview", args=[planned]),
        reverse("meetings:edit", args=[planned]),
        reverse("meetings:detail", args=[running]),
        reverse("a3_live:projector", args=[running]),
        reverse("a3_live:notes", args=[running]),
        reverse("evaluations:projector", args=[running]),
        reverse("evaluations:group_split", args=[running]),
        reverse("meetings:detail", args=[finished]),
        reverse("evaluations:meeting", args=[finished]),
        reverse("evaluations:index"),
        reverse("password_change"),
    ]


def setup_demo():
    demo()
    planned = Meeting.objects.get(theme="Grundskola")
    running = Meeting.objects.get(theme="Origoparken")
    live.start_live(running, running.participations.get(role="samtalsledare").person.user)
    finished = Meeting.objects.get(theme="Hemtjänst")
    return planned, running, finished


def test_staff_pages_and_the_live_views_break_no_csp_rule(page, live_server, assert_accessible):
    planned, running, finished = setup_demo()
    watch = CspWatch(page)
    log_in(page, live_server, "samtalsledare", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    for url in staff_pages([planned.pk, running.pk, finished.pk]):
        watch.visit(live_server.url + url, assert_accessible)


def test_kommunledning_and_admin_pages_break_no_csp_rule(page, live_server, assert_accessible):
    _, _, finished = setup_demo()
    make_round(instrument=builtin(), name="Före")
    action = ActionItem.objects.filter(meeting=finished).first()
    maria = Person.objects.get(name="Maria Ek")
    watch = CspWatch(page)
    log_in(page, live_server, "kommunledning", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    for url in [
        reverse("archive:list"),
        reverse("archive:list") + "?q=hemtjänst",
        reverse("archive:meeting", args=[finished.pk]),
        reverse("actions:board"),
        reverse("actions:detail", args=[action.pk]),
        reverse("evaluations:unit", args=[finished.unit_id]),
        reverse("surveys:rounds"),
        reverse("surveys:results", args=["forbattringsarbete"]),
    ]:
        watch.visit(live_server.url + url, assert_accessible)
    page.get_by_role("button", name="Logga ut").click()
    log_in(page, live_server, "admin", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    for url in [
        reverse("admin:index"),
        reverse("admin:meetings_meeting_changelist"),
        reverse("admin:participants_person_changelist"),
        reverse("privacy:search") + "?q=Maria",
        reverse("privacy:person", args=[maria.pk]),
    ]:
        watch.visit(live_server.url + url, assert_accessible)


def test_participant_link_pages_and_public_pages_break_no_csp_rule(
    page, live_server, assert_accessible
):
    planned, running, finished = setup_demo()
    round = make_round(instrument=builtin(), name="Före")
    watch = CspWatch(page)
    prepared = planned.participations.filter(role=Participation.Role.PARTICIPANT).first()
    in_room = running.participations.filter(role=Participation.Role.PARTICIPANT).first()
    afterwards = finished.participations.filter(role=Participation.Role.PARTICIPANT).first()
    for url in [
        reverse("login"),
        reverse("password_reset"),
        reverse("participants:preparation", args=[make_token(prepared)]),
        reverse("participants:a3", args=[make_token(in_room)]),
        reverse("participants:perspective_split", args=[make_token(in_room)]),
        reverse("participants:evaluation", args=[make_token(afterwards)]),
        reverse("surveys:answer", args=[Round.objects.get(pk=round.pk).token]),
    ]:
        watch.visit(live_server.url + url, assert_accessible)
