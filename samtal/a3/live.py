"""The live meeting's rules: starting, steps, timers, rounds, writing the A3, finishing.

Every change goes through `a3_write`: one transaction that locks the meeting row first,
re-reads its status, refuses a meeting that is not running, writes the audit record and bumps
the meeting's version once; the version's notification leaves on commit and every device in the
room gets the new content pushed (samtal.core.broadcast, samtal.a3.live_feed).
"""

import contextvars
import datetime
import logging
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from samtal.actions.models import ActionItem
from samtal.conversation_templates.models import Step
from samtal.core.hooks import announce_meeting_finished
from samtal.core.jobs import retry
from samtal.meetings.models import Meeting
from samtal.participants.models import Participation, Person, PreparationAnswer

from .live_models import A3Change, EditConflict, LiveSession, StepTimer
from .models import Entry, ParkingLotItem, Wish

logger = logging.getLogger(__name__)

ADD_MINUTES = 5
Kind = A3Change.Kind
Action = A3Change.Action


class LiveError(ValidationError):
    """A change the meeting's rules refuse; the message is for the person who tried."""


class AlreadyDone(Exception):
    """This action (its key) was done already: a retry after a lost answer."""


class StaleEdit(Exception):
    """The text changed since the editor loaded it; a conflict was recorded."""

    def __init__(self, conflict):
        super().__init__("stale edit")
        self.conflict = conflict


# --- The write path ---------------------------------------------------------------------


class A3Write:
    """One change to a meeting under way: what it records in the audit trail."""

    def __init__(self, meeting, user, key=""):
        self.meeting = meeting
        self.user = user if user and user.is_authenticated else None
        self.recorded = 0
        self.key = key

    def audit(self, kind, object_id, action, old="", new=""):
        A3Change.objects.create(
            meeting=self.meeting,
            user=self.user,
            kind=Kind(kind),
            object_id=object_id,
            action=Action(action),
            old_text=old or "",
            new_text=new or "",
            client_key="" if self.recorded else self.key,
        )
        self.recorded += 1


_writing = contextvars.ContextVar("a3_writing", default=None)
_action_key = contextvars.ContextVar("a3_action_key", default=None)


@contextmanager
def action_key(key):
    """The first write made inside carries the client's key for the action: sent again (a
    retry after a lost answer, a double click), the action raises AlreadyDone instead of
    being done twice."""
    token = _action_key.set([key] if key else None)
    try:
        yield
    finally:
        _action_key.reset(token)


def _take_action_key():
    pending = _action_key.get()
    return pending.pop() if pending else ""


WRITABLE = (Meeting.Status.RUNNING,)


@contextmanager
def a3_write(meeting, user, statuses=WRITABLE):
    """The one way to change a meeting's A3 and live state.

    Locks the meeting row before anything else (SELECT ... FOR UPDATE on PostgreSQL, the
    database's write lock on SQLite), takes the status from the database rather than from the
    object a request loaded earlier, and refuses unless the meeting is in one of `statuses`.
    A meeting that is finished is never writable. The version is bumped once, at the end, if
    the change recorded anything. A write inside another for the same meeting joins it.
    """
    outer = _writing.get()
    if outer is not None and outer.meeting.pk == meeting.pk:
        yield outer
        return
    with transaction.atomic():
        _lock_and_reread(meeting)
        key = _take_action_key()
        if key and A3Change.objects.filter(meeting=meeting, client_key=key).exists():
            raise AlreadyDone
        if meeting.is_locked:
            raise LiveError(_("Samtalet är avslutat och A3:an är låst. Inget kan ändras."))
        if meeting.status not in statuses:
            raise LiveError(_("Samtalet har inte startat ännu."))
        write = A3Write(meeting, user, key)
        token = _writing.set(write)
        try:
            yield write
        finally:
            _writing.reset(token)
        if write.recorded:
            meeting.bump_version()


