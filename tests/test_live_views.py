"""The live meeting's views: who may see and change what, the cheap poll, writes, locking."""

import pytest
from django.urls import reverse

from samtal.a3 import live
from samtal.a3.live_models import A3Change
from samtal.a3.models import Entry
from samtal.conversation_templates.models import Step
from samtal.participants.links import make_token
from samtal.participants.models import Participation
from tests.factories import add_participant, make_user, staffed_meeting

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_LIVE_FETCH": "1"}


@pytest.fixture
def cast():
    meeting, facilitator, note_taker = staffed_meeting()
    reader = make_user("maria")
    add_participant(meeting, "Maria Läsare", user=reader)
    outsider = make_user("utomstaende")
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    return meeting, facilitator, note_taker, reader, outsider


def url(name, meeting, *args):
    return reverse(f"a3_live:{name}", args=[meeting.pk, *args])


@pytest.mark.parametrize("name", ["projector", "notes"])
def test_facilitator_and_note_taker_open_the_working_views(client, cast, name):
    meeting, facilitator, note_taker, _, _ = cast
    for user in (facilitator, note_taker):
        client.force_login(user)
        response = client.get(url(name, meeting))
        assert response.status_code == 200
        assert "Förutsättningar och medverkande" in response.content.decode()


@pytest.mark.parametrize("name", ["projector", "notes", "changes"])
def test_a_participant_may_not_open_the_working_views(client, cast, name):
    meeting, _, _, reader, _ = cast
    client.force_login(reader)
    assert client.get(url(name, meeting)).status_code == 403


def test_a_participant_with_an_account_reads_the_a3_overview(client, cast):
    meeting, _, _, reader, _ = cast
    client.force_login(reader)
    response = client.get(url("overview", meeting))
    assert response.status_code == 200
    assert "Just nu: steg 1" in response.content.decode()


@pytest.mark.parametrize("name", ["projector", "notes", "overview", "changes"])
def test_an_outsider_gets_403(client, cast, name):
    meeting, _, _, _, outsider = cast
    client.force_login(outsider)
    assert client.get(url(name, meeting)).status_code == 403


def test_an_unknown_meeting_is_404(client, cast):
    _, facilitator, _, _, _ = cast
    client.force_login(facilitator)
    assert client.get(reverse("a3_live:projector", args=[99999])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, cast):
    meeting = cast[0]
    response = client.get(url("notes", meeting))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_write_views_refuse_get(client, cast):
    meeting, facilitator, *_ = cast
    client.force_login(facilitator)
    assert client.get(url("entry_add", meeting)).status_code == 405


def test_only_the_facilitator_sees_the_audit_trail(client, cast):
    meeting, facilitator, note_taker, _, _ = cast
    client.force_login(note_taker)
    assert client.get(url("changes", meeting)).status_code == 403
    client.force_login(facilitator)
    response = client.get(url("changes", meeting))
    assert response.status_code == 200
    assert "startade" in response.content.decode()


def test_a_participant_follows_the_a3_through_the_personal_link(client, cast):
    meeting = cast[0]
    maria = meeting.participations.get(person__name="Maria Ek")
    response = client.get(reverse("participants:a3", args=[make_token(maria)]))
    assert response.status_code == 200
    assert "Förutsättningar och medverkande" in response.content.decode()
    assert "anteckning/ny" not in response.content.decode()


def test_a_broken_personal_link_shows_nothing_of_the_meeting(client, cast):
    response = client.get(reverse("participants:a3", args=["trasig"]))
    assert response.status_code == 404
    assert "Hemtjänst" not in response.content.decode()


# --- The fallback poll ----------------------------------------------------------------


def poll_url(meeting, user, kind="overview"):
    from samtal.a3.live_feed import live_key

    return url("poll", meeting) + f"?k={live_key(meeting, kind, {'u': user.pk})}"


# The poll is async: its database work runs in the pool's threads, outside the
# test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_poll_answers_304_when_the_device_has_the_current_version(
    client, cast, django_assert_max_num_queries
):
    meeting, facilitator, *_ = cast
    client.get(poll_url(meeting, facilitator))  # the policy's yes is kept for a minute
    with django_assert_max_num_queries(1):
        response = client.get(
            poll_url(meeting, facilitator), HTTP_IF_NONE_MATCH=f'"{meeting.version}"'
        )
    assert response.status_code == 304
    assert response.content == b""
    assert response["X-Server-Time"].isdigit()


