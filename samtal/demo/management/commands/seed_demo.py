"""Load the demo: Sundsvalls kommun with the seed's three cases (fixtures/demo.json)."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samtal.a3.models import Entry, ParkingLotItem, Wish
from samtal.actions.models import ActionItem, FollowUp
from samtal.conversation_templates.models import ConversationTemplate
from samtal.meetings.models import Meeting, Unit
from samtal.organisations.models import Membership, Organisation
from samtal.participants.models import Participation, Person, Preparation, PreparationAnswer

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
REVIEWER_GROUP = "Kommunledning"


class Command(BaseCommand):
    help = "Lägger in demodata: tre resultatsamtal (Grundskola, Hemtjänst, Origoparken)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEMO_FILE))
        parser.add_argument(
            "--force",
            action="store_true",
            help="Lägg in demodata även i en databas som redan har andra data.",
        )

    def handle(self, *args, **options):
        data = read_demo_file(options["file"])
        others = other_data(data)
        if others and not options["force"]:
            raise CommandError(
                "Databasen innehåller redan annat än demodata ("
                + ", ".join(others)
                + "). Demot lägger in konton med ett publicerat lösenord och ska bara köras i "
                "en tom databas. Använd --force om du verkligen vill lägga in det här."
            )
        if Organisation.objects.filter(name=data["organisation"]["name"]).exists():
            self.stdout.write("Demodata finns redan; inget lades till.")
        else:
            with transaction.atomic():
                load_demo(data)
            self.stdout.write(self.style.SUCCESS("Demodata inlagd."))
            from samtal.demo.keyfigures import fetch_demo_live

            self.stdout.write(fetch_demo_live())
        self.print_logins(data)

    def print_logins(self, data):
        self.stdout.write("\nDemokonton (användarnamn / lösenord):")
        other = data.get("other_organisation", {}).get("users", [])
        for spec in [*data["users"], *other]:
            self.stdout.write(
                f"  {spec['username']:<15} {spec['password']:<18} "
                f"{spec['first_name']} {spec['last_name']} – {describe_user(spec['username'])}"
            )
        self.stdout.write("\nÖppna http://127.0.0.1:8000/ och logga in.\n")


def other_data(data):
    """What the database holds besides the demo (its two organisations, and the default
    template), in words."""
    second = data.get("other_organisation") or {}
    parts = [data, *([second] if second else [])]
    demo_users = {spec["username"] for part in parts for spec in part.get("users", [])}
    found = []
    users = User.objects.exclude(username__in=demo_users).count()
    if users:
        found.append(f"{users} andra användare")
    names = [part["organisation"]["name"] for part in parts]
    organisations = Organisation.objects.exclude(name__in=names).count()
    if organisations:
        found.append(f"{organisations} andra kommuner")
    demo = Q()
    for part in parts:
        themes = [spec["theme"] for spec in part.get("meetings", []) if "theme" in spec]
        demo |= Q(unit__organisation__name=part["organisation"]["name"], theme__in=themes)
    meetings = Meeting.objects.exclude(demo).count()
    if meetings:
        found.append(f"{meetings} andra samtal")
    return found


def describe_user(username):
    user = User.objects.filter(username=username).first()
    if user is None:
        return ""
    parts = []
    for member in user.memberships.select_related("organisation"):
        roles = ", ".join(str(label) for label in member.role_labels)
        parts.append(f"{member.organisation}: {roles or 'medlem'}")
    if not parts:
        roles = sorted(
            {p.get_role_display().lower() for p in Participation.objects.filter(person__user=user)}
        )
        parts.append(", ".join(roles))
    return "; ".join(parts)


def read_demo_file(path=DEMO_FILE):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def on_a_weekday(date, days_from_today):
    """Meetings are held Monday to Friday: move a weekend date towards today's side."""
    while date.weekday() >= 5:
        date += datetime.timedelta(days=1 if days_from_today >= 0 else -1)
    return date


def load_demo(data, today=None):
    today = today or timezone.localdate()
    organisation = Organisation.objects.create(**data["organisation"])
    version = ConversationTemplate.objects.get(
        organisation=None, name__startswith="Samtalsmall"
    ).latest_active_version()
    steps = {step.key: step for step in version.steps.all()}

    users = {}
    reviewers, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    reviewers.permissions.add(Permission.objects.get(codename="review_archive"))
    for spec in data["users"]:
        user = User.objects.create_user(
            username=spec["username"],
            email=spec["email"],
            password=spec["password"],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            is_staff=spec.get("is_staff", False) or spec.get("is_superuser", False),
            is_superuser=spec.get("is_superuser", False),
        )
        if spec.get("reviewer"):
            user.groups.add(reviewers)
        users[spec["username"]] = user
        Membership.objects.create(
            user=user,
            organisation=organisation,
            is_planner=spec.get("planner", False),
            is_reviewer=spec.get("reviewer", False),
            is_admin=spec.get("organisation_admin", False),
        )

    for spec in data["meetings"]:
        load_meeting(spec, organisation, version, steps, users, today)
    if data.get("other_organisation"):
        load_other_organisation(data["other_organisation"], version, steps, users, today)

    from samtal.demo.evaluations import load_demo_evaluations

    load_demo_evaluations(today)
    from samtal.demo.keyfigures import load_demo_keyfigures

    load_demo_keyfigures(today)
    from samtal.archive.search import index_all

    index_all()