def _lock_and_reread(meeting):
    rows = Meeting.objects.filter(pk=meeting.pk)
    if not connection.features.has_select_for_update:
        # SQLite has no row locks: writing first takes the database's write lock, so no
        # other request can finish the meeting between the check below and this change.
        rows.update(version=F("version"))
    fields = ("status", "started_at", "finished_at", "version")
    current = rows.select_for_update().values(*fields).get()
    for name in fields:
        setattr(meeting, name, current[name])


def ensure_writable(meeting):
    """Raise LiveError unless the meeting, as stored now, takes changes (a3_write does this)."""
    with a3_write(meeting, None):
        pass


# --- Starting and finishing -------------------------------------------------------------


def steps_of(meeting):
    return list(meeting.template_version.steps.all())


def start_live(meeting, user, other_day_confirmed=True):
    """Start the meeting (status pågår) at its first step; refuses what the method forbids.

    A meeting planned for another day starts only when the facilitator confirmed it."""
    statuses = (Meeting.Status.PLANNED, Meeting.Status.RUNNING)
    with a3_write(meeting, user, statuses) as write:
        if meeting.status == Meeting.Status.PLANNED and not (
            meeting.is_today or other_day_confirmed
        ):
            raise LiveError(
                _("Samtalet är planerat till en annan dag. Kryssa i att du vill starta det i dag.")
            )
        if meeting.status == Meeting.Status.PLANNED:
            try:
                meeting.start()
            except ValidationError as error:
                raise LiveError(" ".join(error.messages)) from None
        session, created = LiveSession.objects.get_or_create(meeting=meeting)
        if session.current_step_id is None:
            steps = steps_of(meeting)
            session.current_step = steps[0] if steps else None
            session.save(update_fields=["current_step", "updated_at"])
        write.audit(Kind.MEETING, meeting.pk, Action.STARTED)
    return session


def finish(meeting, user):
    with a3_write(meeting, user) as write:
        session = LiveSession.objects.filter(meeting=meeting).first()
        now = timezone.now()
        if session:
            _pause_timers(session, now)
        write.audit(Kind.MEETING, meeting.pk, Action.FINISHED)
        meeting.status = Meeting.Status.FINISHED
        meeting.finished_at = now
        meeting.save(update_fields=["status", "finished_at", "updated_at"])
        # The archived PDF, the reflection requests … are made by the worker, not in the
        # request that finished the meeting (samtal.a3.tasks).
        transaction.on_commit(lambda: after_finishing_job.enqueue(meeting.pk))


def _pause_timers(session, now):
    for timer in session.timers.select_related("step").filter(running_since__isnull=False):
        timer.pause(now)
        timer.save()


@task()
def after_finishing_job(meeting_id, attempt=1):
    """What follows a finished meeting (the archived PDF, the request for reflections …) is
    done by the apps above, through the meeting_finished hook. The meeting is already
    locked. If a receiver failed, the whole hook runs again later: each receiver does only
    what is still missing (the PDF is stored once, everyone is asked once)."""
    meeting = Meeting.objects.get(pk=meeting_id)
    failed = announce_meeting_finished(meeting)
    if failed and retry(after_finishing_job, meeting_id, attempt=attempt) is None:
        logger.error("after finishing meeting %s: gave up on %s", meeting_id, failed)


# --- Steps, timers, rounds --------------------------------------------------------------


def timer_for(session, step):
    timer, _ = StepTimer.objects.select_related("step").get_or_create(session=session, step=step)
    return timer


def round_order(meeting, participations=None):
    """Who is asked in a round, in order: the present deltagare (the samtalsledare leads, the
    antecknare writes and observers watch).

    Before attendance is taken (nobody marked present), everyone not marked absent is asked."""
    participations = (
        participations
        if participations is not None
        else list(meeting.participations.select_related("person"))
    )
    speaking = [p for p in participations if p.role == Participation.Role.PARTICIPANT]
    if any(p.present for p in speaking):
        return [p for p in speaking if p.present]
    return [p for p in speaking if p.present is not False]


def _snapshot(session, steps_touched):
    timers = {}
    for step in steps_touched:
        timer = StepTimer.objects.filter(session=session, step=step).first()
        timers[str(step.pk)] = timer.snapshot() if timer else None
    return {
        "current_step": session.current_step_id,
        "speaker": session.speaker_id,
        "timers": timers,
    }


