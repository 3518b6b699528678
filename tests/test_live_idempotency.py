"""Every "add" carries an idempotency key: the same key twice stores one row, whether it comes
twice in a row (double click, Enter twice, a retry) or at the same moment (two connections)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from samtal.a3 import live
from samtal.a3.live_models import A3Change, EditConflict
from samtal.a3.models import Entry, ParkingLotItem, Wish
from samtal.actions.models import ActionItem, FollowUp
from samtal.conversation_templates.models import Step
from samtal.meetings.models import Meeting
from samtal.participants.models import EmailDelivery, Participation
from tests.factories import add_participant, staffed_meeting

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_LIVE_FETCH": "1"}
KEY = "a1b2c3d4e5f60718"


def running_meeting():
    meeting, facilitator, note_taker = staffed_meeting()
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    return meeting, facilitator, note_taker


def step_of(meeting, kind):
    return Step.objects.filter(version=meeting.template_version, record_kind=kind).first()


def adds(meeting):
    """(url name, POST data, how to count what it stored) for every live "add"."""
    wishes = step_of(meeting, Step.RecordKind.WISHES)
    return [
        ("entry_add", {"text": "En rad", "other": "1"}, Entry.objects.filter(meeting=meeting)),
        (
            "wish_add",
            {"text": "En önskan", "step": wishes.pk},
            Wish.objects.filter(meeting=meeting),
        ),
        ("action_add", {"what": "Göra något"}, ActionItem.objects.filter(meeting=meeting)),
        ("parking_add", {"text": "Senare"}, ParkingLotItem.objects.filter(meeting=meeting)),
        (
            "add_person",
            {"name": "Oanmäld Person"},
            Participation.objects.filter(meeting=meeting, unannounced=True),
        ),
    ]


def test_the_same_key_twice_stores_one_row_for_every_add(client):
    meeting, _facilitator, note_taker = running_meeting()
    client.force_login(note_taker)
    for name, data, stored in adds(meeting):
        target = reverse(f"a3_live:{name}", args=[meeting.pk])
        for _ in range(2):
            response = client.post(target, {**data, "client_key": KEY + name[:3]}, **FETCH)
            assert response.status_code == 204, (name, response.content)
        assert stored.count() == 1, name
        # A new key is a new row.
        client.post(target, {**data, "client_key": KEY + name[:3] + "x"}, **FETCH)
        assert stored.count() == 2, name


def test_a_repeat_records_no_second_audit_row_and_no_new_version(client):
    meeting, _facilitator, note_taker = running_meeting()
    client.force_login(note_taker)
    target = reverse("a3_live:entry_add", args=[meeting.pk])
    client.post(target, {"text": "En gång", "other": "1", "client_key": KEY}, **FETCH)
    version = Meeting.objects.get(pk=meeting.pk).version
    changes = A3Change.objects.filter(meeting=meeting).count()
    client.post(target, {"text": "En gång", "other": "1", "client_key": KEY}, **FETCH)
    assert Meeting.objects.get(pk=meeting.pk).version == version
    assert A3Change.objects.filter(meeting=meeting).count() == changes


def test_without_javascript_the_form_carries_a_key_made_by_the_server(client):
    meeting, _facilitator, note_taker = running_meeting()
    client.force_login(note_taker)
    page = client.get(reverse("a3_live:notes", args=[meeting.pk])).content.decode()
    assert 'name="client_key"' in page


def test_a_wish_repeated_in_a_round_is_not_refused_as_a_second_wish(client):
    meeting, _facilitator, note_taker = running_meeting()
    participant = add_participant(meeting, "Ada Deltagare")
    wishes = step_of(meeting, Step.RecordKind.WISHES)
    client.force_login(note_taker)
    target = reverse("a3_live:wish_add", args=[meeting.pk])
    data = {"text": "Mer tid", "step": wishes.pk, "participation": participant.pk}
    for _ in range(2):
        assert client.post(target, {**data, "client_key": KEY}, **FETCH).status_code == 204
    assert Wish.objects.filter(meeting=meeting).count() == 1


def test_a_follow_up_report_sent_twice_is_stored_once(client):
    meeting, facilitator, _note_taker = running_meeting()
    item = live.add_action(meeting, facilitator, None, "Ringa kommunen")
    live.finish(meeting, facilitator)
    client.force_login(facilitator)
    target = reverse("actions:detail", args=[item.pk])
    data = {
        "reported_on": meeting.date.isoformat(),
        "text": "Klart",
        "status": "klar",
        "client_key": KEY,
    }
    for _ in range(2):
        assert client.post(target, data).status_code == 302
    assert FollowUp.objects.filter(action_item=item).count() == 1


def test_sending_the_invitations_twice_with_one_key_sends_once(client, mailoutbox):
    meeting, facilitator, _note_taker = staffed_meeting()
    add_participant(meeting, "Ada Deltagare", email="ada@example.se")
    client.force_login(facilitator)
    target = reverse("meetings:invitations_send", args=[meeting.pk])
    client.post(target, {"client_key": KEY})
    sent = len(mailoutbox)
    assert sent >= 1
    client.post(target, {"client_key": KEY})
    assert len(mailoutbox) == sent
    assert EmailDelivery.objects.filter(client_key=KEY).count() == sent


def test_resending_one_invitation_twice_with_one_key_sends_once(client, mailoutbox):
    meeting, facilitator, _note_taker = staffed_meeting()
    ada = add_participant(meeting, "Ada Deltagare", email="ada@example.se")
    client.force_login(facilitator)
    target = reverse("meetings:participant_invite", args=[meeting.pk, ada.pk])
    client.post(target, {"client_key": KEY, "new_link": "1"})
    generation = Participation.objects.get(pk=ada.pk).link_generation
    client.post(target, {"client_key": KEY, "new_link": "1"})
    assert len(mailoutbox) == 1
    assert Participation.objects.get(pk=ada.pk).link_generation == generation
    client.post(target, {"client_key": KEY + "2"})
    assert len(mailoutbox) == 2


# --- Editing what someone else deleted --------------------------------------------------


def test_editing_a_deleted_entry_restores_it_with_the_edit(client):
    meeting, facilitator, note_taker = running_meeting()
    step = step_of(meeting, Step.RecordKind.LIST) or meeting.template_version.steps.first()
    entry = live.add_entry(meeting, note_taker, step, "Gammal text")
    entry_id = entry.pk
    live.delete_entry(meeting, note_taker, entry)
    client.force_login(facilitator)
    target = reverse("a3_live:entry_edit", args=[meeting.pk, entry_id])
    data = {"text": "Ledarens nya text", "step": step.pk, "revision": "1"}
    response = client.post(target, data, **FETCH)
    assert response.status_code == 200
    assert "tillbaka" in response.content.decode()
    restored = Entry.objects.get(meeting=meeting)
    assert (restored.text, restored.step_id) == ("Ledarens nya text", step.pk)
    assert A3Change.objects.filter(meeting=meeting, action="aterstallde").count() == 1
    # The same save retried restores nothing more; a second editor's text becomes a conflict.
    client.post(target, data, **FETCH)
    client.post(target, {**data, "text": "Antecknarens text"}, **FETCH)
    assert Entry.objects.filter(meeting=meeting).count() == 1
    texts = set(EditConflict.objects.filter(meeting=meeting).values_list("other_text", flat=True))
    assert "Antecknarens text" in texts


def test_editing_a_deleted_wish_or_action_restores_it(client):
    meeting, facilitator, note_taker = running_meeting()
    wishes = step_of(meeting, Step.RecordKind.WISHES)
    wish = live.add_wish(meeting, note_taker, wishes, "Önskan")
    item = live.add_action(meeting, note_taker, None, "Åtgärd")
    wish_id, item_id = wish.pk, item.pk
    live.delete_wish(meeting, note_taker, wish)
    live.delete_action(meeting, note_taker, item)
    client.force_login(facilitator)
    wish_url = reverse("a3_live:wish_edit", args=[meeting.pk, wish_id])
    response = client.post(wish_url, {"text": "Ändrad önskan", "step": wishes.pk}, **FETCH)
    assert response.status_code == 200
    action_url = reverse("a3_live:action_edit", args=[meeting.pk, item_id])
    assert client.post(action_url, {"what": "Ändrad åtgärd"}, **FETCH).status_code == 200
    assert Wish.objects.get(meeting=meeting).text == "Ändrad önskan"
    assert ActionItem.objects.get(meeting=meeting).what == "Ändrad åtgärd"


# --- Two connections at the same moment (PostgreSQL) -----------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_one_key_store_one_row_for_every_add():
    meeting, _facilitator, note_taker = running_meeting()
    for name, data, stored in adds(meeting):
        target = reverse(f"a3_live:{name}", args=[meeting.pk])
        barrier = threading.Barrier(4)
        statuses = []

        def post(target=target, data=data, name=name, barrier=barrier, statuses=statuses):
            browser = Client()
            browser.force_login(note_taker)
            barrier.wait(5)
            try:
                response = browser.post(target, {**data, "client_key": KEY + name}, **FETCH)
                statuses.append(response.status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=post) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert statuses == [204] * 4, (name, statuses)
        assert stored.count() == 1, name


# --- Actions (buttons): retried with their key, done once -------------------------------


def test_a_retried_button_press_is_done_once(client):
    meeting, facilitator, _ = running_meeting()
    client.force_login(facilitator)
    target = reverse("a3_live:step", args=[meeting.pk])
    steps = list(meeting.template_version.steps.all())
    for _ in range(3):  # the answer was lost twice; the same press is sent again
        response = client.post(target, {"action": "next", "action_key": KEY}, **FETCH)
        assert response.status_code == 204
    assert meeting.live.current_step_id == steps[1].pk
    assert A3Change.objects.filter(meeting=meeting, client_key=KEY).count() == 1
    # A new press (a new key) moves on.
    client.post(target, {"action": "next", "action_key": KEY + "2"}, **FETCH)
    meeting.live.refresh_from_db()
    assert meeting.live.current_step_id == steps[2].pk


def test_a_retried_finish_answers_done_on_the_locked_meeting(client):
    meeting, facilitator, _ = running_meeting()
    client.force_login(facilitator)
    target = reverse("a3_live:finish", args=[meeting.pk])
    data = {"bekrafta": "ja", "action_key": KEY}
    assert client.post(target, data, **FETCH).status_code == 200  # with its message
    assert client.post(target, data, **FETCH).status_code == 204
    assert client.post(target, {**data, "action_key": KEY + "2"}, **FETCH).status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_presses_with_one_key_move_one_step():
    meeting, facilitator, _ = running_meeting()
    target = reverse("a3_live:step", args=[meeting.pk])
    barrier = threading.Barrier(4)
    statuses = []

    def press():
        browser = Client()
        browser.force_login(facilitator)
        barrier.wait(5)
        try:
            response = browser.post(target, {"action": "next", "action_key": KEY}, **FETCH)
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert statuses == [204] * 4
    steps = list(meeting.template_version.steps.all())
    meeting.live.refresh_from_db()
    assert meeting.live.current_step_id == steps[1].pk
