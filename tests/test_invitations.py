"""Invitations (kallelse) with a calendar file, re-sending, new links, and reminders."""

import re
import smtplib

import icalendar
import pytest
from django.core.mail.backends import locmem
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samtal.participants.links import participation_for_token
from samtal.participants.models import Participation, SentEmail
from samtal.participants.preparation import preparation_for
from tests.factories import add_participant, staffed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(client, settings):
    settings.SITE_URL = "https://samtal.example"
    meeting, facilitator, _ = staffed_meeting()
    meeting.location = "Stadshuset, sal 3"
    meeting.save()
    client.force_login(facilitator)
    return meeting


def send_all(client, meeting):
    return client.post(reverse("meetings:invitations_send", args=[meeting.pk]))


def message_to(mailoutbox, email):
    return next(m for m in mailoutbox if m.to == [email])


def token_in(message):
    return re.search(r"https://samtal\.example/l/([^/\s]+)/", message.body).group(1)


def test_the_invitation_goes_to_everyone_and_is_recorded(client, planned, mailoutbox):
    send_all(client, planned)
    assert len(mailoutbox) == 4
    assert SentEmail.objects.filter(kind="kallelse").count() == 4


def test_the_invitation_holds_what_a_participant_needs(client, planned, mailoutbox):
    send_all(client, planned)
    message = message_to(mailoutbox, "maria.ek@kommun.example")
    assert message.subject.startswith("Kallelse till resultatsamtal: Hemtjänst")
    for expected in [
        "Syftet med mötet",
        "Stadshuset, sal 3",
        "09:00–10:50",
        "Karin Lindqvist (samtalsledare)",
        "Johan Sjöberg (antecknare)",
        "Vilka resultat visar på nytta för Sundsvallsbon",
        "Var förberedd",
    ]:
        assert expected in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Öppna din förberedelse" in html


def test_the_personal_link_in_the_invitation_leads_to_that_participant(client, planned, mailoutbox):
    send_all(client, planned)
    message = message_to(mailoutbox, "maria.ek@kommun.example")
    participation = participation_for_token(token_in(message))
    assert participation.person.name == "Maria Ek"


def test_the_calendar_file_parses_and_describes_the_meeting(client, planned, mailoutbox):
    send_all(client, planned)
    name, content, mimetype = message_to(mailoutbox, "maria.ek@kommun.example").attachments[0]
    calendar = icalendar.Calendar.from_ical(content)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Stockholm"
    assert (start.date(), start.hour, start.minute) == (planned.date, 9, 0)
    assert (event.decoded("dtend") - start).total_seconds() == 110 * 60
    assert str(event["location"]) == "Stadshuset, sal 3"
    assert "https://samtal.example/l/" in str(event["description"])
    assert calendar.walk("VTIMEZONE")


def test_the_sender_and_the_calendar_organiser_come_from_settings(
    client, planned, mailoutbox, settings
):
    settings.DEFAULT_FROM_EMAIL = "Samtal Sundsvall <samtal@sundsvall.example>"
    settings.INVITATION_ORGANIZER_EMAIL = "kansliet@sundsvall.example"
    settings.INVITATION_ORGANIZER_NAME = "Kommunkansliet"
    send_all(client, planned)
    message = message_to(mailoutbox, "maria.ek@kommun.example")
    assert message.from_email == "Samtal Sundsvall <samtal@sundsvall.example>"
    event = icalendar.Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]
    assert str(event["organizer"]) == "mailto:kansliet@sundsvall.example"
    assert str(event["organizer"].params["cn"]) == "Kommunkansliet"