def _session(meeting):
    return LiveSession.objects.select_for_update().get(meeting=meeting)


def move_step(meeting, user, direction=None, step_id=None):
    """Go to the next/previous step (or a given one); the running timer moves along."""
    with a3_write(meeting, user) as write:
        session = _session(meeting)
        steps = steps_of(meeting)
        index = next((i for i, s in enumerate(steps) if s.pk == session.current_step_id), 0)
        if step_id is not None:
            target = next((s for s in steps if s.pk == step_id), None)
            if target is None:
                raise LiveError(_("Steget finns inte i samtalets mall."))
        else:
            new_index = index + (1 if direction == "next" else -1)
            if not 0 <= new_index < len(steps):
                raise LiveError(
                    _("Det här är sista steget.")
                    if direction == "next"
                    else _("Det här är första steget.")
                )
            target = steps[new_index]
        current = steps[index]
        if target.pk == current.pk:
            return session
        session.undo = _snapshot(session, [current, target])
        now = timezone.now()
        old_timer = timer_for(session, current)
        was_running = old_timer.is_running
        old_timer.pause(now)
        old_timer.save()
        if was_running:
            new_timer = timer_for(session, target)
            new_timer.start(now)
            new_timer.save()
        session.current_step = target
        order = round_order(meeting) if target.is_round else []
        session.speaker = order[0] if order else None
        session.save(update_fields=["current_step", "speaker", "undo", "updated_at"])
        write.audit(Kind.STEP, target.pk, Action.STEP_CHANGED, str(current), str(target))
    return session


def undo_step(meeting, user):
    with a3_write(meeting, user) as write:
        session = _session(meeting)
        state = session.undo
        if not state:
            raise LiveError(_("Det finns inget stegbyte att ångra."))
        for step_id, timer_state in state.get("timers", {}).items():
            timer = StepTimer.objects.filter(session=session, step_id=int(step_id)).first()
            if timer_state is None:
                if timer:
                    timer.delete()
                continue
            if timer is None:
                timer = StepTimer(session=session, step_id=int(step_id))
            timer.restore(timer_state)
            timer.save()
        session.current_step_id = state.get("current_step")
        session.speaker_id = state.get("speaker")
        session.undo = {}
        session.save(update_fields=["current_step", "speaker", "undo", "updated_at"])
        write.audit(Kind.STEP, session.current_step_id, Action.STEP_UNDONE)
    return session


def toggle_timer(meeting, user):
    with a3_write(meeting, user) as write:
        session = _session(meeting)
        timer = timer_for(session, session.current_step)
        if timer.is_running:
            timer.pause()
            action = Action.TIMER_PAUSED
        else:
            timer.start()
            action = Action.TIMER_STARTED
        timer.save()
        write.audit(Kind.TIME, session.current_step_id, action)
    return timer


def add_time(meeting, user, minutes=ADD_MINUTES):
    with a3_write(meeting, user) as write:
        session = _session(meeting)
        timer = timer_for(session, session.current_step)
        timer.add_minutes(minutes)
        timer.save()
        write.audit(Kind.TIME, session.current_step_id, Action.TIME_ADDED, "", f"+{minutes} min")
    return timer


def move_speaker(meeting, user, delta=1, participation_id=None):
    with a3_write(meeting, user) as write:
        session = _session(meeting)
        order = round_order(meeting)
        if not order:
            raise LiveError(_("Det finns ingen att gå laget runt med."))
        if participation_id is not None:
            speaker = next((p for p in order if p.pk == participation_id), None)
            if speaker is None:
                raise LiveError(_("Personen är inte med i rundan."))
        else:
            ids = [p.pk for p in order]
            new_index = ids.index(session.speaker_id) + delta if session.speaker_id in ids else 0
            if not 0 <= new_index < len(order):
                raise LiveError(
                    _("Alla har fått ordet – rundan är klar.")
                    if delta > 0
                    else _("Det här är den första i rundan.")
                )
            speaker = order[new_index]
        session.speaker = speaker
        session.save(update_fields=["speaker", "updated_at"])
        write.audit(Kind.SPEAKER, speaker.pk, Action.GAVE_THE_FLOOR, "", speaker.person.name)
    return speaker


