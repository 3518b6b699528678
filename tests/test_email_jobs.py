"""Invitations and reminders go through background jobs: the request only queues them, the
worker sends them over one SMTP connection, retries what may pass, and the facilitator sees
each recipient's state."""

import datetime
import io
import re
import smtplib
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult

from samtal.actions.models import ActionReminder
from samtal.actions.reminders import send_reminders
from samtal.core.jobs import MAX_ATTEMPTS, pause_before
from samtal.core.tokens import LinkError
from samtal.participants.deliveries import send_deliveries
from samtal.participants.links import make_token, participation_for_token
from samtal.participants.models import EmailDelivery, Participation, SentEmail
from tests.archive_helpers import action, finished_meeting
from tests.factories import add_participant, staffed_meeting

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}


@pytest.fixture
def planned(client, settings):
    settings.SITE_URL = "https://samtal.example"
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    return meeting


@pytest.fixture
def silent_smtp_server(settings):
    """An SMTP server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
    settings.EMAIL_TIMEOUT = 1.0
    yield server
    server.close()


def plan_page(client, meeting):
    return client.get(reverse("meetings:plan", args=[meeting.pk])).content.decode()


def test_a_silent_smtp_server_does_not_hold_the_request_and_the_job_retries(
    client, planned, settings, silent_smtp_server
):
    settings.TASKS = DATABASE_BACKEND
    response = client.post(reverse("meetings:invitations_send", args=[planned.pk]))
    silent_smtp_server.setblocking(False)
    with pytest.raises(BlockingIOError):  # the request never connected to the SMTP server
        silent_smtp_server.accept()
    assert response.status_code == 302
    waiting = EmailDelivery.objects.filter(status=EmailDelivery.Status.WAITING)
    assert waiting.count() == 4
    (job,) = DBTaskResult.objects.all()
    assert job.task_path.endswith("send_deliveries")

    # The worker runs the job: the server never answers, so every delivery is retried later.
    before = timezone.now()
    send_deliveries.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
    assert waiting.count() == 4
    delivery = waiting.first()
    assert delivery.attempts == 1 and "timed out" in delivery.error
    assert delivery.next_attempt_at - before >= pause_before(1)
    retry_job = DBTaskResult.objects.exclude(pk=job.pk).get()
    assert retry_job.run_after >= before + pause_before(1)
    assert retry_job.args_kwargs["kwargs"] == {"attempt": 2}
    page = plan_page(client, planned)
    assert "Kallelsen väntar på att skickas – 1 försök misslyckades (Connection" in page
    assert "nytt försök kl." in page

    # By the next attempt the server works again: everyone gets the invitation once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_deliveries.call(*retry_job.args_kwargs["args"], **retry_job.args_kwargs["kwargs"])
    assert EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT).count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.person.email for p in planned.participations.all()
    )
    assert "väntar på att skickas" not in plan_page(client, planned)


def test_after_the_last_attempt_the_facilitator_sees_the_failure_and_sends_again(
    client, planned, settings, silent_smtp_server
):
    settings.TASKS = DATABASE_BACKEND
    client.post(reverse("meetings:invitations_send", args=[planned.pk]))
    ids = list(EmailDelivery.objects.values_list("pk", flat=True))
    send_deliveries.call(ids, attempt=MAX_ATTEMPTS)
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"misslyckad"}
    page = plan_page(client, planned)
    assert "Kallelsen kunde inte skickas (Connection unexpectedly closed: timed out)" in page
    assert "Skicka igen" in page
    assert "Skicka kallelse till 4 personer" in page  # nobody counts as invited

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    maria = planned.participations.get(person__name="Maria Ek")
    response = client.post(
        reverse("meetings:participant_invite", args=[planned.pk, maria.pk]), follow=True
    )
    assert "Kallelsen är skickad till Maria Ek." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[maria.person.email]]


def test_a_delivery_left_sending_by_a_killed_worker_is_sent_again(client, planned, settings):
    settings.TASKS = DATABASE_BACKEND
    client.post(reverse("meetings:invitations_send", args=[planned.pk]))
    maria, *others = EmailDelivery.objects.order_by("participation__person__name")
    now = timezone.now()
    # The worker claimed Maria's invitation 20 minutes ago and was killed before sending;
    # another one was claimed a minute ago and is still being sent.
    EmailDelivery.objects.filter(pk=maria.pk).update(
        status="skickas", claimed_at=now - datetime.timedelta(minutes=20)
    )
    EmailDelivery.objects.filter(pk=others[0].pk).update(
        status="skickas", claimed_at=now - datetime.timedelta(minutes=1)
    )
    assert "Kallelsen väntar på att skickas" in plan_page(client, planned)

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = io.StringIO()
    call_command("recover_deliveries", stdout=out)

    assert out.getvalue().strip() == "1 avbrutna utskick köades igen."
    maria.refresh_from_db()
    assert maria.status == "skickad"
    assert [m.to for m in mail.outbox] == [[maria.participation.person.email]]
    assert EmailDelivery.objects.get(pk=others[0].pk).status == "skickas"
    # Nothing stale left: running it again queues nothing.
    out = io.StringIO()
    call_command("recover_deliveries", stdout=out)
    assert out.getvalue() == ""
    assert len(mail.outbox) == 1


class CountingBackend(locmem.EmailBackend):
    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return super().open()


def test_one_smtp_connection_for_a_whole_batch(client, planned, settings):
    settings.EMAIL_BACKEND = "tests.test_email_jobs.CountingBackend"
    CountingBackend.opened = 0
    client.post(reverse("meetings:invitations_send", args=[planned.pk]))
    assert len(mail.outbox) == 4
    assert CountingBackend.opened == 1


class RefusesMaria(locmem.EmailBackend):
    def send_messages(self, messages):
        if any("maria" in address for message in messages for address in message.to):
            raise smtplib.SMTPRecipientsRefused({"maria": (550, b"nej")})
        return super().send_messages(messages)


def test_a_new_link_whose_email_fails_keeps_the_old_link_working(client, planned, settings):
    maria = planned.participations.get(person__name="Maria Ek")
    old_token = make_token(maria)
    settings.EMAIL_BACKEND = "tests.test_email_jobs.RefusesMaria"
    response = client.post(
        reverse("meetings:participant_invite", args=[planned.pk, maria.pk]),
        {"new_link": "1"},
        follow=True,
    )
    assert "kunde inte skickas till Maria Ek" in response.content.decode()
    assert participation_for_token(old_token) == maria
    assert "den gamla länken gäller fortfarande" in plan_page(client, planned)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(
        reverse("meetings:participant_invite", args=[planned.pk, maria.pk]), {"new_link": "1"}
    )
    with pytest.raises(LinkError):
        participation_for_token(old_token)
    new_token = re.search(r"/l/([^/\s]+)/", mail.outbox[-1].body).group(1)
    assert participation_for_token(new_token) == maria


class SlowBackend(locmem.EmailBackend):
    """Sending takes a while, as with a real SMTP server: the window two presses race in."""

    def send_messages(self, messages):
        time.sleep(0.2)
        return super().send_messages(messages)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_presses_send_each_invitation_once(settings):
    settings.EMAIL_BACKEND = "tests.test_email_jobs.SlowBackend"
    meeting, facilitator, _ = staffed_meeting()
    url = reverse("meetings:invitations_send", args=[meeting.pk])
    barrier = threading.Barrier(2)
    errors = []

    def press():
        try:
            browser = Client()
            browser.force_login(facilitator)
            barrier.wait()
            browser.post(url)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(p.person.email for p in meeting.participations.all())
    assert SentEmail.objects.filter(kind="kallelse").count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_remind_holds_no_lock_while_sending(client, planned, settings):
    """The meeting row is locked only while reminders are queued, not while they are sent."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("meetings:remind", args=[planned.pk]))
    sql = [q["sql"] for q in queries]
    lock = next(i for i, q in enumerate(sql) if "FOR UPDATE" in q and "meetings_meeting" in q)
    first_sent = next(
        i for i, q in enumerate(sql) if "participants_sentemail" in q and "INSERT" in q
    )
    released = next(i for i, q in enumerate(sql) if i > lock and q.startswith("RELEASE SAVEPOINT"))
    assert released < first_sent


