"""Writers without an account: an antecknare (or the samtalsledare) invited by personal link
opens the live views through that link.

The link's entry page (/l/<token>/anteckna/) remembers the participation in the session for
that one meeting; the live views under /samtal/<id>/live/ then take the session's link holder
as their viewer (samtal.core.policy gives a link holder exactly its participation's role's
rights in its own meeting, and nothing in any other). A revoked or replaced link stops
working here too: the generation is checked on every request.
"""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from samtal.core.policy import WRITERS

from .links import expires_on, personal_link
from .models import Participation

SESSION_KEY = "samtal_live_links"


@require_GET
@personal_link
def live_entry(request, participation):
    """From the personal link to the note-taker's view of its meeting."""
    if participation.role not in WRITERS:
        raise PermissionDenied
    links = dict(request.session.get(SESSION_KEY, {}))
    links[str(participation.meeting_id)] = [participation.pk, participation.link_generation]
    request.session[SESSION_KEY] = links
    return redirect("a3_live:notes", participation.meeting_id)


def session_link_holder(request, meeting_id):
    """The participation this session holds a writer's link for in the meeting, or None."""
    held = request.session.get(SESSION_KEY, {}).get(str(meeting_id))
    if not held:
        return None
    participation_id, generation = held
    participation = (
        Participation.objects.select_related("person", "meeting__unit")
        .filter(pk=participation_id, meeting_id=meeting_id, link_generation=generation)
        .first()
    )
    if participation is None or participation.role not in WRITERS:
        return None
    from django.utils import timezone

    if timezone.localdate() > expires_on(participation.meeting):
        return None
    return participation


def account_or_live_link(view):
    """Like login_required, but a session holding a writer's personal link for this meeting
    is let through as that link holder."""

    @functools.wraps(view)
    def wrapper(request, meeting_id, *args, **kwargs):
        if not request.user.is_authenticated:
            participation = session_link_holder(request, meeting_id)
            if participation is None:
                return redirect_to_login(request.get_full_path())
            request.link_participation = participation
        return view(request, meeting_id, *args, **kwargs)

    return wrapper
