from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samtal.a3.room import join_panel
from samtal.a3.room_views import by_join_code
from samtal.core.policy import (
    NOTHING,
    current_organisation,
    is_reviewer,
    meeting_for,
    require_reviewer,
)
from samtal.core.tokens import random_key
from samtal.meetings.models import Meeting, Unit
from samtal.participants.links import personal_link
from samtal.surveys import results as survey_results
from samtal.surveys.models import Instrument, Round

from .forms import EvaluationForm, PerspectiveSplitForm
from .models import (
    EDITABLE_DAYS,
    PERSPECTIVES,
    Evaluation,
    GroupSplit,
    PerspectiveRound,
    PerspectiveSplit,
    evaluation_deadline,
    evaluation_open,
    participation_of,
    split_open,
    splits_by_meeting,
    with_shown_roles,
)
from .services import (
    NotFinished,
    queue_reflection_requests,
    save_evaluation,
    save_split,
)

MEETINGS = Meeting.objects.select_related("unit__organisation", "template_version")

# Individual reflection -----------------------------------------------------------------


def evaluation_page(request, participation, *, via_link, back_url):
    """The reflection form for one participation (staff after login, or a personal link)."""
    meeting = participation.meeting
    evaluation = Evaluation.objects.filter(participation=participation).first()
    is_open = evaluation_open(meeting)
    form = EvaluationForm(instance=evaluation)
    status = 200
    if request.method == "POST":
        # Bound even when closed: what was typed is shown back, never thrown away.
        form = EvaluationForm(request.POST, instance=evaluation)
        if not is_open:
            status = 403
        elif form.is_valid():
            save_evaluation(participation, form.cleaned_data)
            messages.success(
                request,
                _("Tack! Din utvärdering är sparad. Du kan ändra den till och med %(date)s.")
                % {"date": date_format(evaluation_deadline(meeting), "j F Y")},
            )
            return redirect(request.path)
        else:
            status = 400
    return render(
        request,
        "evaluations/evaluation_form.html",
        {
            "meeting": meeting,
            "participation": participation,
            "form": form,
            "evaluation": evaluation,
            "is_open": is_open,
            "refused": request.method == "POST" and not is_open,
            "deadline": evaluation_deadline(meeting),
            "via_link": via_link,
            "back_url": back_url,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_evaluation(request, meeting_id):
    meeting = meeting_for(request, MEETINGS, meeting_id, "see")
    participation = participation_of(request.user, meeting)
    if participation is None:
        raise PermissionDenied
    return evaluation_page(
        request,
        participation,
        via_link=False,
        back_url=reverse("meetings:detail", args=[meeting.pk]),
    )


@personal_link
@require_http_methods(["GET", "POST"])
def link_evaluation(request, participation):
    return evaluation_page(request, participation, via_link=True, back_url="")


# Four-perspective split ---------------------------------------------------------------


def split_page(request, meeting, *, participation, group, via_link, action_urls, device_key=""):
    """The split form: one device's split, or (group=True) the facilitator's group entry."""
    lookup = {"meeting": meeting, "is_group_entry": group, "device_key": device_key}
    if not group:
        lookup["participation"] = participation
    split = PerspectiveSplit.objects.filter(**lookup).first()
    is_open = split_open(meeting)
    form = PerspectiveSplitForm(instance=split)
    status = 200
    if request.method == "POST":
        # Bound even when closed: what was typed is shown back, never thrown away.
        form = PerspectiveSplitForm(request.POST, instance=split)
        if not is_open:
            status = 403
        elif form.is_valid():
            save_split(meeting, None if group else participation, form.cleaned_data, device_key)
            messages.success(request, _("Fördelningen är sparad."))
            return redirect(request.path)
        else:
            status = 400
    return render(
        request,
        "evaluations/split_form.html",
        {
            "meeting": meeting,
            "form": form,
            "group": group,
            "is_open": is_open,
            "closed_message": "" if is_open else split_closed_message(meeting),
            "refused": request.method == "POST" and not is_open,
            "via_link": via_link,
            "perspective_fields": [form[name] for name, _label in PERSPECTIVES],
            "group_split": GroupSplit.for_meeting(meeting),
            "is_facilitator": not via_link and getattr(meeting, "access", NOTHING).plan,
            **action_urls,
        },
        status=status,
    )


def split_closed_message(meeting):
    """Why the group reflection takes no split now, in one plain sentence."""
    if meeting.status == Meeting.Status.FINISHED:
        finished = timezone.localdate(meeting.finished_at) if meeting.finished_at else meeting.date
        return _("Gruppreflektionen stängdes när samtalet avslutades %(date)s.") % {
            "date": date_format(finished, "j F Y")
        }
    round_ = PerspectiveRound.objects.filter(meeting=meeting).first()
    if meeting.status == Meeting.Status.RUNNING and round_ and round_.closed_at:
        return _("Samtalsledaren har stängt gruppreflektionen.")
    if meeting.status == Meeting.Status.RUNNING:
        return _("Samtalsledaren har inte öppnat gruppreflektionen ännu.")
    return _(
        "Samtalsledaren har inte öppnat gruppreflektionen ännu. Den öppnas medan samtalet pågår."
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_split(request, meeting_id):
    meeting = meeting_for(request, MEETINGS, meeting_id, "see")
    participation = participation_of(request.user, meeting)
    if participation is None:
        raise PermissionDenied
    return split_page(
        request,
        meeting,
        participation=participation,
        group=False,
        via_link=False,
        action_urls={"back_url": reverse("meetings:detail", args=[meeting.pk])},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_split(request, meeting_id):
    meeting = meeting_for(request, MEETINGS, meeting_id, "plan")
    return split_page(
        request,
        meeting,
        participation=None,
        group=True,
        via_link=False,
        action_urls={"back_url": reverse("evaluations:meeting", args=[meeting.pk])},
    )


@personal_link
@require_http_methods(["GET", "POST"])
def link_split(request, participation):
    return split_page(
        request,
        participation.meeting,
        participation=participation,
        group=False,
        via_link=True,
        action_urls={"back_url": ""},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@by_join_code("join-split")
def join_split(request, meeting, participation, token):
    """/delta/<code>/perspektiv/: a phone that joined with the meeting's code splits the time,
    anonymously (one answer per phone, kept by its session), while the meeting runs."""
    if participation is not None:
        return redirect("participants:perspective_split", token)
    device_key = request.session.get(DEVICE_KEY) or random_key()[:32]
    request.session[DEVICE_KEY] = device_key
    return split_page(
        request,
        meeting,
        participation=None,
        group=False,
        via_link=True,
        action_urls={"back_url": "", "join_url": reverse("join:follow", args=[meeting.join_code])},
        device_key=device_key,
    )


DEVICE_KEY = "samtal_join_device"


@login_required
@require_GET
def projector(request, meeting_id):
    """The group's split, large, for the projector; refreshes itself while devices answer.

    htmx polls every 2 s with the version it shows; an unchanged meeting answers 204 (no swap).
    """
    meeting = meeting_for(request, MEETINGS, meeting_id, "see")
    template = "evaluations/projector.html"
    if request.htmx:
        if request.GET.get("v") == str(meeting.version):
            return HttpResponse(status=204)
        template += "#live-chart"
    return render(
        request,
        template,
        {
            "meeting": meeting,
            "group_split": GroupSplit.for_meeting(meeting),
            "answered": PerspectiveSplit.objects.filter(meeting=meeting).individual().count(),
            "participant_count": meeting.participations.count(),
            "join": None if request.htmx else join_panel(meeting),
        },
    )


@login_required
@require_POST
def toggle_split(request, meeting_id):
    """The facilitator opens the group reflection while the meeting runs, and closes it."""
    meeting = meeting_for(request, MEETINGS, meeting_id, "plan")
    if request.POST.get("action") == "close":
        if PerspectiveRound.close_for(meeting):
            meeting.bump_version()  # the phones' "Svara nu" goes away
        messages.success(request, _("Gruppreflektionen är stängd."))
    elif PerspectiveRound.open_for(meeting):
        meeting.bump_version()  # the phones following the meeting are offered the question
        messages.success(request, _("Gruppreflektionen är öppen. Deltagarna kan nu fördela tiden."))
    else:
        messages.error(request, _("Gruppreflektionen kan bara öppnas medan samtalet pågår."))
    return redirect("evaluations:meeting", meeting.pk)


# The facilitator's page ------------------------------------------------------------------


@login_required
@require_GET
def meeting_evaluations(request, meeting_id):
    meeting = meeting_for(request, MEETINGS, meeting_id, "see")
    is_facilitator = meeting.access.plan
    participations = list(
        meeting.participations.select_related("person", "evaluation", "reflection_request")
    )
    # In the order they came in, not the order of the participant list: that order would
    # tell who wrote what.
    evaluations = with_shown_roles(
        sorted(
            (
                p.evaluation
                for p in participations
                if hasattr(p, "evaluation") and not p.evaluation.is_empty
            ),
            key=lambda e: (e.created_at, e.pk),
        )
    )
    split_round = PerspectiveRound.objects.filter(meeting=meeting).first()
    return render(
        request,
        "evaluations/meeting_evaluations.html",
        {
            "meeting": meeting,
            "evaluations": evaluations,
            "min_group": survey_results.MIN_GROUP_SIZE,
            "can_read": meeting.access.read_evaluations,
            "participant_count": len(participations),
            "asked_count": sum(1 for p in participations if hasattr(p, "reflection_request")),
            "not_asked": [
                p for p in participations if not hasattr(p, "reflection_request") and p.person.email
            ],
            "is_facilitator": is_facilitator,
            "is_open": evaluation_open(meeting),
            "split_is_open": meeting.status == Meeting.Status.RUNNING
            and split_round is not None
            and split_round.is_open,
            "deadline": evaluation_deadline(meeting),
            "group_split": GroupSplit.for_meeting(meeting),
            "my_participation": next(
                (p for p in participations if p.person.user_id == request.user.id), None
            ),
        },
    )


@login_required
@require_POST
def send_requests(request, meeting_id):
    meeting = meeting_for(request, MEETINGS, meeting_id, "plan")
    try:
        count = queue_reflection_requests(meeting)
    except NotFinished:
        messages.error(
            request,
            _("Utvärderingen kan skickas när samtalet är avslutat och i %(days)s dagar efter.")
            % {"days": EDITABLE_DAYS},
        )
    else:
        if count:
            messages.success(
                request,
                _("Utvärderingen skickas till %(count)s medverkande.") % {"count": count},
            )
        else:
            messages.warning(
                request, _("Alla medverkande med e-postadress har redan fått utvärderingen.")
            )
    return redirect("evaluations:meeting", meeting.pk)


# Kommunledning ------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """Evaluation home: kommunledning sees every unit and the surveys; facilitators their
    finished meetings."""
    organisation = current_organisation(request)
    reviewer = is_reviewer(request.user, organisation)
    units = []
    instruments = []
    if reviewer:
        units = Unit.objects.filter(organisation=organisation).annotate(
            # distinct: both counts go through the same join and would multiply.
            finished=Count(
                "meetings", filter=Q(meetings__status=Meeting.Status.FINISHED), distinct=True
            ),
            evaluations=Count(
                "meetings__participations__evaluation",
                filter=Q(meetings__status=Meeting.Status.FINISHED),
                distinct=True,
            ),
        )
        instruments = latest_instruments(organisation)
    my_finished = (
        Meeting.objects.finished()
        .filter(unit__organisation=organisation)
        .filter(
            Q(created_by=request.user)
            | Q(participations__person__user=request.user, participations__role="samtalsledare")
        )
        .distinct()
        .select_related("unit")
        .order_by("-date")
    )
    return render(
        request,
        "evaluations/index.html",
        {
            "reviewer": reviewer,
            "units": units,
            "instruments": instruments,
            "my_finished": my_finished,
        },
    )


def latest_instruments(organisation):
    """The newest version of each instrument, with the organisation's number of rounds across
    versions."""
    instruments = list(Instrument.objects.latest_versions().order_by("name"))
    rounds = Round.objects.filter(organisation=organisation)
    counts = dict(rounds.values_list("instrument__key").annotate(n=Count("id")).order_by())
    for instrument in instruments:
        instrument.round_count = counts.get(instrument.key, 0)
    return instruments


@login_required
@require_GET
def unit_overview(request, unit_id):
    """One unit over time: its finished meetings with their splits and evaluations, and its
    survey rounds."""
    require_reviewer(request)
    unit = get_object_or_404(
        Unit.objects.select_related("organisation").filter(
            organisation=current_organisation(request)
        ),
        pk=unit_id,
    )
    meetings = list(unit.meetings.finished().order_by("date", "start_time"))
    splits = splits_by_meeting(meetings)
    evaluations = {}
    for evaluation in (
        Evaluation.objects.filter(participation__meeting__in=meetings)
        .select_related("participation")
        .order_by("created_at")
    ):
        if not evaluation.is_empty:
            evaluations.setdefault(evaluation.participation.meeting_id, []).append(evaluation)
    rows = [
        {
            "meeting": m,
            "split": splits[m.pk],
            "evaluations": with_shown_roles(evaluations.get(m.pk, [])),
        }
        for m in meetings
    ]
    keys = sorted(
        set(
            Round.objects.filter(Q(unit=unit) | Q(responses__unit=unit)).values_list(
                "instrument__key", flat=True
            )
        )
    )
    surveys = [survey_results.compute(key, unit, unit.organisation_id) for key in keys]
    return render(
        request,
        "evaluations/unit_overview.html",
        {
            "unit": unit,
            "rows": rows,
            "perspective_labels": [label for _name, label in PERSPECTIVES],
            "surveys": [s for s in surveys if s is not None],
            "min_group": survey_results.MIN_GROUP_SIZE,
        },
    )