# --- the daily reminders to action owners -------------------------------------------------


class RefusesFirst(locmem.EmailBackend):
    def send_messages(self, messages):
        if any(address.startswith("anna") for message in messages for address in message.to):
            raise smtplib.SMTPRecipientsRefused({"anna": (550, b"no such user")})
        return super().send_messages(messages)


def test_a_failing_owner_does_not_stop_the_reminders_to_the_others(settings):
    settings.EMAIL_BACKEND = "tests.test_email_jobs.RefusesFirst"
    meeting = finished_meeting(days_ago=60)
    anna = add_participant(meeting, "Anna Ahl", email="anna@kommun.example")
    bo = add_participant(meeting, "Bo Berg", email="bo@kommun.example")
    action(meeting, "Första", due_in_days=3, owners=[anna])
    action(meeting, "Andra\nmed radbrytning", due_in_days=3, owners=[bo])
    with pytest.raises(CommandError, match="1 påminnelser kunde inte skickas"):
        call_command("send_action_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    assert [m.to for m in mail.outbox] == [["bo@kommun.example"]]
    assert "\n" not in mail.outbox[0].subject
    # Anna is tried again on the next run.
    assert not ActionReminder.objects.filter(person=anna.person).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert [s.person for s in send_reminders()] == [anna.person]


def test_the_backoff_grows():
    assert [pause_before(n) for n in (1, 2, 3, 4)] == [
        datetime.timedelta(seconds=30),
        datetime.timedelta(minutes=2),
        datetime.timedelta(minutes=8),
        datetime.timedelta(minutes=32),
    ]


def test_participations_are_not_touched_by_a_failed_new_link(client, planned, settings):
    settings.EMAIL_BACKEND = "tests.test_email_jobs.RefusesMaria"
    maria = planned.participations.get(person__name="Maria Ek")
    client.post(
        reverse("meetings:participant_invite", args=[planned.pk, maria.pk]), {"new_link": "1"}
    )
    maria = Participation.objects.get(pk=maria.pk)
    assert (maria.link_generation, maria.link_revoked_at) == (1, None)


# --- after "Avsluta samtalet" ---------------------------------------------------------------


def finish(client, meeting, facilitator, capture):
    client.force_login(facilitator)
    with capture(execute=True):
        response = client.post(reverse("a3_live:finish", args=[meeting.pk]), {"bekrafta": "ja"})
    return response


def test_finishing_leaves_the_pdf_and_the_reflection_requests_to_the_worker(
    client, settings, django_capture_on_commit_callbacks
):
    from samtal.a3.live import after_finishing_job
    from samtal.archive.models import ArchivedA3

    settings.TASKS = DATABASE_BACKEND
    meeting, facilitator, _ = staffed_meeting(days_from_today=0)
    from samtal.a3 import live

    live.start_live(meeting, facilitator)
    response = finish(client, meeting, facilitator, django_capture_on_commit_callbacks)
    assert response.status_code in (200, 302)
    assert not ArchivedA3.objects.exists() and not mail.outbox  # nothing done in the request
    jobs = {job.task_path.rsplit(".", 1)[-1]: job for job in DBTaskResult.objects.all()}
    assert set(jobs) == {"after_finishing_job", "index_meeting_job"}

    after_finishing_job.call(*jobs["after_finishing_job"].args_kwargs["args"])
    assert ArchivedA3.objects.filter(meeting=meeting).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.person.email for p in meeting.participations.all()
    )


