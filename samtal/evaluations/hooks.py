"""What the evaluations add to other layers' work (connected in EvaluationsConfig.ready)."""


def ask_for_reflections(sender, meeting, **kwargs):
    from .services import invite_to_reflection

    invite_to_reflection(meeting)


def perspectives_for_print(sender, meeting, blank=False, **kwargs):
    """The group's four-perspective split, printed with the A3."""
    from .models import GroupSplit

    return {"perspectives": None if blank else GroupSplit.for_meeting(meeting)}


def what_finishing_sends(sender, meeting, **kwargs):
    """For the finishing review: who will be asked for their reflection, and who cannot be."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    people = list(meeting.participations.select_related("person").order_by("position", "pk"))
    reached = [p.person.name for p in people if p.person.email]
    missed = [p.person.name for p in people if not p.person.email]
    said = []
    if reached:
        said.append(
            ngettext(
                "Den individuella reflektionen (Bilaga 2) mejlas till %(n)s medverkande: "
                "%(names)s.",
                "Den individuella reflektionen (Bilaga 2) mejlas till %(n)s medverkande: "
                "%(names)s.",
                len(reached),
            )
            % {"n": len(reached), "names": ", ".join(reached)}
        )
    if missed:
        said.append(
            _("Utan e-postadress, så ingen reflektionsfråga: %(names)s.")
            % {"names": ", ".join(missed)}
        )
    return said


def open_polls(sender, meeting, code, **kwargs):
    """For a phone that joined with the meeting's code: the four-perspective split, while
    the facilitator has it open."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .models import split_open

    if not split_open(meeting):
        return []
    return [
        {
            "label": _("Vi ska belysa resultat ur fyra perspektiv – fördela tiden"),
            "url": reverse("join:split", args=[code]),
        }
    ]
