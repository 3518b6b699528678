"""The participant's preparation through a personal link."""

import pytest
from django.urls import reverse

from samtal.conversation_templates.models import Step
from samtal.participants.links import make_token
from samtal.participants.models import Participation, Preparation, PreparationAnswer
from samtal.participants.preparation import preparation_for
from tests.factories import add_participant, make_meeting, make_user, staffed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting, _, _ = staffed_meeting()
    return meeting


@pytest.fixture
def maria(meeting):
    return meeting.participations.get(person__name="Maria Ek")


def steps(meeting):
    return {s.key: s for s in meeting.template_version.steps.all()}


def page_url(participation):
    return reverse("participants:preparation", args=[make_token(participation)])


def autosave_url(participation):
    return reverse("participants:autosave", args=[make_token(participation)])


def opened_url(participation):
    return reverse("participants:opened", args=[make_token(participation)])


def test_opening_the_link_changes_nothing_so_that_link_scanners_do_not_count_as_opening(
    client, maria
):
    response = client.get(page_url(maria))
    assert response.status_code == 200
    assert not Preparation.objects.exists()


def test_the_page_asks_its_script_to_record_the_first_real_visit(client, maria):
    url = page_url(maria)
    content = client.get(url).content.decode()
    # The same token as the page's (a new one could carry the next second's timestamp).
    token = url.split("/")[2]
    assert f'data-opened-url="{reverse("participants:opened", args=[token])}"' in content


def test_the_scripts_ping_records_that_the_page_was_opened(client, maria):
    response = client.post(opened_url(maria))
    assert response.status_code == 204
    assert preparation_for(maria).opened_at is not None


def test_the_opened_ping_only_accepts_post(client, maria):
    assert client.get(opened_url(maria)).status_code == 405


def test_the_first_autosave_also_records_that_the_page_was_opened(client, maria, meeting):
    client.post(autosave_url(maria), {f"s{steps(meeting)['2A'].id}-0-text": "Ett"})
    assert preparation_for(maria).opened_at is not None


def test_recording_the_opening_does_not_make_the_next_save_a_conflict(client, maria, meeting):
    revision = client.get(page_url(maria)).context["revision"]
    client.post(opened_url(maria))
    s2a = steps(meeting)["2A"]
    response = client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "Ett", "revision": revision})
    assert response.status_code == 200
    assert PreparationAnswer.objects.get().text == "Ett"


def test_the_page_asks_the_questions_of_the_steps_that_ask_for_preparation(client, maria):
    content = client.get(page_url(maria)).content.decode()
    assert "Vilka resultat visar på nytta för Sundsvallsbon" in content
    assert "Det här visar på nytta" in content and "därför att:" in content
    assert "Andra resultat jag vill lyfta.." in content  # the seed's two dots
    assert "Vi skulle vilja..." in content
    assert "Reflektion och analys av läget" not in content  # step 3 is not prepared


def test_the_questions_come_from_the_template_not_from_code(client, maria, meeting):
    step = steps(meeting)["2B"]
    Step.objects.filter(pk=step.pk).update(preparation_prompt="En helt annan fråga?")
    Step.objects.filter(pk=steps(meeting)["4A"].pk).update(asks_preparation=False)
    content = client.get(page_url(maria)).content.decode()
    assert "En helt annan fråga?" in content
    assert "Vi skulle vilja..." not in content


def test_the_page_shows_material_rules_and_facts(client, maria, meeting):
    from samtal.meetings.models import Material

    Material.objects.create(meeting=meeting, title="Brukarundersökningen", url="https://e.org/b")
    content = client.get(page_url(maria)).content.decode()
    assert "Brukarundersökningen" in content
    assert "Stäng av mobilen" in content
    assert "Syftet med mötet" in content


def test_typing_is_autosaved(client, maria, meeting):
    s2a, s2b = steps(meeting)["2A"], steps(meeting)["2B"]
    response = client.post(
        autosave_url(maria),
        {
            f"s{s2a.id}-0-text": "Nöjdare brukare",
            f"s{s2a.id}-0-reason": "enkäten visar det",
            f"s{s2a.id}-1-text": "Kortare väntetider",
            f"s{s2a.id}-1-reason": "",
            f"s{s2b.id}-0-text": "Personalomsättningen",
        },
    )
    assert response.status_code == 200
    assert "Sparat" in response.content.decode()
    answers = list(PreparationAnswer.objects.values_list("step__key", "text", "reason"))
    assert answers == [
        ("2A", "Nöjdare brukare", "enkäten visar det"),
        ("2A", "Kortare väntetider", ""),
        ("2B", "Personalomsättningen", ""),
    ]


def test_saving_the_same_text_twice_changes_nothing(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    data = {f"s{s2a.id}-0-text": "Nöjdare brukare"}
    client.post(autosave_url(maria), data)
    client.post(autosave_url(maria), data)
    assert PreparationAnswer.objects.count() == 1


def test_emptied_rows_are_removed(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "Nöjdare brukare"})
    client.post(autosave_url(maria), {f"s{s2a.id}-0-text": ""})
    assert not PreparationAnswer.objects.exists()


