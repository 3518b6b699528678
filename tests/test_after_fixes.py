"""Issue 19, item 8: the broken things found after the meeting, each pinned by a test."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samtal.actions.links import make_report_token
from samtal.actions.models import FollowUp
from samtal.actions.reminders import send_reminders
from samtal.participants.models import Preparation
from tests.archive_helpers import action, finished_meeting
from tests.factories import add_participant, make_reviewer, staffed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


# The reminder box ------------------------------------------------------------------------


def test_after_reminding_the_box_does_not_say_everyone_has_prepared(client):
    meeting, _, _ = staffed_meeting()
    karin = meeting.participations.get(person__name="Karin Lindqvist").person.user
    client.force_login(karin)
    client.post(reverse("meetings:remind", args=[meeting.pk]))
    content = client.get(reverse("meetings:preparation_overview", args=[meeting.pk])).text
    assert "Alla som ska förbereda sig har gjort det" not in content
    assert "har inte markerat sin förberedelse som klar, men ingen kan påminnas just nu" in content
    assert "påmind för mindre än" in content


def test_when_everyone_has_prepared_the_box_says_so(client):
    meeting, _, _ = staffed_meeting()
    for participation in meeting.participations.all():
        Preparation.objects.create(participation=participation, submitted_at=timezone.now())
    client.force_login(meeting.participations.get(person__name="Karin Lindqvist").person.user)
    content = client.get(reverse("meetings:preparation_overview", args=[meeting.pk])).text
    assert "Alla som ska förbereda sig har gjort det" in content


# Email subjects --------------------------------------------------------------------------


def test_an_action_reminder_subject_is_plain_text_on_one_line():
    meeting = finished_meeting(days_ago=60)
    owner = add_participant(meeting, "Maria Ek", email="maria@kommun.example")
    action(meeting, 'Ta fram "Trygg hemma" & följ\nupp', due_in_days=-1, owners=[owner])
    send_reminders()
    [message] = mail.outbox
    assert message.subject == 'Försenad åtgärd: Ta fram "Trygg hemma" & följ upp'
    assert "&quot;" not in message.body and "&amp;" not in message.body


def test_a_preparation_reminder_subject_shows_quotes_and_ampersands_as_typed(
    client, django_capture_on_commit_callbacks
):
    meeting, _, _ = staffed_meeting()
    meeting.theme = 'Vård & omsorg "Trygg hemma"'
    meeting.save()
    karin = meeting.participations.get(person__name="Karin Lindqvist").person.user
    client.force_login(karin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:remind", args=[meeting.pk]))
    assert mail.outbox
    for message in mail.outbox:
        assert 'Vård & omsorg "Trygg hemma"' in message.subject
        assert "&quot;" not in message.subject + message.body
        assert "&amp;" not in message.subject + message.body


# The action page -------------------------------------------------------------------------


def test_the_report_form_preselects_no_status_even_for_a_done_action(client):
    meeting = finished_meeting()
    item = action(meeting, "Redovisa samtalet", status="klar")
    client.force_login(make_reviewer())
    content = client.get(reverse("actions:detail", args=[item.pk])).text
    select = content[content.index('name="status"') : content.index("</select>")]
    assert "selected" not in select.split("Välj status")[1]
    assert '<option value="" selected>Välj status …</option>' in select


def test_a_report_without_a_status_is_refused_and_keeps_the_text(client):
    item = action(finished_meeting(), "Redovisa samtalet")
    client.force_login(make_reviewer())
    response = client.post(
        reverse("actions:detail", args=[item.pk]),
        {"reported_on": timezone.localdate().isoformat(), "text": "Redovisat i nämnden"},
    )
    assert response.status_code == 400
    assert "Välj åtgärdens nya status." in response.text
    assert "Redovisat i nämnden" in response.text
    assert not FollowUp.objects.exists()


def test_a_report_by_link_names_the_person_in_the_history(client):
    meeting = finished_meeting()
    owner = add_participant(meeting, "Helena Strand")
    item = action(meeting, "Analysera fallrapporterna", owners=[owner])
    url = reverse("participants:action_report", args=[make_report_token(item, owner), item.pk])
    client.post(
        url,
        {
            "reported_on": timezone.localdate().isoformat(),
            "text": "Analysen är klar",
            "status": "klar",
        },
    )
    report = FollowUp.objects.get()
    assert report.reporter == owner.person and report.author_name == "Helena Strand"
    content = client.get(url).text
    history = content[content.index("Tidigare återrapporter") :]
    assert "Helena Strand" in history and "Analysen är klar" in history


def test_a_staff_report_names_the_staff_member(client):
    user = make_reviewer()
    user.first_name, user.last_name = "Eva", "Nordin"
    user.save()
    item = action(finished_meeting(), "Redovisa samtalet")
    client.force_login(user)
    client.post(
        reverse("actions:detail", args=[item.pk]),
        {"reported_on": timezone.localdate().isoformat(), "text": "Gjort", "status": "klar"},
    )
    history = client.get(reverse("actions:detail", args=[item.pk])).text
    assert "Eva Nordin" in history[history.index("Tidigare återrapporter") :]


# The Excel export ------------------------------------------------------------------------


def test_the_xlsx_has_date_cells_free_text_when_apart_and_no_visible_escape(client):
    meeting = finished_meeting(days_ago=30)
    item = action(meeting, '=HYPERLINK("http://evil")', due_in_days=14, due_text="v. 12")
    item.report("Påbörjat", "pagar")
    client.force_login(make_reviewer())
    response = client.get(reverse("actions:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Datum"].is_date and row["Datum"].value.date() == meeting.date
    assert row["När (datum)"].is_date
    assert row["När (datum)"].value.date() == item.due_date
    assert row["När (fritext)"].value == "v. 12"
    assert row["Återrapportens datum"].is_date
    assert row["Vad"].value == '=HYPERLINK("http://evil")'
    assert row["Vad"].data_type == "s"


def test_the_csv_puts_the_free_text_when_in_its_own_column(client):
    import csv

    action(finished_meeting(), "Analysera", due_in_days=None, due_text="innan budget")
    client.force_login(make_reviewer())
    response = client.get(reverse("actions:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["När (datum)"] == "" and row["När (fritext)"] == "innan budget"


# The demo's dates ------------------------------------------------------------------------


def test_the_demos_preparations_lie_before_the_moment_it_is_loaded():
    call_command("seed_demo", verbosity=0)
    now = timezone.now()
    preparations = Preparation.objects.all()
    assert preparations.exists()
    for preparation in preparations:
        assert preparation.opened_at <= now
        if preparation.submitted_at:
            assert preparation.opened_at <= preparation.submitted_at <= now
    assert not FollowUp.objects.filter(reported_on__gt=timezone.localdate()).exists()


def test_the_demos_finished_meeting_lies_in_the_past():
    from samtal.meetings.models import Meeting

    call_command("seed_demo", verbosity=0)
    finished = Meeting.objects.get(status=Meeting.Status.FINISHED)
    assert finished.finished_at <= timezone.now()
    assert finished.date < timezone.localdate() - datetime.timedelta(days=7)


# The archived A3 shows how its actions stand --------------------------------------------


def test_the_archived_a3_shows_the_status_of_its_actions(client):
    meeting = finished_meeting()
    item = action(meeting, "Analysera fallrapporterna")
    item.report("Påbörjad med hemsjukvården", "pagar")
    action(meeting, "Redovisa samtalet", status="klar")
    client.force_login(make_reviewer())
    page = client.get(reverse("archive:meeting", args=[meeting.pk])).text
    status = page[page.index("Åtgärdernas status i dag") :]
    assert "Pågår" in status and "Klar" in status
    assert "Påbörjad med hemsjukvården" in status
