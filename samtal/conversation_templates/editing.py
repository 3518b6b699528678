"""What the template editor does to versions: copy to a draft, publish, export, import.

A published version never changes (meetings keep the version they were planned with); the
editor only ever changes drafts, and publishing a draft makes it the template's newest
version.
"""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .models import ConversationTemplate, Phase, Step, TemplateVersion, version_problems

SCHEMA = "samtal.conversation-template"
SCHEMA_VERSION = 1
MAX_IMPORT_BYTES = 512 * 1024

VERSION_FIELDS = ["title", "purpose", "preparation_notes", "outline", "rules"]
STEP_FIELDS = [
    "key",
    "title",
    "phase",
    "minutes",
    "prompt",
    "questions",
    "record_kind",
    "entry_label",
    "reason_label",
    "is_round",
    "asks_preparation",
    "preparation_prompt",
    "max_agreed",
    "reviews_earlier_actions",
]


def next_number(template):
    return (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def copy_to_draft(version, template=None):
    """A draft copy of `version` (as the next version of its template, or of `template`)."""
    template = template or version.template
    template = ConversationTemplate.objects.select_for_update().get(pk=template.pk)
    draft = TemplateVersion.objects.create(
        template=template,
        number=next_number(template),
        is_active=False,
        is_draft=True,
        based_on=version,
        **{field: getattr(version, field) for field in VERSION_FIELDS},
    )
    Step.objects.bulk_create(
        Step(version=draft, order=step.order, **{f: getattr(step, f) for f in STEP_FIELDS})
        for step in version.steps.all()
    )
    return draft


def own_name(name, organisation):
    """The name an organisation's copy of a shared template gets (its own names are
    unique)."""
    taken = set(
        ConversationTemplate.objects.filter(organisation=organisation).values_list(
            "name", flat=True
        )
    )
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    return candidate[:200]


def copy_to_organisation(version, organisation):
    """A draft of a new template of the organisation's own, copied from a shared version."""
    template = ConversationTemplate.objects.create(
        organisation=organisation,
        name=own_name(version.template.name, organisation),
        description=version.template.description,
    )
    return copy_to_draft(version, template)


def publish(draft):
    """Publish a draft as its template's newest version, or raise ValidationError with the
    reasons it would give an empty or broken A3. Earlier versions are no longer offered for
    new meetings; the meetings that use them keep them."""
    with transaction.atomic():
        draft = TemplateVersion.objects.select_for_update().get(pk=draft.pk)
        if not draft.is_draft:
            raise ValidationError(_("Versionen är redan publicerad."))
        problems = version_problems(draft, list(draft.steps.all()))
        if problems:
            raise ValidationError(problems)
        draft.template.versions.exclude(pk=draft.pk).filter(is_draft=False).update(is_active=False)
        draft.is_draft = False
        draft.is_active = True
        draft.save(update_fields=["is_draft", "is_active"])
    return draft


def export_version(version):
    """The version as plain data for a JSON file that another organisation can import."""
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "template": {"name": version.template.name, "description": version.template.description},
        "version": {
            "number": version.number,
            **{field: getattr(version, field) for field in VERSION_FIELDS},
            "steps": [
                {field: getattr(step, field) for field in STEP_FIELDS}
                for step in version.steps.all()
            ],
        },
    }


def export_json(version):
    return json.dumps(export_version(version), ensure_ascii=False, indent=2) + "\n"


def _text(value, where, *, required=False, limit=None):
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationError(_("%(where)s ska vara en text.") % {"where": where})
    value = value.strip()
    if required and not value:
        raise ValidationError(_("%(where)s saknas.") % {"where": where})
    if limit and len(value) > limit:
        raise ValidationError(
            _("%(where)s är längre än %(limit)s tecken.") % {"where": where, "limit": limit}
        )
    return value


def _lines(value, where):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("%(where)s ska vara en lista med texter.") % {"where": where})
    return [item.strip() for item in value if item.strip()]


def _flag(value, where):
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError(_("%(where)s ska vara sant eller falskt.") % {"where": where})
    return value


