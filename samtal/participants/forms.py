import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from .models import Participation, Person

ROLE_WORDS = {
    "samtalsledare": Participation.Role.FACILITATOR,
    "antecknare": Participation.Role.NOTE_TAKER,
    "deltagare": Participation.Role.PARTICIPANT,
    "observatör": Participation.Role.OBSERVER,
    "observator": Participation.Role.OBSERVER,
}
LINE = re.compile(r"^\s*(?P<name>[^<>,]*?)\s*<\s*(?P<email>[^<>]*?)\s*>\s*(?:,(?P<rest>[^<>]*))?$")


def find_person(organisation, email):
    """The organisation's own record of someone (never another organisation's)."""
    return Person.objects.filter(organisation=organisation, email__iexact=email).first()


def link_account(person):
    """Connect the person to the staff account with the same email (any letter case), if
    neither is connected yet in this organisation: then they reach the meeting when logged
    in."""
    if person.user_id or not person.email:
        return
    user = (
        get_user_model()
        .objects.filter(email__iexact=person.email)
        .exclude(person__organisation=person.organisation_id)
        .order_by("id")
        .first()
    )
    if user is not None:
        person.user = user
        person.save(update_fields=["user"])


def role_problem(meeting, role, email, exclude_participation=None):
    """Why a person with this email cannot join the meeting in this role, or None."""
    others = meeting.participations.all()
    if exclude_participation is not None:
        others = others.exclude(pk=exclude_participation.pk)
    if email and others.filter(person__email__iexact=email).exists():
        return "email", _g("%(email)s är redan med i samtalet.") % {"email": email}
    if role == Participation.Role.FACILITATOR:
        facilitator = others.filter(role=Participation.Role.FACILITATOR).select_related("person")
        facilitator = facilitator.first()
        if facilitator:
            return "role", _g(
                "Samtalet har redan en samtalsledare (%(name)s). Ett samtal har exakt en "
                "samtalsledare: ändra först %(name)ss roll om någon annan ska leda."
            ) % {"name": facilitator.person.name}
    return None


def add_person(meeting, name, email, role, title=""):
    """Add someone to the meeting; a person of the meeting's organisation is found by email
    (any letter case). The title is this meeting's: it changes no other meeting."""
    organisation = meeting.unit.organisation_id
    with transaction.atomic():
        person = find_person(organisation, email)
        if person is None:
            person = Person.objects.create(organisation_id=organisation, name=name, email=email)
        link_account(person)
        position = meeting.participations.count()
        return Participation.objects.create(
            meeting=meeting, person=person, role=role, position=position, title=title
        )


class ParticipantForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"), max_length=200, error_messages={"required": _("Skriv personens namn.")}
    )
    email = forms.EmailField(
        label=_("E-post"),
        error_messages={
            "required": _("Skriv personens e-postadress; kallelsen skickas dit."),
            "invalid": _("Det här är ingen giltig e-postadress, till exempel anna.berg@kommun.se."),
        },
    )
    title = forms.CharField(label=_("Titel eller organisation"), max_length=200, required=False)
    role = forms.ChoiceField(
        label=_("Roll"), choices=Participation.Role.choices, initial=Participation.Role.PARTICIPANT
    )

    def __init__(self, meeting, *args, **kwargs):
        self.meeting = meeting
        super().__init__(*args, prefix="ny", **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problem = role_problem(self.meeting, cleaned["role"], cleaned["email"])
        if problem:
            self.add_error(*problem)
        return cleaned

    def save(self):
        data = self.cleaned_data
        try:
            return add_person(
                self.meeting, data["name"], data["email"], data["role"], data["title"]
            )
        except IntegrityError:
            # Someone else added the same person or a samtalsledare at the same moment.
            self.add_error(None, _("Samtalet ändrades samtidigt av någon annan. Försök igen."))
            return None


class PasteParticipantsForm(forms.Form):
    """Many people at once, one per line: `Anna Berg <anna.berg@kommun.se>, rektor, deltagare`.

    After the address come an optional title and an optional role. When the last part is not
    a role it is taken as (part of) the title and the person joins as deltagare."""

    lines = forms.CharField(
        label=_("Klistra in flera"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "En person per rad: Namn <e-post>, titel, roll – till exempel "
            "Anna Berg <anna.berg@kommun.se>, rektor, deltagare. Titel och roll kan utelämnas. "
            "Roll är samtalsledare, antecknare, deltagare eller observatör (deltagare om "
            "inget anges)."
        ),
        error_messages={"required": _("Klistra in minst en rad.")},
    )

    def __init__(self, meeting, *args, **kwargs):
        self.meeting = meeting
        super().__init__(*args, prefix="lista", **kwargs)
        self.added = []
        self.line_errors = []

    def parse_line(self, line, seen, facilitator_taken):
        match = LINE.match(line)
        if not match:
            raise ValidationError(
                _g(
                    "skriv raden som Namn <e-post>, titel, roll, till exempel "
                    "Anna Berg <anna.berg@kommun.se>, rektor, deltagare."
                )
            )
        name, email = match["name"].strip(), match["email"].strip()
        parts = [part.strip() for part in (match["rest"] or "").split(",")]
        parts = [part for part in parts if part]
        role_word = "deltagare"
        if parts and parts[-1].lower() in ROLE_WORDS:
            role_word = parts.pop().lower()
        title = ", ".join(parts)
        if not name:
            raise ValidationError(_g("namnet saknas före e-postadressen."))
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                _g("”%(email)s” är ingen giltig e-postadress.") % {"email": email}
            ) from None
        if len(title) > Participation._meta.get_field("title").max_length:
            raise ValidationError(_g("titeln är för lång, högst 200 tecken."))
        role = ROLE_WORDS[role_word]
        if email.lower() in seen:
            raise ValidationError(_g("%(email)s står redan på en tidigare rad.") % {"email": email})
        if role == Participation.Role.FACILITATOR and facilitator_taken:
            raise ValidationError(_g("samtalet kan bara ha en samtalsledare."))
        problem = role_problem(self.meeting, role, email)
        if problem:
            raise ValidationError(problem[1])
        return name, email, title, role

    def save(self):
        """Add every good line; keep the bad ones (with their line numbers) for the user."""
        bad_lines = []
        seen = set()
        facilitator_taken = False
        for number, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                name, email, title, role = self.parse_line(line, seen, facilitator_taken)
                participation = add_person(self.meeting, name, email, role, title)
            except ValidationError as error:
                self.line_errors.append(
                    _g("Rad %(number)s: %(error)s") % {"number": number, "error": error.messages[0]}
                )
                bad_lines.append(line)
                continue
            except IntegrityError:
                self.line_errors.append(
                    _g("Rad %(number)s: kunde inte läggas till, försök igen.") % {"number": number}
                )
                bad_lines.append(line)
                continue
            seen.add(email.lower())
            facilitator_taken = facilitator_taken or role == Participation.Role.FACILITATOR
            self.added.append(participation)
        if bad_lines:
            self.data = self.data.copy()
            self.data[self.add_prefix("lines")] = "\n".join(bad_lines)
            for message in self.line_errors:
                self.add_error("lines", message)
        return self.added


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Roll"), choices=Participation.Role.choices)

    def __init__(self, participation, *args, **kwargs):
        self.participation = participation
        super().__init__(*args, **kwargs)

    def clean_role(self):
        role = self.cleaned_data["role"]
        problem = role_problem(
            self.participation.meeting, role, "", exclude_participation=self.participation
        )
        if problem:
            raise ValidationError(problem[1])
        return role
