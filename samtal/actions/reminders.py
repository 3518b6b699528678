"""Reminder e-mails to action owners: a week before an action is due, and when it is overdue.

Each (action, kind, person) is sent at most once: the ActionReminder row is written before the
e-mail goes out (its unique constraint stops a second run or a parallel one), and removed
again if sending fails so that the next day's run tries again. One recipient whose e-mail
fails (a 550, a broken address) is logged and skipped; everyone after them is still reminded.
All reminders of a run share one SMTP connection.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .links import report_link_url
from .models import ActionItem, ActionReminder

DAYS_BEFORE = 7
logger = logging.getLogger(__name__)


@dataclass
class Sent:
    action: ActionItem
    person: object
    kind: str
    error: str = field(default="")


def kind_for(action, today):
    if action.due_date is None:
        return None
    if action.due_date < today:
        return ActionReminder.Kind.OVERDUE
    if action.due_date <= today + datetime.timedelta(days=DAYS_BEFORE):
        return ActionReminder.Kind.DUE_SOON
    return None


def due_actions(today):
    return (
        ActionItem.objects.open()
        .filter(meeting__status="avslutad", due_date__isnull=False)
        .filter(due_date__lte=today + datetime.timedelta(days=DAYS_BEFORE))
        .select_related("meeting__unit")
        .prefetch_related(
            "owners__person",
        )
    )


def report_url(action, participation):
    """Staff log in and report on the board; others get a personal report link."""
    if participation.person.user_id:
        return settings.SITE_URL + reverse("actions:detail", args=[action.pk])
    return report_link_url(action, participation)


def send_reminders(today=None, dry_run=False, failed=None):
    """The reminders sent (or, dry_run, that would be); those that could not be sent are
    appended to `failed` when given."""
    today = today or timezone.localdate()
    sent = []
    failed = [] if failed is None else failed
    connection = get_connection()
    for action in due_actions(today):
        kind = kind_for(action, today)
        if kind is None:
            continue
        participations = [p for p in action.owners.all() if p.person.email]
        for participation in _one_per_person(participations):
            person = participation.person
            if dry_run:
                if not ActionReminder.objects.filter(
                    action_item=action, kind=kind, person=person
                ).exists():
                    sent.append(Sent(action, person, kind))
                continue
            try:
                with transaction.atomic():
                    reminder = ActionReminder.objects.create(
                        action_item=action, kind=kind, person=person
                    )
            except IntegrityError:
                continue  # already reminded
            try:
                _send(action, participation, kind, today, connection)
            except Exception as error:
                logger.exception("Reminder for action %s to %s failed", action.pk, person.email)
                reminder.delete()  # tried again on the next run
                connection.close()  # the next one opens a fresh connection
                failed.append(Sent(action, person, kind, str(error)[:300]))
                continue
            sent.append(Sent(action, person, kind))
    connection.close()
    return sent


def _one_per_person(participations):
    seen = set()
    for participation in participations:
        if participation.person_id not in seen:
            seen.add(participation.person_id)
            yield participation


def _send(action, participation, kind, today, connection=None):
    context = {
        "action": action,
        "person": participation.person,
        "kind": kind,
        "overdue": kind == ActionReminder.Kind.OVERDUE,
        "url": report_url(action, participation),
        "today": today,
    }
    # An action text may hold line breaks; a subject must be one line.
    subject = " ".join(render_to_string("actions/email/reminder_subject.txt", context).split())
    body = render_to_string("actions/email/reminder.txt", context)
    send_mail(subject, body, None, [participation.person.email], connection=connection)
