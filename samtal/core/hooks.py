"""Hooks: where a lower layer sets off something an upper layer does.

A lower app sends; an upper app connects a receiver in its AppConfig.ready(). The lower
app never imports the upper one, so the layers stay one-way (see README, "Architecture").
"""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent (sender=Meeting class, meeting=…) once "Avsluta samtalet" has committed. Receivers
# archive the PDF, ask for reflections, … Each runs on its own: one failing never stops
# the others, and the failure is logged (the work can be redone later).
meeting_finished = Signal()

# Sent while the A3 document is prepared for print (sender=Meeting class, meeting=…,
# blank=bool). Receivers return a dict of extra context for the PDF, e.g. the
# four-perspective chart kept by the evaluations.
a3_print_extras = Signal()


def announce_meeting_finished(meeting):
    """Run every receiver; the names of those that failed (logged)."""
    failed = []
    for receiver, result in meeting_finished.send_robust(type(meeting), meeting=meeting):
        if isinstance(result, Exception):
            failed.append(getattr(receiver, "__qualname__", str(receiver)))
            logger.error(
                "after finishing meeting %s: %s failed",
                meeting.pk,
                getattr(receiver, "__qualname__", receiver),
                exc_info=(type(result), result, result.__traceback__),
            )
    return failed


def print_extras(meeting, blank=False):
    extras = {}
    for _receiver, result in a3_print_extras.send(type(meeting), meeting=meeting, blank=blank):
        extras.update(result or {})
    return extras
