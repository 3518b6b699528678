"""Background jobs (django-tasks): fetch a key figure's values, refresh a meeting's.

Enqueued when a key figure is chosen and by `manage.py refresh_keyfigures` (cron) until the
meeting starts. With the database backend the job row is written in the same transaction as
the key figure, so the worker sees both or neither (django-tasks 0.11 enqueues at once, as
Django 6's Tasks do; the fetch itself checks that the key figure still exists).
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from .fetching import fetch_key_figure
from .models import KeyFigure


@task()
def fetch_key_figure_values(key_figure_id):
    if not settings.KOLADA_ENABLED:
        return "avstängt"
    return fetch_key_figure(key_figure_id)


def enqueue_fetch(key_figure):
    if settings.KOLADA_ENABLED:
        fetch_key_figure_values.enqueue(key_figure.pk)


def enqueue_refresh(meeting=None, *, only_stale=True, now=None):
    """Enqueue a fetch for the planned meetings' key figures (or one meeting's). Returns how
    many were enqueued."""
    figures = KeyFigure.objects.refreshable()
    if meeting is not None:
        figures = figures.filter(meeting=meeting)
    if only_stale:
        limit = (now or timezone.now()) - datetime.timedelta(hours=settings.KOLADA_REFRESH_HOURS)
        figures = figures.filter(Q(fetched_at__isnull=True) | Q(fetched_at__lt=limit))
    count = 0
    for key_figure in figures.only("pk"):
        enqueue_fetch(key_figure)
        count += 1
    return count
