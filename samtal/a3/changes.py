"""The change log as a Swedish timeline: who changed what in the A3, when, old and new text.

`timeline(A3Change.objects.filter(meeting=…))` reads the audit rows and the few objects
they point at in a fixed number of queries, and returns the days of the meeting, each with
its changes in order, every change as a sentence ("skrev en anteckning i 2A") with the old
and new text.
"""

import itertools
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from samtal.conversation_templates.models import Step
from samtal.participants.models import Participation

from .live_models import A3Change
from .models import Entry

Kind = A3Change.Kind
Action = A3Change.Action


@dataclass
class Change:
    at: object
    who: str
    what: str
    old: str = ""
    new: str = ""
    # How the texts read: "changed" (before → after), "added", "removed", or "" (no text).
    shows: str = ""


@dataclass
class Day:
    date: object
    changes: list


def nouns():
    return {
        Kind.ENTRY: _("en anteckning"),
        Kind.WISH: _("en önskning"),
        Kind.ACTION: _("en åtgärd"),
        Kind.PARKING: _("en fråga i parkeringsfickan"),
    }


def text_actions():
    """Changes to a written item, as verbs before the item's noun."""
    return {
        Action.WROTE: (_("skrev"), "added"),
        Action.CHANGED: (_("ändrade"), "changed"),
        Action.DELETED: (_("tog bort"), "removed"),
        Action.MOVED_UP: (_("flyttade upp"), ""),
        Action.MOVED_DOWN: (_("flyttade ned"), ""),
        Action.CONFLICT: (_("sparade samtidigt som någon annan – konflikt om"), "changed"),
        Action.KEPT_STORED: (_("löste konflikten (behöll den sparade texten) om"), "changed"),
        Action.KEPT_OTHER: (_("löste konflikten (tog den andra texten) om"), "changed"),
        Action.KEPT_BOTH: (_("löste konflikten (behöll båda texterna) om"), "changed"),
        Action.AGREED: (_("kom överens om"), "added"),
        Action.UNAGREED: (_("tog bort överenskommelsen om"), "removed"),
        Action.REORDERED: (_("ändrade ordningen på"), "changed"),
        Action.PARKED: (_("parkerade"), "added"),
        Action.HANDLED: (_("markerade som hanterad:"), "added"),
        Action.REOPENED: (_("öppnade igen:"), "added"),
    }


def _where(key):
    return _("i %(step)s") % {"step": key} if key else ""


class _Places:
    """Where each written item sits (its step), read in one query per kind."""

    def __init__(self, rows):
        ids = {kind: set() for kind in Kind.values}
        for row in rows:
            if row.object_id:
                ids[row.kind].add(row.object_id)
        self.entries = {
            pk: key or _("Övriga anteckningar")
            for pk, key in Entry.objects.filter(pk__in=ids[Kind.ENTRY]).values_list(
                "pk", "step__key"
            )
        }
        step_ids = ids[Kind.STEP] | ids[Kind.TIME]
        self.steps = dict(Step.objects.filter(pk__in=step_ids).values_list("pk", "key"))
        self.people = dict(
            Participation.objects.filter(pk__in=ids[Kind.ATTENDANCE]).values_list(
                "pk", "person__name"
            )
        )
        # Wishes and actions always belong to 4A and 4B; parked questions to no step.
        self.fixed = {
            Kind.WISH: "4A" if ids[Kind.WISH] else "",
            Kind.ACTION: "4B" if ids[Kind.ACTION] else "",
        }

    def step_of(self, row):
        if row.kind == Kind.ENTRY:
            return self.entries.get(row.object_id, "")
        return self.fixed.get(row.kind, "")


def describe(row, places):
    """(sentence, old, new, shows) for one audit row."""
    old, new = row.old_text, row.new_text
    if row.kind == Kind.MEETING:
        return (
            _("startade samtalet") if row.action == Action.STARTED else _("avslutade samtalet"),
            "",
            "",
            "",
        )
    if row.kind == Kind.STEP:
        if row.action == Action.STEP_UNDONE:
            return _("ångrade det senaste stegbytet"), "", "", ""
        return _("bytte steg"), old, new, "changed"
    if row.kind == Kind.TIME:
        step = places.steps.get(row.object_id, "")
        verb = {
            Action.TIMER_STARTED: _("startade tiden"),
            Action.TIMER_PAUSED: _("pausade tiden"),
            Action.TIME_ADDED: _("lade till tid (%(new)s)") % {"new": new.lstrip("+")},
        }.get(row.action, row.get_action_display())
        return f"{verb} {_where(step)}".strip(), "", "", ""
    if row.kind == Kind.SPEAKER:
        return _("gav ordet till %(name)s") % {"name": new}, "", "", ""
    if row.kind == Kind.ATTENDANCE:
        if row.action == Action.UNANNOUNCED:
            return _("lade till %(name)s, som inte var anmäld") % {"name": new}, "", "", ""
        name, _sep, present = new.rpartition(": ")
        name = name or places.people.get(row.object_id, "")
        return (
            _("ändrade närvaron för %(name)s") % {"name": name},
            old,
            present,
            "changed",
        )
    verb, shows = text_actions().get(row.action, (row.get_action_display(), "changed"))
    noun = nouns().get(row.kind, row.get_kind_display())
    if row.kind == Kind.WISH and row.action == Action.REORDERED:
        noun = _("önskningarna (plats %(old)s → %(new)s)") % {"old": old, "new": new}
        return f"{verb} {noun}", "", "", ""
    sentence = f"{verb} {noun} {_where(places.step_of(row))}".strip()
    return sentence, old, new, shows


def timeline(changes):
    """The days of a meeting's audit rows (a queryset of A3Change), each with its changes."""
    rows = list(changes.select_related("user").order_by("at", "id"))
    places = _Places(rows)
    changes = []
    for row in rows:
        what, old, new, shows = describe(row, places)
        who = (row.user.get_full_name() or row.user.username) if row.user else _("Okänd")
        changes.append(Change(row.at, who, what, old, new, shows))
    return [
        Day(date, list(group))
        for date, group in itertools.groupby(changes, key=lambda c: timezone.localdate(c.at))
    ]
