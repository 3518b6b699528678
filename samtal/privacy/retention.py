"""Retention (gallring): personal data deleted once its purpose is over.

Periods are settings (RETENTION_DAYS, from the environment); `manage.py purge_personal_data`
runs every rule and says how many rows each removed. What is kept and why is described in
docs/dataskydd.md. Personal links are not stored (they are signed tokens): they stop working
PERSONAL_LINK_DAYS_AFTER_MEETING days after the meeting (report links REPORT_LINK_DAYS after
they were sent), so there is nothing of theirs to delete.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def days(key):
    return datetime.timedelta(days=settings.RETENTION_DAYS[key])


def model(label):
    return apps.get_model(label)


def sent_emails(today, now):
    cutoff = today - days("sent_emails_after_meeting")
    return model("participants.SentEmail").objects.filter(participation__meeting__date__lt=cutoff)


def preparations(today, now):
    cutoff = today - days("preparations_after_meeting")
    return model("participants.Preparation").objects.filter(participation__meeting__date__lt=cutoff)


def edit_conflicts(today, now):
    cutoff = today - days("edit_conflicts_after_meeting")
    return model("a3.EditConflict").objects.filter(
        meeting__date__lt=cutoff, resolved_at__isnull=False
    )


def login_attempts(today, now):
    cutoff = now - days("login_attempts")
    return [
        model(label).objects.filter(attempt_time__lt=cutoff)
        for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")
    ]


def sessions(today, now):
    return model("sessions.Session").objects.filter(expire_date__lt=now)


def survey_keys(today, now):
    cutoff = now - days("survey_keys")
    return model("surveys.SubmissionNonce").objects.filter(created_at__lt=cutoff)


def survey_invitations(today, now):
    cutoff = today - days("survey_invitations_after_close")
    return model("surveys.Invitation").objects.filter(round__closes_on__lt=cutoff)


RULES = [
    ("sent_emails", _("Skickade e-postmeddelanden"), sent_emails),
    ("preparations", _("Förberedelser (med svar)"), preparations),
    ("edit_conflicts", _("Lösta redigeringskonflikter"), edit_conflicts),
    ("login_attempts", _("Inloggningsförsök"), login_attempts),
    ("sessions", _("Utgångna inloggningar (sessioner)"), sessions),
    ("survey_keys", _("Engångsnycklar för enkäter"), survey_keys),
    ("survey_invitations", _("Personliga enkätlänkar (e-postadresser)"), survey_invitations),
]


def purge(today=None, now=None, dry_run=False):
    """Run every rule; returns [(key, label, count)]."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    done = []
    for key, label, rule in RULES:
        found = rule(today, now)
        querysets = found if isinstance(found, list) else [found]
        count = sum(qs.count() for qs in querysets)
        if not dry_run and count:
            for qs in querysets:
                qs.delete()
        done.append((key, str(label), count))
    return done