# --- Attendance -------------------------------------------------------------------------


def set_present(meeting, user, participation, present):
    with a3_write(meeting, user) as write:
        old = participation.present
        participation.present = present
        participation.save(update_fields=["present"])
        write.audit(
            Kind.ATTENDANCE,
            participation.pk,
            Action.ATTENDANCE,
            _yes_no(old),
            f"{participation.person.name}: {_yes_no(present)}",
        )


def hand_notes(meeting, user, participation):
    """The samtalsledare hands the note-taking to someone else during the meeting: they become
    antecknare (and reach the note-taker's view, with their account or personal link), the
    present antecknare continue as deltagare."""
    with a3_write(meeting, user) as write:
        if participation.role == Participation.Role.FACILITATOR:
            raise LiveError(_("Samtalsledaren kan inte också vara antecknare."))
        if participation.role == Participation.Role.NOTE_TAKER:
            raise LiveError(_("%(name)s antecknar redan.") % {"name": participation.person.name})
        before = list(
            meeting.participations.filter(role=Participation.Role.NOTE_TAKER).select_related(
                "person"
            )
        )
        meeting.participations.filter(role=Participation.Role.NOTE_TAKER).update(
            role=Participation.Role.PARTICIPANT
        )
        participation.role = Participation.Role.NOTE_TAKER
        participation.save(update_fields=["role"])
        write.audit(
            Kind.ATTENDANCE,
            participation.pk,
            Action.CHANGED,
            _("antecknare: %(names)s") % {"names": ", ".join(p.person.name for p in before)},
            _("antecknare: %(name)s") % {"name": participation.person.name},
        )
    return participation


def _yes_no(value):
    return {True: _("närvarande"), False: _("frånvarande"), None: _("inte antecknad")}[value]


def _already(model, meeting, client_key):
    """The row an earlier request with the same idempotency key stored, if any.

    Called under a3_write's lock on the meeting row, so two concurrent requests with one key
    cannot both miss it; the unique constraint backs this up."""
    if not client_key:
        return None
    return model.objects.filter(meeting=meeting, client_key=client_key).first()


def add_unannounced(
    meeting, user, name, title="", role=Participation.Role.PARTICIPANT, client_key=""
):
    with a3_write(meeting, user) as write:
        if done := _already(Participation, meeting, client_key):
            return done
        name = name.strip()
        if not name:
            raise LiveError(_("Skriv namnet på den som kom."))
        person = Person.objects.create(
            organisation_id=meeting.unit.organisation_id, name=name[:200]
        )
        position = (meeting.participations.aggregate(m=Max("position"))["m"] or 0) + 1
        participation = Participation.objects.create(
            meeting=meeting,
            person=person,
            role=role,
            present=True,
            unannounced=True,
            position=position,
            title=title.strip()[:200],
            client_key=client_key,
        )
        write.audit(Kind.ATTENDANCE, participation.pk, Action.UNANNOUNCED, "", name)
    return participation


# --- Entries (claims, list items, notes per question, other notes) ---------------------


def _next_position(queryset):
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


def _clean_text(text, message=None):
    text = (text or "").strip()
    if not text:
        raise LiveError(message or _("Skriv något innan du sparar."))
    return text


def add_entry(
    meeting,
    user,
    step,
    text,
    reason="",
    participation=None,
    question_index=None,
    client_key="",
):
    with a3_write(meeting, user) as write:
        if done := _already(Entry, meeting, client_key):
            return done
        text = _clean_text(text)
        siblings = Entry.objects.filter(meeting=meeting, step=step, question_index=question_index)
        entry = Entry.objects.create(
            meeting=meeting,
            step=step,
            question_index=question_index,
            participation=participation,
            text=text,
            reason=(reason or "").strip(),
            position=_next_position(siblings),
            created_by=write.user,
            client_key=client_key,
        )
        write.audit(Kind.ENTRY, entry.pk, Action.WROTE, "", joined_text(entry.text, entry.reason))
    return entry


