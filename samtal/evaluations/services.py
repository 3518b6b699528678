"""Saving reflections and splits, and asking participants for their reflection after the
meeting."""

import logging
import smtplib

from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from samtal.core.jobs import retry
from samtal.participants.links import personal_link_url

from .models import (
    PERSPECTIVE_FIELDS,
    QUESTION_FIELDS,
    Evaluation,
    PerspectiveSplit,
    ReflectionRequest,
    evaluation_deadline,
    evaluation_open,
)

logger = logging.getLogger(__name__)


class NotFinished(Exception):
    pass


class NotAllReached(Exception):
    """Some reflection requests could not be sent; the others were (and are recorded)."""

    def __init__(self, participations):
        self.participations = participations
        super().__init__(f"{len(participations)} reflection requests not sent")


def save_evaluation(participation, data):
    """Create or update the participation's reflection. A double click (two requests that
    both saw no reflection) updates the one row instead of failing on the unique constraint.
    Never touches Meeting.version: the archived A3 does not change after the meeting."""
    fields = ["role", *QUESTION_FIELDS]
    evaluation, _created = Evaluation.objects.update_or_create(
        participation=participation, defaults={name: data[name] for name in fields}
    )
    return evaluation


def save_split(meeting, participation, data, device_key=""):
    """Create or update one device's split (participation, or the device_key of a phone that
    joined anonymously with the meeting's code) or, with neither, the group's agreed split;
    safe against a double click like save_evaluation. Moves the meeting's version so the
    projector redraws (splits are made while the meeting runs)."""
    fields = [*PERSPECTIVE_FIELDS, "other_what"]
    with transaction.atomic():
        split, _created = PerspectiveSplit.objects.update_or_create(
            meeting=meeting,
            is_group_entry=participation is None and not device_key,
            participation=participation,
            device_key=device_key,
            defaults={name: data[name] for name in fields},
        )
        meeting.bump_version()
    return split


def invite_to_reflection(meeting):
    """Email every participant of a finished meeting the reflection request with their
    personal link. Everyone is asked once: a ReflectionRequest records who was asked.

    Returns the participations that were emailed now. Call it when the meeting is finished
    (issue 4's "Avsluta samtalet"); calling it again only reaches people added since.
    """
    if not evaluation_open(meeting):
        raise NotFinished(meeting.pk)
    participations = not_yet_asked(meeting).select_related("person")
    sent, failed = [], []
    connection = get_connection()  # one SMTP connection for everyone
    try:
        for participation in participations:
            try:
                with transaction.atomic():
                    ReflectionRequest.objects.create(participation=participation)
                    send_reflection_email(participation, connection)
            except IntegrityError:
                continue  # asked by a concurrent call
            except (smtplib.SMTPException, OSError):
                # Not recorded as asked: the next run (the job's retry, the daily sweep)
                # tries again. The others are still asked.
                logger.exception("Reflection request to participation %s failed", participation.pk)
                connection.close()
                failed.append(participation)
                continue
            sent.append(participation)
    finally:
        connection.close()
    logger.info("Reflection request sent for meeting %s to %s people", meeting.pk, len(sent))
    if failed:
        raise NotAllReached(failed)
    return sent


def not_yet_asked(meeting):
    """The participations with an email address that have not been asked yet."""
    return meeting.participations.exclude(person__email="").filter(reflection_request__isnull=True)


def queue_reflection_requests(meeting):
    """ "Skicka utvärderingen": the worker emails everyone not yet asked, retrying those the
    mail server did not take (like invitations and reminders); nothing is sent in the
    request. Returns how many are to be asked."""
    if not evaluation_open(meeting):
        raise NotFinished(meeting.pk)
    count = not_yet_asked(meeting).count()
    if count:
        transaction.on_commit(lambda: reflection_requests_job.enqueue(meeting.pk))
    return count


@task()
def reflection_requests_job(meeting_id, attempt=1):
    from samtal.meetings.models import Meeting

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return
    try:
        invite_to_reflection(meeting)
    except NotFinished:
        logger.info("Reflection requests for meeting %s: the evaluation has closed", meeting_id)
    except NotAllReached as error:
        if retry(reflection_requests_job, meeting_id, attempt=attempt) is None:
            logger.error(
                "Reflection requests for meeting %s: gave up on %s people",
                meeting_id,
                len(error.participations),
            )


def send_reflection_email(participation, connection=None):
    meeting = participation.meeting
    context = {
        "participation": participation,
        "meeting": meeting,
        "link": personal_link_url(participation, "participants:evaluation"),
        "deadline": evaluation_deadline(meeting),
    }
    subject = _("Hur gick samtalet? Utvärdering av %(theme)s") % {"theme": meeting.theme}
    body = render_to_string("evaluations/email/reflection_request.txt", context)
    send_mail(subject, body, None, [participation.person.email], connection=connection)
