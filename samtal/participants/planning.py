"""Planning a meeting: facts, participants, underlag, invitations, preparation overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samtal.core import idempotency
from samtal.core.policy import meeting_for, require_planner
from samtal.core.storage_errors import storage_error_message, storage_error_status
from samtal.meetings.forms import MaterialForm, MeetingForm
from samtal.meetings.material import material_response
from samtal.meetings.models import Meeting
from samtal.organisations.session import current

from . import deliveries
from .forms import ParticipantForm, PasteParticipantsForm, RoleForm
from .links import make_token
from .models import REMINDER_PAUSE, EmailDelivery, Participation, Person, Preparation, SentEmail
from .preparation import preparation_steps, questions_from_answers

MEETINGS = Meeting.objects.select_related("unit__organisation", "template_version")


def explain_refusal(request, meeting_id):
    """A member who may not plan is told why (in templates/403.html), with a way back."""
    if Meeting.objects.filter(pk=meeting_id, participations__person__user=request.user).exists():
        request.refused_meeting_id = meeting_id
        return PermissionDenied(_("Bara samtalsledaren kan planera samtalet."))
    return None


def meeting_for_planner(request, meeting_id, queryset=MEETINGS):
    try:
        return meeting_for(request, queryset, meeting_id, "plan")
    except PermissionDenied as refused:
        raise explain_refusal(request, meeting_id) or refused from None


def participation_for_planner(request, meeting_id, participation_id):
    meeting = meeting_for_planner(request, meeting_id)
    participation = get_object_or_404(
        meeting.participations.select_related("person"), pk=participation_id
    )
    participation.meeting = meeting
    return meeting, participation


def person_for_user(user, organisation):
    """The user's Person in the organisation (an id), made (or found by email) the first
    time they plan a meeting there."""
    people = Person.objects.filter(organisation=organisation)
    person = people.filter(user=user).first()
    if person:
        return person
    if user.email:
        person = people.filter(email__iexact=user.email, user__isnull=True).first()
        if person:
            person.user = user
            person.save(update_fields=["user"])
            return person
    return Person.objects.create(
        organisation_id=organisation,
        name=user.get_full_name() or user.username,
        email=user.email,
        user=user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    require_planner(request)
    form = MeetingForm(request.POST or None, organisation=current(request))
    if request.method == "POST":
        token = request.POST.get("form_token") or None
        existing = Meeting.objects.filter(creation_token=token).first() if token else None
        if existing:
            # The same form sent twice (a double click, a reload): show what the first made.
            messages.info(request, _("Samtalet var redan skapat; det har inte skapats två gånger."))
            return redirect("meetings:plan", existing.pk)
        if form.is_valid():
            try:
                with transaction.atomic():
                    meeting = form.save(commit=False)
                    meeting.created_by = request.user
                    meeting.creation_token = form.cleaned_data.get("form_token")
                    meeting.save()
                    Participation.objects.create(
                        meeting=meeting,
                        person=person_for_user(request.user, meeting.unit.organisation_id),
                        role=Participation.Role.FACILITATOR,
                    )
            except IntegrityError:
                existing = Meeting.objects.filter(creation_token=token).first()
                if existing is None:
                    raise
                return redirect("meetings:plan", existing.pk)
            messages.success(
                request,
                _(
                    "Samtalet är skapat och du är samtalsledare. "
                    "Lägg nu till medverkande och underlag."
                ),
            )
            if form.date_in_past:
                messages.warning(request, _("Observera att samtalets datum har passerat."))
            return redirect("meetings:plan", meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "creating": True},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, meeting_id):
    meeting = meeting_for_planner(
        request, meeting_id, Meeting.objects.select_related("unit", "template_version")
    )
    if not meeting.is_planned:
        messages.error(request, _("Samtalet har startat och kan inte längre ändras."))
        return redirect("meetings:detail", meeting.pk)
    if request.method == "POST":
        with transaction.atomic():
            # Lock the row while checking and saving: a start or another change at the same
            # moment waits, and this save writes only the form's fields (never the status),
            # with the version bumped in the database.
            locked = Meeting.objects.select_for_update().only("status", "version")
            locked = locked.get(pk=meeting.pk)
            meeting.status, meeting.version = locked.status, locked.version
            form = MeetingForm(request.POST, instance=meeting)
            saved = form.is_valid()
            if saved:
                meeting = form.save(commit=False)
                meeting.save(update_fields=form.model_fields())
                meeting.bump_version()
    else:
        form = MeetingForm(instance=meeting)
        saved = False
    if saved:
        messages.success(request, _("Ändringarna är sparade."))
        facts = {"date", "start_time", "location", "video_link", "template_version"}
        invited = SentEmail.objects.filter(
            participation__meeting=meeting, kind=SentEmail.Kind.INVITATION
        ).exists()
        if invited and facts & set(form.changed_data):
            messages.warning(
                request,
                _(
                    "Kallelsen är redan skickad med de gamla uppgifterna. Skicka den igen till "
                    "de medverkande (under Kallelse) så att deras kalendrar uppdateras."
                ),
            )
        if form.date_in_past:
            messages.warning(request, _("Observera att samtalets datum har passerat."))
        return redirect("meetings:plan", meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "meeting": meeting, "creating": False},
        status=422 if form.is_bound else 200,
    )


INVITATIONS = Q(sent_emails__kind=SentEmail.Kind.INVITATION)


def plan_context(meeting, **forms):
    participations = list(
        meeting.participations.select_related("person", "preparation").annotate(
            invited_at=Max("sent_emails__sent_at", filter=INVITATIONS),
            invitations_sent=Count("sent_emails", filter=INVITATIONS),
            emails_sent=Count("sent_emails"),
        )
    )
    latest = {}
    for delivery in EmailDelivery.objects.filter(participation__meeting=meeting):
        latest.setdefault(delivery.participation_id, delivery)  # newest first
    for participation in participations:
        participation.delivery = latest.get(participation.pk)
    context = {
        "meeting": meeting,
        "participations": participations,
        "materials": list(meeting.materials.all()),
        "sent_emails": list(
            SentEmail.objects.filter(participation__meeting=meeting).select_related(
                "participation__person"
            )[:50]
        ),
        "not_invited": [
            p
            for p in participations
            if not p.invitations_sent
            and not (p.delivery and p.delivery.pending and p.delivery.kind == "kallelse")
        ],
        "pending_invitations": [
            p
            for p in participations
            if p.delivery and p.delivery.pending and p.delivery.kind == "kallelse"
        ],
        "missing_for_start": meeting.missing_for_start() if meeting.is_planned else [],
        "participant_form": forms.get("participant_form") or ParticipantForm(meeting),
        "paste_form": forms.get("paste_form") or PasteParticipantsForm(meeting),
        "material_form": forms.get("material_form") or MaterialForm(),
        "role_choices": Participation.Role.choices,
        "role_errors": forms.get("role_errors", {}),
    }
    return context


def render_plan(request, meeting, status=200, **forms):
    return render(request, "meetings/plan.html", plan_context(meeting, **forms), status=status)


def planned_meeting(request, meeting_id):
    meeting = meeting_for_planner(
        request,
        meeting_id,
        Meeting.objects.select_related("unit__organisation", "template_version"),
    )
    return meeting


def refuse_unless_planned(request, meeting):
    if meeting.is_planned:
        return None
    messages.error(
        request, _("Samtalet har startat; medverkande och underlag kan inte längre ändras.")
    )
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_GET
def plan(request, meeting_id):
    meeting = planned_meeting(request, meeting_id)
    return render_plan(request, meeting)


@login_required
@require_POST
def participant_add(request, meeting_id):
    meeting = planned_meeting(request, meeting_id)
    if refused := refuse_unless_planned(request, meeting):
        return refused
    form = ParticipantForm(meeting, request.POST)
    if form.is_valid() and (participation := form.save()):
        meeting.bump_version()
        messages.success(
            request,
            _("%(name)s är tillagd som %(role)s.")
            % {"name": participation.person.name, "role": participation.get_role_display().lower()},
        )
        return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#medverkande")
    return render_plan(request, meeting, status=422, participant_form=form)


@login_required
@require_POST
def participants_paste(request, meeting_id):
    meeting = planned_meeting(request, meeting_id)
    if refused := refuse_unless_planned(request, meeting):
        return refused
    form = PasteParticipantsForm(meeting, request.POST)
    if not form.is_valid():
        return render_plan(request, meeting, status=422, paste_form=form)
    added = form.save()
    if added:
        meeting.bump_version()
        messages.success(
            request,
            ngettext("%(count)s person är tillagd.", "%(count)s personer är tillagda.", len(added))
            % {"count": len(added)},
        )
    if form.line_errors:
        return render_plan(request, meeting, status=422, paste_form=form)
    return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#medverkande")


@login_required
@require_POST
def participant_role(request, meeting_id, participation_id):
    meeting, participation = participation_for_planner(request, meeting_id, participation_id)
    if refused := refuse_unless_planned(request, meeting):
        return refused
    form = RoleForm(participation, request.POST)
    if not form.is_valid():
        return render_plan(
            request, meeting, status=422, role_errors={participation.pk: form.errors["role"][0]}
        )
    participation.role = form.cleaned_data["role"]
    try:
        participation.save(update_fields=["role"])
    except IntegrityError:
        return render_plan(
            request,
            meeting,
            status=422,
            role_errors={participation.pk: _("Samtalet har redan en samtalsledare.")},
        )
    meeting.bump_version()
    messages.success(
        request,
        _("%(name)s är nu %(role)s.")
        % {"name": participation.person.name, "role": participation.get_role_display().lower()},
    )
    return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#medverkande")


@login_required
@require_POST
def participant_remove(request, meeting_id, participation_id):
    meeting, participation = participation_for_planner(request, meeting_id, participation_id)
    if refused := refuse_unless_planned(request, meeting):
        return refused
    participation.delete()
    meeting.bump_version()
    messages.success(
        request, _("%(name)s är borttagen från samtalet.") % {"name": participation.person.name}
    )
    return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#medverkande")


@login_required
@require_POST
def participant_invite(request, meeting_id, participation_id):
    """Send (again) the invitation to one person; with new_link=1 the old link stops working."""
    meeting, participation = participation_for_planner(request, meeting_id, participation_id)
    if refused := refuse_unless_planned(request, meeting):
        return refused
    if not participation.person.email:
        messages.error(
            request, _("%(name)s saknar e-postadress.") % {"name": participation.person.name}
        )
        return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#kallelse")
    new_link = bool(request.POST.get("new_link"))
    key = idempotency.from_request(request)
    if key and participation.deliveries.filter(client_key=key).exists():
        # The same click again (a double click, a retry): it was already asked for.
        messages.info(
            request,
            _("Kallelsen till %(name)s är redan skickad eller på väg.")
            % {"name": participation.person.name},
        )
        return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#kallelse")
    queued = deliveries.queue(
        [participation],
        SentEmail.Kind.INVITATION,
        request.user,
        new_link=new_link,
        client_key=key,
    )
    if not queued:
        messages.info(
            request,
            _("Kallelsen till %(name)s väntar redan på att skickas.")
            % {"name": participation.person.name},
        )
        return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#kallelse")
    (delivery,) = deliveries.start(queued)
    name = {"name": participation.person.name}
    if delivery.status == EmailDelivery.Status.FAILED:
        messages.error(request, not_reached_message([participation]))
    elif delivery.status == EmailDelivery.Status.SENT:
        if new_link:
            text = _("Den gamla länken är återkallad och en ny kallelse är skickad till %(name)s.")
        else:
            text = _("Kallelsen är skickad till %(name)s.")
        messages.success(request, text % name)
    elif new_link:
        messages.success(
            request,
            _(
                "En ny kallelse till %(name)s skickas. Den gamla länken fungerar tills den "
                "nya är skickad."
            )
            % name,
        )
    else:
        messages.success(request, _("Kallelsen till %(name)s skickas.") % name)
    return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#kallelse")


def pending_invitations(meeting):
    return EmailDelivery.objects.filter(
        participation__meeting=meeting,
        kind=SentEmail.Kind.INVITATION,
        status__in=[EmailDelivery.Status.WAITING, EmailDelivery.Status.SENDING],
    ).values("participation_id")


def report_deliveries(request, started, sent_text):
    """Tell the planner what happened to the deliveries just started."""
    failed = [d.participation for d in started if d.status == EmailDelivery.Status.FAILED]
    sent = [d for d in started if d.status == EmailDelivery.Status.SENT]
    waiting = [d for d in started if d.pending]
    if failed:
        messages.error(request, not_reached_message(failed))
    if sent:
        messages.success(request, sent_text(sent))
    if waiting:
        messages.success(
            request,
            ngettext(
                "E-post till %(count)s person skickas nu. Läget för var och en syns under "
                "Medverkande.",
                "E-post till %(count)s personer skickas nu. Läget för var och en syns under "
                "Medverkande.",
                len(waiting),
            )
            % {"count": len(waiting)},
        )


def not_reached_message(failed):
    names = ", ".join(p.person.name for p in failed)
    return ngettext(
        "E-postmeddelandet kunde inte skickas till %(names)s. Inget är registrerat som "
        "skickat till personen; kontrollera adressen och försök igen senare.",
        "E-postmeddelandet kunde inte skickas till %(names)s. Inget är registrerat som "
        "skickat till dem; kontrollera adresserna och försök igen senare.",
        len(failed),
    ) % {"names": names}


@login_required
@require_POST
def invitations_send(request, meeting_id):
    """Send the invitation to everyone who has not had one yet."""
    meeting = planned_meeting(request, meeting_id)
    if refused := refuse_unless_planned(request, meeting):
        return refused
    key = idempotency.from_request(request)
    with transaction.atomic():
        # Two presses at once: the second waits here until the first has queued its
        # invitations, and then finds nobody left to invite.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        if (
            key
            and EmailDelivery.objects.filter(
                participation__meeting=meeting, client_key=key
            ).exists()
        ):
            messages.info(request, _("Kallelserna är redan skickade eller på väg."))
            return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#kallelse")
        recipients = (
            meeting.participations.select_related("person")
            .exclude(person__email="")
            .exclude(sent_emails__kind=SentEmail.Kind.INVITATION)
            .exclude(pk__in=pending_invitations(meeting))
        )
        queued = deliveries.queue(
            recipients, SentEmail.Kind.INVITATION, request.user, client_key=key
        )
    started = deliveries.start(queued)
    report_deliveries(
        request,
        started,
        lambda sent: (
            ngettext(
                "Kallelsen är skickad till %(count)s person.",
                "Kallelsen är skickad till %(count)s personer.",
                len(sent),
            )
            % {"count": len(sent)}
        ),
    )
    if not started:
        messages.info(request, _("Alla medverkande har redan fått kallelsen."))
    return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#kallelse")


@login_required
@require_POST
def material_add(request, meeting_id):
    meeting = planned_meeting(request, meeting_id)
    if refused := refuse_unless_planned(request, meeting):
        return refused
    try:
        form = MaterialForm(request.POST, request.FILES)
    except OSError as error:
        # The upload could not even be received (no room for the temporary file).
        form = MaterialForm()
        form.add_error(None, storage_error_message(error))
        return render_plan(request, meeting, status=storage_error_status(error), material_form=form)
    if form.is_valid():
        try:
            material = form.save(meeting, request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except OSError as error:
            form.add_error(None, storage_error_message(error))
            status = storage_error_status(error)
            return render_plan(request, meeting, status=status, material_form=form)
        else:
            meeting.bump_version()
            messages.success(
                request, _("Underlaget ”%(title)s” är tillagt.") % {"title": material.title}
            )
            return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#underlag")
    return render_plan(request, meeting, status=422, material_form=form)


@login_required
@require_POST
def material_remove(request, meeting_id, material_id):
    meeting = planned_meeting(request, meeting_id)
    if refused := refuse_unless_planned(request, meeting):
        return refused
    material = get_object_or_404(meeting.materials, pk=material_id)
    if material.file:
        material.file.delete(save=False)
    material.delete()
    meeting.bump_version()
    messages.success(request, _("Underlaget ”%(title)s” är borttaget.") % {"title": material.title})
    return redirect(reverse("meetings:plan", args=[meeting.pk]) + "#underlag")


@login_required
@require_GET
def material_download(request, meeting_id, material_id):
    meeting = meeting_for(request, MEETINGS, meeting_id, "see")
    material = get_object_or_404(meeting.materials, pk=material_id)
    if material.url:
        return redirect(material.url)
    return material_response(material)


@login_required
@require_GET
def preparation_overview(request, meeting_id):
    meeting = planned_meeting(request, meeting_id)
    steps = preparation_steps(meeting)
    participations = list(
        meeting.participations.select_related("person")
        .with_last_reminded_at()
        .prefetch_related(
            Prefetch(
                "preparation",
                queryset=Preparation.objects.prefetch_related("answers"),
            ),
            Prefetch(
                "sent_emails",
                queryset=SentEmail.objects.filter(kind=SentEmail.Kind.REMINDER),
                to_attr="reminders",
            ),
        )
    )
    rows = []
    for participation in participations:
        preparation = getattr(participation, "preparation", None)
        rows.append(
            {
                "participation": participation,
                "preparation": preparation,
                "questions": questions_from_answers(meeting, preparation, steps)
                if preparation
                else [],
                "answered": bool(preparation and preparation.answers.all()),
                "last_reminder": participation.reminders[0] if participation.reminders else None,
            }
        )
    submitted = sum(1 for row in rows if row["preparation"] and row["preparation"].submitted_at)
    to_remind = set(
        meeting.participations.needing_reminder(request.user, timezone.now()).values_list(
            "pk", flat=True
        )
    )
    return render(
        request,
        "meetings/preparation_overview.html",
        {
            "meeting": meeting,
            "rows": rows,
            "submitted": submitted,
            "to_remind": [row for row in rows if row["participation"].pk in to_remind],
            "not_reminded": not_reminded(request.user, rows, to_remind),
        },
    )


def not_reminded(user, rows, to_remind):
    """Those not done who get no reminder, each with the reason (the rules of
    Participation.objects.needing_reminder)."""
    left_out = []
    for row in rows:
        participation = row["participation"]
        if participation.pk in to_remind or (
            row["preparation"] and row["preparation"].submitted_at
        ):
            continue
        if participation.person.user_id and participation.person.user_id == user.id:
            reason = _("du själv")
        elif participation.role == Participation.Role.OBSERVER:
            reason = _("observatör, förbereder sig inte")
        elif not participation.person.email:
            reason = _("saknar e-postadress")
        else:
            reason = _("påmind för mindre än %(minutes)s minuter sedan") % {
                "minutes": int(REMINDER_PAUSE.total_seconds() // 60)
            }
        left_out.append({"name": participation.person.name, "reason": reason})
    return left_out


@login_required
@require_POST
def remind(request, meeting_id):
    """Remind only those who have not prepared, each told what is still missing."""
    meeting = planned_meeting(request, meeting_id)
    if refused := refuse_unless_planned(request, meeting):
        return refused
    with transaction.atomic():
        # Two presses at once: the second waits here until the first has queued its
        # reminders, and then finds nobody left to remind. The lock is held only while the
        # deliveries are recorded; the worker sends them after.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        participations = meeting.participations.needing_reminder(
            request.user, timezone.now()
        ).exclude(
            deliveries__kind=SentEmail.Kind.REMINDER,
            deliveries__status__in=[EmailDelivery.Status.WAITING, EmailDelivery.Status.SENDING],
        )
        queued = deliveries.queue(participations, SentEmail.Kind.REMINDER, request.user)
    started = deliveries.start(queued)
    report_deliveries(
        request,
        started,
        lambda sent: (
            ngettext(
                "En påminnelse är skickad till %(count)s person: %(names)s.",
                "En påminnelse är skickad till %(count)s personer: %(names)s.",
                len(sent),
            )
            % {"count": len(sent), "names": ", ".join(d.participation.person.name for d in sent)}
        ),
    )
    if not started:
        messages.info(
            request,
            _(
                "Ingen påminnelse skickades: alla har förberett sig eller fick en påminnelse "
                "för mindre än tio minuter sedan."
            ),
        )
    return redirect("meetings:preparation_overview", meeting.pk)


@login_required
@require_GET
def my_preparation(request, meeting_id):
    """A staff member's own preparation: the same page their personal link opens."""
    meeting = meeting_for(request, MEETINGS, meeting_id, "see")
    participation = meeting.participations.filter(person__user=request.user).first()
    if participation is None:
        raise Http404
    return redirect("participants:preparation", make_token(participation))
