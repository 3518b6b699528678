"""What the devices of a live meeting receive: one event stream each, or a conditional poll.

A device's page carries a live key (samtal.core.tokens.LIVE_KEY) naming the meeting and the
kind of view it shows; the key is all the stream and the poll ask for, since the page that
handed it out already asked the access policy. What a kind of viewer sees does not depend on
who looks, so it is rendered once per version per kind and shared: in memory by the process's
streams, through the `live` cache by the polls.
"""

import asyncio
import time

from asgiref.sync import sync_to_async
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from samtal.core.broadcast import hub
from samtal.core.tokens import LIVE_KEY, LinkError
from samtal.meetings.models import Meeting

# What each kind of viewer sees: its page template (the fragment is its `live` partial).
KINDS = {
    "projector": "a3/live/projector.html",
    "notes": "a3/live/notes.html",
    "notes_lead": "a3/live/notes.html",
    "overview": "a3/live/overview.html",
}
# Who is served first when the version moves: the kind most devices show (a render at a time
# finishes sooner than three sharing the interpreter).
PRIORITY = {"overview": 0, "projector": 1, "notes": 2, "notes_lead": 2}
PING_SECONDS = 15
POLL_INTERVAL_MS = 1000
# Some proxies hold back the first bytes of a response; a comment this long pushes them on.
PADDING = ":" + " " * 2048 + "\n\n"


def live_key(meeting, kind):
    return LIVE_KEY.make({"m": meeting.pk, "v": kind})


def read_key(meeting_id, key):
    """The kind of view a live key lets its device follow in this meeting, or None."""
    try:
        payload = LIVE_KEY.read(key, required=("m",))
    except LinkError:
        return None
    kind = payload.get("v")
    if payload["m"] != int(meeting_id) or kind not in KINDS:
        return None
    return kind


def urls(meeting, kind):
    key = live_key(meeting, kind)
    return {
        "stream_url": reverse("a3_live:stream", args=[meeting.pk]) + f"?k={key}",
        "poll_url": reverse("a3_live:poll", args=[meeting.pk]) + f"?k={key}",
        "poll_interval": POLL_INTERVAL_MS,
    }


def server_now_ms():
    return int(time.time() * 1000)


# --- Rendering, once per version per kind ----------------------------------------------


def render_fragment(meeting_id, kind):
    """(version, html) of what `kind` sees now; None if the meeting is gone."""
    from .live_views import live_context, meetings

    meeting = meetings().filter(pk=meeting_id).first()
    if meeting is None:
        return None
    editor = kind != "overview" and not (kind.startswith("notes") and meeting.is_locked)
    context = live_context(meeting, editor=editor)
    context["access"] = {"lead": kind == "notes_lead"}
    html = render_to_string(KINDS[kind] + "#live", context)
    return meeting.version, html


def cached_fragment(meeting_id, kind, version):
    """For the poll: the shared render of `version` (the workers of one machine share it)."""
    cache = caches["live"]
    key = f"samtal:live:{meeting_id}:{kind}:{version}"
    found = cache.get(key)
    if found is None:
        found = render_fragment(meeting_id, kind)
        if found is not None:
            cache.set(f"samtal:live:{meeting_id}:{kind}:{found[0]}", found, 300)
    return found


class Renders:
    """The newest render of each (meeting, kind) in this process, shared by its streams."""

    def __init__(self):
        self.latest = {}
        self.rendering = None

    async def _render(self, meeting_id, kind):
        if self.rendering is None:
            # A few at a time: they overlap their database waits, and the first are not
            # slowed down by many sharing the interpreter.
            self.rendering = asyncio.Semaphore(3)
        async with self.rendering:
            return await in_pool(render_fragment, meeting_id, kind)

    async def get(self, meeting_id, kind, at_least):
        key = (meeting_id, kind)
        known = self.latest.get(key)
        if known is None or known[0] < at_least:
            task = asyncio.ensure_future(self._render(meeting_id, kind))
            known = (at_least, task)
            self.latest[key] = known
        try:
            return await asyncio.shield(known[1])
        except Exception:
            if self.latest.get(key) is known:
                del self.latest[key]
            raise

    def forget(self, meeting_id):
        for key in [k for k in self.latest if k[0] == meeting_id]:
            del self.latest[key]


def _with_usable_connection(func, *args):
    if connection.connection is not None and not connection.is_usable():
        connection.close()
    return func(*args)


def in_pool(func, *args):
    """Run database work in the shared thread pool, not in a thread of the stream's own: a
    stream lives for hours, and a thread (with a database connection) each would not scale.
    The pool's threads keep their connections."""
    return sync_to_async(_with_usable_connection, thread_sensitive=False)(func, *args)


renders = Renders()


def _current_version(meeting_id):
    return Meeting.objects.filter(pk=meeting_id).values_list("version", flat=True).first()


# --- The stream ---------------------------------------------------------------------------


def event(name, data, event_id=None):
    lines = [f"event: {name}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.extend(f"data: {line}" for line in data.split("\n"))
    return "\n".join(lines) + "\n\n"


async def events(meeting_id, kind, seen):
    """The stream of one device: the content whenever the version moves, a ping meanwhile."""
    subscription = hub.subscribe(meeting_id, PRIORITY[kind])
    try:
        yield PADDING + "retry: 2000\n" + event("hello", str(server_now_ms()))
        current = await in_pool(_current_version, meeting_id)
        if current is None:
            return
        version = current
        while True:
            if version is not None and version > seen:
                found = await renders.get(meeting_id, kind, version)
                if found is None:
                    return
                seen, html = found
                yield event("live", html, seen) + event("time", str(server_now_ms()))
            version = await subscription.next_version(PING_SECONDS)
            if version is None:
                yield event("ping", str(server_now_ms()))
    finally:
        hub.unsubscribe(subscription)
        if meeting_id not in hub.rooms:
            renders.forget(meeting_id)


def _seen(request):
    for value in (request.headers.get("Last-Event-ID", ""), request.GET.get("v", "")):
        if value.isdigit():
            return int(value)
    return -1


@never_cache
@require_GET
async def stream(request, meeting_id):
    kind = read_key(meeting_id, request.GET.get("k", ""))
    if kind is None:
        return HttpResponse(status=403)
    if isinstance(request, WSGIRequest):
        # A WSGI server (runserver) would hold a thread per stream: say no, and the device
        # polls instead. Production runs under ASGI.
        return HttpResponse(status=204)
    response = StreamingHttpResponse(
        events(int(meeting_id), kind, _seen(request)), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass the events on as they come
    return response


# --- The fallback: a conditional poll through the normal stack ------------------------


@never_cache
@require_GET
async def poll(request, meeting_id):
    """304 when the device has the current version (If-None-Match); the content otherwise.

    Async like the stream, so that a room of polling devices shares the pool's database
    connections instead of opening one per request."""
    kind = read_key(meeting_id, request.GET.get("k", ""))
    if kind is None:
        return HttpResponse(status=403)
    current = await in_pool(_current_version, meeting_id)
    if current is None:
        return HttpResponse(status=404)
    etag = f'"{current}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        found = await in_pool(cached_fragment, int(meeting_id), kind, current)
        if found is None:
            return HttpResponse(status=404)
        etag = f'"{found[0]}"'
        response = HttpResponse(found[1])
    response["ETag"] = etag
    response["X-Server-Time"] = str(server_now_ms())
    response["Cache-Control"] = "no-store"
    return response
