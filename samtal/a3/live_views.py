"""The live meeting: projector, note-taker, A3 overview, and writes.

Reads render a whole page, or only its live regions when asked with X-Live-Fragment; what
devices receive afterwards comes from live_feed (the event stream or the poll).
Writes answer fetch() calls (X-Live-Fetch) with 204 / a short Swedish message, and plain
form posts with a redirect and a message, so every form also works without JavaScript.
"""

import functools
import time

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from samtal.actions.models import ActionItem
from samtal.conversation_templates.models import Step
from samtal.core import idempotency
from samtal.core.policy import NOTHING, meeting_for
from samtal.meetings.models import Meeting
from samtal.participants.links import personal_link, remember_on_device
from samtal.participants.live_links import account_or_live_link
from samtal.participants.models import Participation, PreparationAnswer

from . import live, live_feed, room
from .document import build_a3
from .forms import ActionForm
from .live_models import A3Change, EditConflict, LiveSession
from .models import Entry, ParkingLotItem, Wish

LOCKED_MESSAGE = gettext_lazy("Samtalet är avslutat och A3:an är låst. Inget kan ändras.")


# --- Access -----------------------------------------------------------------------------


def meetings():
    return Meeting.objects.select_related("unit__organisation", "template_version__template")


def live_meeting(request, meeting_id, need):
    """The meeting if the viewer may `need` (an Access field) in it; else 404/403."""
    return meeting_for(request, meetings(), meeting_id, need)


def server_time_header(response):
    response["X-Server-Time"] = str(int(time.time() * 1000))
    return response


# --- Reading views ----------------------------------------------------------------------


def live_context(meeting, editor, steps=None):
    """What the live views show of the meeting now; `editor` adds what only the views that
    write (the note-taker's) need. `steps` are its template version's, if known."""
    session = (
        LiveSession.objects.select_related("current_step", "speaker__person")
        .prefetch_related("timers")
        .filter(meeting=meeting)
        .first()
    )
    steps = list(meeting.template_version.steps.all()) if steps is None else steps
    a3 = build_a3(meeting, steps)
    step = session.current_step if session else None
    contents = {c.step.pk: c for box in a3.boxes for c in box.steps}
    content = contents.get(step.pk) if step else None
    participations = a3.participations
    by_id = {p.pk: p for p in participations}
    order = live.round_order(meeting, participations) if step and step.is_round else []
    speaker = by_id.get(session.speaker_id) if session else None
    next_speaker = None
    if speaker in order and order.index(speaker) + 1 < len(order):
        next_speaker = order[order.index(speaker) + 1]
    step_index = next((i for i, s in enumerate(steps) if step and s.pk == step.pk), 0)
    context = {
        "meeting": meeting,
        "session": session,
        "steps": steps,
        "step": step,
        "step_number": step_index + 1,
        "is_first_step": step_index == 0,
        "is_last_step": step_index == len(steps) - 1,
        "content": content,
        "a3": a3,
        "participations": participations,
        "speaking": [p for p in participations if p.speaks],
        "round": order,
        "speaker": speaker,
        "next_speaker": next_speaker,
        "new_who": speaker.pk if speaker else None,  # who a new row is by, unless chosen
        "timing": live.timing(meeting, session, steps) if session else None,
        "server_now_ms": int(time.time() * 1000),
        "parking_lot": a3.parking_lot,
        "other_notes": a3.other_notes,
        "editor": False,
        "access": getattr(meeting, "access", NOTHING),
        "locked": meeting.is_locked,
        **room.room_context(meeting, session, steps),
    }
    if step and step.reviews_earlier_actions:
        context["earlier_actions"] = live.earlier_open_actions(meeting)
    if editor:
        add_editing(context)
    return context


def add_editing(context):
    """What the note-taker's view adds to live_context(): prepared answers to take in, the
    wishes agreed so far, and the open edit conflicts, each at the row it concerns."""
    meeting, step, content = context["meeting"], context["step"], context["content"]
    context["editor"] = True
    if step:
        if step.asks_preparation and step.record_kind in live.TAKES_PREPARED:
            context["prepared_groups"] = live.prepared_for_step(
                meeting, step, context["speaker"] if step.is_round else None
            )
            # "Ta in och ändra" fills the step's row for a new record (the first question's).
            context["new_form"] = f"new-{step.pk}" + ("-q0" if step.questions else "")
        if step.record_kind == Step.RecordKind.WISHES:
            context["agreed"] = content.agreed_wishes if content else []
            context["wished_ids"] = {
                w.participation_id for w in (content.wishes if content else [])
            }
    context["conflicts"] = live.open_conflicts(meeting)
    place_conflicts(context)
    return context


