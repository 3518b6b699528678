"""The participant's pages, reached through a personal link (no account needed)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samtal.meetings.material import material_response

from .links import expires_on, personal_link
from .models import Preparation
from .preparation import (
    Conflict,
    Row,
    can_edit,
    mark_opened,
    max_chars,
    posted_revision,
    preparation_for,
    preparation_steps,
    questions_from_answers,
    questions_from_post,
    save_answers,
    stored_fields,
)


def page_context(participation, preparation, questions, **extra):
    meeting = participation.meeting
    return {
        "participation": participation,
        "meeting": meeting,
        "preparation": preparation,
        "revision": preparation.revision if preparation else 0,
        "questions": questions,
        "materials": list(meeting.materials.all()),
        "participations": list(meeting.participations.select_related("person")),
        "version": meeting.template_version,
        "editable": can_edit(meeting),
        "max_chars": f"{max_chars():,}".replace(",", "\u00a0"),
        **extra,
    }


def conflict_context(meeting, stored, steps):
    """What was saved from elsewhere, for the page to show next to what was typed here."""
    questions = questions_from_answers(meeting, stored, steps)
    return {
        "conflict": True,
        "conflict_questions": [q for q in questions if q.answered],
        "conflict_fields": stored_fields(questions),
        "conflict_revision": stored.revision,
    }


def render_page(request, participation, preparation, questions, status=200, **extra):
    return render(
        request,
        "participants/preparation.html",
        page_context(participation, preparation, questions, **extra),
        status=status,
    )


@personal_link
@require_http_methods(["GET", "POST"])
def preparation(request, participation):
    """The preparation page. Without JavaScript the buttons post here; with it, typing
    autosaves through `autosave` and "Klar" still posts here.

    A GET changes nothing (link scanners open links too); the page's script reports the
    first real visit through `opened`."""
    meeting = participation.meeting
    steps = preparation_steps(meeting)
    if request.method == "GET":
        preparation = Preparation.objects.filter(participation=participation).first()
        questions = questions_from_answers(meeting, preparation, steps)
        if meeting.is_finished:
            return after_meeting(request, participation, preparation, questions)
        return render_page(request, participation, preparation, questions)
    if not can_edit(meeting):
        preparation = Preparation.objects.filter(participation=participation).first()
        posted, _errors = questions_from_post(meeting, request.POST, steps)
        return render_page(
            request,
            participation,
            preparation,
            questions_from_answers(meeting, preparation, steps),
            status=409,
            page_error=_(
                "Samtalet har startat, så förberedelsen kan inte längre ändras. Det du "
                "skickade är inte sparat; kopiera texten nedan om du vill ha den kvar."
            ),
            unsaved_questions=[q for q in posted if q.answered],
        )
    preparation = preparation_for(participation)
    mark_opened(preparation)
    questions, errors = questions_from_post(meeting, request.POST, steps)
    action = request.POST.get("action", "save")
    if action.startswith("add-"):
        for question in questions:
            if action == f"add-{question.step.id}" and question.many:
                question.rows.append(Row(question.next_index))
    if errors:
        return render_page(
            request,
            participation,
            preparation,
            questions,
            status=422,
            page_error=_("Det du skrev är inte sparat än: rätta det som är markerat nedan."),
        )
    try:
        save_answers(preparation, questions, posted_revision(request.POST))
    except Conflict as conflict:
        # Keep what was typed here in the fields, show the stored text beside it; the next
        # save is the person's choice, so it is based on the stored revision.
        return render_page(
            request,
            participation,
            conflict.preparation,
            questions,
            status=409,
            page_error=_(
                "Din förberedelse har ändrats på en annan enhet sedan du öppnade sidan. "
                "Inget är sparat eller borttaget: jämför texterna nedan och spara det som ska "
                "gälla."
            ),
            **conflict_context(meeting, conflict.preparation, steps),
        )
    if action == "submit":
        preparation.submitted_at = preparation.submitted_at or timezone.now()
        preparation.save(update_fields=["submitted_at", "updated_at"])
        return redirect(request.path + "#klar")
    if action.startswith("add-"):
        return render_page(request, participation, preparation, questions, saved=True)
    return redirect(request.path + "#fragor")


def after_meeting(request, participation, preparation, questions):
    """The personal page once the meeting is over ("Efter samtalet"): the A3 and its PDF,
    the reflection while it is open, the actions this person owns, and how long the link
    works."""
    meeting = participation.meeting
    return render(
        request,
        "participants/after.html",
        {
            "participation": participation,
            "meeting": meeting,
            "preparation": preparation,
            "questions": [q for q in questions if q.answered],
            "facilitator": meeting.facilitator(),
            "expires_on": expires_on(meeting),
        },
    )


@personal_link
@require_POST
def opened(request, participation):
    """htmx/fetch from the page's script: the participant has really opened the page."""
    if can_edit(participation.meeting):
        mark_opened(preparation_for(participation))
    return HttpResponse(status=204)


@personal_link
@require_POST
def autosave(request, participation):
    """htmx: save what has been typed so far and answer with the save status.

    A box that is too long is flagged and left out; the other boxes are saved."""
    meeting = participation.meeting
    steps = preparation_steps(meeting)
    if not can_edit(meeting):
        return render(
            request,
            "participants/_save_status.html",
            {"state": "closed", "fields": []},
            status=409,
        )
    preparation = preparation_for(participation)
    mark_opened(preparation)
    questions, errors = questions_from_post(meeting, request.POST, steps)
    fields = [name for name in request.POST if name.startswith("s")]
    try:
        save_answers(preparation, questions, posted_revision(request.POST))
    except Conflict as conflict:
        return render(
            request,
            "participants/_save_status.html",
            {
                "state": "conflict",
                "fields": fields,
                "errors": dict(errors),
                **conflict_context(meeting, conflict.preparation, steps),
            },
            status=409,
        )
    return render(
        request,
        "participants/_save_status.html",
        {
            "state": "partial" if errors else "saved",
            "saved_at": timezone.localtime(),
            "fields": fields,
            "errors": dict(errors),
            "revision": preparation.revision,
        },
    )


@personal_link
@require_GET
def material(request, participation, material_id):
    item = get_object_or_404(participation.meeting.materials, pk=material_id)
    if item.url:
        return redirect(item.url)
    if not item.file:
        raise Http404
    return material_response(item)
