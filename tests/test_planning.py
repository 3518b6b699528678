"""Planning a meeting: the meeting form, participants, the method's rules, access."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samtal.core.policy import Viewer, access
from samtal.meetings.models import Meeting
from samtal.participants.models import Participation, Person
from samtal.participants.preparation import preparation_for
from tests.factories import (
    add_participant,
    default_version,
    make_meeting,
    make_organisation,
    make_unit,
    make_user,
    staffed_meeting,
)

pytestmark = pytest.mark.django_db


def meeting_data(**overrides):
    version = default_version()
    data = {
        "theme": "Hemtjänst",
        "unit": make_unit().pk,
        "date": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        "start_time": "09:00",
        "location": "Stadshuset",
        "video_link": "",
        "purpose": version.purpose,
        "template_version": version.pk,
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def karin(client):
    user = make_user("karin", first_name="Karin", last_name="Lindqvist", email="karin@kommun.se")
    client.force_login(user)
    return user


# --- The meeting form -------------------------------------------------------------------


def test_the_new_meeting_form_prefills_purpose_and_the_latest_active_template(client, karin):
    version = default_version()
    response = client.get(reverse("meetings:create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["template_version"] == version.pk
    assert form.initial["purpose"] == version.purpose


def test_creating_a_meeting_makes_the_creator_its_samtalsledare(client, karin):
    response = client.post(reverse("meetings:create"), meeting_data())
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meetings:plan", args=[meeting.pk])
    assert meeting.created_by == karin
    facilitator = meeting.facilitator()
    assert facilitator.person.user == karin
    assert facilitator.person.email == "karin@kommun.se"


def test_an_empty_theme_is_refused_and_the_rest_is_kept(client, karin):
    response = client.post(reverse("meetings:create"), meeting_data(theme="   ", location="Sal 3"))
    assert response.status_code == 422
    assert "Skriv vad samtalet handlar om" in response.content.decode()
    assert 'value="Sal 3"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_date_in_the_past_warns_and_needs_a_confirmation(client, karin):
    past = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("meetings:create"), meeting_data(date=past))
    assert response.status_code == 422
    assert "Datumet har redan passerat" in response.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(
        reverse("meetings:create"), meeting_data(date=past, confirm_past_date="on"), follow=True
    )
    assert Meeting.objects.count() == 1
    assert "Observera att samtalets datum har passerat." in response.content.decode()


def test_a_meeting_needs_a_place_or_a_video_link(client, karin):
    response = client.post(reverse("meetings:create"), meeting_data(location=""))
    assert response.status_code == 422
    assert "Ange en plats eller en videolänk." in response.content.decode()
    response = client.post(
        reverse("meetings:create"), meeting_data(location="", video_link="https://meet.example/x")
    )
    assert response.status_code == 302


def test_the_same_form_sent_twice_creates_one_meeting(client, karin):
    data = meeting_data()
    first = client.post(reverse("meetings:create"), data)
    second = client.post(reverse("meetings:create"), data)
    assert Meeting.objects.count() == 1
    assert second.status_code == 302
    assert second.url == first.url


def test_a_stale_edit_form_is_refused_and_keeps_what_the_user_typed(client, karin):
    client.post(reverse("meetings:create"), meeting_data())
    meeting = Meeting.objects.get()
    opened_at_version = meeting.version
    Meeting.objects.filter(pk=meeting.pk).update(location="Rådhuset")
    meeting.bump_version()  # someone else saved in between

    data = meeting_data(theme="Hemtjänst och boende", version=opened_at_version)
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), data)

    assert response.status_code == 422
    content = response.content.decode()
    assert "Någon annan har ändrat samtalet" in content
    assert 'value="Hemtjänst och boende"' in content
    assert "Rådhuset" in content
    meeting.refresh_from_db()
    assert meeting.theme == "Hemtjänst"
    # Saving again, now knowing about the other change, works.
    data["version"] = meeting.version
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.theme == "Hemtjänst och boende"


def test_editing_a_meeting_bumps_its_version(client, karin):
    client.post(reverse("meetings:create"), meeting_data())
    meeting = Meeting.objects.get()
    before = meeting.version
    client.post(
        reverse("meetings:edit", args=[meeting.pk]), meeting_data(version=before, theme="Ny")
    )
    meeting.refresh_from_db()
    assert meeting.version == before + 1


def test_a_note_taker_cannot_edit_or_plan_the_meeting(client):
    meeting, _facilitator, note_taker = staffed_meeting()
    client.force_login(note_taker)
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("meetings:plan", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200


def test_a_member_who_may_not_plan_is_told_that_only_the_facilitator_plans(client):
    meeting, _facilitator, note_taker = staffed_meeting()
    client.force_login(note_taker)
    response = client.get(reverse("meetings:plan", args=[meeting.pk]))
    assert response.status_code == 403
    content = response.content.decode()
    assert "Bara samtalsledaren kan planera samtalet." in content
    assert "som du inte medverkar i" not in content
    assert f'href="{reverse("meetings:detail", args=[meeting.pk])}"' in content


def test_someone_outside_the_meeting_is_told_the_page_is_not_theirs(client):
    meeting, _facilitator, _note_taker = staffed_meeting()
    client.force_login(make_user("utomstaende"))
    response = client.get(reverse("meetings:preparation_overview", args=[meeting.pk]))
    assert response.status_code == 403
    content = response.content.decode()
    assert "som du inte medverkar i" in content
    assert "Bara samtalsledaren" not in content


def test_the_facilitator_of_a_meeting_made_by_someone_else_may_plan_it(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    assert client.get(reverse("meetings:plan", args=[meeting.pk])).status_code == 200


def test_planning_pages_of_an_unknown_meeting_are_not_found(client, karin):
    for name in ["edit", "plan", "preparation_overview"]:
        assert client.get(reverse(f"meetings:{name}", args=[999])).status_code == 404


def test_planning_actions_only_accept_post(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    for name in ["participant_add", "participants_paste", "invitations_send", "remind", "start"]:
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 405


def test_planning_needs_a_login(client):
    meeting = make_meeting()
    response = client.get(reverse("meetings:plan", args=[meeting.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_my_meetings_offers_a_new_meeting(client, karin):
    response = client.get(reverse("meetings:mine"))
    assert reverse("meetings:create") in response.content.decode()


# --- Participants ----------------------------------------------------------------------


@pytest.fixture
def planned(client):
    meeting, facilitator, note_taker = staffed_meeting()
    client.force_login(facilitator)
    return meeting


def add(client, meeting, **data):
    fields = {
        "ny-name": "Anna Berg",
        "ny-email": "anna.berg@kommun.se",
        "ny-title": "",
        "ny-role": "deltagare",
    }
    fields.update({f"ny-{key}": value for key, value in data.items()})
    return client.post(reverse("meetings:participant_add", args=[meeting.pk]), fields)


def test_adding_a_participant(client, planned):
    response = add(client, planned, title="Kvalitetsstrateg")
    assert response.status_code == 302
    participation = planned.participations.get(person__email="anna.berg@kommun.se")
    assert participation.role == "deltagare"
    assert participation.title == "Kvalitetsstrateg"


def test_an_existing_person_is_found_by_email_whatever_the_case(client, planned):
    existing = Person.objects.create(
        organisation=make_organisation(), name="Anna Berg", email="Anna.Berg@Kommun.se"
    )
    add(client, planned, email="anna.berg@kommun.SE")
    assert planned.participations.get(person=existing)
    assert Person.objects.filter(email__iexact="anna.berg@kommun.se").count() == 1


def test_an_invalid_email_is_refused_with_the_input_kept(client, planned):
    response = add(client, planned, email="anna.berg@", name="Anna Berg")
    assert response.status_code == 422
    content = response.content.decode()
    assert "ingen giltig e-postadress" in content
    assert 'value="Anna Berg"' in content


def test_the_same_person_twice_is_refused(client, planned):
    add(client, planned)
    response = add(client, planned, email="ANNA.BERG@kommun.se")
    assert response.status_code == 422
    assert "är redan med i samtalet" in response.content.decode()


def test_an_add_error_is_shown_at_the_add_form_with_a_focusable_summary(client, planned):
    response = add(client, planned, email="inte-en-adress")
    assert response.status_code == 422
    content = response.content.decode()
    action = reverse("meetings:participant_add", args=[planned.pk])
    assert f'action="{action}#lagg-till"' in content and 'id="lagg-till"' in content
    assert 'class="error-summary" role="alert" tabindex="-1"' in content


def test_a_second_samtalsledare_is_refused_with_a_clear_message(client, planned):
    response = add(client, planned, role="samtalsledare")
    assert response.status_code == 422
    assert "Samtalet har redan en samtalsledare (Karin Lindqvist)" in response.content.decode()
    assert planned.participations.filter(role="samtalsledare").count() == 1


def test_pasting_lines_adds_the_good_ones_and_reports_each_bad_line(client, planned):
    lines = "\n".join(
        [
            "Anna Berg <anna.berg@kommun.se>, deltagare",
            "Bertil Ek <bertil.ek@>, deltagare",
            "Cecilia Holm <cecilia.holm@kommun.se>",
            "bara ett namn",
            "Dan Ny <dan.ny@kommun.se>, samtalsledare",
            "Eva Ås <eva.as@kommun.se>, Antecknare",
        ]
    )
    response = client.post(
        reverse("meetings:participants_paste", args=[planned.pk]), {"lista-lines": lines}
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Rad 2:" in content and "Rad 4:" in content and "Rad 5:" in content
    assert set(planned.participations.values_list("person__email", "role")) >= {
        ("anna.berg@kommun.se", "deltagare"),
        ("cecilia.holm@kommun.se", "deltagare"),
        ("eva.as@kommun.se", "antecknare"),
    }
    kept = response.context["paste_form"]["lines"].value()
    assert kept.splitlines() == [
        "Bertil Ek <bertil.ek@>, deltagare",
        "bara ett namn",
        "Dan Ny <dan.ny@kommun.se>, samtalsledare",
    ]


def test_a_pasted_line_may_carry_a_title_before_the_role(client, planned):
    lines = "\n".join(
        [
            "Anna Berg <anna.berg@kommun.se>, rektor, observatör",
            "Bo Ek <bo.ek@kommun.se>, enhetschef",
            "Cilla Ås <cilla.as@kommun.se>, Kvalitet, Origoskolan",
        ]
    )
    response = client.post(
        reverse("meetings:participants_paste", args=[planned.pk]), {"lista-lines": lines}
    )
    assert response.status_code == 302
    people = planned.participations.values_list("person__email", "title", "role")
    assert set(people) >= {
        ("anna.berg@kommun.se", "rektor", "observator"),
        ("bo.ek@kommun.se", "enhetschef", "deltagare"),
        ("cilla.as@kommun.se", "Kvalitet, Origoskolan", "deltagare"),
    }


def test_a_paste_that_added_nobody_says_so(client, planned):
    response = client.post(
        reverse("meetings:participants_paste", args=[planned.pk]),
        {"lista-lines": "Bertil Ek <bertil.ek@>, deltagare"},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Inga rader lades till." in content
    assert "Övriga rader är tillagda" not in content


def test_a_paste_error_is_shown_at_the_paste_form(client, planned):
    response = client.post(
        reverse("meetings:participants_paste", args=[planned.pk]), {"lista-lines": "bara namn"}
    )
    content = response.content.decode()
    assert (
        'action="{}#klistra-in"'.format(reverse("meetings:participants_paste", args=[planned.pk]))
        in content
    )
    assert 'id="klistra-in"' in content
    assert 'class="error-summary" role="alert" tabindex="-1"' in content


def test_pasting_only_good_lines_redirects(client, planned):
    response = client.post(
        reverse("meetings:participants_paste", args=[planned.pk]),
        {"lista-lines": "Anna Berg <anna.berg@kommun.se>, observatör"},
    )
    assert response.status_code == 302
    assert planned.participations.get(person__email="anna.berg@kommun.se").role == "observator"


def test_changing_a_role(client, planned):
    participation = planned.participations.get(person__name="Maria Ek")
    client.post(
        reverse("meetings:participant_role", args=[planned.pk, participation.pk]),
        {"role": "antecknare"},
    )
    participation.refresh_from_db()
    assert participation.role == "antecknare"


def test_changing_a_role_to_a_second_samtalsledare_is_refused(client, planned):
    participation = planned.participations.get(person__name="Maria Ek")
    response = client.post(
        reverse("meetings:participant_role", args=[planned.pk, participation.pk]),
        {"role": "samtalsledare"},
    )
    assert response.status_code == 422
    assert "redan en samtalsledare" in response.content.decode()
    participation.refresh_from_db()
    assert participation.role == "deltagare"


def test_removing_a_participant(client, planned):
    participation = planned.participations.get(person__name="Maria Ek")
    client.post(reverse("meetings:participant_remove", args=[planned.pk, participation.pk]))
    assert not planned.participations.filter(pk=participation.pk).exists()


def test_a_participation_of_another_meeting_is_not_found(client, planned):
    other = add_participant(make_meeting("Grundskola"), "Olle")
    response = client.post(reverse("meetings:participant_remove", args=[planned.pk, other.pk]))
    assert response.status_code == 404
    assert Participation.objects.filter(pk=other.pk).exists()


# --- The method's rules ------------------------------------------------------------------


def test_a_meeting_without_a_note_taker_cannot_start():
    meeting = make_meeting()
    add_participant(meeting, "Karin", Participation.Role.FACILITATOR)
    with pytest.raises(ValidationError) as error:
        meeting.start()
    assert error.value.messages == ["Samtalet behöver minst en antecknare."]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_a_meeting_without_a_samtalsledare_cannot_start():
    meeting = make_meeting()
    add_participant(meeting, "Johan", Participation.Role.NOTE_TAKER)
    with pytest.raises(ValidationError) as error:
        meeting.start()
    assert error.value.messages == ["Samtalet behöver en samtalsledare."]


def test_a_staffed_meeting_starts_and_its_version_moves():
    meeting, _, _ = staffed_meeting()
    version = meeting.version
    meeting.start()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.RUNNING
    assert meeting.started_at is not None
    assert meeting.version == version + 1


def test_a_running_meeting_cannot_start_again():
    meeting, _, _ = staffed_meeting()
    meeting.start()
    with pytest.raises(ValidationError):
        meeting.start()


def test_the_meeting_page_says_what_is_missing_and_offers_no_start(client, karin):
    client.post(reverse("meetings:create"), meeting_data())
    meeting = Meeting.objects.get()
    content = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Samtalet behöver minst en antecknare." in content
    assert "Starta samtalet" not in content


def test_the_start_button_starts_a_staffed_meeting(client, planned):
    content = client.get(reverse("meetings:detail", args=[planned.pk])).content.decode()
    assert "Starta samtalet" in content
    response = client.post(reverse("meetings:start", args=[planned.pk]), {"annan_dag": "ja"})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == Meeting.Status.RUNNING


def test_a_started_meeting_can_no_longer_be_changed(client, planned):
    planned.start()
    response = add(client, planned)
    assert response.status_code == 302
    assert not planned.participations.filter(person__email="anna.berg@kommun.se").exists()


def test_a_note_taker_sees_the_meeting_read_only_with_a_link_to_their_preparation(client):
    meeting, _, note_taker = staffed_meeting()
    client.force_login(note_taker)
    content = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:plan", args=[meeting.pk]) not in content
    assert "Starta samtalet" not in content
    assert reverse("meetings:my_preparation", args=[meeting.pk]) in content


# --- Staff accounts are found by email ----------------------------------------------------


def test_adding_someone_with_a_staff_account_links_the_account(client, planned):
    anna = make_user("anna", email="Anna.Berg@Kommun.se")
    add(client, planned)
    person = Person.objects.get(email__iexact="anna.berg@kommun.se")
    assert person.user == anna
    assert not access(Viewer(user=anna), planned).plan  # linked, but only a participant
    client.force_login(anna)
    assert client.get(reverse("meetings:detail", args=[planned.pk])).status_code == 200


def test_an_existing_person_without_an_account_gets_the_account_with_that_email(client, planned):
    Person.objects.create(
        organisation=make_organisation(), name="Anna Berg", email="anna.berg@kommun.se"
    )
    anna = make_user("anna", email="ANNA.BERG@kommun.se")
    add(client, planned)
    assert Person.objects.get(email="anna.berg@kommun.se").user == anna


def test_an_account_already_linked_to_another_person_is_left_alone(client, planned):
    anna = make_user("anna", email="anna.berg@kommun.se")
    Person.objects.create(
        organisation=make_organisation(), name="Anna B", email="anna.b@annat.se", user=anna
    )
    add(client, planned)
    assert Person.objects.get(email="anna.berg@kommun.se").user is None


def test_the_pasted_list_links_staff_accounts_too(client, planned):
    anna = make_user("anna", email="anna.berg@kommun.se")
    client.post(
        reverse("meetings:participants_paste", args=[planned.pk]),
        {"lista-lines": "Anna Berg <Anna.Berg@kommun.se>, deltagare"},
    )
    assert Person.objects.get(email__iexact="anna.berg@kommun.se").user == anna


# --- Removing someone says what goes with them ----------------------------------------------


def test_the_remove_confirmation_says_the_preparation_and_emails_go_too(client, planned):
    maria = planned.participations.get(person__name="Maria Ek")
    client.post(reverse("meetings:participant_invite", args=[planned.pk, maria.pk]))
    preparation_for(maria)
    content = client.get(reverse("meetings:plan", args=[planned.pk])).content.decode()
    assert (
        "Ta bort Maria Ek från samtalet? Detta tas också bort: personens förberedelse, "
        "historiken för 1 skickat e-postmeddelande." in content
    )


def test_the_remove_confirmation_of_someone_with_nothing_to_lose_is_short(client, planned):
    content = client.get(reverse("meetings:plan", args=[planned.pk])).content.decode()
    assert 'data-confirm="Ta bort Olof Berg från samtalet?"' in content


# --- Editing while something else happens ------------------------------------------------


def edit_data(meeting, **overrides):
    data = {
        "theme": meeting.theme,
        "unit": meeting.unit_id,
        "date": meeting.date.isoformat(),
        "start_time": "13:00",
        "location": "Stadshuset",
        "video_link": "",
        "purpose": meeting.purpose,
        "template_version": meeting.template_version_id,
        "version": meeting.version,
    }
    data.update(overrides)
    return data


@pytest.fixture
def meanwhile(monkeypatch):
    """Run `change` while the edit form is being checked: what another request could do
    between this request reading the meeting and saving it."""
    from samtal.meetings.forms import MeetingForm

    changes = []
    original = MeetingForm.clean

    def clean(self):
        cleaned = original(self)
        for change in changes:
            change()
        return cleaned

    monkeypatch.setattr(MeetingForm, "clean", clean)
    return changes.append


def test_an_edit_does_not_undo_a_start_that_happened_meanwhile(client, planned, meanwhile):
    meanwhile(lambda: Meeting.objects.filter(pk=planned.pk).update(status=Meeting.Status.RUNNING))
    client.post(reverse("meetings:edit", args=[planned.pk]), edit_data(planned))
    planned.refresh_from_db()
    assert planned.status == Meeting.Status.RUNNING


def test_an_edit_does_not_undo_a_version_bump_that_happened_meanwhile(client, planned, meanwhile):
    before = planned.version
    meanwhile(lambda: Meeting.objects.filter(pk=planned.pk).update(version=F("version") + 1))
    client.post(reverse("meetings:edit", args=[planned.pk]), edit_data(planned))
    planned.refresh_from_db()
    assert planned.version == before + 2
    assert planned.start_time == datetime.time(13, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_editing_and_starting_lock_the_meeting_row(client, planned):
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("meetings:edit", args=[planned.pk]), edit_data(planned))
        planned.start()
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert len([sql for sql in locks if '"meetings_meeting"' in sql]) == 2
