"""Headers on every response, and the idle timeout of staff sessions."""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; no-store on everything Django renders; the
    Content-Security-Policy (set by django-csp, which runs inside this) only on HTML.

    Placed after WhiteNoise, so static files (no personal data, cached for a year) never get
    here. Every page, fragment and download Django renders may carry personal data (names,
    notes, preparations), so none of them may be kept by a browser or proxy cache; a view
    that sets its own Cache-Control keeps it."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self._acall(request)
        return self.headers(self.get_response(request))

    async def _acall(self, request):
        return self.headers(await self.get_response(request))

    @staticmethod
    def headers(response):
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        content_type = response.headers.get("Content-Type", "")
        if not content_type.startswith(("text/html", "image/svg+xml")):
            # The policy protects documents a browser renders as HTML. Chromium applies it
            # to its PDF viewer too, where default-src 'none' leaves an inline PDF blank.
            response.headers.pop("Content-Security-Policy", None)
        if "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        elif "no-store" not in response.headers["Cache-Control"]:
            response.headers["Cache-Control"] += ", no-store"
        return response


SESSION_LAST_ACTIVITY = "samtal.last_activity"
SESSION_SHARED_DEVICE = "samtal.shared_device"
SHARED_DEVICE_VIEWS = {"a3_live:projector", "a3_live:notes", "evaluations:projector"}


def idle_timeout(request):
    """Seconds of inactivity after which this session ends (shorter on a shared device)."""
    if request.session.get(SESSION_SHARED_DEVICE):
        return settings.SESSION_IDLE_TIMEOUT_SHARED
    return settings.SESSION_IDLE_TIMEOUT


# The live meeting's event stream and fallback poll (samtal.a3.live_urls): a device keeps
# them open or repeats them by itself, with a live key instead of the session.
LIVE_FEED_PATHS = ("/live/strom", "/live/hamta")


def is_background(request):
    """Requests a page makes by itself (the live feed, the evaluation projector's refresh)
    are not the user's activity. A live view's refresh is: it is fetched only when the A3
    changed, so a projector stays logged in while the meeting is being written."""
    return bool(request.headers.get("X-Samtal-Background") or is_live_feed(request))


def is_live_feed(request):
    return request.path.endswith(LIVE_FEED_PATHS)


def is_scripted(request):
    return bool(
        request.headers.get("HX-Request")
        or request.headers.get("X-Live-Fetch")
        or request.headers.get("X-Live-Fragment")
        or request.headers.get("X-Samtal-Background")
    )


class IdleTimeoutMiddleware:
    """Ends a logged-in session after SESSION_IDLE_TIMEOUT seconds without activity.

    A session that opened the projector or the note-taker's view is treated as being on a
    shared device from then on and gets SESSION_IDLE_TIMEOUT_SHARED. The page warns before
    (static/js/idle.js) and keeps what was typed; a script's request from an ended session
    gets 401 with a Swedish message rather than the login page, so it never looks saved.

    Async-capable: the live feed's streams and polls (thousands, held for hours) pass
    without touching the session, so they cost no thread."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self._acall(request)
        if is_live_feed(request):
            return self.get_response(request)
        return self.check(request) or self.get_response(request)

    async def _acall(self, request):
        if is_live_feed(request):
            return await self.get_response(request)
        ended = await sync_to_async(self.check, thread_sensitive=True)(request)
        return ended or await self.get_response(request)

    def check(self, request):
        """The answer for a session that has just ended, or None (and the clock updated)."""
        if not request.user.is_authenticated:
            return None
        now = time.time()
        last = request.session.get(SESSION_LAST_ACTIVITY)
        if last is not None and now - last > idle_timeout(request):
            minutes = round(idle_timeout(request) / 60)
            logout(request)
            if is_scripted(request):
                return HttpResponse(
                    _(
                        "Du har loggats ut efter %(minutes)s minuter utan aktivitet. "
                        "Det du skrev finns kvar – logga in igen och spara."
                    )
                    % {"minutes": minutes},
                    status=401,
                    content_type="text/plain; charset=utf-8",
                )
            messages.info(
                request,
                _("Du loggades ut efter %(minutes)s minuter utan aktivitet.")
                % {"minutes": minutes},
            )
            return None
        if not is_background(request) and (
            last is None or now - last > min(30, idle_timeout(request) / 10)
        ):
            request.session[SESSION_LAST_ACTIVITY] = now
        if _is_shared_device_view(request) and not request.session.get(SESSION_SHARED_DEVICE):
            request.session[SESSION_SHARED_DEVICE] = True
        return None


def _is_shared_device_view(request):
    try:
        return resolve(request.path_info).view_name in SHARED_DEVICE_VIEWS
    except Resolver404:
        return False


def start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LAST_ACTIVITY] = time.time()
