"""What the evaluations add to other layers' work (connected in EvaluationsConfig.ready)."""


def ask_for_reflections(sender, meeting, **kwargs):
    from .services import invite_to_reflection

    invite_to_reflection(meeting)


def perspectives_for_print(sender, meeting, blank=False, **kwargs):
    """The group's four-perspective split, printed with the A3."""
    from .models import GroupSplit

    return {"perspectives": None if blank else GroupSplit.for_meeting(meeting)}
