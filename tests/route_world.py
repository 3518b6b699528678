"""The data the route matrix runs against: the fixed cast and, per meeting status, a meeting
with one object of every kind a URL can name. Built once per test module (see
tests/test_route_matrix.py); each request then runs in a savepoint that is rolled back."""

import dataclasses
import functools

from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from samtal.a3 import live
from samtal.a3.live_models import EditConflict
from samtal.a3.models import Entry, ParkingLotItem, Wish
from samtal.actions.links import make_report_token
from samtal.actions.models import ActionItem, ActionPlan, FollowUp, ReportBack
from samtal.conversation_templates.editing import copy_to_draft, export_json
from samtal.conversation_templates.models import ConversationTemplate, TemplateVersion
from samtal.keyfigures.models import Favourite, KeyFigure
from samtal.meetings.models import Material, Meeting
from samtal.participants.links import make_token
from samtal.participants.models import Participation, Preparation, PreparationAnswer
from samtal.surveys.models import Instrument, Invitation, Round
from tests.factories import (
    add_participant,
    make_meeting,
    make_organisation,
    make_reviewer,
    make_unit,
    make_user,
)
from tests.idp.servers import route_world_providers

Role = Participation.Role
STATUSES = tuple(Meeting.Status.values)  # planerad, pagar, avslutad

# A token that is no personal link: what cast members without a link put in /l/<token>/….
NO_LINK = "ingen-personlig-lank"


@dataclasses.dataclass
class MeetingObjects:
    """One meeting and the ids its URLs take."""

    meeting: Meeting
    link_holder: Participation  # deltagare without an account
    ids: dict


@dataclasses.dataclass
class World:
    sessions: dict  # cast member -> session key (None: no session)
    meetings: dict  # status -> MeetingObjects (the meeting whose samtalsledare created it)
    twins: dict  # status -> MeetingObjects (created by the creator who is only antecknare)
    other: MeetingObjects  # another meeting, planned, led by other_leader
    shared: dict  # ids that belong to no meeting: unit, survey tokens, instrument key
    material_bytes: bytes = b"%PDF-1.4 underlag"

    def materials(self):
        everything = [*self.meetings.values(), *self.twins.values(), self.other]
        return [Material.objects.get(pk=o.ids["material_id"]) for o in everything]

    def themes(self, status):
        return {self.meetings[status].meeting.theme, self.twins[status].meeting.theme}

    def organisation_words(self):
        """What of this organisation must never show on another organisation's pages."""
        meetings = [*self.meetings.values(), *self.twins.values(), self.other]
        unit = self.other.meeting.unit
        people = {o.link_holder.person.name for o in meetings}
        own = {unit.name, unit.organisation.name, "Matrismall", *people}
        own |= {o.meeting.theme for o in meetings}
        # What the installation shares with every organisation is no leak: the shared
        # default template is Sundsvall's own, word for word.
        return {word for word in own if word not in shared_template_text()}

    def meeting_for(self, member, status):
        """The meeting a cast member is tried against: the creator-antecknare their own."""
        return (self.twins if member == "creator_antecknare" else self.meetings)[status]

    def kwargs(self, member, status, names, route_name):
        objects = self.meeting_for(member, status)
        values = {**self.shared, **objects.ids}
        if "token" in names and route_name.startswith("participants:"):
            values["token"] = self.link_token(member, objects, route_name)
        elif route_name == "surveys:answer_invited":
            values["token"] = self.shared["invitation_token"]
        return {name: values[name] for name in names}

    def link_token(self, member, objects, route_name):
        if member not in ("link", "other_link"):
            return NO_LINK
        holder = objects.link_holder if member == "link" else self.other.link_holder
        if route_name == "participants:action_report":
            action = ActionItem.objects.get(pk=objects.ids["action_id"])
            return make_report_token(action, holder)
        return make_token(holder)


def arguments(pattern):
    return [*getattr(pattern, "converters", {})] or [*pattern.regex.groupindex]


