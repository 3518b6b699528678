"""The note-taker's side of the meeting room (issue 13: findings 1, 2, 6, 7, 9).

Prepared answers become the record their step keeps (a wish in 4A, an entry elsewhere), show
everywhere the A3 is shown, are marked as taken and are taken once; actions are changed in
place and reordered, as are the wishes of the round; "Alla närvarande" in one click."""

import datetime
import io
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from samtal.a3 import live
from samtal.a3.document import build_a3
from samtal.a3.live_models import A3Change, EditConflict
from samtal.a3.models import Entry, Wish
from samtal.a3.pdf import render_pdf
from samtal.actions.models import ActionItem
from samtal.conversation_templates.models import Step
from samtal.participants.links import make_token
from samtal.participants.models import Preparation, PreparationAnswer
from tests.factories import staffed_meeting

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_LIVE_FETCH": "1"}


def running_meeting():
    meeting, facilitator, note_taker = staffed_meeting()
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    return meeting, facilitator, note_taker


def step(meeting, key):
    return meeting.template_version.steps.get(key=key)


def prepare(meeting, name, key, text, reason=""):
    participation = meeting.participations.get(person__name=name)
    preparation, _ = Preparation.objects.get_or_create(participation=participation)
    return PreparationAnswer.objects.create(
        preparation=preparation, step=step(meeting, key), text=text, reason=reason
    )


def go_to(meeting, user, key):
    live.move_step(meeting, user, step_id=step(meeting, key).pk)


# --- Finding 1: prepared answers become the right record and show everywhere -------------


def test_the_default_template_asks_preparation_in_2a_2b_and_4a():
    meeting, _f, _n = staffed_meeting()
    asked = [s.key for s in meeting.template_version.steps.all() if s.asks_preparation]
    assert asked == ["2A", "2B", "4A"]


def test_a_prepared_wish_taken_in_becomes_a_wish_shown_on_every_a3(client):
    meeting, facilitator, note_taker = running_meeting()
    answer = prepare(meeting, "Maria Ek", "4A", "Fler fritidsgårdar", "Unga saknar platser")
    client.force_login(note_taker)
    url = reverse("a3_live:take_prepared", args=[meeting.pk, answer.pk])
    response = client.post(url, {"client_key": "take-wish-0001"}, **FETCH)
    assert response.status_code == 204

    wish = Wish.objects.get(meeting=meeting)
    maria = meeting.participations.get(person__name="Maria Ek")
    assert (wish.text, wish.reason, wish.participation, wish.step.key) == (
        "Fler fritidsgårdar",
        "Unga saknar platser",
        maria,
        "4A",
    )
    assert not Entry.objects.filter(meeting=meeting).exists()
    answer.refresh_from_db()
    assert answer.taken_at is not None
    content = next(c for box in build_a3(meeting).boxes for c in box.steps if c.step.key == "4A")
    assert [w.text for w in content.wishes] == ["Fler fritidsgårdar"]

    overview = client.get(reverse("a3_live:overview", args=[meeting.pk]))
    assert "Fler fritidsgårdar" in overview.content.decode()
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert "Fler fritidsgårdar" in page.content.decode()
    pdf = PdfReader(io.BytesIO(render_pdf(meeting)))
    assert "Fler fritidsgårdar" in "".join(p.extract_text() for p in pdf.pages)


def test_a_prepared_claim_becomes_an_entry_of_its_step_with_reason_and_author():
    meeting, _facilitator, note_taker = running_meeting()
    answer = prepare(meeting, "Olof Berg", "2A", "Nöjdare brukare", "Enkäten visar det")
    entry = live.take_prepared(meeting, note_taker, answer)
    assert isinstance(entry, Entry)
    assert (entry.step.key, entry.reason, entry.participation.person.name) == (
        "2A",
        "Enkäten visar det",
        "Olof Berg",
    )
    assert entry.prepared_answer == answer


