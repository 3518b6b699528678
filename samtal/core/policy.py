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


def _signed_in(user):
    return user is not None and user.is_authenticated


def membership(user, organisation_id):
    """The user's Membership in the organisation, or None (the memberships are read once per
    user object)."""
    if not _signed_in(user) or organisation_id is None:
        return None
    if hasattr(organisation_id, "pk"):
        organisation_id = organisation_id.pk
    return memberships_of(user).get(organisation_id)


def memberships_of(user):
    """{organisation id: Membership} of a signed-in user, read once per user object (one
    query, with the organisations)."""
    cached = getattr(user, "_samtal_memberships", None)
    if cached is None:
        cached = {m.organisation_id: m for m in user.memberships.select_related("organisation")}
        user._samtal_memberships = cached
    return cached


def is_reviewer(user, organisation):
    """Kommunledning of the organisation: reads its archive (finished meetings of every unit),
    its follow-up board and its evaluations.

    The membership's role decides; the older permission `meetings.review_archive` still counts
    for a member of the organisation (a migration path), never for anyone outside it.
    """
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    member = membership(user, organisation)
    return member is not None and (member.is_reviewer or user.has_perm(REVIEW_PERMISSION))


def is_organisation_admin(user, organisation):
    if not _signed_in(user):
        return False
    member = membership(user, organisation)
    return user.is_superuser or (member is not None and member.is_admin)


def may_plan_new_meetings(user, organisation):
    """Only planners create meetings (in the organisation they work in)."""
    if not _signed_in(user) or organisation is None:
        return False
    member = membership(user, organisation)
    return user.is_superuser or (member is not None and member.is_planner)


def may_use_board(user, organisation):
    """The follow-up board: kommunledning, and those who facilitated a meeting or own an
    action in one of the organisation's meetings."""
    if is_reviewer(user, organisation):
        return True
    if not _signed_in(user) or organisation is None:
        return False
    in_organisation = Q(person__participations__meeting__unit__organisation=organisation)
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(
            in_organisation
            & (
                Q(person__participations__role=Role.FACILITATOR)
                | Q(person__participations__action_items__isnull=False)
            )
        )
        .exists()
    )


def may_edit_templates(user, organisation):
    """The organisation's process owner: copies, edits, publishes, imports and exports the
    organisation's conversation templates. Its administrators, and its members who hold the
    change permission; installation staff (who also edit the shared templates)."""
    if not (_signed_in(user) and user.is_active):
        return False
    if user.is_staff:
        return True
    member = membership(user, organisation)
    return member is not None and (member.is_admin or user.has_perm(TEMPLATE_PERMISSION))


def may_edit_template(user, template, organisation):
    """One template: the installation's shared ones are installation staff's; an
    organisation's own are its process owners' (never another organisation's)."""
    if not may_edit_templates(user, organisation):
        return False
    if template.organisation_id is None:
        return user.is_staff
    return organisation is not None and template.organisation_id == organisation.pk


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
    def _organisation_id(self):
        return self.meeting.unit.organisation_id

    @cached_property
    def _in_organisation(self):
        """The organisation boundary: rights that come from a role in an organisation (created
        the meeting as its planner, kommunledning) hold only inside that organisation. What an
        invitation gives (a participation in this meeting) holds wherever it was made."""
        return self._account and (
            self.viewer.is_superuser
            or membership(self.viewer.user, self._organisation_id) is not None
        )

    @cached_property
    def _creator(self):
        created_by = self.meeting.created_by_id
        return (
            self._in_organisation and created_by is not None and created_by == self.viewer.user.pk
        )

    @cached_property
    def _reviewer(self):
        """Kommunledning's rules are about finished meetings only."""
        return (
            self.meeting.is_finished
            and self._in_organisation
            and is_reviewer(self.viewer.user, self._organisation_id)
        )

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
    def _account_or_link(self):
        """Signed in, or holding this meeting's personal link (then `role` is the link's)."""
        return self._account or self.viewer.participation is not None

    @property
    def lead(self):
        """Start, steps, timer, speaker, finishing, the four-perspective round."""
        return self._account_or_link and self.role == Role.FACILITATOR

    @property
    def follow_live(self):
        """The projector and the note-taker's page: the writers, with an account or through
        their personal link (samtal/participants/live_links.py)."""
        return self._account_or_link and self.role in WRITERS

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


def current_organisation(request):
    """The organisation the user works in (set, lazily, by the meetings app's middleware),
    or None."""
    return getattr(request, "organisation", None) or None


def require_reviewer(request):
    if not is_reviewer(request.user, current_organisation(request)):
        raise PermissionDenied


def may_follow_up_unit(user, unit):
    """A unit's återrapporteringar: its organisation's kommunledning, and whoever led one of
    its meetings."""
    if is_reviewer(user, unit.organisation_id):
        return True
    if user is None or not user.is_authenticated:
        return False
    return unit.meetings.filter(
        participations__person__user=user, participations__role=Role.FACILITATOR
    ).exists()


def require_board(request):
    if not may_use_board(request.user, current_organisation(request)):
        raise PermissionDenied


def require_planner(request):
    if not may_plan_new_meetings(request.user, current_organisation(request)):
        raise PermissionDenied


def require_organisation_admin(request):
    if not is_organisation_admin(request.user, current_organisation(request)):
        raise PermissionDenied