def test_only_one_wish_is_kept(client, maria, meeting):
    s4a = steps(meeting)["4A"]
    client.post(autosave_url(maria), {f"s{s4a.id}-0-text": "Första", f"s{s4a.id}-1-text": "Andra"})
    assert list(PreparationAnswer.objects.values_list("text", flat=True)) == ["Första"]


def test_a_twenty_thousand_character_answer_is_flagged_and_not_saved(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    response = client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "x" * 20_000})
    content = response.content.decode()
    assert "utom det som är för långt" in content
    assert "20 000 tecken, högst 5 000" in content
    assert f'id="fel-s{s2a.id}-0-text"' in content
    assert not PreparationAnswer.objects.exists()


def test_one_too_long_box_does_not_stop_the_other_boxes_from_being_saved(client, maria, meeting):
    s2a, s2b = steps(meeting)["2A"], steps(meeting)["2B"]
    response = client.post(
        autosave_url(maria),
        {
            f"s{s2a.id}-0-text": "Nöjdare brukare",
            f"s{s2a.id}-1-text": "x" * 20_000,
            f"s{s2b.id}-0-text": "Personalomsättningen",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<div class="field-error" id="fel-s{s2a.id}-1-text" hx-swap-oob="true"><p>' in content
    assert f'<div class="field-error" id="fel-s{s2a.id}-0-text" hx-swap-oob="true"></div>' in (
        content
    )
    assert sorted(PreparationAnswer.objects.values_list("text", flat=True)) == [
        "Nöjdare brukare",
        "Personalomsättningen",
    ]


def test_without_javascript_a_too_long_answer_is_shown_again_with_the_message(
    client, maria, meeting
):
    s2a = steps(meeting)["2A"]
    response = client.post(page_url(maria), {f"s{s2a.id}-0-text": "y" * 20_000, "action": "save"})
    assert response.status_code == 422
    content = response.content.decode()
    assert "y" * 20_000 in content
    assert "för lång" in content


def test_without_javascript_a_row_can_be_added(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    response = client.post(page_url(maria), {f"s{s2a.id}-0-text": "Ett", "action": f"add-{s2a.id}"})
    assert response.status_code == 200
    assert f'name="s{s2a.id}-1-text"' in response.content.decode()


def test_klar_marks_the_preparation_submitted(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    response = client.post(page_url(maria), {f"s{s2a.id}-0-text": "Ett", "action": "submit"})
    assert response.status_code == 302
    preparation = preparation_for(maria)
    assert preparation.submitted_at is not None
    assert preparation.answers.get().text == "Ett"
    assert "Din förberedelse är klar" in client.get(page_url(maria)).content.decode()


def test_a_submitted_preparation_stays_editable_until_the_meeting_starts(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    client.post(page_url(maria), {f"s{s2a.id}-0-text": "Ett", "action": "submit"})
    client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "Ändrat"})
    assert preparation_for(maria).answers.get().text == "Ändrat"
    meeting.start()
    response = client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "För sent"})
    assert response.status_code == 409
    assert preparation_for(maria).answers.get().text == "Ändrat"
    content = client.get(page_url(maria)).content.decode()
    assert "Samtalet har startat" in content
    assert "<textarea" not in content


def test_text_sent_without_javascript_after_the_start_is_shown_to_copy(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    meeting.start()
    response = client.post(
        page_url(maria), {f"s{s2a.id}-0-text": "Skrivet i sista stund", "action": "submit"}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Det du skickade är inte sparat" in content
    assert "readonly>Skrivet i sista stund</textarea>" in content
    assert not PreparationAnswer.objects.exists()


# --- Two devices: the revision travels with every save -----------------------------------


def test_the_page_carries_the_revision_of_the_stored_preparation(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "Ett", "revision": "0"})
    content = client.get(page_url(maria)).content.decode()
    assert 'name="revision" id="revision" value="1"' in content


def test_a_save_answers_with_the_new_revision(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    response = client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "Ett", "revision": "0"})
    assert 'id="revision" value="1" hx-swap-oob="true"' in response.content.decode()


def test_a_save_from_an_older_revision_is_refused_with_the_stored_text(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "Från datorn", "revision": "0"})
    # The phone loaded the page before the computer saved.
    response = client.post(
        autosave_url(maria), {f"s{s2a.id}-0-text": "Från mobilen", "revision": "0"}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "ändrats på en annan enhet" in content
    assert "Från datorn" in content
    assert 'data-revision="1"' in content
    assert PreparationAnswer.objects.get().text == "Från datorn"


def test_after_a_conflict_the_person_can_keep_their_text(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "Från datorn", "revision": "0"})
    client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "Från mobilen", "revision": "0"})
    response = client.post(
        autosave_url(maria), {f"s{s2a.id}-0-text": "Från mobilen", "revision": "1"}
    )
    assert response.status_code == 200
    assert PreparationAnswer.objects.get().text == "Från mobilen"


