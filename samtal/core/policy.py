"""Who may do what: the one access policy.

A viewer is whoever asks: a logged-in user, the holder of a personal link, or the holder of
an action-report link. `access(viewer, meeting)` answers, for one meeting, everything that
viewer may do there; views, live endpoints, downloads and templates ask it (templates test
`access.lead`, never a role or status string). Everything is denied unless a rule below
allows it. An organisation boundary is one more rule in `access()`.

The policy works on the objects it is given through their relations, so it imports no app
(it sits in the lowest layer, below the apps whose views use it).
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .choices import Role

REVIEW_PERMISSION = "meetings.review_archive"
TEMPLATE_PERMISSION = "conversation_templates.change_templateversion"
WRITERS = frozenset({Role.FACILITATOR, Role.NOTE_TAKER})


@dataclass(frozen=True)
class Viewer:
    user: object = None  # a User (possibly anonymous)
    participation: object = None  # held through a personal or action-report link

    @classmethod
    def of(cls, request):
        participation = getattr(request, "link_participation", None)
        if participation is not None:
            return cls(participation=participation)
        return cls(user=request.user)

    @property
    def has_account(self):
        return self.user is not None and self.user.is_authenticated

    @property
    def is_superuser(self):
        return self.has_account and self.user.is_superuser


def is_reviewer(user):
    """Kommunledning: reads the archive (finished meetings) of every unit."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or user.has_perm(REVIEW_PERMISSION))
    )


def may_use_board(user):
    """The follow-up board: kommunledning, facilitators and those who own an action."""
    if is_reviewer(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(
            Q(person__participations__role=Role.FACILITATOR)
            | Q(person__participations__action_items__isnull=False)
        )
        .exists()
    )


def may_edit_templates(user):
    """The organisation's process owner: copies, edits, publishes, imports and exports
    conversation templates. For now staff, or whoever holds the change permission."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.has_perm(TEMPLATE_PERMISSION))
    )


def may_plan_new_meetings(user):
    return user is not None and user.is_authenticated


class Access:
    """What one viewer may do in one meeting.

    Each answer is worked out when first asked (kommunledning's permission costs a query,
    and most pages never need it).
    """

    def __init__(self, viewer, meeting, role):
        self.viewer = viewer
        self.meeting = meeting
        self.role = role  # the viewer's role in the meeting, if any

    @property
    def is_member(self):
        return self.role is not None

    @property
    def _account(self):
        return self.viewer.has_account

    @cached_property
    def _creator(self):
        created_by = self.meeting.created_by_id
        return self._account and created_by is not None and created_by == self.viewer.user.pk

    @cached_property
    def _reviewer(self):
        """Kommunledning's rules are about finished meetings only."""
        return self.meeting.is_finished and self._account and is_reviewer(self.viewer.user)

    @cached_property
    def see(self):
        """The meeting page, the A3 (live overview and PDF), the material."""
        return (
            self.is_member
            or (self._account and (self._creator or self.viewer.is_superuser))
            or self._reviewer
        )

    @property
    def prepare(self):
        """Their own preparation (and reading their own answers afterwards)."""
        return self.is_member

    @cached_property
    def plan(self):
        """Facts, participants, material, invitations, reminders."""
        return self._account and (
            self.role == Role.FACILITATOR or self._creator or self.viewer.is_superuser
        )

    @property
    def lead(self):
        """Start, steps, timer, speaker, finishing, the four-perspective round."""
        return self._account and self.role == Role.FACILITATOR

    @property
    def follow_live(self):
        """The projector and the note-taker's page."""
        return self._account and self.role in WRITERS

    @property
    def take_notes(self):
        """Write the A3 (while the meeting runs)."""
        return self.follow_live and self.meeting.is_running

    @property
    def issue_plan(self):
        """Issue the handlingsplan of a finished meeting: its samtalsledare (or whoever plans
        it) and kommunledning."""
        return self.meeting.is_finished and (self.plan or self._reviewer)

    @property
    def see_changes(self):
        """The change log."""
        return (self.plan and not self.meeting.is_planned) or self._reviewer

    @property
    def read_archive(self):
        """The archived A3 in kommunledning's archive."""
        return self._reviewer

    @property
    def read_evaluations(self):
        """The reflections and the group's four-perspective split."""
        return self.plan or self._reviewer

    @property
    def reflect(self):
        """Write one's own reflection (Bilaga 2)."""
        return self.is_member


class _Nothing:
    """Allows nothing (for pages shown without a viewer's meeting access)."""

    role = None
    is_member = False

    def __getattr__(self, name):
        return False


NOTHING = _Nothing()


def role_in(viewer, meeting):
    """The viewer's role in the meeting, or None (one query for a user, none for a link)."""
    if viewer.participation is not None:
        if viewer.participation.meeting_id == meeting.pk:
            return viewer.participation.role
        return None
    if not viewer.has_account:
        return None
    annotated = getattr(meeting, "my_role", False)
    if annotated is not False:
        return annotated
    return (
        meeting.participations.filter(person__user=viewer.user)
        .values_list("role", flat=True)
        .first()
    )


def access(viewer, meeting):
    """Everything `viewer` may do in `meeting`."""
    return Access(viewer, meeting, role_in(viewer, meeting))


def meeting_for(request, queryset, meeting_id, need):
    """The meeting if the requesting viewer may `need` (an Access field) in it.

    404 for an unknown meeting, 403 when not allowed. The answer is kept on the meeting
    (meeting.access) for the view and its template.
    """
    meeting = get_object_or_404(queryset, pk=meeting_id)
    allowed = access_for_request(request, meeting)
    if not getattr(allowed, need):
        raise PermissionDenied
    return meeting


def access_for_request(request, meeting):
    """access() for the request's viewer, worked out once per meeting and request."""
    cached = getattr(meeting, "access", None)
    if cached is None:
        cached = access(Viewer.of(request), meeting)
        meeting.access = cached
    return cached


def require_reviewer(request):
    if not is_reviewer(request.user):
        raise PermissionDenied


def may_follow_up_unit(user, unit):
    """A unit's återrapporteringar: kommunledning, and whoever led one of its meetings."""
    if is_reviewer(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return unit.meetings.filter(
        participations__person__user=user, participations__role=Role.FACILITATOR
    ).exists()


def require_board(request):
    if not may_use_board(request.user):
        raise PermissionDenied
