import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST


def home(request):
    if request.user.is_authenticated:
        return redirect("meetings:mine")
    return redirect("login")


@never_cache
@require_GET
def healthz(request):
    """For load balancers: answers quickly and checks that the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _remaining(request):
    from .middleware import SESSION_LAST_ACTIVITY, idle_timeout

    last = request.session.get(SESSION_LAST_ACTIVITY) or time.time()
    return max(0, int(idle_timeout(request) - (time.time() - last)))


@never_cache
@require_GET
def session_status(request):
    """How many seconds this session has left; asking does not count as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0}, status=401)
    return JsonResponse({"remaining": _remaining(request)})


@never_cache
@require_POST
def session_keep_alive(request):
    """The user is active on a page that sends nothing by itself (typing, reading)."""
    from .middleware import SESSION_LAST_ACTIVITY

    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0}, status=401)
    request.session[SESSION_LAST_ACTIVITY] = time.time()
    return JsonResponse({"remaining": _remaining(request)})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email; the link in the message points at SITE_URL, not the Host header."""

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A used, expired or made-up reset link answers 404 with the page that says so."""

    def render_to_response(self, context, **response_kwargs):
        if not context.get("validlink"):
            response_kwargs["status"] = 404
        return super().render_to_response(context, **response_kwargs)
