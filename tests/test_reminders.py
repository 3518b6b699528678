import datetime
import io

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samtal.actions.links import make_report_token
from samtal.actions.models import ActionReminder
from samtal.actions.reminders import send_reminders
from samtal.core.tokens import ACTION_REPORT_LINK
from samtal.participants.models import Person
from tests.archive_helpers import action, finished_meeting
from tests.factories import add_participant, make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """The archive caches its filter choices; every test starts without them."""
    from django.core.cache import cache

    cache.clear()


TODAY = timezone.localdate()


def owned_action(due_in_days, name="Maria Ek", email="maria.ek@kommun.example", **fields):
    meeting = finished_meeting(days_ago=60)
    owner = add_participant(meeting, name, email=email)
    return action(
        meeting, "Analysera fallrapporterna", due_in_days=due_in_days, owners=[owner], **fields
    ), owner


def test_an_owner_is_reminded_a_week_before_the_due_date():
    item, owner = owned_action(7)
    sent = send_reminders(TODAY)
    assert [(s.kind, s.person) for s in sent] == [("snart", owner.person)]
    assert mail.outbox[0].to == ["maria.ek@kommun.example"]
    assert "Påminnelse" in mail.outbox[0].subject
    assert "Analysera fallrapporterna" in mail.outbox[0].body


def test_no_reminder_more_than_a_week_before():
    owned_action(8)
    assert send_reminders(TODAY) == []
    assert mail.outbox == []


def test_an_owner_is_told_when_the_action_is_overdue():
    owned_action(-1)
    send_reminders(TODAY)
    assert "Försenad åtgärd" in mail.outbox[0].subject
    assert "skulle ha varit klar" in mail.outbox[0].body


def test_the_same_reminder_is_never_sent_twice():
    owned_action(-1)
    send_reminders(TODAY)
    send_reminders(TODAY)
    send_reminders(TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1
    assert ActionReminder.objects.count() == 1


def test_the_week_before_reminder_is_followed_by_one_overdue_reminder():
    owned_action(3)
    send_reminders(TODAY)
    send_reminders(TODAY + datetime.timedelta(days=4))
    send_reminders(TODAY + datetime.timedelta(days=5))
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Påminnelse",
        "Försenad åtgärd",
    ]


def test_finished_or_cancelled_actions_get_no_reminder():
    owned_action(-1, status="klar")
    owned_action(-1, name="Olof Berg", email="olof@kommun.example", status="struken")
    assert send_reminders(TODAY) == []


def test_owners_without_email_get_no_reminder():
    meeting = finished_meeting()
    owner = add_participant(meeting, "Utan E-post", email="x@kommun.example")
    Person.objects.filter(pk=owner.person_id).update(email="")
    action(meeting, due_in_days=-1, owners=[owner])
    assert send_reminders(TODAY) == []


def test_an_owner_without_account_gets_a_personal_report_link():
    item, owner = owned_action(-1)
    send_reminders(TODAY)
    token = make_report_token(item, owner)
    assert reverse("participants:action_report", args=[token, item.id]) in mail.outbox[0].body


def test_an_owner_with_an_account_gets_the_board_link():
    meeting = finished_meeting()
    user = make_user("maria")
    owner = add_participant(meeting, "Maria Ek", user=user)
    item = action(meeting, due_in_days=-1, owners=[owner])
    send_reminders(TODAY)
    assert reverse("actions:detail", args=[item.id]) in mail.outbox[0].body


def test_actions_of_meetings_not_finished_get_no_reminder():
    meeting = make_meeting(days_from_today=-1, status="pagar")
    owner = add_participant(meeting, "Maria Ek")
    action(meeting, due_in_days=-1, owners=[owner])
    assert send_reminders(TODAY) == []


def test_the_command_sends_and_reports_and_dry_run_sends_nothing():
    owned_action(-1)
    out = io.StringIO()
    call_command("send_action_reminders", "--torrkorning", stdout=out)
    assert "Skulle skicka 1 påminnelser" in out.getvalue() and mail.outbox == []
    call_command("send_action_reminders", stdout=out)
    assert len(mail.outbox) == 1


def test_the_command_accepts_a_date():
    owned_action(20)
    day = (TODAY + datetime.timedelta(days=14)).isoformat()
    call_command("send_action_reminders", "--datum", day, stdout=io.StringIO())
    assert len(mail.outbox) == 1


# The personal report page -------------------------------------------------------------


def test_the_personal_report_link_shows_the_action_and_takes_a_report(client):
    item, owner = owned_action(-1)
    url = reverse("participants:action_report", args=[make_report_token(item, owner), item.id])
    response = client.get(url)
    assert response.status_code == 200
    assert "Hej Maria Ek" in response.text and "Analysera fallrapporterna" in response.text
    response = client.post(
        url, {"reported_on": TODAY.isoformat(), "text": "Klart nu.", "status": "klar"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "klar" and item.follow_ups.get().text == "Klart nu."


def test_a_report_link_for_another_action_is_refused(client):
    item, owner = owned_action(-1)
    other = action(item.meeting, "Någon annans")
    token = make_report_token(item, owner)
    response = client.get(reverse("participants:action_report", args=[token, other.id]))
    assert response.status_code == 404


def test_a_token_for_a_non_owner_is_refused(client):
    item, _owner = owned_action(-1)
    stranger = add_participant(item.meeting, "Olof Berg")
    token = make_report_token(item, stranger)
    response = client.get(reverse("participants:action_report", args=[token, item.id]))
    assert response.status_code == 404


def test_a_revoked_link_no_longer_reports(client):
    item, owner = owned_action(-1)
    token = make_report_token(item, owner)
    owner.revoke_link()
    response = client.get(reverse("participants:action_report", args=[token, item.id]))
    assert response.status_code == 410


def test_an_old_report_link_has_expired(client, settings):
    item, owner = owned_action(-1)
    token = make_report_token(item, owner)
    settings.REPORT_LINK_DAYS = -1
    response = client.get(reverse("participants:action_report", args=[token, item.id]))
    assert response.status_code == 410


def test_a_meeting_personal_link_token_does_not_open_the_report_page(client):
    item, owner = owned_action(-1)
    token = owner.personal_link_token()
    response = client.get(reverse("participants:action_report", args=[token, item.id]))
    assert response.status_code == 404


def test_a_forged_token_is_refused(client):
    item, owner = owned_action(-1)
    forged = signing.dumps(
        {"p": owner.pk, "g": 1, "a": item.pk}, salt=ACTION_REPORT_LINK.salt + "x"
    )
    response = client.get(reverse("participants:action_report", args=[forged, item.id]))
    assert response.status_code == 404


def test_a_personal_link_reaches_no_archive_or_board_page(client):
    item, owner = owned_action(-1)
    url = reverse("participants:action_report", args=[make_report_token(item, owner), item.id])
    assert client.get(url).status_code == 200
    for target in (
        reverse("archive:list"),
        reverse("archive:meeting", args=[item.meeting_id]),
        reverse("actions:board"),
        reverse("actions:detail", args=[item.id]),
        reverse("actions:export_csv"),
    ):
        response = client.get(target)
        assert response.status_code == 302 and reverse("login") in response["Location"]
