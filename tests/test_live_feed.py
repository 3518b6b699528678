"""The live feed: a change committed by anyone reaches a waiting stream (LISTEN/NOTIFY on
PostgreSQL, in-process on SQLite) with the content its kind of viewer sees."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient
from django.urls import reverse

from samtal.a3 import live, live_feed
from samtal.core.broadcast import hub
from tests.factories import staffed_meeting


def running_meeting():
    meeting, facilitator, note_taker = staffed_meeting()
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    return meeting, facilitator, note_taker


async def next_event(stream, name, timeout=15):
    while True:
        chunk = (await asyncio.wait_for(stream.__anext__(), timeout)).decode()
        if f"event: {name}\n" in chunk:
            return chunk


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_is_pushed_to_a_waiting_stream():
    meeting, facilitator, _ = running_meeting()
    write = sync_to_async(live.add_entry, thread_sensitive=False)
    seen = meeting.version

    async def scenario():
        stream = live_feed.events(meeting.pk, "overview", seen)
        assert b"event: hello" in await stream.__anext__()
        await write(meeting, facilitator, None, "Pushad rad")
        pushed = await next_event(stream, "live")
        assert f"id: {seen + 1}\n" in pushed
        assert "Pushad rad" in pushed and 'data-live-region="overview"' in pushed
        assert "csrfmiddlewaretoken" not in pushed
        await stream.aclose()

    asyncio.run(scenario())
    assert not hub.rooms  # the closed stream left the hub


@pytest.mark.django_db(transaction=True)
def test_a_stream_that_missed_versions_gets_the_current_content_at_once():
    meeting, facilitator, _ = running_meeting()
    seen = meeting.version
    live.add_entry(meeting, facilitator, None, "Skrivet medan enheten var borta")

    async def scenario():
        stream = live_feed.events(meeting.pk, "notes", seen)
        await stream.__anext__()
        caught_up = await next_event(stream, "live")
        assert "Skrivet medan enheten var borta" in caught_up
        await stream.aclose()

    asyncio.run(scenario())


@pytest.mark.django_db(transaction=True)
def test_one_read_and_one_render_per_version_and_kind_is_shared_by_the_devices(monkeypatch):
    meeting, facilitator, _ = running_meeting()
    reads, rendered = [], []
    render = live_feed.render_fragments
    template = live_feed.render_to_string

    def counting_reads(meeting_id, kinds, publish):
        reads.append(sorted(kinds))
        return render(meeting_id, kinds, publish)

    def counting_renders(name, context):
        rendered.append(name)
        return template(name, context)

    monkeypatch.setattr(live_feed, "render_fragments", counting_reads)
    monkeypatch.setattr(live_feed, "render_to_string", counting_renders)

    async def scenario():
        kinds = ["overview"] * 5 + ["projector", "notes", "notes", "notes_lead"]
        seen = meeting.version
        streams = [live_feed.events(meeting.pk, kind, seen) for kind in kinds]
        for stream in streams:
            await stream.__anext__()
        await sync_to_async(live.add_entry, thread_sensitive=False)(
            meeting, facilitator, None, "En gång"
        )
        for kind, stream in zip(kinds, streams, strict=True):
            pushed = await next_event(stream, "live")
            assert f"id: {seen + 1}\n" in pushed
            assert kind == "projector" or "En gång" in pushed
            # The note-takers' fragment is rendered once; only its end depends on who leads.
            if kind.startswith("notes"):
                assert ("Lämna över anteckningen" in pushed) == (kind == "notes_lead")
                assert ("Granska och avsluta" in pushed) == (kind == "notes_lead")
                assert "samtal:lead" not in pushed
            await stream.aclose()

    asyncio.run(scenario())
    assert reads == [["notes", "notes_lead", "overview", "projector"]]
    assert sorted(rendered) == [
        "a3/live/notes.html#live",
        "a3/live/notes.html#side_end",
        "a3/live/notes.html#side_end",
        "a3/live/overview.html#live",
        "a3/live/projector.html#live",
    ]


@pytest.mark.django_db
def test_the_stream_refuses_a_wrong_key():
    meeting, *_ = running_meeting()
    url = reverse("a3_live:stream", args=[meeting.pk])
    response = asyncio.run(AsyncClient().get(url + "?k=fel"))
    assert response.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_under_wsgi_the_stream_says_no_at_once_so_the_device_polls(client):
    meeting, facilitator, _ = running_meeting()
    url = reverse("a3_live:stream", args=[meeting.pk])
    key = live_feed.live_key(meeting, "overview", {"u": facilitator.pk})
    response = client.get(url + f"?k={key}")
    assert response.status_code == 204


@pytest.mark.django_db(transaction=True)
def test_the_stream_asks_the_access_policy_when_a_device_connects():
    meeting, facilitator, note_taker = running_meeting()
    participant = meeting.participations.filter(role="deltagare").first()
    link = {"p": participant.pk, "g": participant.link_generation}

    def payload(kind, holder):
        return live_feed.read_key(meeting.pk, live_feed.live_key(meeting, kind, holder))

    assert live_feed.still_allowed(payload("overview", link))
    assert live_feed.still_allowed(payload("notes", {"u": note_taker.pk}))
    assert live_feed.still_allowed(payload("notes_lead", {"u": facilitator.pk}))
    # A note-taker's key cannot be turned into the facilitator's view, nor a participant's
    # into the note-taker's.
    assert not live_feed.still_allowed(payload("notes_lead", {"u": note_taker.pk}))
    assert not live_feed.still_allowed(payload("notes", link))

    participant.revoke_link()
    url = reverse("a3_live:stream", args=[meeting.pk])
    revoked = live_feed.live_key(meeting, "overview", link)
    assert asyncio.run(AsyncClient().get(url + f"?k={revoked}")).status_code == 403
    note_taker.is_active = False
    note_taker.save()
    removed = live_feed.live_key(meeting, "notes", {"u": note_taker.pk})
    assert asyncio.run(AsyncClient().get(url + f"?k={removed}")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_stream_ends_after_its_lifetime_so_the_device_reconnects_and_is_asked_again():
    meeting, *_ = running_meeting()

    async def scenario():
        stream = live_feed.events(meeting.pk, "overview", meeting.version, lifetime=0.5)
        chunks = [chunk.decode() async for chunk in stream]
        assert "event: hello" in chunks[0]

    asyncio.run(asyncio.wait_for(scenario(), 10))
    assert not hub.rooms


@pytest.mark.django_db(transaction=True)
def test_the_poll_waits_for_the_next_change_and_answers_it(monkeypatch):
    meeting, facilitator, _ = running_meeting()
    key = live_feed.live_key(meeting, "overview", {"u": facilitator.pk})
    url = reverse("a3_live:poll", args=[meeting.pk]) + f"?k={key}"
    seen = meeting.version
    monkeypatch.setattr(live_feed, "POLL_WAIT_SECONDS", 1)

    async def scenario():
        client = AsyncClient()
        unchanged = await client.get(url, headers={"If-None-Match": f'"{seen}"'})
        assert unchanged.status_code == 304
        monkeypatch.setattr(live_feed, "POLL_WAIT_SECONDS", 15)
        waiting = asyncio.ensure_future(client.get(url, headers={"If-None-Match": f'"{seen}"'}))
        await asyncio.sleep(0.5)
        assert not waiting.done()
        await sync_to_async(live.add_entry, thread_sensitive=False)(
            meeting, facilitator, None, "Medan enheten väntade"
        )
        answered = await asyncio.wait_for(waiting, 10)
        assert answered.status_code == 200
        assert answered["ETag"] == f'"{seen + 1}"'
        assert "Medan enheten väntade" in answered.content.decode()

    asyncio.run(scenario())


@pytest.mark.django_db
def test_a_meetings_unit_and_template_are_read_again_only_when_they_may_have_changed():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samtal.conversation_templates.models import Step
    from samtal.meetings.models import Meeting, Unit

    meeting, *_ = running_meeting()
    live_feed.frames.forget(meeting.pk)
    published = {}

    def render():
        with CaptureQueriesContext(connection) as queries:
            live_feed.render_fragments(meeting.pk, ["overview"], published.__setitem__)
        return len(queries)

    first, second = render(), render()
    assert second == first - 3  # the unit, the template version and its steps

    # Moved to another unit: read again at once.
    other = Unit.objects.create(organisation=meeting.unit.organisation, name="Kulturnämnden")
    Meeting.objects.filter(pk=meeting.pk).update(unit=other)
    assert render() == first
    assert render() == second

    # A change to the template (in the admin) shows within FRAME_SECONDS.
    step = meeting.template_version.steps.order_by("order")[1]  # not the current one
    Step.objects.filter(pk=step.pk).update(title="Rättad rubrik")
    render()
    assert "Rättad rubrik" not in published["overview"][1]
    unit_id, version_id, _, *frame = live_feed.frames.known[meeting.pk]
    live_feed.frames.known[meeting.pk] = (unit_id, version_id, 0, *frame)  # its time is up
    assert render() == first
    assert "Rättad rubrik" in published["overview"][1]