def place_conflicts(context):
    """Each open conflict goes with the row it concerns (`open_conflicts`), so it shows
    where the note-taker is typing; `other_conflicts` are those about rows not on the page."""
    by_row = {}
    for conflict in context["conflicts"]:
        by_row.setdefault((conflict.kind, conflict.object_id), []).append(conflict)
    content = context["content"]
    rows = [("entry", e) for e in context["other_notes"]]
    if content:
        rows += [("entry", e) for e in content.entries]
        rows += [("entry", e) for _q, notes in content.questions for e in notes]
        rows += [("wish", w) for w in content.wishes]
        rows += [("action", a) for a in content.actions]
    placed = set()
    for kind, row in rows:
        row.open_conflicts = by_row.get((kind, row.pk), [])
        placed.update(c.pk for c in row.open_conflicts)
    context["other_conflicts"] = [c for c in context["conflicts"] if c.pk not in placed]


def render_live(request, template, context, kind):
    context.update(live_feed.urls(context["meeting"], kind, request))
    if request.headers.get("X-Live-Fragment"):
        template = template + "#live"
    response = render(request, template, context)
    response["X-Live-Version"] = str(context["meeting"].version)
    response["Cache-Control"] = "no-store"
    return server_time_header(response)


@account_or_live_link
@require_GET
def projector(request, meeting_id):
    meeting = live_meeting(request, meeting_id, "follow_live")
    if meeting.status == Meeting.Status.PLANNED:
        return render(
            request,
            "a3/live/start.html",
            {
                "meeting": meeting,
                "missing": meeting.missing_for_start(),
                "access": meeting.access,
            },
        )
    context = live_context(meeting, editor=False)  # the room: nothing to edit
    return render_live(request, "a3/live/projector.html", context, "projector")


@account_or_live_link
@require_GET
def notes(request, meeting_id):
    meeting = live_meeting(request, meeting_id, "follow_live")
    if meeting.status == Meeting.Status.PLANNED:
        return render(
            request,
            "a3/live/start.html",
            {
                "meeting": meeting,
                "missing": meeting.missing_for_start(),
                "access": meeting.access,
            },
        )
    context = live_context(meeting, editor=not meeting.is_locked)
    prefill = request.GET.get("forberedelse")
    if prefill and prefill.isdigit():
        context["prefill"] = (
            PreparationAnswer.objects.filter(
                pk=prefill, preparation__participation__meeting=meeting, taken_at__isnull=True
            )
            .select_related("preparation")
            .first()
        )
    prefill = context.get("prefill")
    if prefill and (context["step"] is None or prefill.step_id != context["step"].pk):
        context["prefill"] = None  # an answer of another step: not for this step's row
    elif prefill:
        context["new_who"] = prefill.preparation.participation_id
    kind = "notes_lead" if meeting.access.lead else "notes"
    return render_live(request, "a3/live/notes.html", context, kind)


def _overview(request, meeting, back_url):
    context = live_context(meeting, editor=False)
    context["back_url"] = back_url
    return render_live(request, "a3/live/overview.html", context, "overview")


@account_or_live_link
@require_GET
def overview(request, meeting_id):
    meeting = live_meeting(request, meeting_id, "see")
    return _overview(request, meeting, reverse("meetings:detail", args=[meeting.pk]))


@never_cache
@require_GET
@personal_link
def participant_a3(request, participation):
    # The token lookup already brought the meeting with its unit and template version.
    meeting = participation.meeting
    remember_on_device(request, participation)  # the projector's join code brings it back here
    return _overview(request, meeting, None)


@account_or_live_link
@require_GET
def changes(request, meeting_id):
    from .changes import timeline

    meeting = live_meeting(request, meeting_id, "see_changes")
    days = timeline(A3Change.objects.filter(meeting=meeting))
    return render(
        request,
        "a3/live/changes.html",
        {"meeting": meeting, "days": days, "count": sum(len(day.changes) for day in days)},
    )


# --- Writes -----------------------------------------------------------------------------


