"""Builders for archive and follow-up tests."""

import datetime

from django.utils import timezone

from samtal.a3.models import Entry
from samtal.actions.models import ActionItem
from samtal.archive.search import index_meeting
from samtal.meetings.models import Meeting
from samtal.participants.models import Participation
from tests.factories import add_participant, make_meeting, make_unit


def finished_meeting(theme="Hemtjänst", unit=None, days_ago=30, claims=(), facilitator=None):
    meeting = make_meeting(
        theme=theme,
        unit=unit or make_unit(),
        days_from_today=-days_ago,
        status=Meeting.Status.FINISHED,
    )
    step_2a = meeting.template_version.steps.get(key="2A")
    for position, (text, reason) in enumerate(claims):
        Entry.objects.create(
            meeting=meeting, step=step_2a, text=text, reason=reason, position=position
        )
    if facilitator is not None:
        add_participant(
            meeting,
            facilitator.get_full_name() or facilitator.username,
            Participation.Role.FACILITATOR,
            user=facilitator,
            email=f"{facilitator.username}@kommun.example",
        )
    index_meeting(meeting)
    return meeting


def action(meeting, what="Analysera väntetiderna", due_in_days=14, owners=(), **fields):
    item = ActionItem.objects.create(
        meeting=meeting,
        step=meeting.template_version.steps.get(key="4B"),
        what=what,
        due_date=timezone.localdate() + datetime.timedelta(days=due_in_days)
        if due_in_days is not None
        else None,
        **fields,
    )
    item.owners.set(owners)
    return item