def test_a_failing_reflection_request_is_retried_and_the_others_are_asked(
    client, settings, django_capture_on_commit_callbacks
):
    from samtal.a3 import live
    from samtal.a3.live import after_finishing_job
    from samtal.evaluations.models import ReflectionRequest

    meeting, facilitator, _ = staffed_meeting(days_from_today=0)
    maria = meeting.participations.get(person__name="Maria Ek")
    maria.person.email = "maria@kommun.example"
    maria.person.save()
    live.start_live(meeting, facilitator)
    settings.TASKS = DATABASE_BACKEND
    settings.EMAIL_BACKEND = "tests.test_email_jobs.RefusesMaria"
    finish(client, meeting, facilitator, django_capture_on_commit_callbacks)
    (job,) = [j for j in DBTaskResult.objects.all() if j.task_path.endswith("after_finishing_job")]
    after_finishing_job.call(*job.args_kwargs["args"])
    asked = set(ReflectionRequest.objects.values_list("participation__person__name", flat=True))
    assert asked == {"Karin Lindqvist", "Johan Sjöberg", "Olof Berg"}
    (retry_job,) = DBTaskResult.objects.filter(task_path=job.task_path).exclude(pk=job.pk)
    assert retry_job.run_after > timezone.now()
    assert retry_job.args_kwargs["kwargs"] == {"attempt": 2}

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    after_finishing_job.call(*retry_job.args_kwargs["args"], **retry_job.args_kwargs["kwargs"])
    assert [m.to for m in mail.outbox] == [["maria@kommun.example"]]  # only the one missing