def load_other_organisation(data, version, steps, users, today):
    """A second organisation on the same installation, with its own people and a meeting:
    nothing of it is visible to the first organisation's users (the boundary)."""
    organisation = Organisation.objects.create(**data["organisation"])
    for spec in data["users"]:
        user = User.objects.create_user(
            username=spec["username"],
            email=spec["email"],
            password=spec["password"],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
        )
        users[spec["username"]] = user
    for spec in data["memberships"]:
        Membership.objects.create(
            user=users[spec["user"]],
            organisation=organisation,
            is_planner=spec.get("planner", False),
            is_reviewer=spec.get("reviewer", False),
            is_admin=spec.get("organisation_admin", False),
        )
    for spec in data["meetings"]:
        load_meeting(spec, organisation, version, steps, users, today)


def person_for(spec, users, organisation):
    user = users.get(spec.get("user") or "")
    person, created = Person.objects.get_or_create(
        organisation=organisation,
        email=spec["email"],
        defaults={"name": spec["name"], "user": user},
    )
    return person


def preparation_times(starts_at, now, position):
    """When a demo participant opened their link and finished preparing: five and two days
    before the meeting, but never later than the moment the demo is loaded (a meeting next
    week has preparations from the last few days, one person a little after the other)."""
    spread = datetime.timedelta(hours=3 * position)
    opened = min(starts_at - datetime.timedelta(days=5), now - datetime.timedelta(days=2))
    submitted = min(starts_at - datetime.timedelta(days=2), now - datetime.timedelta(hours=4))
    return opened + spread / 2, max(submitted - spread, opened + spread / 2)


def load_meeting(spec, organisation, version, steps, users, today):
    unit, _ = Unit.objects.get_or_create(
        organisation=organisation,
        name=spec["unit"]["name"],
        defaults={"kind": spec["unit"]["kind"]},
    )
    date = on_a_weekday(
        today + datetime.timedelta(days=spec["days_from_today"]), spec["days_from_today"]
    )
    hour, minute = (int(part) for part in spec["start_time"].split(":"))
    facilitator_user = next(
        (
            users[p["user"]]
            for p in spec["participants"]
            if p["role"] == "samtalsledare" and p.get("user")
        ),
        None,
    )
    meeting = Meeting.objects.create(
        unit=unit,
        theme=spec["theme"],
        date=date,
        start_time=datetime.time(hour, minute),
        location=spec.get("location", ""),
        purpose=spec.get("purpose", version.purpose),
        template_version=version,
        status=spec["status"],
        created_by=facilitator_user,
    )
    starts_at = meeting.starts_at
    if meeting.status == Meeting.Status.FINISHED:
        meeting.started_at = starts_at
        meeting.finished_at = starts_at + datetime.timedelta(minutes=version.total_minutes + 5)
        meeting.save(update_fields=["started_at", "finished_at"])

    now = timezone.now()
    by_email = {}
    for position, p in enumerate(spec["participants"]):
        participation = Participation.objects.create(
            meeting=meeting,
            person=person_for(p, users, organisation),
            role=p["role"],
            title=p.get("title", ""),
            present=p.get("present"),
            position=position,
        )
        by_email[p["email"]] = participation
        prep = p.get("preparation")
        if prep:
            opened_at, submitted_at = preparation_times(starts_at, now, position)
            preparation = Preparation.objects.create(
                participation=participation,
                opened_at=opened_at,
                submitted_at=submitted_at if prep.get("submitted") else None,
            )
            for key, answers in prep.get("answers", {}).items():
                for index, answer in enumerate(answers):
                    PreparationAnswer.objects.create(
                        preparation=preparation,
                        step=steps[key],
                        text=answer["text"],
                        reason=answer.get("reason", ""),
                        position=index,
                    )

    a3 = spec.get("a3")
    if a3:
        load_a3(meeting, a3, steps, by_email, today)
        if meeting.status == Meeting.Status.FINISHED:
            load_change_log(meeting, version, by_email)
    meeting.bump_version()


