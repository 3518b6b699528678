from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
