"""Invitations and reminders sent by the worker, each recipient's state visible.

A request only records an EmailDelivery per recipient (waiting) and enqueues one job for the
batch; the job sends over one SMTP connection. A recipient whose email fails for a reason
that may pass (the server did not answer, refused for now) is retried with a growing pause
(samtal.core.jobs); after the last attempt, or at once for a permanent error, the delivery
is marked failed with the reason, and the facilitator can send again. One failing recipient
never stops the others.
"""

import datetime
import logging

from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from samtal.core.jobs import retry

from .emails import SEND_ERRORS, send_invitation, send_reminder
from .models import EmailDelivery, Participation, SentEmail

logger = logging.getLogger(__name__)

SENDERS = {SentEmail.Kind.INVITATION: send_invitation, SentEmail.Kind.REMINDER: send_reminder}


def queue(participations, kind, requested_by=None, new_link=False, client_key=""):
    """A waiting delivery for each participation that has none pending; the new ones.

    A click's client_key is stored with them, so the same click repeated queues nothing."""
    user = requested_by if requested_by and requested_by.is_authenticated else None
    created = []
    for participation in participations:
        try:
            with transaction.atomic():
                created.append(
                    EmailDelivery.objects.create(
                        participation=participation,
                        kind=kind,
                        new_link=new_link,
                        requested_by=user,
                        client_key=client_key,
                    )
                )
        except IntegrityError:  # already waiting: another request queued it
            continue
    return created


def start(deliveries):
    """Enqueue the job for these deliveries and return them as they are now (sent already
    when the backend runs jobs at once)."""
    if not deliveries:
        return []
    send_deliveries.enqueue([delivery.pk for delivery in deliveries])
    return list(EmailDelivery.objects.filter(pk__in=[d.pk for d in deliveries]))


@task()
def send_deliveries(delivery_ids, attempt=1):
    again = deliver(delivery_ids)
    if not again:
        return
    when = retry(send_deliveries, again, attempt=attempt)
    if when is None:
        EmailDelivery.objects.filter(pk__in=again).update(
            status=EmailDelivery.Status.FAILED, finished_at=timezone.now()
        )
    else:
        EmailDelivery.objects.filter(pk__in=again).update(next_attempt_at=when)


def deliver(delivery_ids):
    """Send the waiting deliveries among delivery_ids over one connection; the ids of
    those to try again."""
    again = []
    connection = get_connection()
    try:
        connection.open()
    except SEND_ERRORS as error:
        logger.warning("SMTP connection failed: %s", error)
        waiting = EmailDelivery.objects.filter(
            pk__in=delivery_ids, status=EmailDelivery.Status.WAITING
        )
        ids = list(waiting.values_list("pk", flat=True))
        waiting.update(attempts=F("attempts") + 1, error=describe(error))
        return ids
    try:
        for delivery_id in delivery_ids:
            outcome = deliver_one(delivery_id, connection)
            if outcome == "again":
                again.append(delivery_id)
    finally:
        connection.close()
    return again


def deliver_one(delivery_id, connection):
    # Claim it: a delivery is sent by one job only, even if enqueued twice.
    claimed = EmailDelivery.objects.filter(
        pk=delivery_id, status=EmailDelivery.Status.WAITING
    ).update(
        status=EmailDelivery.Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=timezone.now(),
    )
    if not claimed:
        return "skipped"
    delivery = EmailDelivery.objects.select_related(
        "participation__person", "participation__meeting", "requested_by"
    ).get(pk=delivery_id)
    participation = delivery.participation
    try:
        SENDERS[delivery.kind](
            participation,
            sender=delivery.requested_by,
            connection=connection,
            new_link=delivery.new_link,
        )
    except SEND_ERRORS as error:
        logger.warning("Email to participation %s failed: %s", participation.pk, error)
        connection.close()  # the next send opens a fresh connection
        delivery.status = EmailDelivery.Status.WAITING
        delivery.error = describe(error)
        delivery.save(update_fields=["status", "error"])
        return "again"
    except Exception as error:  # a permanent error (e.g. a bad header): no retry
        logger.exception("Email to participation %s cannot be sent", participation.pk)
        delivery.status = EmailDelivery.Status.FAILED
        delivery.error = describe(error)
        delivery.finished_at = timezone.now()
        delivery.save(update_fields=["status", "error", "finished_at"])
        return "failed"
    now = timezone.now()
    if delivery.new_link:
        # The new link was sent: from now on only it works.
        Participation.objects.filter(
            pk=participation.pk, link_generation=participation.link_generation
        ).update(link_generation=F("link_generation") + 1, link_revoked_at=now)
    delivery.status = EmailDelivery.Status.SENT
    delivery.error = ""
    delivery.finished_at = now
    delivery.save(update_fields=["status", "error", "finished_at"])
    return "sent"


# Far longer than one send can take (SMTP's timeout is 10 s): a delivery claimed this long ago
# and still "sending" belongs to a job that will never finish it.
STALE_AFTER = datetime.timedelta(minutes=15)

INTERRUPTED = "Sändningen avbröts när bakgrundsjobbet stoppades; den görs om."


def recover(now=None):
    """Send again the deliveries a killed worker left "sending"; how many.

    Sending again may deliver an email twice if the worker was killed after the SMTP server
    took it: for an invitation a second copy is better than none and a stuck "Skickas" that
    also blocks sending anew (one pending delivery per person)."""
    now = now or timezone.now()
    stale = EmailDelivery.objects.filter(
        status=EmailDelivery.Status.SENDING, claimed_at__lt=now - STALE_AFTER
    )
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return 0
    EmailDelivery.objects.filter(pk__in=ids, status=EmailDelivery.Status.SENDING).update(
        status=EmailDelivery.Status.WAITING, error=INTERRUPTED, claimed_at=None
    )
    send_deliveries.enqueue(ids)
    return len(ids)


def describe(error):
    text = str(error) or error.__class__.__name__
    return text[:300]
