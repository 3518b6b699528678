"""The action page on a desktop screen: the facts read as label and value on one line."""

from django.urls import reverse

from tests.archive_helpers import action, finished_meeting
from tests.browser.conftest import log_in
from tests.factories import add_participant, make_reviewer, make_unit


def test_the_action_facts_are_not_squeezed_one_character_per_line(
    page, live_server, assert_accessible
):
    make_reviewer()
    meeting = finished_meeting("Hemtjänst", unit=make_unit("Vård- och omsorgsnämnden"))
    owners = [add_participant(meeting, name) for name in ("Sara Håkansson", "Anna-Karin Widén")]
    item = action(meeting, "Analysera fallrapporterna tillsammans med hemsjukvården", owners=owners)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "kommunledning", assert_accessible)
    assert_accessible(page)
    page.goto(live_server.url + reverse("actions:detail", args=[item.pk]))
    assert_accessible(page)
    facts = page.locator(".report-layout .facts dd")
    for index in range(facts.count()):
        box = facts.nth(index).bounding_box()
        assert box["width"] > 200, (index, box)
        assert box["height"] < 60, (index, box)
    form = page.get_by_role("button", name="Spara återrapport").bounding_box()
    assert form["width"] > 150