def test_without_javascript_a_conflict_shows_both_texts(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    client.post(autosave_url(maria), {f"s{s2a.id}-0-text": "Från datorn", "revision": "0"})
    response = client.post(
        page_url(maria), {f"s{s2a.id}-0-text": "Från mobilen", "revision": "0", "action": "save"}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert ">Från mobilen</textarea>" in content
    assert "Från datorn" in content
    assert 'name="revision" id="revision" value="1"' in content
    assert PreparationAnswer.objects.get().text == "Från datorn"


def test_a_participant_never_sees_another_participants_preparation(client, maria, meeting):
    olof = meeting.participations.get(person__name="Olof Berg")
    s2a = steps(meeting)["2A"]
    client.post(autosave_url(olof), {f"s{s2a.id}-0-text": "Olofs hemliga tanke"})
    content = client.get(page_url(maria)).content.decode()
    assert "Olofs hemliga tanke" not in content


def test_a_tampered_link_shows_a_swedish_page_without_meeting_data(client, maria):
    response = client.get(reverse("participants:preparation", args=["fel" + make_token(maria)]))
    assert response.status_code == 404
    content = response.content.decode()
    assert "Länken fungerar inte" in content
    assert "Hemtjänst" not in content and "Maria" not in content


def test_the_autosave_of_a_tampered_link_saves_nothing(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    url = reverse("participants:autosave", args=["fel" + make_token(maria)])
    assert client.post(url, {f"s{s2a.id}-0-text": "x"}).status_code == 404
    assert not PreparationAnswer.objects.exists()


def test_answers_for_steps_of_another_template_version_are_ignored(client, maria):
    other = make_meeting("Grundskola")
    foreign_step = other.template_version.steps.filter(asks_preparation=True).first()
    # Same template version here, so make up a step id that is not in this meeting.
    client.post(autosave_url(maria), {f"s{foreign_step.id + 1000}-0-text": "x"})
    assert not PreparationAnswer.objects.exists()


def test_autosave_only_accepts_post(client, maria):
    assert client.get(autosave_url(maria)).status_code == 405


def test_a_staff_member_reaches_their_preparation_after_logging_in(client, meeting):
    karin = meeting.participations.get(person__name="Karin Lindqvist")
    client.force_login(karin.person.user)
    response = client.get(reverse("meetings:my_preparation", args=[meeting.pk]))
    assert response.status_code == 302
    assert response.url == page_url(karin)


def test_my_preparation_of_a_meeting_i_am_not_in_is_forbidden(client, meeting):
    client.force_login(make_user("utomstaende"))
    assert client.get(reverse("meetings:my_preparation", args=[meeting.pk])).status_code == 403


def test_the_overview_shows_who_opened_submitted_and_what_they_wrote(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    client.post(page_url(maria), {f"s{s2a.id}-0-text": "Nöjdare brukare", "action": "submit"})
    client.post(opened_url(meeting.participations.get(person__name="Olof Berg")))
    karin = meeting.participations.get(person__name="Karin Lindqvist").person.user
    client.force_login(karin)
    content = client.get(
        reverse("meetings:preparation_overview", args=[meeting.pk])
    ).content.decode()
    assert "Nöjdare brukare" in content
    assert "1 av 4 medverkande har markerat" in content
    assert "Öppnade länken" in content
    assert "Har inte öppnat länken" in content


def test_the_overview_says_who_gets_no_reminder_and_why(client, meeting):
    add_participant(meeting, "Sofia Dahl", role=Participation.Role.OBSERVER)
    client.force_login(meeting.participations.get(person__name="Karin Lindqvist").person.user)
    content = client.get(
        reverse("meetings:preparation_overview", args=[meeting.pk])
    ).content.decode()
    assert "Ingen påminnelse går till:" in content
    assert "Karin Lindqvist (du själv)" in content
    assert "Sofia Dahl (observatör, förbereder sig inte)" in content


def test_people_who_have_not_started_get_a_compact_row(client, maria, meeting):
    s2a = steps(meeting)["2A"]
    client.post(page_url(maria), {f"s{s2a.id}-0-text": "Nöjdare brukare"})
    client.force_login(meeting.participations.get(person__name="Karin Lindqvist").person.user)
    content = client.get(
        reverse("meetings:preparation_overview", args=[meeting.pk])
    ).content.decode()
    assert content.count("prep-person--empty") == 3


def test_a_note_taker_cannot_see_the_overview(client, meeting):
    client.force_login(meeting.participations.get(person__name="Johan Sjöberg").person.user)
    assert (
        client.get(reverse("meetings:preparation_overview", args=[meeting.pk])).status_code == 403
    )


def test_an_expired_link_says_so_and_shows_nothing_of_the_meeting(client):
    meeting = make_meeting("Origoparken", days_from_today=-31)
    participation = add_participant(meeting, "Maria Ek")
    response = client.get(page_url(participation))
    assert response.status_code == 410
    content = response.content.decode()
    assert "Länken har slutat gälla" in content
    assert "Origoparken" not in content and "Maria" not in content


def test_a_revoked_link_says_it_was_replaced(client, maria):
    old = page_url(maria)
    maria.revoke_link()
    response = client.get(old)
    assert response.status_code == 410
    assert "Länken har ersatts" in response.content.decode()
