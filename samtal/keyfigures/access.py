"""Who may choose a meeting's key figures. One function, so the access policy can replace it
in one line."""

from samtal.meetings.access import meeting_for_planner


def meeting_for_key_figures(request, meeting_id):
    """The meeting if the user may plan it (samtalsledare or creator); 404/403 otherwise."""
    return meeting_for_planner(request, meeting_id)
