"""What the devices of a live meeting receive: one event stream each, or a conditional poll.

A device's page carries a live key (samtal.core.tokens.LIVE_KEY) naming the meeting, the kind
of view it shows and who it was handed to (a user, or a personal link and its generation).
The stream and the poll ask the access policy again when a device connects (a stream ends
after STREAM_SECONDS and the device reconnects, so a revoked link or a removed user is let go
within minutes), and otherwise trust the key.

What a kind of viewer sees does not depend on who looks, so each process reads the meeting
once per version and renders every kind its devices show from that one read, once, shared by
all its streams and polls. Everything here runs on the ASGI server's event loop; database
work and rendering go to the shared thread pool, never to a thread per device.
"""

import asyncio
import random
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from samtal.conversation_templates.models import TemplateVersion
from samtal.core.broadcast import hub
from samtal.core.policy import Viewer, access
from samtal.core.tokens import LIVE_KEY, LinkError
from samtal.meetings.models import Meeting, Unit
from samtal.participants.links import expires_on
from samtal.participants.models import Participation

# What each kind of viewer sees: its page template (the fragment is its `live` partial), and
# what the viewer must be allowed in the meeting to follow it.
KINDS = {
    "projector": "a3/live/projector.html",
    "notes": "a3/live/notes.html",
    "notes_lead": "a3/live/notes.html",
    "overview": "a3/live/overview.html",
}
NEEDS = {
    "projector": "follow_live",
    "notes": "follow_live",
    "notes_lead": "lead",
    "overview": "see",
}
PING_SECONDS = 15
# A stream ends after this long (give or take a minute) and the device reconnects at once,
# which asks the access policy again.
STREAM_SECONDS = 600
# The fallback poll: a device in step with the meeting is answered when the version moves, or
# with 304 after POLL_WAIT_SECONDS (short enough for proxies that cut slow answers).
POLL_WAIT_SECONDS = 20
POLL_INTERVAL_MS = 1000
KEEP_SECONDS = 300  # renders of a meeting nobody follows are dropped after this long
ALLOWED_SECONDS = 60  # how long a poll trusts the policy's last yes for its key
# Some proxies hold back the first bytes of a response; a comment this long pushes them on.
PADDING = ":" + " " * 2048 + "\n\n"


def holder(request):
    """Who a page's live key is handed to: the personal link, else the logged-in user."""
    participation = getattr(request, "link_participation", None)
    if participation is not None:
        return {"p": participation.pk, "g": participation.link_generation}
    return {"u": request.user.pk}


def live_key(meeting, kind, holder):
    return LIVE_KEY.make({"m": meeting.pk, "v": kind, **holder})


def read_key(meeting_id, key):
    """The key's payload if it is for this meeting and a known kind of view, else None."""
    try:
        payload = LIVE_KEY.read(key, required=("m",))
    except LinkError:
        return None
    if payload["m"] != int(meeting_id) or payload.get("v") not in KINDS:
        return None
    if not isinstance(payload.get("u"), int) and not isinstance(payload.get("p"), int):
        return None
    return payload


def urls(meeting, kind, request):
    key = live_key(meeting, kind, holder(request))
    return {
        "stream_url": reverse("a3_live:stream", args=[meeting.pk]) + f"?k={key}",
        "poll_url": reverse("a3_live:poll", args=[meeting.pk]) + f"?k={key}",
        "poll_interval": POLL_INTERVAL_MS,
    }


def server_now_ms():
    return int(time.time() * 1000)


def still_allowed(payload):
    """Whether the key's holder may still follow its kind of view (the access policy)."""
    meeting = Meeting.objects.filter(pk=payload["m"]).first()
    if meeting is None:
        return False
    if "p" in payload:
        participation = (
            Participation.objects.select_related("person")
            .filter(pk=payload["p"], meeting=meeting, link_generation=payload.get("g"))
            .first()
        )
        if participation is None or timezone.localdate() > expires_on(meeting):
            return False
        viewer = Viewer(participation=participation)
    else:
        user = get_user_model().objects.filter(pk=payload["u"], is_active=True).first()
        if user is None:
            return False
        viewer = Viewer(user=user)
    return bool(getattr(access(viewer, meeting), NEEDS[payload["v"]]))