def joined_text(text, reason):
    return f"{text} – {reason}" if reason else text


def _save_with_revision(write, obj, conflict_kind, revision, changes, text_field, reason_field):
    """Save changes unless the object moved on since `revision`; then keep both texts."""
    kind = A3Change.CONFLICT_KINDS[conflict_kind]
    model = type(obj)
    locked = model.objects.select_for_update().get(pk=obj.pk)
    old_text = getattr(locked, text_field)
    old_reason = getattr(locked, reason_field, "") if reason_field else ""
    if revision is not None and locked.revision != revision:
        conflict = EditConflict.objects.create(
            meeting=write.meeting,
            kind=conflict_kind,
            object_id=obj.pk,
            stored_text=old_text,
            stored_reason=old_reason or "",
            other_text=changes.get(text_field, old_text),
            other_reason=changes.get(reason_field, "") if reason_field else "",
            other_by=write.user,
        )
        write.audit(
            kind,
            obj.pk,
            Action.CONFLICT,
            joined_text(old_text, old_reason),
            joined_text(conflict.other_text, conflict.other_reason),
        )
        return conflict
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.revision += 1
    locked.save()
    new_reason = getattr(locked, reason_field, "") if reason_field else ""
    write.audit(
        kind,
        obj.pk,
        Action.CHANGED,
        joined_text(old_text, old_reason),
        joined_text(getattr(locked, text_field), new_reason),
    )
    return locked


def _saved_or_stale(result):
    """Raise StaleEdit after the transaction that recorded the conflict has committed."""
    if isinstance(result, EditConflict):
        raise StaleEdit(result)
    return result


def edit_entry(meeting, user, entry, text, reason="", participation=None, revision=None):
    changes = {
        "text": _clean_text(text),
        "reason": (reason or "").strip(),
        "participation": participation,
    }
    with a3_write(meeting, user) as write:
        result = _save_with_revision(
            write, entry, EditConflict.Kind.ENTRY, revision, changes, "text", "reason"
        )
    return _saved_or_stale(result)


def was_deleted(meeting, kind, object_id):
    """Whether the audit trail shows this meeting's row being deleted (then an edit of it
    restores it; an id that never existed here stays unknown)."""
    return A3Change.objects.filter(
        meeting=meeting, kind=kind, object_id=object_id, action=Action.DELETED
    ).exists()


def restore_entry(meeting, user, entry_id, step, question_index, text, reason, participation):
    """An edit of an entry someone deleted meanwhile: the edited text comes back as a row.

    Keyed by the deleted row's id, so a retried edit restores it once; a second person's
    edit of the same deleted row becomes a conflict on the restored one, so nothing is lost."""
    key = f"restored-entry-{entry_id}"
    with a3_write(meeting, user) as write:
        if done := _already(Entry, meeting, key):
            return _save_with_revision(
                write,
                done,
                EditConflict.Kind.ENTRY,
                -1,
                {"text": _clean_text(text), "reason": (reason or "").strip()},
                "text",
                "reason",
            )
        entry = add_entry(
            meeting, user, step, text, reason, participation, question_index, client_key=key
        )
        write.audit(Kind.ENTRY, entry.pk, Action.RESTORED, "", joined_text(entry.text, reason))
    return entry


def restore_wish(meeting, user, wish_id, step, text, reason, participation):
    key = f"restored-wish-{wish_id}"
    with a3_write(meeting, user) as write:
        if done := _already(Wish, meeting, key):
            return _save_with_revision(
                write,
                done,
                EditConflict.Kind.WISH,
                -1,
                {"text": _clean_text(text), "reason": (reason or "").strip()},
                "text",
                "reason",
            )
        wish = add_wish(meeting, user, step, text, reason, participation, client_key=key)
        write.audit(Kind.WISH, wish.pk, Action.RESTORED, "", joined_text(wish.text, reason))
    return wish


