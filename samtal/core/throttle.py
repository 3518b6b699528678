"""A plain request budget per client address, for the routes anyone may try (the join code).

Counted in the default cache for a fixed window; a client over its budget gets 429 with a
Swedish sentence. A whole meeting room often shares one public address, so the budgets are
for guessing and flooding, not for a room of phones.
"""

import time

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .client_ip import client_ip


def over_budget(request, scope, limit, window_seconds):
    """Count this request; True if the client has used more than `limit` in the window."""
    window = int(time.time() // window_seconds)
    key = f"samtal:throttle:{scope}:{client_ip(request)}:{window}"
    if cache.add(key, 1, window_seconds + 5):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window_seconds + 5)
        return False


def too_many(request):
    response = HttpResponse(
        _("För många försök från din uppkoppling. Vänta en minut och försök igen."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "60"
    return response