class Allowed:
    """The policy's recent answers by key, so that a polling device is not asked each time."""

    def __init__(self):
        self.answers = {}

    async def check(self, key, payload, fresh=False):
        now = time.monotonic()
        known = self.answers.get(key)
        if fresh or known is None or known[0] < now:
            if len(self.answers) > 20000:
                self.answers = {k: v for k, v in self.answers.items() if v[0] >= now}
            known = (now + ALLOWED_SECONDS, await in_pool(still_allowed, payload))
            self.answers[key] = known
        return known[1]


allowed = Allowed()


# --- Rendering, once per version for every kind ------------------------------------------


# Where the note-taker's fragment has the part that depends on whether the viewer leads.
LEAD_SLOT = mark_safe("<!--samtal:lead-->")


def render_fragments(meeting_id, kinds, publish):
    """Read the meeting once and render what each of `kinds` sees, handing each to
    publish(kind, (version, html)) as soon as it is done: the kinds that only follow first
    (in the order given), then the note-taker's, whose context costs more. False if the
    meeting is gone."""
    from .live_views import add_editing, live_context

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return False
    context = live_context(meeting, editor=False, steps=frames.attach(meeting))
    followed = [kind for kind in kinds if not kind.startswith("notes")]
    for kind in followed:
        html = render_to_string(KINDS[kind] + "#live", context)
        publish(kind, (meeting.version, html))
    taking_notes = [kind for kind in kinds if kind.startswith("notes")]
    if taking_notes:
        if not meeting.is_locked:
            add_editing(context)
        context["lead_slot"] = LEAD_SLOT
        shared = render_to_string(KINDS["notes"] + "#live", context)
        for kind in taking_notes:
            context["access"] = {"lead": kind == "notes_lead"}
            end = render_to_string(KINDS[kind] + "#side_end", context)
            publish(kind, (meeting.version, shared.replace(LEAD_SLOT, end, 1)))
    return True


class Frames:
    """What a meeting's renders need that hardly changes while it runs: its unit and
    organisation, and its template version (frozen) with the steps. Read again after
    FRAME_SECONDS, or at once if the meeting moves to another unit or version, rather than
    with every change (a fifth of a render's database work)."""

    def __init__(self):
        # meeting id -> (unit id, version id, read again after, unit, version, steps)
        self.known = {}

    def attach(self, meeting):
        """Set the meeting's unit and template version; its steps."""
        known = self.known.get(meeting.pk)
        if (
            known is None
            or known[:2] != (meeting.unit_id, meeting.template_version_id)
            or known[2] < time.monotonic()
        ):
            unit = Unit.objects.select_related("organisation").get(pk=meeting.unit_id)
            version = TemplateVersion.objects.select_related("template").get(
                pk=meeting.template_version_id
            )
            steps = list(version.steps.all())
            known = (unit.pk, version.pk, time.monotonic() + FRAME_SECONDS, unit, version, steps)
            self.known[meeting.pk] = known
        meeting.unit, meeting.template_version = known[3], known[4]
        return known[5]

    def forget(self, meeting_id):
        self.known.pop(meeting_id, None)


FRAME_SECONDS = 60
frames = Frames()


class Render(NamedTuple):
    """What one kind of viewer sees at a version: the HTML, and as the stream's event."""

    version: int
    html: str
    event: bytes