def restore_action(meeting, user, action_id, step, what):
    key = f"restored-action-{action_id}"
    with a3_write(meeting, user) as write:
        if done := _already(ActionItem, meeting, key):
            return _save_with_revision(
                write,
                done,
                EditConflict.Kind.ACTION,
                -1,
                {"what": _clean_text(what, _("Skriv vad som ska göras."))},
                "what",
                None,
            )
        item = add_action(meeting, user, step, what, client_key=key)
        write.audit(Kind.ACTION, item.pk, Action.RESTORED, "", item.what)
    return item


def delete_entry(meeting, user, entry):
    with a3_write(meeting, user) as write:
        write.audit(Kind.ENTRY, entry.pk, Action.DELETED, joined_text(entry.text, entry.reason), "")
        entry.delete()


def _move(write, obj, siblings, delta, kind):
    items = list(siblings)
    ids = [i.pk for i in items]
    index = ids.index(obj.pk)
    new_index = index + delta
    if not 0 <= new_index < len(items):
        return
    items[index], items[new_index] = items[new_index], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    write.audit(kind, obj.pk, Action.MOVED_UP if delta < 0 else Action.MOVED_DOWN)


def move_entry(meeting, user, entry, delta):
    with a3_write(meeting, user) as write:
        siblings = Entry.objects.filter(
            meeting=meeting, step=entry.step_id, question_index=entry.question_index
        ).select_for_update()
        _move(write, entry, siblings, delta, Kind.ENTRY)


def take_prepared(meeting, user, answer, step, client_key=""):
    """Take a prepared answer into the A3 as it is."""
    participation = answer.preparation.participation
    return add_entry(
        meeting, user, step, answer.text, answer.reason, participation, client_key=client_key
    )


def prepared_answers(meeting, step, participation):
    if participation is None:
        return []
    return list(
        PreparationAnswer.objects.filter(
            preparation__participation=participation, step=step
        ).exclude(text="")
    )


# --- Wishes -----------------------------------------------------------------------------


def add_wish(meeting, user, step, text, reason="", participation=None, client_key=""):
    with a3_write(meeting, user) as write:
        if done := _already(Wish, meeting, client_key):
            return done
        if (
            step.is_round
            and participation
            and Wish.objects.filter(
                meeting=meeting, step=step, participation=participation
            ).exists()
        ):
            raise LiveError(
                _("Var och en får en (1) önskning – %(name)s har redan en.")
                % {"name": participation.person.name}
            )
        text = _clean_text(text, _("Skriv önskningen innan du sparar."))
        wish = Wish.objects.create(
            meeting=meeting,
            step=step,
            participation=participation,
            text=text,
            reason=(reason or "").strip(),
            position=_next_position(Wish.objects.filter(meeting=meeting, step=step)),
            client_key=client_key,
        )
        write.audit(Kind.WISH, wish.pk, Action.WROTE, "", joined_text(wish.text, wish.reason))
    return wish


def edit_wish(meeting, user, wish, text, reason="", participation=None, revision=None):
    changes = {
        "text": _clean_text(text),
        "reason": (reason or "").strip(),
        "participation": participation,
    }
    with a3_write(meeting, user) as write:
        result = _save_with_revision(
            write, wish, EditConflict.Kind.WISH, revision, changes, "text", "reason"
        )
    return _saved_or_stale(result)


def delete_wish(meeting, user, wish):
    with a3_write(meeting, user) as write:
        write.audit(Kind.WISH, wish.pk, Action.DELETED, joined_text(wish.text, wish.reason), "")
        wish.delete()


def _agreed(meeting, step):
    return list(
        Wish.objects.select_for_update()
        .filter(meeting=meeting, step=step, agreed_rank__isnull=False)
        .order_by("agreed_rank")
    )