def walk(patterns=None, namespace="", outer=()):
    """(name, the URL's keyword arguments) for every pattern in the resolver, through every
    include. A pattern without a name is listed by its route, so it cannot slip past the
    table either."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        names = (*outer, *arguments(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, names)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or '<' + str(entry.pattern) + '>'}", names


def session_for(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def member(meeting, user, role):
    """The user's one Person (a user has at most one) takes part in the meeting."""
    return add_participant(
        meeting, user.first_name, role, user=user, email=f"{user.username}@kommun.example"
    )


def staffed(status, theme, creator, leader, note_taker, deltagare, unit):
    meeting = make_meeting(theme=theme, unit=unit, days_from_today=0, created_by=creator)
    member(meeting, leader, Role.FACILITATOR)
    member(meeting, note_taker, Role.NOTE_TAKER)
    account = member(meeting, deltagare, Role.PARTICIPANT) if deltagare else None
    holder = add_participant(meeting, f"{theme} länkdeltagare", email=f"lank.{meeting.pk}@ex.se")
    steps = {s.key: s for s in meeting.template_version.steps.all()}
    material = Material(meeting=meeting, title="Årsredovisning", original_name="ar.pdf")
    material.content_type = "application/pdf"
    material.file.save("ar.pdf", ContentFile(World.material_bytes), save=False)
    material.save()
    preparation = Preparation.objects.create(participation=holder)
    answer = PreparationAnswer.objects.create(
        preparation=preparation, step=steps["2A"], text="Fler elever klarar målen"
    )
    entry = Entry.objects.create(meeting=meeting, step=steps["2B"], text="Andra resultat")
    wish = Wish.objects.create(meeting=meeting, step=steps["4A"], text="Fler mötesplatser")
    action = ActionItem.objects.create(meeting=meeting, step=steps["4B"], what="Ta fram en plan")
    action.owners.add(*[p for p in (holder, account) if p])
    item = ParkingLotItem.objects.create(meeting=meeting, text="Lokalfrågan")
    report = FollowUp.objects.create(
        action_item=action, text="Påbörjad", status="pagar", reporter=holder.person
    )
    report.attachment.save("rapport.pdf", ContentFile(World.material_bytes), save=False)
    report.attachment_name, report.attachment_type = "rapport.pdf", "application/pdf"
    report.save()
    conflict = EditConflict.objects.create(
        meeting=meeting, kind="entry", object_id=entry.pk, stored_text="a", other_text="b"
    )
    # Key figures: made directly (no Kolada is asked); the unit's favourite differs per meeting.
    key_figure = KeyFigure.objects.create(
        meeting=meeting, kpi_id="N99001", title="Nyckeltal", municipality_id="2281"
    )
    favourite = Favourite.objects.create(unit=unit, kpi_id=f"N9{meeting.pk:04d}", title="Favorit")
    if status != Meeting.Status.PLANNED:
        live.start_live(meeting, leader)
    if status == Meeting.Status.FINISHED:
        meeting.refresh_from_db()
        live.finish(meeting, leader)
        ActionPlan.objects.create(meeting=meeting, issued_by=leader)
    meeting.refresh_from_db()
    ids = {
        "meeting_id": meeting.pk,
        "participation_id": holder.pk,
        "material_id": material.pk,
        "entry_id": entry.pk,
        "wish_id": wish.pk,
        "action_id": action.pk,
        "item_id": item.pk,
        "conflict_id": conflict.pk,
        "answer_id": answer.pk,
        "key_figure_id": key_figure.pk,
        "favourite_id": favourite.pk,
        "person_id": holder.person_id,
        "follow_up_id": report.pk,
        "code": meeting.join_code or "INTE1A",  # a planned meeting has no join code yet
    }
    return MeetingObjects(meeting, holder, ids)