class Renders:
    """The newest render of each (meeting, kind) in this process, shared by its devices.

    When a device needs a newer version than the one at hand, every kind this process's
    devices of the meeting show is rendered from one read, the kind most of them show first."""

    def __init__(self):
        self.latest = {}  # (meeting id, kind) -> [version, future of (version, html) or None]
        self.audience = defaultdict(Counter)  # meeting id -> kind -> streams
        self.polls = defaultdict(dict)  # meeting id -> kind -> when last polled
        self.rendering = None
        self.forgotten_at = time.monotonic()

    def join(self, meeting_id, kind):
        self.audience[meeting_id][kind] += 1

    def leave(self, meeting_id, kind):
        audience = self.audience[meeting_id]
        audience[kind] -= 1
        if audience[kind] <= 0:
            del audience[kind]
        if not audience:
            del self.audience[meeting_id]

    def polled(self, meeting_id, kind):
        self.polls[meeting_id][kind] = time.monotonic()

    def _wanted(self, meeting_id, kind):
        """The kinds to render: what the streams show, and what was polled lately."""
        audience = self.audience.get(meeting_id, Counter())
        recent = time.monotonic() - KEEP_SECONDS
        polled = {k for k, at in self.polls.get(meeting_id, {}).items() if at > recent}
        return sorted({kind, *audience, *polled}, key=lambda k: -audience.get(k, 0))

    def _forget_old(self):
        """Renders of meetings nobody has followed for a while."""
        recent = time.monotonic() - KEEP_SECONDS
        for meeting_id in {k[0] for k in self.latest}:
            polls = self.polls.get(meeting_id, {})
            if meeting_id not in self.audience and all(at < recent for at in polls.values()):
                self.polls.pop(meeting_id, None)
                frames.forget(meeting_id)
                for key in [k for k in self.latest if k[0] == meeting_id]:
                    del self.latest[key]

    async def get(self, meeting_id, kind, at_least):
        known = self.latest.get((meeting_id, kind))
        if known is None or known[0] < at_least:
            self._start(meeting_id, kind, at_least)
            known = self.latest[(meeting_id, kind)]
        return await asyncio.shield(known[1])

    def _start(self, meeting_id, kind, at_least):
        loop = asyncio.get_running_loop()
        if time.monotonic() - self.forgotten_at > KEEP_SECONDS:
            self.forgotten_at = time.monotonic()
            self._forget_old()
        futures = {}
        for k in self._wanted(meeting_id, kind):
            known = self.latest.get((meeting_id, k))
            if known is None or known[0] < at_least:
                futures[k] = loop.create_future()
                self.latest[(meeting_id, k)] = [at_least, futures[k]]
        loop.create_task(self._run(meeting_id, futures))

    async def _run(self, meeting_id, futures):
        if self.rendering is None:
            # Two at a time: they overlap their database waits, and the first are not slowed
            # down by many sharing the interpreter.
            self.rendering = asyncio.Semaphore(RENDER_THREADS)
        loop = asyncio.get_running_loop()

        def publish(kind, found):  # in the pool's thread
            version, html = found
            # The stream's event, encoded once here for every device, not on the loop.
            found = Render(version, html, event("live", html, version).encode())
            loop.call_soon_threadsafe(self._resolve, meeting_id, kind, futures[kind], found)

        try:
            async with self.rendering:
                await in_render_pool(render_fragments, meeting_id, list(futures), publish)
        except Exception as error:
            for kind, future in futures.items():
                if not future.done():
                    future.set_exception(error)
                    future.exception()  # retrieved: whoever awaits it gets it too
                    self._drop(meeting_id, kind, future)
        # The publications were queued on the loop before the pool's answer; a kind still
        # without one means the meeting is gone.
        for kind, future in futures.items():
            if not future.done():
                future.set_result(None)
                self._drop(meeting_id, kind, future)

    def _resolve(self, meeting_id, kind, future, found):
        if not future.done():
            future.set_result(found)
        known = self.latest.get((meeting_id, kind))
        if known is not None and known[1] is future:
            known[0] = max(known[0], found.version)

    def _drop(self, meeting_id, kind, future):
        known = self.latest.get((meeting_id, kind))
        if known is not None and known[1] is future:
            del self.latest[(meeting_id, kind)]


def _with_usable_connection(func, *args):
    if connection.connection is not None and not connection.is_usable():
        connection.close()
    try:
        return func(*args)
    finally:
        if getattr(connection, "pool", None):
            connection.close()  # back to the pool: these threads outlive every request


def in_pool(func, *args):
    """Run database work in the shared thread pool: its threads keep their connections."""
    return sync_to_async(_with_usable_connection, thread_sensitive=False)(func, *args)


# Renders have threads of their own, so that they never wait behind the checks of a room of
# devices connecting at once (those go to the shared pool).
RENDER_THREADS = 2
render_pool = ThreadPoolExecutor(RENDER_THREADS, thread_name_prefix="samtal-live-render")


def in_render_pool(func, *args):
    return sync_to_async(_with_usable_connection, thread_sensitive=False, executor=render_pool)(
        func, *args
    )


renders = Renders()


def _read_version(meeting_id):
    return Meeting.objects.filter(pk=meeting_id).values_list("version", flat=True).first()


_reading = {}  # meeting id -> the read of its version under way