# The poll is async: its database work runs in the pool's threads, outside the
# test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_poll_answers_the_content_of_the_new_version(client, cast):
    meeting, facilitator, *_ = cast
    since = meeting.version
    live.add_entry(meeting, facilitator, None, "Nyss antecknat")
    response = client.get(poll_url(meeting, facilitator), HTTP_IF_NONE_MATCH=f'"{since}"')
    assert response.status_code == 200
    assert response["ETag"] == f'"{since + 1}"'
    body = response.content.decode()
    assert "Nyss antecknat" in body and 'data-live-region="overview"' in body
    assert "<html" not in body


# The poll is async: its database work runs in the pool's threads, outside the
# test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_poll_goes_through_the_middleware(client, cast):
    response = client.get(poll_url(cast[0], cast[1]))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


# The poll is async: its database work runs in the pool's threads, outside the
# test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_poll_refuses_a_wrong_key_or_another_meetings_key(client, cast):
    meeting = cast[0]
    assert client.get(url("poll", meeting) + "?k=fel").status_code == 403
    from samtal.a3.live_feed import live_key
    from tests.factories import make_meeting

    other = make_meeting(theme="Ett annat samtal")

    other_key = live_key(other, "notes", {"u": cast[1].pk})
    assert client.get(url("poll", meeting) + f"?k={other_key}").status_code == 403


# The poll is async: its database work runs in the pool's threads, outside the
# test's transaction.
@pytest.mark.django_db(transaction=True)
def test_each_kind_of_viewer_gets_its_own_content(client, cast):
    meeting, facilitator, *_ = cast
    notes = client.get(poll_url(meeting, facilitator, "notes")).content.decode()
    lead = client.get(poll_url(meeting, facilitator, "notes_lead")).content.decode()
    projector = client.get(poll_url(meeting, facilitator, "projector")).content.decode()
    assert 'data-live-region="notes"' in notes and 'data-live-region="stage"' in projector
    finish = reverse("a3_live:finish", args=[meeting.pk])
    assert finish in lead and finish not in notes
    # Rendered once for everyone: no one's CSRF token in it (live.js sends its own page's).
    assert "csrfmiddlewaretoken" not in notes + lead + projector


def test_the_pages_hand_out_a_key_for_their_kind(client, cast):
    from samtal.a3.live_feed import read_key

    meeting, facilitator, note_taker, reader, _ = cast
    pages = [
        (facilitator, "projector", "projector"),
        (facilitator, "notes", "notes_lead"),
        (note_taker, "notes", "notes"),
        (reader, "overview", "overview"),
    ]
    for user, name, kind in pages:
        client.force_login(user)
        body = client.get(url(name, meeting)).content.decode()
        key = body.split("/live/hamta?k=")[1].split('"')[0]
        assert read_key(meeting.pk, key) == {"m": meeting.pk, "v": kind, "u": user.pk}


def test_a_fragment_request_renders_only_the_live_regions(client, cast):
    meeting, facilitator, *_ = cast
    client.force_login(facilitator)
    response = client.get(url("projector", meeting), HTTP_X_LIVE_FRAGMENT="1")
    body = response.content.decode()
    assert 'data-live-region="stage"' in body and "<html" not in body


# --- Writes -------------------------------------------------------------------------------


def test_a_note_taker_saves_an_entry_with_fetch(client, cast):
    meeting, _, note_taker, _, _ = cast
    client.force_login(note_taker)
    step = meeting.template_version.steps.get(order=3)
    response = client.post(
        url("entry_add", meeting), {"step": step.pk, "text": "Fler resultat"}, **FETCH
    )
    assert response.status_code == 204
    assert Entry.objects.get().text == "Fler resultat"


def test_an_empty_entry_is_refused_with_a_swedish_message(client, cast):
    meeting, _, note_taker, _, _ = cast
    client.force_login(note_taker)
    response = client.post(url("entry_add", meeting), {"other": "1", "text": "  "}, **FETCH)
    assert response.status_code == 400
    assert "Skriv något" in response.content.decode()


def test_without_javascript_a_save_redirects_back(client, cast):
    meeting, _, note_taker, _, _ = cast
    client.force_login(note_taker)
    response = client.post(url("parking_add", meeting), {"text": "Lokalfrågan"})
    assert response.status_code == 302
    assert response["Location"] == url("notes", meeting)


def test_a_participant_cannot_write(client, cast):
    meeting, _, _, reader, _ = cast
    client.force_login(reader)
    assert client.post(url("entry_add", meeting), {"other": "1", "text": "x"}).status_code == 403