def test_other_results_prepared_for_2b_are_offered_to_the_note_taker(client):
    meeting, facilitator, note_taker = running_meeting()
    prepare(meeting, "Maria Ek", "2B", "Lägre sjukfrånvaro")
    prepare(meeting, "Olof Berg", "2B", "Fler sökande till lärartjänster")
    go_to(meeting, facilitator, "2B")
    client.force_login(note_taker)
    html = client.get(reverse("a3_live:notes", args=[meeting.pk])).content.decode()
    assert "Förberett av Maria Ek" in html and "Förberett av Olof Berg" in html
    assert "Lägre sjukfrånvaro" in html and "Fler sökande till lärartjänster" in html
    assert html.count("Ta in som det är") == 2


def test_in_a_round_the_speakers_prepared_answers_are_offered(client):
    meeting, facilitator, note_taker = running_meeting()
    prepare(meeting, "Maria Ek", "2A", "Marias påstående")
    prepare(meeting, "Olof Berg", "2A", "Olofs påstående")
    go_to(meeting, facilitator, "2A")  # Maria Ek has the floor first
    client.force_login(note_taker)
    html = client.get(reverse("a3_live:notes", args=[meeting.pk])).content.decode()
    assert "Marias påstående" in html and "Olofs påstående" not in html


def test_take_in_and_edit_saves_the_edited_text_as_the_taken_answer(client):
    meeting, facilitator, note_taker = running_meeting()
    answer = prepare(meeting, "Maria Ek", "4A", "Fler fritidsgårdar", "Unga saknar platser")
    go_to(meeting, facilitator, "4A")
    client.force_login(note_taker)
    notes_url = reverse("a3_live:notes", args=[meeting.pk])
    # Without JavaScript the link reloads the page with the row filled in.
    html = client.get(notes_url, {"forberedelse": answer.pk}).content.decode()
    assert ">Fler fritidsgårdar</textarea>" in html
    assert f'name="prepared" value="{answer.pk}"' in html

    response = client.post(
        reverse("a3_live:wish_add", args=[meeting.pk]),
        {
            "step": step(meeting, "4A").pk,
            "prepared": answer.pk,
            "text": "Fler fritidsgårdar i ytterområdena",
            "reason": "Unga saknar platser",
            "client_key": "edit-take-0001",
        },
        **FETCH,
    )
    assert response.status_code == 204
    wish = Wish.objects.get(meeting=meeting)
    assert wish.text == "Fler fritidsgårdar i ytterområdena"
    assert wish.prepared_answer == answer
    html = client.get(notes_url).content.decode()
    assert "Intagen i A3:an" in html
    assert f'id="take-{answer.pk}"' not in html


def test_an_answer_of_another_step_does_not_fill_this_steps_row(client):
    meeting, facilitator, note_taker = running_meeting()
    answer = prepare(meeting, "Maria Ek", "4A", "Fler fritidsgårdar")
    go_to(meeting, facilitator, "2B")
    client.force_login(note_taker)
    html = client.get(reverse("a3_live:notes", args=[meeting.pk]), {"forberedelse": answer.pk})
    assert ">Fler fritidsgårdar</textarea>" not in html.content.decode()


# --- Finding 2: marked as taken, never taken twice -----------------------------------------


def test_the_participant_sees_which_prepared_answers_were_taken_in(client):
    meeting, _facilitator, note_taker = running_meeting()
    taken = prepare(meeting, "Maria Ek", "2A", "Det här togs in")
    prepare(meeting, "Maria Ek", "2A", "Det här togs inte in")
    live.take_prepared(meeting, note_taker, taken)
    maria = meeting.participations.get(person__name="Maria Ek")
    html = client.get(reverse("participants:preparation", args=[make_token(maria)]))
    html = html.content.decode()
    assert html.count("✓ intagen i A3:an") == 1
    assert html.index("Det här togs in") < html.index("✓ intagen") < html.index("togs inte in")


