"""Issue 19: the change log as a Swedish timeline, for the facilitator and kommunledning."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samtal.a3 import live
from samtal.a3.live_models import A3Change
from samtal.meetings.models import Meeting
from tests.factories import make_reviewer, make_user, staffed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


def a_meeting_with_changes(finish=True, entries=1):
    meeting, facilitator, note_taker = staffed_meeting()
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    step_2a = meeting.template_version.steps.get(key="2A")
    for n in range(entries):
        entry = live.add_entry(meeting, note_taker, step_2a, f"Nöjdare brukare {n}")
    live.edit_entry(meeting, note_taker, entry, "Nöjdare brukare i hela kommunen")
    if finish:
        live.finish(Meeting.objects.get(pk=meeting.pk), facilitator)
        meeting.refresh_from_db()
    return meeting, facilitator, note_taker


def url(meeting):
    return reverse("a3_live:changes", args=[meeting.pk])


def test_the_log_reads_as_sentences_with_who_when_and_old_and_new_text(client):
    meeting, facilitator, _ = a_meeting_with_changes()
    client.force_login(facilitator)
    html = client.get(url(meeting)).text
    assert "Karin Lindqvist</strong> startade samtalet" in html
    assert "Johan Sjöberg</strong> skrev en anteckning i 2A" in html
    assert "Johan Sjöberg</strong> ändrade en anteckning i 2A" in html
    assert "Karin Lindqvist</strong> avslutade samtalet" in html
    changed = html[html.index("ändrade en anteckning") :]
    assert changed.index("Nöjdare brukare 0") < changed.index("Nöjdare brukare i hela kommunen")
    assert "Före" in changed and "Efter" in changed
    assert "#" + str(A3Change.objects.filter(kind="anteckning").first().object_id) not in html


def test_kommunledning_reads_the_log_of_a_finished_meeting(client):
    meeting, *_ = a_meeting_with_changes()
    client.force_login(make_reviewer())
    response = client.get(url(meeting))
    assert response.status_code == 200
    assert "skrev en anteckning i 2A" in response.text
    assert reverse("archive:meeting", args=[meeting.pk]) in response.text  # breadcrumbs
    archived = client.get(reverse("archive:meeting", args=[meeting.pk])).text
    assert url(meeting) in archived


def test_kommunledning_does_not_read_the_log_of_a_running_meeting(client):
    meeting, *_ = a_meeting_with_changes(finish=False)
    client.force_login(make_reviewer())
    assert client.get(url(meeting)).status_code == 403


def test_others_do_not_read_the_log(client):
    meeting, *_ = a_meeting_with_changes()
    client.force_login(make_user("utomstaende"))
    assert client.get(url(meeting)).status_code == 403


def test_the_logs_query_count_does_not_grow_with_the_changes(client):
    meeting, facilitator, note_taker = a_meeting_with_changes(finish=False)
    live.add_time(meeting, facilitator)
    live.set_present(meeting, note_taker, meeting.participations.first(), True)
    client.force_login(facilitator)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(meeting)).status_code == 200
    step_3 = meeting.template_version.steps.get(key="3")
    for n in range(12):
        live.add_entry(meeting, note_taker, step_3, f"Analys {n}", question_index=0)
    live.add_time(meeting, facilitator)
    live.set_present(meeting, note_taker, meeting.participations.last(), True)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(meeting)).status_code == 200
    assert len(many) == len(few)