@functools.cache
def shared_template_text():
    shared = TemplateVersion.objects.filter(template__organisation__isnull=True)
    return "".join(export_json(version) for version in shared)


def build_world():
    unit = make_unit()
    other_organisation = make_organisation("Timrå kommun", "Timråbon")
    make_unit("Kultur- och fritidsnämnden", organisation=other_organisation)
    users = {
        "outsider": make_user("matris-utomstaende", planner=False),
        "deltagare": make_user("matris-deltagare", planner=False),
        "antecknare": make_user("matris-antecknare"),
        "samtalsledare": make_user("matris-samtalsledare"),
        "other_leader": make_user("matris-annan-ledare"),
        "kommunledning": make_reviewer("matris-kommunledning"),
        "superuser": User.objects.create_superuser("matris-admin", "admin@ex.se", "x"),
        "creator_antecknare": make_user("matris-skapare-antecknare"),
        "other_organisation": make_user(
            "matris-annan-organisation",
            organisation=other_organisation,
            reviewer=True,
            admin=True,
        ),
    }
    # The other organisation's privacy officer too (its own people only).
    users["other_organisation"].user_permissions.add(
        Permission.objects.get(codename="handle_personal_data")
    )
    twin_leader = make_user("matris-tvilling-ledare")
    meetings, twins = {}, {}
    for status in STATUSES:
        meetings[status] = staffed(
            status,
            f"Matristema {status}",
            creator=users["samtalsledare"],
            leader=users["samtalsledare"],
            note_taker=users["antecknare"],
            deltagare=users["deltagare"],
            unit=unit,
        )
        twins[status] = staffed(
            status,
            f"Tvillingtema {status}",
            creator=users["creator_antecknare"],
            leader=twin_leader,
            note_taker=users["creator_antecknare"],
            deltagare=None,
            unit=unit,
        )
    other = staffed(
        Meeting.Status.PLANNED,
        "Annat tema",
        creator=users["other_leader"],
        leader=users["other_leader"],
        note_taker=twin_leader,
        deltagare=None,
        unit=unit,
    )
    # The shortest survey: its page is rendered for every cell of the public survey routes.
    instrument = Instrument.objects.annotate(n=Count("statements")).order_by("n", "key").first()
    survey_round = Round.objects.create(
        instrument=instrument,
        name="Före",
        organisation=unit.organisation,
        unit=unit,
        opens_on=timezone.localdate(),
    )
    invitation = Invitation.objects.create(round=survey_round, email="svarande@ex.se")
    report_back = ReportBack.objects.create(unit=unit, title="Återrapportering")
    report_back.follow_ups.set(FollowUp.objects.all())
    sessions = {name: session_for(user) for name, user in users.items()}
    sessions.update(anonymous=None, link=None, other_link=None)
    # A published template version (the default) and a draft copy of it, for /mallar/.
    published = meetings[Meeting.Status.PLANNED].meeting.template_version
    # The draft is of a template of this organisation's own (another organisation's user
    # must not find it); the published version is the installation's shared default.
    own = ConversationTemplate.objects.create(organisation=unit.organisation, name="Matrismall")
    with transaction.atomic():
        draft = copy_to_draft(published, own)
    shared = {
        "version_id": published.pk,
        "draft_id": draft.pk,
        "unit_id": unit.pk,
        "membership_id": users["samtalsledare"].memberships.get().pk,
        "kpi_id": "N99001",
        "report_back_id": report_back.pk,
        "object_id": meetings[Meeting.Status.PLANNED].meeting.pk,
        "key": instrument.key,
        "token": survey_round.token,
        "survey_token": survey_round.token,
        "invitation_token": invitation.token,
        **route_world_providers(unit.organisation),
        # Accounts and data protection (issue 15).
        "uidb64": "MQ",
        "person_id": meetings[Meeting.Status.PLANNED].link_holder.person_id,
        "user_id": users["outsider"].pk,
        "fmt": "json",
    }
    return World(sessions, meetings, twins, other, shared)