def test_without_an_organiser_setting_the_sender_organises(client, planned, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "Samtal <samtal@sundsvall.example>"
    settings.INVITATION_ORGANIZER_EMAIL = ""
    send_all(client, planned)
    event = icalendar.Calendar.from_ical(mailoutbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["organizer"]) == "mailto:samtal@sundsvall.example"


def test_every_invitation_of_a_meeting_has_the_same_calendar_uid(client, planned, mailoutbox):
    send_all(client, planned)
    uids = {
        str(icalendar.Calendar.from_ical(m.attachments[0][1]).walk("VEVENT")[0]["uid"])
        for m in mailoutbox
    }
    assert len(uids) == 1


def test_sending_again_reaches_only_those_not_yet_invited(client, planned, mailoutbox):
    send_all(client, planned)
    send_all(client, planned)
    assert len(mailoutbox) == 4


def test_re_sending_to_one_person(client, planned, mailoutbox):
    send_all(client, planned)
    maria = planned.participations.get(person__name="Maria Ek")
    client.post(reverse("meetings:participant_invite", args=[planned.pk, maria.pk]))
    assert len(mailoutbox) == 5
    assert mailoutbox[-1].to == ["maria.ek@kommun.example"]
    assert maria.sent_emails.count() == 2


def test_a_new_link_revokes_the_old_one(client, planned, mailoutbox):
    send_all(client, planned)
    maria = planned.participations.get(person__name="Maria Ek")
    old = token_in(message_to(mailoutbox, "maria.ek@kommun.example"))
    client.post(
        reverse("meetings:participant_invite", args=[planned.pk, maria.pk]), {"new_link": "1"}
    )
    new = token_in(mailoutbox[-1])
    assert client.get(reverse("participants:preparation", args=[old])).status_code == 410
    assert client.get(reverse("participants:preparation", args=[new])).status_code == 200
    plan_page = client.get(reverse("meetings:plan", args=[planned.pk])).content.decode()
    assert "tidigare länk återkallad" in plan_page


def test_the_plan_page_shows_who_was_sent_what_and_when(client, planned, mailoutbox):
    send_all(client, planned)
    content = client.get(reverse("meetings:plan", args=[planned.pk])).content.decode()
    assert "maria.ek@kommun.example" in content
    assert "Kallelse till resultatsamtal: Hemtjänst" in content


def test_reminders_go_only_to_those_who_have_not_prepared(client, planned, mailoutbox):
    maria = planned.participations.get(person__name="Maria Ek")
    preparation = preparation_for(maria)
    preparation.submitted_at = timezone.now()
    preparation.save()
    client.post(reverse("meetings:remind", args=[planned.pk]))
    # Karin sent it herself; Maria is done; observers would not be asked.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "johan.sjöberg@kommun.example",
        "olof.berg@kommun.example",
    ]
    assert SentEmail.objects.filter(kind="paminnelse").count() == 2


def test_pressing_remind_twice_sends_each_reminder_once(client, planned, mailoutbox):
    client.post(reverse("meetings:remind", args=[planned.pk]))
    first = len(mailoutbox)
    response = client.post(reverse("meetings:remind", args=[planned.pk]), follow=True)
    assert first == 3  # Maria, Johan and Olof; Karin pressed the button
    assert len(mailoutbox) == first
    assert "fick en påminnelse för mindre än tio minuter sedan" in response.content.decode()


def test_a_reminder_says_what_is_missing(client, planned, mailoutbox):
    client.post(reverse("meetings:remind", args=[planned.pk]))
    body = message_to(mailoutbox, "olof.berg@kommun.example").body
    assert "Svar på 2A Bakgrund, beskrivning av nuläge" in body
    assert "Markera förberedelsen som klar" in body
    assert "I de bästa av alla världar" not in body  # the wish is optional


def test_only_the_planner_may_send_invitations(client, planned, mailoutbox):
    johan = planned.participations.get(person__name="Johan Sjöberg").person.user
    client.force_login(johan)
    assert send_all(client, planned).status_code == 403
    assert client.post(reverse("meetings:remind", args=[planned.pk])).status_code == 403
    assert not mailoutbox


def test_changing_the_time_after_inviting_asks_to_send_the_invitation_again(
    client, planned, mailoutbox
):
    send_all(client, planned)
    data = {
        "theme": planned.theme,
        "unit": planned.unit_id,
        "date": planned.date.isoformat(),
        "start_time": "13:00",
        "location": planned.location,
        "video_link": "",
        "purpose": planned.purpose,
        "template_version": planned.template_version_id,
        "version": planned.version,
    }
    response = client.post(reverse("meetings:edit", args=[planned.pk]), data, follow=True)
    assert "Kallelsen är redan skickad med de gamla uppgifterna" in response.content.decode()


def test_a_theme_with_a_line_break_does_not_break_the_email_subject(client, planned, mailoutbox):
    planned.theme = "Hemtjänst\nEXTRA: header"
    planned.save()
    assert send_all(client, planned).status_code == 302
    assert "\n" not in mailoutbox[0].subject
    assert mailoutbox[0].message()  # the message can be serialised


# --- What the planner sees of a sent email --------------------------------------------------


def test_the_stored_email_has_a_placeholder_instead_of_the_personal_link(
    client, planned, mailoutbox
):
    send_all(client, planned)
    maria = planned.participations.get(person__name="Maria Ek")
    token = token_in(message_to(mailoutbox, "maria.ek@kommun.example"))
    stored = SentEmail.objects.get(participation=maria)
    assert token not in stored.body
    assert "[personlig länk]" in stored.body


