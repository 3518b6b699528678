"""The admin and the live A3: a finished meeting's content is read-only there, a meeting's
status is changed only in the app, and changes to a running meeting are audited and versioned."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from samtal.a3 import live
from samtal.a3.live_models import A3Change
from samtal.a3.models import Entry, ParkingLotItem, Step, Wish
from samtal.actions.models import ActionItem
from samtal.meetings.models import Meeting
from tests.factories import staffed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(User.objects.create_superuser("admin", "admin@kommun.example", "x"))
    return client


@pytest.fixture
def running():
    meeting, facilitator, note_taker = staffed_meeting()
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    return meeting, facilitator, note_taker


def wishes_step(meeting):
    return meeting.template_version.steps.get(record_kind=Step.RecordKind.WISHES)


def content_of(meeting, user):
    """One of each kind of A3 content the admin shows."""
    return {
        "entry": live.add_entry(meeting, user, None, "Påstående", "för att"),
        "wish": live.add_wish(meeting, user, wishes_step(meeting), "Önskan"),
        "parkinglotitem": live.park(meeting, user, "Parkerad fråga"),
        "actionitem": live.add_action(meeting, user, None, "Ring Olof"),
    }


def admin_url(obj, view):
    name = f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}"
    return reverse(name, args=[obj.pk] if view != "add" and view != "changelist" else [])


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_a_finished_meetings_content_is_read_only_in_the_admin(admin, running):
    meeting, facilitator, _ = running
    content = content_of(meeting, facilitator)
    live.finish(meeting, facilitator)
    version = Meeting.objects.get(pk=meeting.pk).version
    changes = A3Change.objects.count()

    for name in ("entry", "wish", "parkinglotitem"):
        obj = content[name]
        page = admin.get(admin_url(obj, "change"))
        assert page.status_code == 200
        # The view-only page: no save button, no delete link.
        html = page.content.decode()
        assert 'name="_save"' not in html and admin_url(obj, "delete") not in html
        field = "text"
        assert (
            admin.post(admin_url(obj, "change"), {field: "Ändrat i efterhand"}).status_code == 403
        )
        assert admin.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403
        obj.refresh_from_db()
        assert obj.text != "Ändrat i efterhand"

    # Deleting a selection that holds a finished meeting's content deletes nothing.
    entry = content["entry"]
    response = admin.post(
        changelist(Entry),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Entry.objects.filter(pk=entry.pk).exists()

    # New content for a finished meeting is refused with the app's message.
    response = admin.post(
        reverse("admin:a3_entry_add"), {"meeting": meeting.pk, "text": "Efteråt", "position": 1}
    )
    assert response.status_code == 200
    assert "Samtalet är avslutat och A3:an är låst" in response.content.decode()
    assert Entry.objects.filter(meeting=meeting).count() == 1
    for model in (Wish, ParkingLotItem, ActionItem):
        assert model.objects.filter(meeting=meeting).count() == 1

    assert Meeting.objects.get(pk=meeting.pk).version == version
    assert A3Change.objects.count() == changes


def test_a_finished_meetings_action_item_keeps_its_text_but_can_be_followed_up(admin, running):
    meeting, facilitator, _ = running
    item = content_of(meeting, facilitator)["actionitem"]
    live.finish(meeting, facilitator)
    assert admin.post(admin_url(item, "delete"), {"post": "yes"}).status_code == 403
    page = admin.get(admin_url(item, "change"))
    data = form_data(page, what="Ändrat i efterhand", status=ActionItem.Status.DONE)
    response = admin.post(admin_url(item, "change"), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.what, item.status) == ("Ring Olof", ActionItem.Status.DONE)


def test_the_admin_cannot_start_or_finish_a_meeting(admin, running):
    meeting, _, _ = running
    page = admin.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    data = form_data(page, theme="Nytt tema", status=Meeting.Status.FINISHED)
    response = admin.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.theme == "Nytt tema"
    assert meeting.status == Meeting.Status.RUNNING and meeting.finished_at is None


def form_data(page, **changes):
    """What the admin's change form would post back unchanged, with `changes` applied."""
    form = page.context["adminform"].form
    data = {}
    for field in form.fields:
        value = form.initial.get(field)
        if value is None:
            continue
        if isinstance(value, list):
            value = [v.pk for v in value]
        elif hasattr(value, "isoformat") and hasattr(value, "hour"):
            value = value.strftime("%H:%M")
        data[field] = value
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(changes)
    return data


def test_a_finished_meetings_attendance_is_read_only_in_the_admin(admin, running):
    meeting, facilitator, _ = running
    live.finish(meeting, facilitator)
    page = admin.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200
    assert 'name="participations-0-present"' not in page.content.decode()
    participation = meeting.participations.first()
    url = reverse("admin:participants_participation_change", args=[participation.pk])
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"present": "on"}).status_code == 403
    delete = reverse("admin:participants_participation_delete", args=[participation.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    assert meeting.participations.filter(pk=participation.pk).exists()


def test_content_added_in_the_admin_to_a_running_meeting_is_audited(admin, running):
    meeting, _, _ = running
    version = Meeting.objects.get(pk=meeting.pk).version
    response = admin.post(
        reverse("admin:a3_parkinglotitem_add"),
        {"meeting": meeting.pk, "text": "Från administrationen", "position": 1},
    )
    assert response.status_code == 302
    item = ParkingLotItem.objects.get(meeting=meeting)
    change = A3Change.objects.filter(meeting=meeting).last()
    assert (change.kind, change.action, change.object_id, change.new_text) == (
        A3Change.Kind.PARKING,
        A3Change.Action.WROTE,
        item.pk,
        "Från administrationen",
    )
    assert Meeting.objects.get(pk=meeting.pk).version == version + 1


@pytest.mark.parametrize("name", ["entry", "wish", "parkinglotitem", "actionitem"])
def test_an_admin_change_to_a_running_meeting_is_audited_and_bumps_the_version(
    admin, running, name
):
    meeting, facilitator, _ = running
    obj = content_of(meeting, facilitator)[name]
    version = Meeting.objects.get(pk=meeting.pk).version
    text_field = "what" if name == "actionitem" else "text"
    page = admin.get(admin_url(obj, "change"))
    data = form_data(page, **{text_field: "Rättat i administrationen"})
    response = admin.post(admin_url(obj, "change"), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    obj.refresh_from_db()
    assert getattr(obj, text_field) == "Rättat i administrationen"
    assert Meeting.objects.get(pk=meeting.pk).version == version + 1
    change = A3Change.objects.filter(meeting=meeting).last()
    assert (change.user.username, change.object_id, change.action) == (
        "admin",
        obj.pk,
        A3Change.Action.CHANGED,
    )
    assert "Rättat i administrationen" in change.new_text

    response = admin.post(admin_url(obj, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    assert Meeting.objects.get(pk=meeting.pk).version == version + 2
    assert A3Change.objects.filter(meeting=meeting).last().action == A3Change.Action.DELETED


def test_an_admin_edit_makes_a_stale_editor_in_the_room_get_a_conflict(admin, running):
    meeting, facilitator, note_taker = running
    entry = live.add_entry(meeting, note_taker, None, "Före")
    response = admin.post(
        admin_url(entry, "change"), {"text": "Admin", "reason": "", "position": entry.position}
    )
    assert response.status_code == 302
    with pytest.raises(live.StaleEdit):
        live.edit_entry(meeting, note_taker, entry, "Antecknaren", revision=1)
    entry.refresh_from_db()
    assert entry.text == "Admin"
