import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samtal.actions.models import ActionItem, FollowUp
from samtal.meetings.models import Meeting
from samtal.participants.models import Participation
from tests.archive_helpers import action, finished_meeting
from tests.factories import add_participant, make_meeting, make_reviewer, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """The archive caches its filter choices; every test starts without them."""
    from django.core.cache import cache

    cache.clear()


BOARD = reverse("actions:board")


@pytest.fixture
def reviewer_client(client):
    client.force_login(make_reviewer())
    return client


def owner_of(meeting, name="Maria Ek", user=None):
    return add_participant(meeting, name, user=user)


# open_for_unit ---------------------------------------------------------------


def test_open_for_unit_gives_open_actions_from_the_units_earlier_meetings():
    unit = make_unit("Vård- och omsorgsnämnden")
    earlier = finished_meeting(unit=unit, days_ago=90)
    open_item = action(earlier, "Öppen")
    action(earlier, "Klar", status="klar")
    action(earlier, "Struken", status="struken")
    other_unit = finished_meeting(unit=make_unit("Kulturnämnden"), days_ago=90)
    action(other_unit, "Annan enhet")
    new = make_meeting(unit=unit, days_from_today=10)
    assert list(ActionItem.objects.open_for_unit(unit, before_meeting=new)) == [open_item]


def test_open_for_unit_leaves_out_later_meetings_and_the_meeting_itself():
    unit = make_unit()
    meeting = make_meeting(unit=unit, days_from_today=-10, status=Meeting.Status.FINISHED)
    action(meeting, "Från samma samtal")
    later = make_meeting(unit=unit, days_from_today=5, status=Meeting.Status.FINISHED)
    action(later, "Från ett senare samtal")
    assert list(ActionItem.objects.open_for_unit(unit, before_meeting=meeting)) == []


def test_the_planned_meeting_page_shows_open_actions_from_earlier_meetings(client):
    unit = make_unit()
    earlier = finished_meeting(unit=unit, days_ago=60)
    action(earlier, "Analysera fallrapporterna", due_in_days=-3)
    user = make_user()
    planned = make_meeting(unit=unit, created_by=user)
    client.force_login(user)
    response = client.get(reverse("meetings:detail", args=[planned.id]))
    assert "Öppna åtgärder från tidigare samtal" in response.text
    assert "Analysera fallrapporterna" in response.text
    assert "Försenad" in response.text


# Who sees the board --------------------------------------------------------------


