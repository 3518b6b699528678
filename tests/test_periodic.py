"""The daily jobs (manage.py periodic) and the login-attempt clean-up."""

import datetime
import io
import zoneinfo

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from samtal.core.management.commands.periodic import next_run

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def test_a_failing_job_is_reported_and_the_others_still_run(settings):
    Session.objects.create(
        session_key="old", session_data="x", expire_date=timezone.now() - datetime.timedelta(1)
    )
    settings.PERIODIC_COMMANDS = [["no_such_command"], ["clearsessions"]]
    with pytest.raises(CommandError, match="no_such_command"):
        call_command("periodic", stdout=io.StringIO())
    assert not Session.objects.filter(session_key="old").exists()


def test_the_default_daily_jobs_run(settings):
    settings.PERIODIC_COMMANDS = [
        c for c in settings.PERIODIC_COMMANDS if c[0] != "prune_db_task_results"
    ]
    call_command("periodic", stdout=io.StringIO())


def test_expired_login_attempts_and_old_logs_are_removed():
    now = timezone.now()
    common = {"user_agent": "x", "ip_address": "192.0.2.1", "http_accept": "", "path_info": "/"}
    old = AccessAttempt.objects.create(
        username="a", failures_since_start=5, get_data="", post_data="", **common
    )
    fresh = AccessAttempt.objects.create(
        username="b", failures_since_start=1, get_data="", post_data="", **common
    )
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=now - datetime.timedelta(hours=1))
    old_log = AccessLog.objects.create(username="a", **common)
    AccessLog.objects.filter(pk=old_log.pk).update(attempt_time=now - datetime.timedelta(days=31))
    new_log = AccessLog.objects.create(username="b", **common)
    call_command("clean_login_attempts", stdout=io.StringIO())
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [new_log.pk]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime.datetime(2026, 11, 30, 6, 59, tzinfo=STOCKHOLM), (30, 7, 0)),
        (datetime.datetime(2026, 11, 30, 7, 0, tzinfo=STOCKHOLM), (1, 7, 0)),  # next month
        (datetime.datetime(2026, 11, 30, 23, 0, tzinfo=STOCKHOLM), (1, 7, 0)),
    ],
)
def test_the_loop_wakes_at_the_next_daily_time(now, expected):
    wake = next_run(now, "07:00")
    assert (wake.day, wake.hour, wake.minute) == expected
    assert wake > now