def test_a_stale_edit_is_a_409_conflict_and_both_texts_are_kept(client, cast):
    meeting, facilitator, note_taker, _, _ = cast
    entry = live.add_entry(meeting, note_taker, None, "Original")
    live.edit_entry(meeting, note_taker, entry, "Antecknarens", revision=1)
    client.force_login(facilitator)
    response = client.post(
        url("entry_edit", meeting, entry.pk), {"text": "Ledarens", "revision": "1"}, **FETCH
    )
    assert response.status_code == 409
    entry.refresh_from_db()
    assert entry.text == "Antecknarens"
    notes = client.get(url("notes", meeting)).content.decode()
    assert "Ledarens" in notes and "Antecknarens" in notes and "Behåll sparad" in notes


def test_the_fourth_agreed_wish_is_refused_with_a_message(client, cast):
    meeting, facilitator, *_ = cast
    step = meeting.template_version.steps.get(record_kind=Step.RecordKind.WISHES)
    wishes = [live.add_wish(meeting, facilitator, step, f"Önskan {n}") for n in range(4)]
    client.force_login(facilitator)
    for wish in wishes[:3]:
        assert (
            client.post(
                url("wish_action", meeting, wish.pk), {"action": "agree"}, **FETCH
            ).status_code
            == 204
        )
    response = client.post(url("wish_action", meeting, wishes[3].pk), {"action": "agree"}, **FETCH)
    assert response.status_code == 400
    assert "redan kommit överens om 3" in response.content.decode()


def test_one_wish_per_participant_in_the_round(client, cast):
    meeting, facilitator, *_ = cast
    step = meeting.template_version.steps.get(record_kind=Step.RecordKind.WISHES)
    maria = meeting.participations.get(person__name="Maria Ek")
    client.force_login(facilitator)
    data = {"step": step.pk, "text": "Önskan", "participation": maria.pk}
    assert client.post(url("wish_add", meeting), data, **FETCH).status_code == 204
    response = client.post(url("wish_add", meeting), data, **FETCH)
    assert response.status_code == 400 and "en (1) önskning" in response.content.decode()


def test_an_action_with_a_bad_date_gets_a_message(client, cast):
    meeting, facilitator, *_ = cast
    step = meeting.template_version.steps.get(record_kind=Step.RecordKind.ACTIONS)
    client.force_login(facilitator)
    response = client.post(
        url("action_add", meeting), {"step": step.pk, "what": "Gör", "due_date": "v12"}, **FETCH
    )
    assert response.status_code == 400 and "ÅÅÅÅ-MM-DD" in response.content.decode()


def test_unknown_objects_are_404(client, cast):
    meeting, facilitator, *_ = cast
    client.force_login(facilitator)
    assert client.post(url("entry_edit", meeting, 99999), {"text": "x"}).status_code == 404


def test_only_the_facilitator_finishes(client, cast):
    meeting, _, note_taker, _, _ = cast
    client.force_login(note_taker)
    assert client.post(url("finish", meeting), {"bekrafta": "ja"}).status_code == 403


@pytest.mark.parametrize(
    "name,args,data",
    [
        ("entry_add", [], {"other": "1", "text": "För sent"}),
        ("step", [], {"action": "next"}),
        ("timer", [], {"action": "toggle"}),
        ("parking_add", [], {"text": "För sent"}),
        ("finish", [], {"bekrafta": "ja"}),
        ("start", [], {}),
    ],
)
def test_after_finishing_every_write_is_refused(client, cast, name, args, data):
    meeting, facilitator, *_ = cast
    live.finish(meeting, facilitator)
    client.force_login(facilitator)
    response = client.post(url(name, meeting, *args), data)
    assert response.status_code == 403
    assert "låst" in response.content.decode()
    assert not Entry.objects.exists()


