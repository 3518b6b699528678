"""The facilitator revokes a participant's personal link, before, during or after the meeting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .planning import participation_for_planner


@login_required
@require_POST
def revoke_link(request, meeting_id, participation_id):
    meeting, participation = participation_for_planner(request, meeting_id, participation_id)
    participation.revoke_link()
    meeting.bump_version()
    messages.success(
        request,
        _(
            "Den personliga länken för %(name)s är återkallad och slutar gälla direkt, också "
            "för utvärderingen och A3:an. Ska personen komma in igen behöver hon eller han en "
            "ny kallelse."
        )
        % {"name": participation.person.name},
    )
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#rubrik-medverkande")