async def current_version(meeting_id):
    """The meeting's version: known to the process when it listens, else read (once for all
    the devices of a room connecting at the same moment)."""
    known = hub.known_version(meeting_id)
    if known is not None:
        return known
    reading = _reading.get(meeting_id)
    if reading is None:
        reading = asyncio.ensure_future(_read_and_learn(meeting_id))
        _reading[meeting_id] = reading
        reading.add_done_callback(lambda _: _reading.pop(meeting_id, None))
    return await asyncio.shield(reading)


async def _read_and_learn(meeting_id):
    listening = hub.listening
    version = await in_pool(_read_version, meeting_id)
    if version is not None:
        hub.learn(meeting_id, version, listening)
    return version


# --- The stream ---------------------------------------------------------------------------


def event(name, data, event_id=None):
    lines = [f"event: {name}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.extend(f"data: {line}" for line in data.split("\n"))
    return "\n".join(lines) + "\n\n"


async def events(meeting_id, kind, seen, lifetime=None):
    """The stream of one device: the content whenever the version moves, a ping meanwhile;
    it ends after `lifetime` seconds (the device reconnects and is checked again)."""
    subscription = hub.subscribe(meeting_id)
    renders.join(meeting_id, kind)
    ends = time.monotonic() + (lifetime or STREAM_SECONDS + random.uniform(-60, 60))
    try:
        yield (PADDING + "retry: 1000\n" + event("hello", str(server_now_ms()))).encode()
        version = await current_version(meeting_id)
        if version is None:
            return
        while True:
            if version is not None and version > seen:
                found = await renders.get(meeting_id, kind, version)
                if found is None:
                    return
                seen = found.version
                yield found.event + event("time", str(server_now_ms())).encode()
            left = ends - time.monotonic()
            if left <= 0:
                return
            version = await subscription.next_version(min(PING_SECONDS, left))
            if version is None:
                yield event("ping", str(server_now_ms())).encode()
    finally:
        hub.unsubscribe(subscription)
        renders.leave(meeting_id, kind)


def _seen(request):
    for value in (request.headers.get("Last-Event-ID", ""), request.GET.get("v", "")):
        if value.isdigit():
            return int(value)
    return -1


@never_cache
@require_GET
async def stream(request, meeting_id):
    key = request.GET.get("k", "")
    payload = read_key(meeting_id, key)
    if payload is None or not await allowed.check(key, payload, fresh=True):
        return HttpResponse(status=403)
    if isinstance(request, WSGIRequest):
        # A WSGI server (runserver) would hold a thread per stream: say no, and the device
        # polls instead. Production runs under ASGI.
        return HttpResponse(status=204)
    response = StreamingHttpResponse(
        events(int(meeting_id), payload["v"], _seen(request)), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass the events on as they come
    return response


# --- The fallback: a conditional poll through the normal stack ------------------------


async def _wait_for_change(meeting_id, version):
    """The newer version, or None after POLL_WAIT_SECONDS without one."""
    subscription = hub.subscribe(meeting_id)
    try:
        # Subscribed first, then looked again: a change in between is not missed.
        current = await current_version(meeting_id)
        if current is not None and current > version:
            return current
        return await subscription.next_version(POLL_WAIT_SECONDS)
    finally:
        hub.unsubscribe(subscription)


@never_cache
@require_GET
async def poll(request, meeting_id):
    """The content when the device's version (If-None-Match) is not the meeting's; else,
    under ASGI, the answer waits up to POLL_WAIT_SECONDS for a change (304 if none)."""
    key = request.GET.get("k", "")
    payload = read_key(meeting_id, key)
    if payload is None or not await allowed.check(key, payload):
        return HttpResponse(status=403)
    meeting_id, kind = int(meeting_id), payload["v"]
    waits = not isinstance(request, WSGIRequest)  # runserver: answer at once
    if waits:
        hub.watch()
    current = await current_version(meeting_id)
    if current is None:
        return HttpResponse(status=404)
    if waits and request.headers.get("If-None-Match") == f'"{current}"':
        current = await _wait_for_change(meeting_id, current) or current
    if request.headers.get("If-None-Match") == f'"{current}"':
        response = HttpResponse(status=304)
    else:
        renders.polled(meeting_id, kind)
        found = await renders.get(meeting_id, kind, current)
        if found is None:
            return HttpResponse(status=404)
        current = found.version
        response = HttpResponse(found.html)
    response["ETag"] = f'"{current}"'
    response["X-Server-Time"] = str(server_now_ms())
    response["Cache-Control"] = "no-store"
    return response
