"""A register extract (registerutdrag, GDPR art. 15): everything stored about one person."""

import datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samtal.participants.models import PERSONAL_LINK

from . import walk


def readable(value):
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return PERSONAL_LINK.sub(_("[personlig länk]"), value)
    return str(value)


def row_fields(row, skip=()):
    """(label, readable value) of a row's own fields, without secrets and back-pointers."""
    fields = []
    for field in row._meta.concrete_fields:
        if field.primary_key or field.name in walk.HIDDEN_FIELDS or field.name in skip:
            continue
        if isinstance(field, models.ForeignKey):
            value = getattr(row, field.name)
        elif field.choices:
            value = getattr(row, f"get_{field.name}_display")()
        else:
            value = getattr(row, field.attname)
        fields.append((str(field.verbose_name).capitalize(), readable(value)))
    return fields


class Extract:
    """The rows of an extract. With an organisation, only that organisation's rows: an
    organisation's privacy officer answers for what the organisation holds (installation
    staff answer for the whole installation)."""

    def __init__(self, person, organisation=None):
        self.person = person
        self.organisation = organisation
        self.sections = {}
        self.seen = set()

    def covers(self, row):
        return self.organisation is None or walk.row_in_organisation(row, self.organisation)

    def add(self, title, row, skip=(), fields=None, installation=False):
        key = (row._meta.label, row.pk)
        if key in self.seen or not (installation or self.covers(row)):
            return False
        self.seen.add(key)
        self.sections.setdefault(title, []).append(
            {
                "model": row._meta.label,
                "id": row.pk,
                "fields": fields if fields is not None else row_fields(row, skip),
            }
        )
        return True

    def add_related(self, instance, depth=0):
        """Rows pointing at instance, and (for owned rows) the rows pointing at those."""
        for relation in walk.reverse_relations(type(instance)):
            if relation.related_model._meta.label in walk.SKIPPED_MODELS:
                continue
            title = str(relation.related_model._meta.verbose_name_plural).capitalize()
            skip = () if relation.many_to_many else (relation.field.name,)
            for row in walk.rows_pointing_at(instance, relation):
                if self.add(title, row, skip) and walk.owned(relation) and depth < 2:
                    self.add_related(row, depth + 1)


def account_covered(user, organisation):
    """The account (its login records and sessions) is in an organisation's extract when the
    account is a member there; installation staff's extract always has it."""
    if user is None:
        return False
    return organisation is None or user.memberships.filter(organisation=organisation).exists()


def build(person, organisation=None):
    """The extract as {"person_number", "created_at", "sections": [{title, rows}], "notes"};
    with an organisation, only what that organisation holds."""
    extract = Extract(person, organisation)
    you = _("Uppgifter om personen")
    extract.add(you, person, skip=("user",))
    user = person.user
    with_account = account_covered(user, organisation)
    if with_account:
        extract.add(
            _("Användarkonto"),
            user,
            fields=[
                (_("Användarnamn"), readable(user.get_username())),
                (_("Förnamn"), readable(user.first_name)),
                (_("Efternamn"), readable(user.last_name)),
                (_("E-post"), readable(user.email)),
                (_("Kontot skapat"), readable(user.date_joined)),
                (_("Senast inloggad"), readable(user.last_login)),
                (_("Aktivt"), readable(user.is_active)),
                (_("Grupper"), readable(", ".join(g.name for g in user.groups.all()))),
            ],
            installation=True,
        )
    participations = walk.participation_model()._base_manager.filter(person=person)
    for participation in participations.select_related("meeting__unit"):
        meeting = participation.meeting
        extract.add(
            _("Medverkan i samtal"),
            participation,
            fields=[
                (_("Samtal"), readable(f"{meeting.theme} – {meeting.unit.name}")),
                (_("Datum"), readable(meeting.date)),
                *row_fields(participation, skip=("person", "meeting")),
            ],
        )
        extract.add_related(participation)
    extract.add_related(person)
    if user is not None:
        activity = []
        for relation in walk.reverse_relations(type(user)):
            model = relation.related_model
            if model._meta.label in walk.SKIPPED_MODELS or model is walk.person_model():
                continue
            rows = walk.rows_pointing_at(user, relation)
            if organisation is not None:
                query = walk.in_organisation(model, organisation)
                if query is None:
                    continue
                rows = rows.filter(query)
            count = rows.count()
            if count:
                activity.append(
                    (
                        f"{str(model._meta.verbose_name_plural).capitalize()} "
                        f"({relation.field.verbose_name})",
                        str(count),
                    )
                )
        if activity:
            extract.sections[_("Det personen har gjort som inloggad (antal)")] = [
                {"model": "", "id": None, "fields": activity}
            ]
    if with_account:
        for record in walk.login_records(user.get_username()):
            extract.add(_("Inloggningar och inloggningsförsök"), record, installation=True)
        sessions = walk.sessions_of(user)
        if sessions:
            extract.sections[_("Pågående inloggningar")] = [
                {
                    "model": "sessions.Session",
                    "id": None,
                    "fields": [(_("Gäller till"), readable(s.expire_date))],
                }
                for s in sessions
            ]
    for _model, row, _field in walk.rows_with_email(person):
        if row in (person, user):
            continue
        title = str(row._meta.verbose_name_plural).capitalize()
        extract.add(title, row)
    for model, row, hit in walk.mentions(person):
        if (model._meta.label, row.pk) in extract.seen:
            continue
        labels = {f.name: str(f.verbose_name).capitalize() for f in model._meta.concrete_fields}
        extract.add(
            _("Texter där namnet eller e-postadressen nämns"),
            row,
            fields=[
                (_("Var"), f"{str(model._meta.verbose_name).capitalize()}: {readable(str(row))}"),
                *[(labels[name], readable(getattr(row, name))) for name in hit],
            ],
        )
    return {
        "person_number": person.pk,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "sections": [{"title": title, "rows": rows} for title, rows in extract.sections.items()],
        "notes": [
            _(
                "Svar på självskattningsenkäter är anonyma: de sparas utan koppling till "
                "någon person och kan därför inte tas fram eller raderas per person."
            ),
            _(
                "Personliga länkar visas inte i utdraget; de ger tillgång till samtalet och "
                "är personliga."
            ),
        ],
    }


def as_json(extract):
    return {
        **extract,
        "sections": [
            {
                "title": section["title"],
                "rows": [
                    {"model": row["model"], "id": row["id"], "fields": dict(row["fields"])}
                    for row in section["rows"]
                ],
            }
            for section in extract["sections"]
        ],
    }
