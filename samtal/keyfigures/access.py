"""Who may choose a meeting's key figures: whoever may plan it (the access policy's `plan`).
One function, so that the rule lives in one place."""

from samtal.core.policy import meeting_for
from samtal.meetings.models import Meeting


def meeting_for_key_figures(request, meeting_id):
    """The meeting if the user may plan it (samtalsledare or creator); 404/403 otherwise."""
    return meeting_for(
        request, Meeting.objects.select_related("unit__organisation"), meeting_id, "plan"
    )
