"""The meeting room: what the projector adds around the current step (where the meeting is in
its steps, plan against actual, the meeting's own time, the agenda and rules at the start,
the join panel) and the finishing review."""

import functools
from dataclasses import dataclass

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from samtal.core.hooks import collect, finishing_consequences, join_polls

from .document import build_a3


@dataclass
class StepProgress:
    step: object
    state: str  # "done", "current" or "later"
    actual_minutes: int | None  # None until the step has been on the screen
    seconds: int = 0

    @property
    def current_minutes(self):
        return self.seconds // 60

    @property
    def over(self):
        return self.actual_minutes is not None and self.actual_minutes > self.step.minutes


def progress(steps, session, now=None):
    """Each step with its plan and, once shown, the minutes it has really taken; and the
    meeting's own minutes so far (the sum of the steps' times)."""
    now = now or timezone.now()
    timers = {t.step_id: t for t in session.timers.all()} if session else {}
    current = session.current_step_id if session else None
    rows, used, before = [], 0.0, True
    for step in steps:
        timer = timers.get(step.pk)
        seconds = timer.actual_seconds(now) if timer else 0
        used += seconds
        if step.pk == current:
            state, before = "current", False
        else:
            state = "done" if before else "later"
        rows.append(
            StepProgress(step, state, round(seconds / 60) if seconds >= 30 else None, int(seconds))
        )
    return {
        "rows": rows,
        "used_seconds": int(used),
        "used_minutes": int(used // 60),
        "planned_minutes": sum(step.minutes for step in steps),
    }


def join_url(code):
    return settings.SITE_URL + reverse("join:follow", args=[code])


@functools.lru_cache(maxsize=256)
def qr_svg(url):
    """The join URL as an inline SVG QR code (sized by CSS through its viewBox)."""
    code = segno.make(url, error="m", micro=False)
    return mark_safe(  # noqa: S308 (segno's own markup of a URL we built)
        code.svg_inline(dark="#0d1014", light="#ffffff", border=2, omitsize=True)
    )


def join_panel(meeting):
    """What the projector's join panel shows, or None when phones cannot join (yet)."""
    if not meeting.is_running:
        return None
    code = meeting.ensure_join_code()
    url = join_url(code)
    short = url.split("://", 1)[-1].rstrip("/")
    host, _slash, path = short.partition("/")
    return {
        "code": code,
        "url": url,
        "short_url": short,
        "host": host,
        "path": path,
        "qr": qr_svg(url),
    }


def room_context(meeting, session, steps):
    """What the projector and the participants' live view add to the live context."""
    version = meeting.template_version
    return {
        "progress": progress(steps, session) if session else None,
        "outline": version.outline_for(meeting.unit.organisation),
        "rules": version.rules,
        "join": join_panel(meeting),
        "polls": collect(join_polls, meeting, code=meeting.join_code)
        if meeting.is_running and meeting.join_code
        else [],
    }


@dataclass
class Review:
    empty_steps: list
    agreed_wishes: list
    actions: list
    consequences: list
    attendees: int


def finishing_review(meeting):
    """What "Avsluta samtalet" will close: steps left empty, what was agreed, what follows."""
    a3 = build_a3(meeting)
    contents = [content for box in a3.boxes for content in box.steps]
    return Review(
        empty_steps=[content.step for content in contents if content.is_empty],
        agreed_wishes=[w for content in contents for w in content.agreed_wishes],
        actions=[a for content in contents for a in content.actions],
        consequences=collect(finishing_consequences, meeting)
        or [_("A3:an låses och kan inte längre ändras.")],
        attendees=sum(1 for p in a3.participations if p.present),
    )