def load_change_log(meeting, version, by_email):
    """The audit trail a finished meeting would have: started, each step in turn with what
    the note-taker wrote in it, one correction, and finished, timed over the planned minutes."""
    from samtal.a3.live_models import A3Change

    Kind, Action = A3Change.Kind, A3Change.Action
    roles = {p.role: p for p in by_email.values()}
    facilitator = getattr(roles.get(Participation.Role.FACILITATOR), "person", None)
    note_taker = getattr(roles.get(Participation.Role.NOTE_TAKER), "person", None)
    lead = facilitator.user if facilitator else None
    notes = note_taker.user if note_taker else None
    at = meeting.started_at
    rows = [
        A3Change(
            meeting=meeting,
            user=lead,
            at=at,
            kind=Kind.MEETING,
            object_id=meeting.pk,
            action=Action.STARTED,
        )
    ]
    previous = None
    for step in version.steps.order_by("order"):
        if previous is not None:
            rows.append(
                A3Change(
                    meeting=meeting,
                    user=lead,
                    at=at,
                    kind=Kind.STEP,
                    object_id=step.pk,
                    action=Action.STEP_CHANGED,
                    old_text=str(previous),
                    new_text=str(step),
                )
            )
        written = list(Entry.objects.filter(meeting=meeting, step=step).order_by("position"))
        gap = datetime.timedelta(minutes=step.minutes) / (len(written) + 1)
        for index, entry in enumerate(written, start=1):
            text = entry.text + (f" – därför att: {entry.reason}" if entry.reason else "")
            rows.append(
                A3Change(
                    meeting=meeting,
                    user=notes,
                    at=at + gap * index,
                    kind=Kind.ENTRY,
                    object_id=entry.pk,
                    action=Action.WROTE,
                    new_text=text,
                )
            )
        if step.key == "2A" and written:
            first = written[0]
            rows.append(
                A3Change(
                    meeting=meeting,
                    user=notes,
                    at=at + gap * (len(written) + 0.5),
                    kind=Kind.ENTRY,
                    object_id=first.pk,
                    action=Action.CHANGED,
                    old_text=first.text.rstrip(".").rsplit(" ", 2)[0],
                    new_text=first.text,
                )
            )
        at += datetime.timedelta(minutes=step.minutes)
        previous = step
    rows.append(
        A3Change(
            meeting=meeting,
            user=lead,
            at=meeting.finished_at,
            kind=Kind.MEETING,
            object_id=meeting.pk,
            action=Action.FINISHED,
        )
    )
    A3Change.objects.bulk_create(rows)


def load_a3(meeting, a3, steps, by_email, today):
    def who(email):
        return by_email.get(email) if email else None

    for key in ("2A", "2B"):
        for position, item in enumerate(a3.get(key, [])):
            Entry.objects.create(
                meeting=meeting,
                step=steps[key],
                participation=who(item.get("by")),
                text=item["text"],
                reason=item.get("reason", ""),
                position=position,
            )
    for question_index, notes in enumerate(a3.get("3", [])):
        for position, text in enumerate(notes):
            Entry.objects.create(
                meeting=meeting,
                step=steps["3"],
                question_index=question_index,
                text=text,
                position=position,
            )
    for position, item in enumerate(a3.get("4A", [])):
        Wish.objects.create(
            meeting=meeting,
            step=steps["4A"],
            participation=who(item.get("by")),
            text=item["text"],
            reason=item.get("reason", ""),
            agreed_rank=item.get("agreed_rank"),
            position=position,
        )
    plan = a3.get("4B", {})
    for position, item in enumerate(plan.get("actions", [])):
        action = ActionItem.objects.create(
            meeting=meeting,
            step=steps["4B"],
            what=item["what"],
            owner_names=item.get("owner_names", ""),
            due_date=today + datetime.timedelta(days=item["due_in_days"])
            if item.get("due_in_days") is not None
            else None,
            due_text=item.get("due_text", ""),
            status=item.get("status", ActionItem.Status.NOT_STARTED),
            position=position,
        )
        action.owners.set([by_email[email] for email in item.get("who", [])])
        for report in item.get("reports", []):
            FollowUp.objects.create(
                action_item=action,
                text=report["text"],
                status=report["status"],
                reported_on=today - datetime.timedelta(days=report["days_ago"]),
                reporter=by_email[report["by"]].person,
            )
    for position, text in enumerate(plan.get("communication", [])):
        Entry.objects.create(
            meeting=meeting, step=steps["4B"], question_index=0, text=text, position=position
        )
    for position, text in enumerate(a3.get("other_notes", [])):
        Entry.objects.create(meeting=meeting, step=None, text=text, position=position)
    for position, text in enumerate(a3.get("parking_lot", [])):
        ParkingLotItem.objects.create(meeting=meeting, text=text, position=position)
