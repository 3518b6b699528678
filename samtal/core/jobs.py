"""Retrying background jobs (django-tasks has no retry of its own).

A job that failed for a reason that may pass (an SMTP server that did not answer) enqueues
itself again with `attempt + 1`, to run after a growing pause: 30 s, 2 min, 8 min, 32 min.
After MAX_ATTEMPTS it gives up and the caller records the failure where a person sees it.
"""

import datetime

from django.utils import timezone

MAX_ATTEMPTS = 5
FIRST_PAUSE = datetime.timedelta(seconds=30)
GROWTH = 4


def pause_before(attempt):
    """The pause before attempt number `attempt` + 1."""
    return FIRST_PAUSE * GROWTH ** (attempt - 1)


def retry(task, *args, attempt, **kwargs):
    """Enqueue `task` again as attempt + 1 after its pause; the time it will run, or None if
    there are no attempts left or the backend cannot run jobs later (the immediate backend
    of the tests and of a setup without a worker)."""
    if attempt >= MAX_ATTEMPTS or not task.get_backend().supports_defer:
        return None
    run_after = timezone.now() + pause_before(attempt)
    task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
    return run_after