def test_taking_an_answer_in_twice_stores_one_record():
    meeting, facilitator, note_taker = running_meeting()
    answer = prepare(meeting, "Maria Ek", "2A", "En gång")
    first = live.take_prepared(meeting, note_taker, answer, client_key="same-key-0001")
    # The same add again (a double click, a retry): the record already made.
    assert live.take_prepared(meeting, note_taker, answer, client_key="same-key-0001") == first
    # Another note-taker, another key: refused in words.
    with pytest.raises(live.LiveError, match="redan intaget"):
        live.take_prepared(meeting, facilitator, answer, client_key="other-key-0002")
    with pytest.raises(live.LiveError, match="redan intaget"):
        live.take_prepared(meeting, facilitator, answer, text="Ändrad", client_key="third-key-03")
    assert Entry.objects.filter(meeting=meeting).count() == 1


def test_the_database_allows_one_record_per_prepared_answer():
    from django.db import IntegrityError, transaction

    meeting, _facilitator, note_taker = running_meeting()
    answer = prepare(meeting, "Maria Ek", "2A", "En gång")
    live.take_prepared(meeting, note_taker, answer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            meeting=meeting, step=answer.step, text="Smugglad", prepared_answer=answer
        )


def test_a_removed_record_lets_the_answer_be_taken_in_again():
    meeting, _facilitator, note_taker = running_meeting()
    answer = prepare(meeting, "Maria Ek", "4A", "En önskning")
    wish = live.take_prepared(meeting, note_taker, answer)
    live.delete_wish(meeting, note_taker, wish)
    answer.refresh_from_db()
    assert answer.taken_at is None
    again = live.take_prepared(meeting, note_taker, answer)
    assert Wish.objects.get(meeting=meeting) == again


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_note_takers_taking_one_answer_at_once_store_one_record():
    meeting, facilitator, note_taker = running_meeting()
    answer = prepare(meeting, "Maria Ek", "4A", "Samtidigt")
    url = reverse("a3_live:take_prepared", args=[meeting.pk, answer.pk])
    barrier = threading.Barrier(4)
    statuses = []

    def take(user, key):
        browser = Client()
        browser.force_login(user)
        barrier.wait(5)
        try:
            statuses.append(browser.post(url, {"client_key": key}, **FETCH).status_code)
        finally:
            connection.close()

    users = [note_taker, facilitator, note_taker, facilitator]
    threads = [
        threading.Thread(target=take, args=(user, f"concurrent-take-{i:04d}"))
        for i, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(statuses) == [204, 400, 400, 400]
    assert Wish.objects.filter(meeting=meeting).count() == 1


# --- Finding 7: actions changed in place and reordered; wishes reordered --------------------


def test_an_action_is_changed_in_place_what_who_and_when(client):
    meeting, _facilitator, note_taker = running_meeting()
    go_to(meeting, note_taker, "4B")
    item = live.add_action(meeting, note_taker, step(meeting, "4B"), "Ta fram en plan")
    maria = meeting.participations.get(person__name="Maria Ek")
    olof = meeting.participations.get(person__name="Olof Berg")
    client.force_login(note_taker)
    response = client.post(
        reverse("a3_live:action_edit", args=[meeting.pk, item.pk]),
        {
            "what": "Ta fram en plan för rekrytering",
            "owners": [maria.pk, olof.pk],
            "owner_names": "HR-chefen",
            "due_date": "2027-03-01",
            "due_text": "före budgeten",
            "revision": item.revision,
        },
        **FETCH,
    )
    assert response.status_code == 204, response.content
    item.refresh_from_db()
    assert item.what == "Ta fram en plan för rekrytering"
    assert set(item.owners.all()) == {maria, olof}
    assert (item.owner_names, item.due_date, item.due_text) == (
        "HR-chefen",
        datetime.date(2027, 3, 1),
        "före budgeten",
    )
    changes = A3Change.objects.filter(meeting=meeting, kind=A3Change.Kind.ACTION)
    assert changes.filter(new_text__contains="HR-chefen").exists()


def test_a_bad_date_in_an_action_is_refused_in_swedish_and_nothing_changes(client):
    meeting, _facilitator, note_taker = running_meeting()
    item = live.add_action(meeting, note_taker, step(meeting, "4B"), "Ta fram en plan")
    client.force_login(note_taker)
    response = client.post(
        reverse("a3_live:action_edit", args=[meeting.pk, item.pk]),
        {"what": "Nytt", "due_date": "snart", "revision": item.revision},
        **FETCH,
    )
    assert response.status_code == 400
    assert "ÅÅÅÅ-MM-DD" in response.content.decode()
    item.refresh_from_db()
    assert item.what == "Ta fram en plan"


def test_two_people_changing_an_actions_what_get_a_conflict():
    meeting, facilitator, note_taker = running_meeting()
    item = live.add_action(meeting, note_taker, step(meeting, "4B"), "Original")
    live.edit_action(meeting, note_taker, item, "Antecknarens", revision=1, owners=[])
    with pytest.raises(live.StaleEdit):
        live.edit_action(meeting, facilitator, item, "Ledarens", revision=1, owners=[])
    assert EditConflict.objects.filter(meeting=meeting, other_text="Ledarens").exists()


def test_actions_are_reordered(client):
    meeting, _facilitator, note_taker = running_meeting()
    four_b = step(meeting, "4B")
    first = live.add_action(meeting, note_taker, four_b, "Först")
    second = live.add_action(meeting, note_taker, four_b, "Sedan")
    client.force_login(note_taker)
    response = client.post(
        reverse("a3_live:action_move", args=[meeting.pk, second.pk]),
        {"direction": "up"},
        **FETCH,
    )
    assert response.status_code == 204
    assert list(ActionItem.objects.filter(meeting=meeting)) == [second, first]
    content = next(c for box in build_a3(meeting).boxes for c in box.steps if c.step.key == "4B")
    assert [a.what for a in content.actions] == ["Sedan", "Först"]


def test_wishes_not_agreed_are_reordered(client):
    meeting, _facilitator, note_taker = running_meeting()
    four_a = step(meeting, "4A")
    first = live.add_wish(meeting, note_taker, four_a, "Första")
    second = live.add_wish(meeting, note_taker, four_a, "Andra")
    client.force_login(note_taker)
    response = client.post(
        reverse("a3_live:wish_action", args=[meeting.pk, first.pk]),
        {"action": "later"},
        **FETCH,
    )
    assert response.status_code == 204
    assert list(Wish.objects.filter(meeting=meeting)) == [second, first]


# --- Finding 9: everyone present in one click ------------------------------------------------


def test_all_present_marks_everyone_not_yet_marked_each_undoable(client):
    meeting, _facilitator, note_taker = running_meeting()
    olof = meeting.participations.get(person__name="Olof Berg")
    live.set_present(meeting, note_taker, olof, False)
    client.force_login(note_taker)
    response = client.post(reverse("a3_live:attendance_all", args=[meeting.pk]), **FETCH)
    assert response.status_code == 204
    present = {p.person.name: p.present for p in meeting.participations.select_related("person")}
    assert present == {
        "Karin Lindqvist": True,
        "Johan Sjöberg": True,
        "Maria Ek": True,
        "Olof Berg": False,  # marked absent on purpose: stays so
    }
    audit = A3Change.objects.filter(meeting=meeting, action=A3Change.Action.ATTENDANCE)
    assert audit.count() == 4  # one per person, so each can be seen and undone
    maria = meeting.participations.get(person__name="Maria Ek")
    live.set_present(meeting, note_taker, maria, None)
    maria.refresh_from_db()
    assert maria.present is None


def test_all_present_is_one_button_in_step_1(client):
    meeting, _facilitator, note_taker = running_meeting()
    client.force_login(note_taker)
    html = client.get(reverse("a3_live:notes", args=[meeting.pk])).content.decode()
    assert html.count(">Alla närvarande</button>") == 1
    assert meeting.template_version.steps.first().record_kind == Step.RecordKind.ATTENDANCE


def test_a_new_line_typed_in_a_field_is_stored_as_one_newline(client):
    meeting, _facilitator, note_taker = running_meeting()
    client.force_login(note_taker)
    response = client.post(
        reverse("a3_live:entry_add", args=[meeting.pk]),
        {"other": "1", "text": "Första raden\r\nAndra raden"},
        **FETCH,
    )
    assert response.status_code == 204
    assert Entry.objects.get(meeting=meeting).text == "Första raden\nAndra raden"
