"""Helpers for the evaluation and survey tests."""

import datetime

from django.utils import timezone

from samtal.evaluations.models import PerspectiveRound
from samtal.meetings.models import Meeting
from samtal.surveys import builtin as builtin_specs
from samtal.surveys.models import Answer, Instrument, Response, Round, Statement
from tests.factories import make_organisation, staffed_meeting


def finished_meeting(days_ago=1, **kwargs):
    """A finished meeting with facilitator (karin), note-taker (johan) and two participants."""
    meeting, facilitator, note_taker = staffed_meeting(
        days_from_today=-days_ago, status=Meeting.Status.FINISHED, **kwargs
    )
    meeting.finished_at = timezone.now() - datetime.timedelta(days=days_ago)
    meeting.save(update_fields=["finished_at"])
    return meeting, facilitator, note_taker


def running_meeting(open_split=True, **kwargs):
    """A running meeting; its group reflection opened by the facilitator unless open_split
    is False."""
    result = staffed_meeting(days_from_today=0, status=Meeting.Status.RUNNING, **kwargs)
    if open_split:
        PerspectiveRound.open_for(result[0])
    return result


def participant(meeting, name="Maria Ek"):
    return meeting.participations.get(person__name=name)


def builtin(key="forbattringsarbete"):
    builtin_specs.create_all(Instrument, Statement)
    return Instrument.objects.filter(key=key).order_by("-version").first()


def make_round(instrument=None, name="Före", unit=None, days_ago=10, **fields):
    instrument = instrument or builtin()
    fields.setdefault("organisation", unit.organisation if unit else make_organisation())
    return Round.objects.create(
        instrument=instrument,
        name=name,
        unit=unit,
        opens_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        **fields,
    )


def add_responses(round, count, function="ledning", value=4, unit=None, values=None):
    """count responses, each giving every statement `value` (or values[number])."""
    statements = list(round.instrument.statements.all())
    for _ in range(count):
        response = Response.objects.create(round=round, function=function, unit=unit or round.unit)
        Answer.objects.bulk_create(
            Answer(
                response=response,
                statement=s,
                value=(values or {}).get(s.number, value),
            )
            for s in statements
        )