def _answer(request, meeting, status=204, message=""):
    if request.headers.get("X-Live-Fetch"):
        if status == 204 and message:
            status = 200
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
        response["X-Live-Version"] = str(meeting.version)
        return server_time_header(response)
    if message:
        (messages.success if status < 300 else messages.error)(request, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("a3_live:notes", args=[meeting.pk])
    return redirect(target)


def live_write(need="follow_live"):
    def decorator(func):
        @account_or_live_link
        @require_POST
        @functools.wraps(func)
        def wrapper(request, meeting_id, *args, **kwargs):
            meeting = live_meeting(request, meeting_id, need)
            key = idempotency.clean(request.POST.get("action_key"))
            if key and meeting.is_locked and meeting.a3_changes.filter(client_key=key).exists():
                return _answer(request, meeting, 204)  # the retried action finished it
            if meeting.is_locked:
                if request.headers.get("X-Live-Fetch"):
                    return HttpResponse(
                        str(LOCKED_MESSAGE), status=403, content_type="text/plain; charset=utf-8"
                    )
                return render(request, "a3/live/locked.html", {"meeting": meeting}, status=403)
            try:
                with live.action_key(key):
                    message = func(request, meeting, *args, **kwargs)
            except live.AlreadyDone:
                meeting.refresh_from_db(fields=["version"])
                return _answer(request, meeting, 204)
            except live.StaleEdit:
                meeting.refresh_from_db(fields=["version"])
                return _answer(
                    request,
                    meeting,
                    409,
                    _(
                        "Någon annan ändrade samma text samtidigt. Båda texterna finns kvar – "
                        "välj vilken som ska gälla."
                    ),
                )
            except live.LiveError as error:
                return _answer(request, meeting, 400, " ".join(error.messages))
            return _answer(request, meeting, 204, message or "")

        return wrapper

    return decorator


def _participation(meeting, value):
    if not value or not str(value).isdigit():
        return None
    return meeting.participations.filter(pk=int(value)).select_related("person").first()


def _step(meeting, value):
    if value in (None, ""):
        session = LiveSession.objects.filter(meeting=meeting).select_related("current_step").first()
        if session is None:
            raise live.LiveError(_("Samtalet har inte startat ännu."))
        return session.current_step
    if not str(value).isdigit():
        raise Http404
    return get_object_or_404(Step, pk=int(value), version_id=meeting.template_version_id)


def _revision(request):
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() else None


def _question_index(step, value):
    if value in (None, "") or step is None:
        return None
    if not str(value).isdigit() or int(value) >= len(step.questions):
        raise Http404
    return int(value)


@account_or_live_link
@require_POST
def start_view(request, meeting_id):
    """ "Starta samtalet", from the meeting page or the projector's start page; a refusal
    is shown on the page it was asked from."""
    meeting = live_meeting(request, meeting_id, "lead")
    if meeting.is_locked:
        return render(request, "a3/live/locked.html", {"meeting": meeting}, status=403)
    try:
        live.start_live(
            meeting, request.user, other_day_confirmed=request.POST.get("annan_dag") == "ja"
        )
    except live.LiveError as error:
        for message in error.messages:
            messages.error(request, message)
        if request.resolver_match.namespace == "meetings":
            return redirect("meetings:detail", meeting.pk)
    # No success message: it would show on the projector; the projector itself says it.
    return redirect("a3_live:projector", meeting.pk)


@live_write("lead")
def finish(request, meeting):
    if request.POST.get("bekrafta") != "ja":
        raise live.LiveError(_("Kryssa i att du vill avsluta och låsa A3:an."))
    live.finish(meeting, request.user)
    return _("Samtalet är avslutat och A3:an är låst.")


@live_write()
def step_action(request, meeting):
    action = request.POST.get("action")
    if action in ("next", "prev"):
        live.move_step(meeting, request.user, direction=action)
    elif action == "goto":
        value = request.POST.get("step", "")
        if not value.isdigit():
            raise Http404
        live.move_step(meeting, request.user, step_id=int(value))
    elif action == "undo":
        live.undo_step(meeting, request.user)
    else:
        raise live.LiveError(_("Okänd åtgärd."))
    return ""


@live_write()
def timer_action(request, meeting):
    action = request.POST.get("action")
    if action == "toggle":
        live.toggle_timer(meeting, request.user)
    elif action == "add":
        live.add_time(meeting, request.user)
    else:
        raise live.LiveError(_("Okänd åtgärd."))
    return ""


@live_write()
def speaker_action(request, meeting):
    action = request.POST.get("action")
    if action == "next":
        live.move_speaker(meeting, request.user, 1)
    elif action == "prev":
        live.move_speaker(meeting, request.user, -1)
    elif action == "set":
        participation = _participation(meeting, request.POST.get("participation"))
        if participation is None:
            raise Http404
        live.move_speaker(meeting, request.user, participation_id=participation.pk)
    else:
        raise live.LiveError(_("Okänd åtgärd."))
    return ""


@live_write()
def attendance(request, meeting, participation_id):
    participation = get_object_or_404(Participation, pk=participation_id, meeting=meeting)
    value = request.POST.get("present")
    live.set_present(meeting, request.user, participation, {"ja": True, "nej": False}.get(value))
    return ""


@live_write("lead")
def hand_notes(request, meeting):
    participation = _participation(meeting, request.POST.get("participation"))
    if participation is None:
        raise live.LiveError(_("Välj vem som ska anteckna."))
    live.hand_notes(meeting, request.user, participation)
    return _("%(name)s antecknar nu. Personen öppnar anteckningsvyn med sin personliga länk.") % {
        "name": participation.person.name
    }


@live_write()
def attendance_all(request, meeting):
    live.set_all_present(meeting, request.user)
    return ""


@live_write()
def add_person(request, meeting):
    role = request.POST.get("role") or Participation.Role.PARTICIPANT
    if role not in Participation.Role.values or role == Participation.Role.FACILITATOR:
        raise live.LiveError(_("Välj en roll."))
    live.add_unannounced(
        meeting,
        request.user,
        request.POST.get("name", ""),
        request.POST.get("title", ""),
        role,
        client_key=idempotency.from_request(request),
    )
    return ""


def _prepared_answer(meeting, value):
    """The prepared answer a "Ta in och ändra" form carries, or None."""
    if not value:
        return None
    if not str(value).isdigit():
        raise Http404
    return get_object_or_404(
        PreparationAnswer.objects.select_related("step", "preparation__participation"),
        pk=int(value),
        preparation__participation__meeting=meeting,
    )


def _take_edited(request, meeting, answer):
    live.take_prepared(
        meeting,
        request.user,
        answer,
        client_key=idempotency.from_request(request),
        text=request.POST.get("text", ""),
        reason=request.POST.get("reason", ""),
        participation=_participation(meeting, request.POST.get("participation")),
    )
    return ""


@live_write()
def entry_add(request, meeting):
    if answer := _prepared_answer(meeting, request.POST.get("prepared")):
        return _take_edited(request, meeting, answer)
    other = request.POST.get("other") == "1"
    step = None if other else _step(meeting, request.POST.get("step"))
    live.add_entry(
        meeting,
        request.user,
        step,
        request.POST.get("text", ""),
        request.POST.get("reason", ""),
        _participation(meeting, request.POST.get("participation")),
        _question_index(step, request.POST.get("question")),
        client_key=idempotency.from_request(request),
    )
    return ""


RESTORED_MESSAGE = gettext_lazy(
    "Någon annan tog bort texten medan du ändrade den. Den är tillbaka, med din ändring."
)


@live_write()
def entry_edit(request, meeting, entry_id):
    entry = Entry.objects.filter(pk=entry_id, meeting=meeting).first()
    if entry is None and not live.was_deleted(meeting, A3Change.Kind.ENTRY, entry_id):
        raise Http404
    if entry is None:
        other = request.POST.get("other") == "1"
        step = None if other else _step(meeting, request.POST.get("step"))
        live.restore_entry(
            meeting,
            request.user,
            entry_id,
            step,
            _question_index(step, request.POST.get("question")),
            request.POST.get("text", ""),
            request.POST.get("reason", ""),
            _participation(meeting, request.POST.get("participation")),
        )
        return str(RESTORED_MESSAGE)
    live.edit_entry(
        meeting,
        request.user,
        entry,
        request.POST.get("text", ""),
        request.POST.get("reason", ""),
        _participation(meeting, request.POST.get("participation")),
        _revision(request),
    )
    return ""


@live_write()
def entry_move(request, meeting, entry_id):
    entry = get_object_or_404(Entry, pk=entry_id, meeting=meeting)
    live.move_entry(
        meeting, request.user, entry, -1 if request.POST.get("direction") == "up" else 1
    )
    return ""


@live_write()
def entry_delete(request, meeting, entry_id):
    live.delete_entry(meeting, request.user, get_object_or_404(Entry, pk=entry_id, meeting=meeting))
    return ""


@live_write()
def take_prepared(request, meeting, answer_id):
    answer = get_object_or_404(
        PreparationAnswer.objects.select_related("preparation__participation", "step"),
        pk=answer_id,
        preparation__participation__meeting=meeting,
    )
    live.take_prepared(meeting, request.user, answer, client_key=idempotency.from_request(request))
    return ""


@live_write()
def wish_add(request, meeting):
    if answer := _prepared_answer(meeting, request.POST.get("prepared")):
        return _take_edited(request, meeting, answer)
    live.add_wish(
        meeting,
        request.user,
        _step(meeting, request.POST.get("step")),
        request.POST.get("text", ""),
        request.POST.get("reason", ""),
        _participation(meeting, request.POST.get("participation")),
        client_key=idempotency.from_request(request),
    )
    return ""


@live_write()
def wish_edit(request, meeting, wish_id):
    wish = Wish.objects.filter(pk=wish_id, meeting=meeting).first()
    if wish is None and not live.was_deleted(meeting, A3Change.Kind.WISH, wish_id):
        raise Http404
    if wish is None:
        live.restore_wish(
            meeting,
            request.user,
            wish_id,
            _step(meeting, request.POST.get("step")),
            request.POST.get("text", ""),
            request.POST.get("reason", ""),
            _participation(meeting, request.POST.get("participation")),
        )
        return str(RESTORED_MESSAGE)
    live.edit_wish(
        meeting,
        request.user,
        wish,
        request.POST.get("text", ""),
        request.POST.get("reason", ""),
        _participation(meeting, request.POST.get("participation")),
        _revision(request),
    )
    return ""


@live_write()
def wish_action(request, meeting, wish_id):
    wish = get_object_or_404(Wish.objects.select_related("step"), pk=wish_id, meeting=meeting)
    action = request.POST.get("action")
    if action == "agree":
        live.agree_wish(meeting, request.user, wish)
    elif action == "unagree":
        live.unagree_wish(meeting, request.user, wish)
    elif action in ("up", "down"):
        live.move_agreed_wish(meeting, request.user, wish, -1 if action == "up" else 1)
    elif action in ("earlier", "later"):
        live.move_wish(meeting, request.user, wish, -1 if action == "earlier" else 1)
    elif action == "delete":
        live.delete_wish(meeting, request.user, wish)
    else:
        raise live.LiveError(_("Okänd åtgärd."))
    return ""


@live_write()
def action_add(request, meeting):
    step = _step(meeting, request.POST.get("step"))
    form = ActionForm(meeting, request.POST)
    if not form.is_valid():
        raise live.LiveError([str(e) for errors in form.errors.values() for e in errors])
    data = form.cleaned_data
    live.add_action(
        meeting,
        request.user,
        step,
        data["what"],
        data["owners"],
        data["owner_names"],
        data["due_date"],
        data["due_text"],
        client_key=idempotency.from_request(request),
    )
    return ""


@live_write()
def action_edit(request, meeting, action_id):
    item = ActionItem.objects.filter(pk=action_id, meeting=meeting).first()
    if item is None and not live.was_deleted(meeting, A3Change.Kind.ACTION, action_id):
        raise Http404
    if item is None:
        step = _step(meeting, request.POST.get("step"))
        live.restore_action(meeting, request.user, action_id, step, request.POST.get("what", ""))
        return str(RESTORED_MESSAGE)
    if "due_date" not in request.POST:  # an editor of "vad" only (a page from before)
        live.edit_action(
            meeting, request.user, item, request.POST.get("what", ""), _revision(request)
        )
        return ""
    form = ActionForm(meeting, request.POST)
    if not form.is_valid():
        raise live.LiveError([str(e) for errors in form.errors.values() for e in errors])
    data = form.cleaned_data
    live.edit_action(
        meeting,
        request.user,
        item,
        data["what"],
        _revision(request),
        owners=data["owners"],
        owner_names=data["owner_names"],
        due_date=data["due_date"],
        due_text=data["due_text"],
    )
    return ""


@live_write()
def action_move(request, meeting, action_id):
    item = get_object_or_404(ActionItem, pk=action_id, meeting=meeting)
    live.move_action(
        meeting, request.user, item, -1 if request.POST.get("direction") == "up" else 1
    )
    return ""


@live_write()
def action_delete(request, meeting, action_id):
    live.delete_action(
        meeting, request.user, get_object_or_404(ActionItem, pk=action_id, meeting=meeting)
    )
    return ""


@live_write()
def parking_add(request, meeting):
    live.park(
        meeting,
        request.user,
        request.POST.get("text", ""),
        _participation(meeting, request.POST.get("participation")),
        client_key=idempotency.from_request(request),
    )
    return ""


@live_write()
def parking_toggle(request, meeting, item_id):
    live.toggle_parked(
        meeting, request.user, get_object_or_404(ParkingLotItem, pk=item_id, meeting=meeting)
    )
    return ""


@live_write()
def conflict_resolve(request, meeting, conflict_id):
    conflict = get_object_or_404(
        EditConflict, pk=conflict_id, meeting=meeting, resolved_at__isnull=True
    )
    keep = request.POST.get("keep")
    if keep not in ("stored", "other", "both"):
        raise live.LiveError(_("Välj vilken text som ska gälla."))
    live.resolve_conflict(meeting, request.user, conflict, keep)
    return ""


def now_ms():
    return int(timezone.now().timestamp() * 1000)
