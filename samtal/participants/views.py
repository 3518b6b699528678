"""The participant's pages, reached through a personal link (no account needed)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samtal.meetings.planning import material_response

from .links import personal_link
from .preparation import (
    can_edit,
    mark_opened,
    max_chars,
    preparation_for,
    preparation_steps,
    questions_from_answers,
    questions_from_post,
    save_answers,
)


def page_context(participation, preparation, questions, **extra):
    meeting = participation.meeting
    return {
        "participation": participation,
        "meeting": meeting,
        "preparation": preparation,
        "questions": questions,
        "materials": list(meeting.materials.all()),
        "participations": list(meeting.participations.select_related("person")),
        "version": meeting.template_version,
        "editable": can_edit(meeting),
        "max_chars": f"{max_chars():,}".replace(",", "\u00a0"),
        **extra,
    }


@personal_link
@require_http_methods(["GET", "POST"])
def preparation(request, participation):
    """The preparation page. Without JavaScript the buttons post here; with it, typing
    autosaves through `autosave` and "Klar" still posts here."""
    meeting = participation.meeting
    preparation = preparation_for(participation)
    steps = preparation_steps(meeting)
    if request.method == "GET":
        mark_opened(preparation)
        questions = questions_from_answers(meeting, preparation, steps)
        return render(
            request,
            "participants/preparation.html",
            page_context(participation, preparation, questions),
        )
    if not can_edit(meeting):
        questions = questions_from_answers(meeting, preparation, steps)
        return render(
            request,
            "participants/preparation.html",
            page_context(
                participation,
                preparation,
                questions,
                page_error=_("Samtalet har startat, så förberedelsen kan inte längre ändras."),
            ),
            status=409,
        )
    questions, errors = questions_from_post(meeting, request.POST, steps)
    action = request.POST.get("action", "save")
    if action.startswith("add-"):
        for question in questions:
            if action == f"add-{question.step.id}" and question.many:
                from .preparation import Row

                question.rows.append(Row(question.next_index))
    if errors:
        return render(
            request,
            "participants/preparation.html",
            page_context(
                participation,
                preparation,
                questions,
                page_error=_("Det du skrev är inte sparat än: rätta det som är markerat nedan."),
            ),
            status=422,
        )
    save_answers(preparation, questions)
    if action == "submit":
        preparation.submitted_at = preparation.submitted_at or timezone.now()
        preparation.save(update_fields=["submitted_at", "updated_at"])
        return redirect(request.path + "#klar")
    if action.startswith("add-"):
        return render(
            request,
            "participants/preparation.html",
            page_context(participation, preparation, questions, saved=True),
        )
    return redirect(request.path + "#fragor")


@personal_link
@require_POST
def autosave(request, participation):
    """htmx: save what has been typed so far and answer with the save status."""
    meeting = participation.meeting
    preparation = preparation_for(participation)
    steps = preparation_steps(meeting)
    if not can_edit(meeting):
        return render(
            request,
            "participants/_save_status.html",
            {"state": "closed", "fields": []},
            status=409,
        )
    questions, errors = questions_from_post(meeting, request.POST, steps)
    fields = [name for name in request.POST if name.startswith("s")]
    if errors:
        return render(
            request,
            "participants/_save_status.html",
            {"state": "invalid", "errors": dict(errors), "fields": fields},
        )
    save_answers(preparation, questions)
    return render(
        request,
        "participants/_save_status.html",
        {"state": "saved", "saved_at": timezone.localtime(), "fields": fields, "errors": {}},
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