def _step(data, number):
    where = _("Steg %(n)s") % {"n": number}
    if not isinstance(data, dict):
        raise ValidationError(_("%(where)s är inte ett steg.") % {"where": where})
    minutes = data.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 600:
        raise ValidationError(
            _("%(where)s: minuterna ska vara ett heltal från 1 till 600.") % {"where": where}
        )
    phase = data.get("phase")
    if phase not in Phase.values:
        raise ValidationError(
            _("%(where)s: okänd fas %(phase)r.") % {"where": where, "phase": phase}
        )
    kind = data.get("record_kind")
    if kind not in Step.RecordKind.values:
        raise ValidationError(
            _("%(where)s: okänt sätt att anteckna %(kind)r.") % {"where": where, "kind": kind}
        )
    max_agreed = data.get("max_agreed")
    if max_agreed is not None and (
        isinstance(max_agreed, bool) or not isinstance(max_agreed, int) or not 1 <= max_agreed <= 20
    ):
        raise ValidationError(
            _("%(where)s: högst antal överenskomna ska vara 1–20.") % {"where": where}
        )
    return Step(
        order=number,
        key=_text(
            data.get("key"), _("%(where)s: numret") % {"where": where}, required=True, limit=10
        ),
        title=_text(
            data.get("title"), _("%(where)s: rubriken") % {"where": where}, required=True, limit=200
        ),
        phase=phase,
        minutes=minutes,
        prompt=_text(data.get("prompt"), _("%(where)s: instruktionen") % {"where": where}),
        questions=_lines(data.get("questions"), _("%(where)s: frågorna") % {"where": where}),
        record_kind=kind,
        entry_label=_text(data.get("entry_label"), where, limit=200),
        reason_label=_text(data.get("reason_label"), where, limit=200),
        is_round=_flag(data.get("is_round"), where),
        asks_preparation=_flag(data.get("asks_preparation"), where),
        preparation_prompt=_text(data.get("preparation_prompt"), where),
        max_agreed=max_agreed,
        reviews_earlier_actions=_flag(data.get("reviews_earlier_actions"), where),
    )


def parse_import(raw):
    """(template name, description, unsaved version, unsaved steps) from a file's bytes, or
    ValidationError with a Swedish message saying what is wrong with the file."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationError(_("Filen är för stor för att vara en samtalsmall (högst 512 kB)."))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(
            _("Filen är inte en samtalsmall från Samtal (den går inte att läsa som JSON).")
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValidationError(_("Filen är inte en samtalsmall exporterad från Samtal."))
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ValidationError(
            _("Filen har formatversion %(got)s; Samtal läser version %(want)s.")
            % {"got": data.get("schema_version"), "want": SCHEMA_VERSION}
        )
    template = data.get("template")
    version = data.get("version")
    if not isinstance(template, dict) or not isinstance(version, dict):
        raise ValidationError(_("Filen saknar mallens namn eller dess version."))
    name = _text(template.get("name"), _("Mallens namn"), required=True, limit=180)
    description = _text(template.get("description"), _("Mallens beskrivning"))
    steps_data = version.get("steps")
    if not isinstance(steps_data, list):
        raise ValidationError(_("Filen saknar mallens steg."))
    steps = [_step(step, number) for number, step in enumerate(steps_data, start=1)]
    unsaved = TemplateVersion(
        title=_text(version.get("title"), _("A3:ans rubrik"), required=True, limit=200),
        purpose=_text(version.get("purpose"), _("Syftet")),
        preparation_notes=_lines(version.get("preparation_notes"), _("Underlag för samtal")),
        outline=_lines(version.get("outline"), _("Upplägget")),
        rules=_lines(version.get("rules"), _("Reglerna")),
    )
    problems = version_problems(unsaved, steps)
    if problems:
        raise ValidationError(problems)
    return name, description, unsaved, steps


@transaction.atomic
def import_draft(raw, organisation):
    """Import a file as a draft of the organisation: a new version of its template with that
    name (or a new template of its own). Nothing is saved if the file is refused."""
    name, description, unsaved, steps = parse_import(raw)
    template, created = ConversationTemplate.objects.get_or_create(
        organisation=organisation, name=name, defaults={"description": description}
    )
    template = ConversationTemplate.objects.select_for_update().get(pk=template.pk)
    unsaved.template = template
    unsaved.number = next_number(template)
    unsaved.is_draft = True
    unsaved.is_active = False
    unsaved.save()
    for step in steps:
        step.version = unsaved
    Step.objects.bulk_create(steps)
    return unsaved
