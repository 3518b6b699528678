"""Plain helpers that build the domain objects tests need."""

import datetime
import itertools

from django.contrib.auth.models import Permission, User
from django.utils import timezone

from samtal.conversation_templates import default_template
from samtal.conversation_templates.models import ConversationTemplate, Step, TemplateVersion
from samtal.meetings.models import Meeting, Unit
from samtal.organisations.models import Membership, Organisation
from samtal.participants.models import Participation, Person

_counter = itertools.count(1)


def default_version():
    """The default Samtalsmall. Transactional (browser) tests flush the data migration's rows,
    so it is created again when missing."""
    return default_template.create(ConversationTemplate, TemplateVersion, Step)


def make_organisation(name="Sundsvalls kommun", resident_term="Sundsvallsbon"):
    organisation, _ = Organisation.objects.get_or_create(
        name=name, defaults={"resident_term": resident_term}
    )
    return organisation


def make_unit(name="Vård- och omsorgsnämnden", organisation=None):
    unit, _ = Unit.objects.get_or_create(
        organisation=organisation or make_organisation(), name=name
    )
    return unit


def make_user(
    username=None,
    password="rätt-lösenord-123",
    organisation=None,
    planner=True,
    reviewer=False,
    admin=False,
    member=True,
    **fields,
):
    """A user who is a member (by default a planner) of the organisation (by default the
    test's Sundsvalls kommun)."""
    username = username or f"user{next(_counter)}"
    fields.setdefault("first_name", username.capitalize())
    user = User.objects.create_user(username=username, password=password, **fields)
    if member:
        Membership.objects.create(
            user=user,
            organisation=organisation or make_organisation(),
            is_planner=planner,
            is_reviewer=reviewer,
            is_admin=admin,
        )
    return user


def make_reviewer(username="kommunledning", organisation=None):
    """Kommunledning of the organisation (the membership role)."""
    return make_user(username, organisation=organisation, planner=False, reviewer=True)


def make_legacy_reviewer(username="kommunledning"):
    """Kommunledning through the older permission (a member without the role)."""
    user = make_user(username, planner=False)
    user.user_permissions.add(Permission.objects.get(codename="review_archive"))
    return user


def make_meeting(
    theme="Hemtjänst", unit=None, days_from_today=7, status=Meeting.Status.PLANNED, **fields
):
    version = fields.pop("template_version", None) or default_version()
    return Meeting.objects.create(
        unit=unit or make_unit(),
        theme=theme,
        date=timezone.localdate() + datetime.timedelta(days=days_from_today),
        start_time=fields.pop("start_time", datetime.time(9, 0)),
        template_version=version,
        purpose=fields.pop("purpose", version.purpose),
        status=status,
        **fields,
    )


def add_participant(meeting, name=None, role=Participation.Role.PARTICIPANT, user=None, **fields):
    name = name or f"Person {next(_counter)}"
    email = fields.pop("email", None) or f"{name.lower().replace(' ', '.')}@kommun.example"
    person, _ = Person.objects.get_or_create(
        organisation=meeting.unit.organisation,
        email=email,
        defaults={"name": name, "user": user},
    )
    return Participation.objects.create(meeting=meeting, person=person, role=role, **fields)


def staffed_meeting(**kwargs):
    """A meeting with a facilitator and a note-taker who have accounts, and two participants."""
    meeting = make_meeting(**kwargs)
    facilitator = make_user("karin", first_name="Karin", last_name="Lindqvist")
    note_taker = make_user("johan", first_name="Johan", last_name="Sjöberg")
    add_participant(meeting, "Karin Lindqvist", Participation.Role.FACILITATOR, user=facilitator)
    add_participant(meeting, "Johan Sjöberg", Participation.Role.NOTE_TAKER, user=note_taker)
    add_participant(meeting, "Maria Ek", title="Ordförande")
    add_participant(meeting, "Olof Berg", title="Förvaltningschef")
    return meeting, facilitator, note_taker