def test_a_user_who_is_neither_reviewer_facilitator_nor_owner_gets_403_everywhere(client):
    item = action(finished_meeting())
    client.force_login(make_user())
    for url in (
        BOARD,
        reverse("actions:export_csv"),
        reverse("actions:export_xlsx"),
        reverse("actions:detail", args=[item.id]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("actions:detail", args=[item.id])).status_code == 403


def test_a_reviewer_sees_every_finished_meetings_actions(reviewer_client):
    action(finished_meeting(unit=make_unit("A-nämnden")), "Första")
    action(finished_meeting(unit=make_unit("B-nämnden")), "Andra")
    action(make_meeting(status=Meeting.Status.PLANNED), "Inte avslutat")
    response = reviewer_client.get(BOARD)
    assert {a.what for a in response.context["page"]} == {"Första", "Andra"}


def test_a_facilitator_sees_the_actions_of_their_meetings_only(client):
    facilitator = make_user("karin")
    mine = finished_meeting(facilitator=facilitator)
    action(mine, "Mitt samtals")
    action(finished_meeting(unit=make_unit("Annan")), "Någon annans")
    client.force_login(facilitator)
    response = client.get(BOARD)
    assert [a.what for a in response.context["page"]] == ["Mitt samtals"]


def test_an_owner_sees_their_own_actions_only(client):
    user = make_user("maria")
    meeting = finished_meeting()
    mine = action(meeting, "Min", owners=[owner_of(meeting, user=user)])
    action(meeting, "Inte min")
    client.force_login(user)
    response = client.get(BOARD)
    assert [a.what for a in response.context["page"]] == [mine.what]
    other = ActionItem.objects.get(what="Inte min")
    assert client.get(reverse("actions:detail", args=[other.id])).status_code == 403


def test_an_unknown_action_is_404(reviewer_client):
    assert reviewer_client.get(reverse("actions:detail", args=[99999])).status_code == 404


def test_the_board_refuses_post(reviewer_client):
    assert reviewer_client.post(BOARD).status_code == 405


# Order and filters ----------------------------------------------------------------


def test_overdue_actions_come_first_and_closed_ones_last(reviewer_client):
    meeting = finished_meeting()
    action(meeting, "Snart", due_in_days=3)
    action(meeting, "Försenad", due_in_days=-2)
    action(meeting, "Utan datum", due_in_days=None)
    action(meeting, "Klar men gammal", due_in_days=-30, status="klar")
    response = reviewer_client.get(BOARD)
    assert [a.what for a in response.context["page"]] == [
        "Försenad",
        "Snart",
        "Utan datum",
        "Klar men gammal",
    ]


def test_filter_by_unit_owner_and_status(reviewer_client):
    school = make_unit("Barn- och utbildningsnämnden")
    care = finished_meeting(unit=make_unit("Vård- och omsorgsnämnden"))
    schools = finished_meeting("Grundskola", unit=school)
    maria = owner_of(care, "Maria Ek")
    action(care, "Vård öppen", owners=[maria])
    action(care, "Vård klar", status="klar", owners=[maria])
    action(schools, "Skola öppen")

    def whats(**params):
        return sorted(a.what for a in reviewer_client.get(BOARD, params).context["page"])

    assert whats(enhet=school.id) == ["Skola öppen"]
    assert whats(ansvarig=maria.person_id) == ["Vård klar", "Vård öppen"]
    assert whats(status="klar") == ["Vård klar"]
    assert whats(status="oppna") == ["Skola öppen", "Vård öppen"]


def test_the_overdue_filter_shows_only_open_actions_past_due(reviewer_client):
    meeting = finished_meeting()
    action(meeting, "Försenad", due_in_days=-1)
    action(meeting, "Klar", due_in_days=-1, status="klar")
    action(meeting, "Senare", due_in_days=5)
    response = reviewer_client.get(BOARD, {"status": "forsenade"})
    assert [a.what for a in response.context["page"]] == ["Försenad"]


def test_the_board_shows_the_latest_report(reviewer_client):
    item = action(finished_meeting())
    item.report("Första rapporten", "pagar", reported_on=timezone.localdate())
    item.report("Senaste rapporten", "pagar", reported_on=timezone.localdate())
    response = reviewer_client.get(BOARD)
    # The card lists every report, the latest first.
    assert [r.text for r in response.context["page"][0].reports] == [
        "Senaste rapporten",
        "Första rapporten",
    ]
    assert response.text.index("Senaste rapporten") < response.text.index("Första rapporten")


def test_a_board_card_shows_the_action_escaped_and_its_facts(client):
    """The cards are rendered in Python (samtal/actions/templatetags/board_cards.py)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    facilitator = make_user("karin")
    meeting = finished_meeting("Hemtjänst <b>", facilitator=facilitator)
    maria = owner_of(meeting)
    long_what = "<script>alert(1)</script> " + "Analysera väntetiderna " * 10
    item = action(meeting, long_what, due_in_days=-2, owners=[maria], due_text="v. 12")
    item.report_by = timezone.localdate()
    item.save()
    report = item.report("Rapport med <i>taggar</i>", "pagar", author=facilitator)
    report.attachment = SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4")
    report.save()
    client.force_login(facilitator)
    page = client.get(BOARD).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Analysera väntetidern…</a></h3>" in page  # cut at 140 characters
    assert 'class="action-card action-card--overdue"' in page
    assert '<span class="action-status action-status--forsenad">Försenad</span>' in page
    assert "<dd>Maria Ek</dd>" in page
    assert f"<dd>{item.due_date.isoformat()} (v. 12)</dd>" in page
    # A facilitator is not kommunledning: the meeting is named, not linked to the archive.
    assert f"<dd>Hemtjänst &lt;b&gt;, {meeting.unit.name} ({meeting.date.isoformat()})</dd>" in page
    assert f"Återrapporteras senast</dt><dd>{item.report_by.isoformat()}</dd>" in page
    assert "1 återrapport</p>" in page
    assert "· med bilaga</p>" in page and "Rapport med &lt;i&gt;taggar&lt;/i&gt;" in page


def test_the_board_says_when_a_reports_author_is_unknown(reviewer_client):
    action(finished_meeting()).report("Utan avsändare", "pagar")
    assert "okänd rapportör · " in reviewer_client.get(BOARD).text


# Reports ---------------------------------------------------------------------------


def report_form(**overrides):
    return {
        "reported_on": timezone.localdate().isoformat(),
        "text": "Analysen är klar och redovisad.",
        "status": "klar",
        **overrides,
    }


def test_an_owner_adds_a_report_and_the_action_takes_its_status(client):
    user = make_user("maria")
    meeting = finished_meeting()
    item = action(meeting, owners=[owner_of(meeting, user=user)])
    client.force_login(user)
    response = client.post(reverse("actions:detail", args=[item.id]), report_form())
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "klar"
    report = item.follow_ups.get()
    assert report.text == "Analysen är klar och redovisad." and report.author == user


def test_a_facilitator_adds_a_report(client):
    facilitator = make_user("karin")
    item = action(finished_meeting(facilitator=facilitator))
    client.force_login(facilitator)
    client.post(reverse("actions:detail", args=[item.id]), report_form(status="pagar"))
    assert item.follow_ups.count() == 1


def test_a_reviewer_adds_a_report(reviewer_client):
    item = action(finished_meeting())
    reviewer_client.post(reverse("actions:detail", args=[item.id]), report_form())
    assert item.follow_ups.count() == 1


def test_earlier_reports_stay_as_history_newest_first(reviewer_client):
    item = action(finished_meeting(days_ago=40))
    today = timezone.localdate()
    item.report("Påbörjad", "pagar", reported_on=today - datetime.timedelta(days=20))
    item.report("Klar", "klar", reported_on=today - datetime.timedelta(days=2))
    response = reviewer_client.get(reverse("actions:detail", args=[item.id]))
    assert [f.text for f in response.context["follow_ups"]] == ["Klar", "Påbörjad"]
    assert FollowUp.objects.filter(action_item=item).count() == 2


def test_an_empty_report_is_refused_with_a_swedish_message_and_keeps_input(reviewer_client):
    item = action(finished_meeting())
    response = reviewer_client.post(
        reverse("actions:detail", args=[item.id]),
        report_form(text="   ", reported_on="2099-01-01"),
    )
    assert response.status_code == 400
    assert "Skriv vad som har hänt med åtgärden." in response.text
    assert "Datumet kan inte ligga i framtiden." in response.text
    assert 'value="2099-01-01"' in response.text
    assert item.follow_ups.count() == 0


def test_a_report_dated_before_the_meeting_is_refused(reviewer_client):
    meeting = finished_meeting(days_ago=10)
    item = action(meeting)
    before = (meeting.date - datetime.timedelta(days=1)).isoformat()
    response = reviewer_client.post(
        reverse("actions:detail", args=[item.id]), report_form(reported_on=before)
    )
    assert "Datumet kan inte ligga före samtalet" in response.text


def test_an_unknown_status_is_refused(reviewer_client):
    item = action(finished_meeting())
    response = reviewer_client.post(
        reverse("actions:detail", args=[item.id]), report_form(status="klart")
    )
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.text


# Export -----------------------------------------------------------------------------


def test_the_csv_opens_in_swedish_excel(reviewer_client):
    meeting = finished_meeting("Hemtjänst", unit=make_unit("Vård- och omsorgsnämnden"))
    action(meeting, "Åtgärda väntetiderna; snabbt", owners=[owner_of(meeting, "Åsa Öberg")])
    response = reviewer_client.get(reverse("actions:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == [
        "Samtal",
        "Enhet",
        "Datum",
        "Vad",
        "Vem/vilka",
        "När (datum)",
        "När (fritext)",
        "Status",
    ]
    assert "Senaste återrapport" in rows[0]
    assert rows[1][0] == "Hemtjänst" and rows[1][3] == "Åtgärda väntetiderna; snabbt"
    assert rows[1][4] == "Åsa Öberg"


def test_the_csv_honours_the_boards_filters(reviewer_client):
    action(finished_meeting(), "Öppen")
    action(finished_meeting(), "Klar", status="klar")
    response = reviewer_client.get(reverse("actions:export_csv"), {"status": "klar"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[3] for row in rows[1:]] == ["Klar"]


def test_the_csv_defuses_spreadsheet_formulas(reviewer_client):
    action(finished_meeting(), '=HYPERLINK("http://evil")')
    response = reviewer_client.get(reverse("actions:export_csv"))
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_the_xlsx_has_swedish_columns_and_the_rows(reviewer_client):
    item = action(finished_meeting("Grundskola"), "Läsfrämjande insatser")
    item.report("Påbörjat i tre skolor", "pagar")
    response = reviewer_client.get(reverse("actions:export_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Samtal", "Enhet", "Datum", "Vad"]
    row = [cell.value for cell in sheet[2]]
    assert row[0] == "Grundskola" and row[3] == "Läsfrämjande insatser"
    assert row[7] == "Pågår" and "Påbörjat i tre skolor" in row


def test_the_export_runs_a_fixed_number_of_queries(reviewer_client, django_assert_max_num_queries):
    for n in range(5):
        meeting = finished_meeting(unit=make_unit(f"Enhet {n}"))
        for m in range(5):
            action(meeting, f"Åtgärd {m}", owners=[owner_of(meeting, f"Ägare {n} {m}")])
    with django_assert_max_num_queries(10):
        response = reviewer_client.get(reverse("actions:export_xlsx"))
    assert response.status_code == 200


# Navigation -----------------------------------------------------------------------------


def test_reviewers_see_arkiv_and_uppfoljning_in_the_menu(reviewer_client):
    response = reviewer_client.get(reverse("meetings:mine"))
    assert ">Arkiv<" in response.text and ">Uppföljning<" in response.text


def test_other_users_see_neither_menu_link(client):
    client.force_login(make_user())
    response = client.get(reverse("meetings:mine"))
    assert ">Arkiv<" not in response.text and ">Uppföljning<" not in response.text


def test_a_facilitator_sees_uppfoljning_but_not_arkiv(client):
    facilitator = make_user("karin")
    finished_meeting(facilitator=facilitator)
    client.force_login(facilitator)
    response = client.get(reverse("meetings:mine"))
    assert ">Uppföljning<" in response.text and ">Arkiv<" not in response.text


def test_participation_role_is_not_enough_for_the_board(client):
    user = make_user()
    meeting = finished_meeting()
    add_participant(meeting, "Olof Berg", Participation.Role.NOTE_TAKER, user=user)
    client.force_login(user)
    assert client.get(BOARD).status_code == 403


def test_open_for_unit_leaves_out_meetings_that_were_never_finished():
    unit = make_unit()
    running = make_meeting(unit=unit, days_from_today=-20, status=Meeting.Status.RUNNING)
    action(running, "Från ett samtal som pågår")
    new = make_meeting(unit=unit, days_from_today=10)
    assert list(ActionItem.objects.open_for_unit(unit, before_meeting=new)) == []


def test_kommunledning_can_open_the_a3_an_action_came_from(reviewer_client):
    meeting = finished_meeting()
    item = action(meeting)
    a3_link = f'href="{reverse("archive:meeting", args=[meeting.id])}"'
    assert a3_link in reviewer_client.get(BOARD).text
    assert a3_link in reviewer_client.get(reverse("actions:detail", args=[item.id])).text


def test_a_facilitator_gets_no_archive_link(client):
    facilitator = make_user("karin")
    meeting = finished_meeting(facilitator=facilitator)
    action(meeting)
    client.force_login(facilitator)
    assert reverse("archive:meeting", args=[meeting.id]) not in client.get(BOARD).text