def agree_wish(meeting, user, wish):
    """Make a wish one of the agreed ones; at most the step's max_agreed."""
    with a3_write(meeting, user) as write:
        step = wish.step
        agreed = _agreed(meeting, step)
        if any(w.pk == wish.pk for w in agreed):
            return wish
        if step.max_agreed is not None and len(agreed) >= step.max_agreed:
            raise LiveError(
                _(
                    "Ni har redan kommit överens om %(max)s önskningar, vilket är det högsta "
                    "antalet. Ta bort en av dem först om den här ska med."
                )
                % {"max": step.max_agreed}
            )
        wish.agreed_rank = max((w.agreed_rank for w in agreed), default=0) + 1
        try:
            with transaction.atomic():
                wish.save(update_fields=["agreed_rank"])
        except IntegrityError:
            raise LiveError(
                _("Någon annan ändrade just de överenskomna önskningarna. Försök igen.")
            ) from None
        write.audit(Kind.WISH, wish.pk, Action.AGREED, "", f"{wish.agreed_rank}. {wish.text}")
    return wish


def unagree_wish(meeting, user, wish):
    with a3_write(meeting, user) as write:
        agreed = _agreed(meeting, wish.step)
        remaining = [w for w in agreed if w.pk != wish.pk]
        _renumber(agreed, remaining)
        write.audit(Kind.WISH, wish.pk, Action.UNAGREED, wish.text, "")


def _renumber(agreed, ordered):
    for w in agreed:
        w.agreed_rank = None
        w.save(update_fields=["agreed_rank"])
    for rank, w in enumerate(ordered, start=1):
        w.agreed_rank = rank
        w.save(update_fields=["agreed_rank"])


def move_agreed_wish(meeting, user, wish, delta):
    with a3_write(meeting, user) as write:
        agreed = _agreed(meeting, wish.step)
        ids = [w.pk for w in agreed]
        if wish.pk not in ids:
            raise LiveError(_("Önskningen är inte överenskommen."))
        index = ids.index(wish.pk)
        new_index = index + delta
        if not 0 <= new_index < len(agreed):
            return
        ordered = list(agreed)
        ordered[index], ordered[new_index] = ordered[new_index], ordered[index]
        _renumber(agreed, ordered)
        write.audit(Kind.WISH, wish.pk, Action.REORDERED, str(index + 1), str(new_index + 1))


# --- Action items -----------------------------------------------------------------------


def add_action(
    meeting,
    user,
    step,
    what,
    owners=(),
    owner_names="",
    due_date=None,
    due_text="",
    client_key="",
):
    with a3_write(meeting, user) as write:
        if done := _already(ActionItem, meeting, client_key):
            return done
        what = _clean_text(what, _("Skriv vad som ska göras."))
        item = ActionItem.objects.create(
            meeting=meeting,
            step=step,
            what=what,
            owner_names=(owner_names or "").strip(),
            due_date=due_date,
            due_text=(due_text or "").strip(),
            position=_next_position(ActionItem.objects.filter(meeting=meeting)),
            client_key=client_key,
        )
        if owners:
            item.owners.set(owners)
        write.audit(
            Kind.ACTION, item.pk, Action.WROTE, "", f"{item.what} / {item.who()} / {item.when()}"
        )
    return item


def delete_action(meeting, user, item):
    with a3_write(meeting, user) as write:
        write.audit(Kind.ACTION, item.pk, Action.DELETED, item.what, "")
        item.delete()


def edit_action(meeting, user, item, what, revision=None):
    changes = {"what": _clean_text(what, _("Skriv vad som ska göras."))}
    with a3_write(meeting, user) as write:
        result = _save_with_revision(
            write, item, EditConflict.Kind.ACTION, revision, changes, "what", None
        )
    return _saved_or_stale(result)


# --- Parking lot ------------------------------------------------------------------------


def park(meeting, user, text, raised_by=None, client_key=""):
    with a3_write(meeting, user) as write:
        if done := _already(ParkingLotItem, meeting, client_key):
            return done
        text = _clean_text(text, _("Skriv frågan som ska parkeras."))
        item = ParkingLotItem.objects.create(
            meeting=meeting,
            text=text,
            raised_by=raised_by,
            position=_next_position(ParkingLotItem.objects.filter(meeting=meeting)),
            client_key=client_key,
        )
        write.audit(Kind.PARKING, item.pk, Action.PARKED, "", text)
    return item