def test_after_finishing_an_existing_entry_cannot_be_edited(client, cast):
    meeting, facilitator, *_ = cast
    entry = live.add_entry(meeting, facilitator, None, "Låst text")
    live.finish(meeting, facilitator)
    client.force_login(facilitator)
    response = client.post(
        url("entry_edit", meeting, entry.pk), {"text": "Ändrad", "revision": "1"}, **FETCH
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.text == "Låst text"


def test_finishing_is_recorded_in_the_audit_trail(client, cast):
    meeting, facilitator, *_ = cast
    client.force_login(facilitator)
    client.post(url("finish", meeting), {"bekrafta": "ja"})
    assert A3Change.objects.filter(
        meeting=meeting, action=A3Change.Action.FINISHED, user=facilitator
    ).exists()


def test_finishing_archives_the_pdf_and_asks_everyone_for_their_reflection(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    from samtal.archive.models import ArchivedA3
    from samtal.evaluations.models import ReflectionRequest

    meeting, facilitator, *_ = cast
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("finish", meeting), {"bekrafta": "ja"})
    meeting.refresh_from_db()
    archived = ArchivedA3.objects.get(meeting=meeting)
    assert archived.meeting_version == meeting.version
    asked = ReflectionRequest.objects.filter(participation__meeting=meeting).count()
    assert asked == meeting.participations.exclude(person__email="").count() > 0
    assert any("utvärdering" in m.subject.lower() for m in mailoutbox)


def test_the_meeting_pages_start_button_opens_the_projector(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    response = client.post(reverse("meetings:start", args=[meeting.pk]), {"annan_dag": "ja"})
    assert response["Location"] == url("projector", meeting)
    meeting.refresh_from_db()
    assert meeting.status == "pagar"
    assert meeting.live.current_step.key == "1"


def test_a_planned_meeting_shows_the_start_page_to_its_facilitator(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    response = client.get(url("projector", meeting))
    assert "Starta samtalet" in response.content.decode()
    response = client.post(url("start", meeting), {"annan_dag": "ja"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "pagar"


def test_the_note_taker_cannot_start_the_meeting(client):
    meeting, _, note_taker = staffed_meeting()
    client.force_login(note_taker)
    assert client.post(url("start", meeting)).status_code == 403
    assert Participation.objects.filter(meeting=meeting).exists()


def test_a_template_with_other_steps_drives_the_same_views(client):
    from samtal.conversation_templates.models import ConversationTemplate, TemplateVersion

    version = TemplateVersion.objects.create(
        template=ConversationTemplate.objects.create(name="Workshop"), number=1, title="Workshop"
    )
    common = {"version": version, "prompt": "Gör så här."}
    Step.objects.create(
        order=1,
        key="A",
        title="Incheckning",
        phase="start",
        minutes=3,
        record_kind="lista",
        is_round=True,
        **common,
    )
    Step.objects.create(
        order=2,
        key="B",
        title="Två frågor",
        phase="nutid",
        minutes=7,
        record_kind="fragor",
        questions=["Vad gick bra?", "Vad gick sämre?"],
        **common,
    )
    wishes = Step.objects.create(
        order=3,
        key="C",
        title="Två önskningar",
        phase="framtid",
        minutes=5,
        record_kind="onskningar",
        max_agreed=2,
        **common,
    )
    meeting, facilitator, _ = staffed_meeting(template_version=version)
    live.start_live(meeting, facilitator)
    client.force_login(facilitator)

    assert "Incheckning" in client.get(url("notes", meeting)).content.decode()
    client.post(url("step", meeting), {"action": "next"}, **FETCH)
    notes = client.get(url("notes", meeting)).content.decode()
    assert "Vad gick bra?" in notes and "Vad gick sämre?" in notes
    client.post(url("step", meeting), {"action": "next"}, **FETCH)
    made = [live.add_wish(meeting, facilitator, wishes, t) for t in "ABC"]
    for wish in made[:2]:
        client.post(url("wish_action", meeting, wish.pk), {"action": "agree"}, **FETCH)
    response = client.post(url("wish_action", meeting, made[2].pk), {"action": "agree"}, **FETCH)
    assert response.status_code == 400 and "överens om 2" in response.content.decode()
    assert "Två önskningar" in client.get(url("projector", meeting)).content.decode()


def test_the_meeting_page_leads_the_facilitator_into_the_live_views(client, cast):
    meeting, facilitator, *_ = cast
    client.force_login(facilitator)
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert url("projector", meeting) in body and url("notes", meeting) in body
    assert url("changes", meeting) in body


def test_the_meeting_page_offers_participants_only_the_a3(client, cast):
    meeting, _, _, reader, _ = cast
    client.force_login(reader)
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert url("overview", meeting) in body and url("notes", meeting) not in body


def test_take_in_and_edit_prefills_the_next_row_without_javascript(client, cast):
    from samtal.participants.models import Preparation, PreparationAnswer

    meeting, facilitator, note_taker, _, _ = cast
    maria = meeting.participations.get(person__name="Maria Ek")
    live.set_present(meeting, facilitator, maria, True)
    live.move_step(meeting, facilitator, "next")
    step = meeting.template_version.steps.get(key="2A")
    answer = PreparationAnswer.objects.create(
        preparation=Preparation.objects.create(participation=maria),
        step=step,
        text="Kortare väntetider",
        reason="Mätningen i mars",
    )
    client.force_login(note_taker)
    body = client.get(url("notes", meeting) + f"?forberedelse={answer.pk}").content.decode()
    assert (
        f'id="new-{step.pk}-text" name="text" autocomplete="off" value="Kortare väntetider"' in body
    )
    assert 'value="Mätningen i mars"' in body