def test_the_plan_page_never_shows_a_personal_link(client, planned, mailoutbox):
    send_all(client, planned)
    client.post(reverse("meetings:remind", args=[planned.pk]))
    content = client.get(reverse("meetings:plan", args=[planned.pk])).content.decode()
    for message in mailoutbox:
        assert token_in(message) not in content
    assert "/l/" not in content


def test_an_email_stored_with_its_link_before_the_fix_is_shown_without_it(
    client, planned, mailoutbox
):
    maria = planned.participations.get(person__name="Maria Ek")
    SentEmail.objects.create(
        participation=maria,
        kind=SentEmail.Kind.INVITATION,
        to="maria.ek@kommun.example",
        subject="Kallelse",
        body=(
            "Förbered dig här: https://samtal.example/l/eyJwIjoxfQ:1xVSni:5UXow_nt-p6/ "
            "och läs. Video: https://teams.microsoft.com/l/meetup-join/19%3ameeting/0"
        ),
    )
    content = client.get(reverse("meetings:plan", args=[planned.pk])).content.decode()
    assert "eyJwIjoxfQ" not in content
    assert "Förbered dig här: [personlig länk] och läs." in content
    assert "https://teams.microsoft.com/l/meetup-join/19%3ameeting/0" in content


# --- A delivery that fails ---------------------------------------------------------------


class RefusesMaria(locmem.EmailBackend):
    """Delivers like the test backend, except to Maria: her server refuses."""

    def send_messages(self, messages):
        for message in messages:
            if "maria.ek@kommun.example" in message.to:
                raise smtplib.SMTPRecipientsRefused({"maria.ek@kommun.example": (550, b"nej")})
        return super().send_messages(messages)


@pytest.fixture
def maria_unreachable(settings):
    settings.EMAIL_BACKEND = "tests.test_invitations.RefusesMaria"


def test_one_failed_invitation_does_not_stop_the_others(
    client, planned, mailoutbox, maria_unreachable
):
    response = send_all(client, planned)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == [
        "johan.sjöberg@kommun.example",
        "karin.lindqvist@kommun.example",
        "olof.berg@kommun.example",
    ]


def test_nothing_is_recorded_for_an_invitation_that_failed(
    client, planned, mailoutbox, maria_unreachable
):
    send_all(client, planned)
    assert SentEmail.objects.count() == 3
    assert not SentEmail.objects.filter(participation__person__name="Maria Ek").exists()


def test_the_planner_is_told_who_was_not_reached(client, planned, mailoutbox, maria_unreachable):
    response = send_all(client, planned)
    response = client.get(response.url)
    assert "kunde inte skickas till Maria Ek" in response.content.decode()


def test_a_failed_single_invitation_says_so_and_records_nothing(
    client, planned, mailoutbox, maria_unreachable
):
    maria = planned.participations.get(person__name="Maria Ek")
    response = client.post(
        reverse("meetings:participant_invite", args=[planned.pk, maria.pk]), follow=True
    )
    assert "kunde inte skickas till Maria Ek" in response.content.decode()
    assert "Kallelsen är skickad till Maria Ek" not in response.content.decode()
    assert not SentEmail.objects.exists()


def test_a_failed_reminder_does_not_stop_the_others_and_is_reported(
    client, planned, mailoutbox, maria_unreachable
):
    response = client.post(reverse("meetings:remind", args=[planned.pk]), follow=True)
    content = response.content.decode()
    assert "kunde inte skickas till Maria Ek" in content
    assert sorted(m.to[0] for m in mailoutbox) == [
        "johan.sjöberg@kommun.example",
        "olof.berg@kommun.example",
    ]
    assert SentEmail.objects.reminders().count() == 2


# --- Who needs a reminder ------------------------------------------------------------------


def test_needing_reminder_leaves_out_the_sender_observers_the_done_and_the_just_reminded(planned):
    karin = planned.participations.get(person__name="Karin Lindqvist")
    maria = planned.participations.get(person__name="Maria Ek")
    olof = planned.participations.get(person__name="Olof Berg")
    observer = add_participant(planned, "Eva Observatör", Participation.Role.OBSERVER)
    preparation = preparation_for(maria)
    preparation.submitted_at = timezone.now()
    preparation.save()
    SentEmail.objects.create(
        participation=olof, kind=SentEmail.Kind.REMINDER, to="o@x.se", subject="s", body="b"
    )
    names = set(
        Participation.objects.filter(meeting=planned)
        .needing_reminder(karin.person.user, timezone.now())
        .values_list("person__name", flat=True)
    )
    assert names == {"Johan Sjöberg"}
    assert observer.person.name not in names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_remind_locks_the_meeting_row_so_two_presses_cannot_both_send(client, planned):
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("meetings:remind", args=[planned.pk]))
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert any('"meetings_meeting"' in sql for sql in locks)