def toggle_parked(meeting, user, item):
    with a3_write(meeting, user) as write:
        item.resolved = not item.resolved
        item.save(update_fields=["resolved"])
        action = Action.HANDLED if item.resolved else Action.REOPENED
        write.audit(Kind.PARKING, item.pk, action, "", item.text)


# --- Conflicts --------------------------------------------------------------------------

CONFLICT_MODELS = {"entry": Entry, "wish": Wish, "action": ActionItem}
CONFLICT_KEPT = {"stored": Action.KEPT_STORED, "other": Action.KEPT_OTHER, "both": Action.KEPT_BOTH}


def resolve_conflict(meeting, user, conflict, keep):
    """keep: "stored" keeps the saved text; "other" puts the other text in its place;
    "both" keeps the saved text and adds the other as a new row next to it."""
    with a3_write(meeting, user) as write:
        model = CONFLICT_MODELS[conflict.kind]
        obj = model.objects.filter(pk=conflict.object_id, meeting=meeting).first()
        text_field = "what" if conflict.kind == "action" else "text"
        if obj is not None and keep == "other":
            setattr(obj, text_field, conflict.other_text)
            if conflict.kind != "action":
                obj.reason = conflict.other_reason
            obj.revision += 1
            obj.save()
        elif obj is not None and keep == "both" and conflict.kind == "entry":
            add_entry(
                meeting,
                user,
                obj.step,
                conflict.other_text,
                conflict.other_reason,
                obj.participation,
                obj.question_index,
            )
        conflict.resolved_at = timezone.now()
        conflict.save(update_fields=["resolved_at"])
        write.audit(
            A3Change.CONFLICT_KINDS[conflict.kind],
            conflict.object_id,
            CONFLICT_KEPT[keep],
            joined_text(conflict.stored_text, conflict.stored_reason),
            joined_text(conflict.other_text, conflict.other_reason),
        )


# --- Reading ----------------------------------------------------------------------------


def timing(meeting, session, steps, now=None):
    """The current step's timer and the overall plan, for templates and for the clocks."""
    now = now or timezone.now()
    timers = {t.step_id: t for t in session.timers.all()} if session else {}
    for timer in timers.values():
        timer.step = next((s for s in steps if s.pk == timer.step_id), timer.step)
    current = session.current_step if session else None
    current_timer = timers.get(current.pk) if current else None
    if current and current_timer is None:
        current_timer = StepTimer(session=session, step=current)
    used = sum(t.elapsed(now) for t in timers.values())
    planned = sum(s.minutes for s in steps) * 60
    later = 0
    passed = True
    for step in steps:
        if current and step.pk == current.pk:
            passed = False
            continue
        if passed:
            continue
        timer = timers.get(step.pk)
        allowed = (step.minutes + (timer.added_minutes if timer else 0)) * 60
        later += max(allowed - (timer.elapsed(now) if timer else 0), 0)
    remaining = current_timer.remaining(now) if current_timer else 0
    projected_end = now + datetime.timedelta(seconds=max(remaining, 0) + later)
    start = meeting.started_at or meeting.starts_at
    return {
        "timer": current_timer,
        "remaining": remaining,
        "planned_end_ms": int(current_timer.planned_end.timestamp() * 1000)
        if current_timer and current_timer.planned_end
        else "",
        "used_minutes": int(used // 60),
        "planned_minutes": planned // 60,
        "later_seconds": int(later),
        "projected_end": projected_end,
        "planned_meeting_end": start + datetime.timedelta(seconds=planned),
    }


def open_conflicts(meeting):
    return list(meeting.edit_conflicts.filter(resolved_at__isnull=True))


def earlier_open_actions(meeting):
    return list(
        ActionItem.objects.open()
        .filter(meeting__unit_id=meeting.unit_id, meeting__date__lte=meeting.date)
        .exclude(meeting=meeting)
        .select_related("meeting")
        .prefetch_related("owners__person")
        .order_by("due_date", "id")
    )


def first_step_of_phase(steps, phase):
    return next((s for s in steps if s.phase == phase), None)


STEP_KIND = Step.RecordKind
