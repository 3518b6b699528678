"""Administration in the app, for an organisation administrator: units, members and their
roles, the organisation's settings (and, in sso.py, single sign-on). Everything is scoped to
the organisation the administrator works in."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samtal.core.collation import swedish
from samtal.core.policy import require_organisation_admin
from samtal.meetings.models import Unit
from samtal.organisations.models import Membership
from samtal.organisations.session import current

from .forms import MemberForm, OrganisationForm, RolesForm, UnitForm


def organisation_admin(view):
    """Signed in, and administrator of the organisation they work in (passed on)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_organisation_admin(request)
        return view(request, current(request), *args, **kwargs)

    return wrapper


@login_required
@require_GET
@organisation_admin
def index(request, organisation):
    members = organisation.memberships.all()
    return render(
        request,
        "administration/index.html",
        {
            "organisation": organisation,
            "unit_count": organisation.units.filter(is_active=True).count(),
            "inactive_count": organisation.units.filter(is_active=False).count(),
            "member_count": members.count(),
            "planner_count": members.filter(is_planner=True).count(),
            "reviewer_count": members.filter(is_reviewer=True).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@organisation_admin
def units(request, organisation):
    form = UnitForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        messages.success(request, _("Enheten ”%(name)s” är tillagd.") % {"name": unit.name})
        return redirect("administration:units")
    all_units = organisation.units.order_by("-is_active", swedish("name"))
    return render(
        request,
        "administration/units.html",
        {"organisation": organisation, "units": all_units, "form": form},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@organisation_admin
def unit_edit(request, organisation, unit_id):
    unit = get_object_or_404(Unit.objects.filter(organisation=organisation), pk=unit_id)
    form = UnitForm(request.POST or None, instance=unit, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Enheten ”%(name)s” är sparad.") % {"name": unit.name})
        return redirect("administration:units")
    return render(
        request,
        "administration/unit_form.html",
        {"organisation": organisation, "unit": unit, "form": form},
        status=422 if form.is_bound else 200,
    )


def member_rows(organisation, forms=None):
    forms = forms or {}
    rows = []
    for member in organisation.memberships.select_related("user").order_by(
        swedish("user__first_name"), swedish("user__last_name"), "user__username"
    ):
        rows.append({"member": member, "form": forms.get(member.pk) or RolesForm(instance=member)})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
@organisation_admin
def members(request, organisation):
    form = MemberForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        messages.success(
            request,
            _("%(name)s är tillagd i %(organisation)s.")
            % {"name": display_name(member.user), "organisation": organisation},
        )
        return redirect("administration:members")
    return render(
        request,
        "administration/members.html",
        {"organisation": organisation, "rows": member_rows(organisation), "form": form},
        status=422 if form.is_bound else 200,
    )


def display_name(user):
    return user.get_full_name() or user.email or user.username


@login_required
@require_POST
@organisation_admin
def member_roles(request, organisation, membership_id):
    member = get_object_or_404(
        Membership.objects.filter(organisation=organisation).select_related("user"),
        pk=membership_id,
    )
    form = RolesForm(request.POST, instance=member, acting_user=request.user)
    if not form.is_valid():
        return render(
            request,
            "administration/members.html",
            {
                "organisation": organisation,
                "rows": member_rows(organisation, {member.pk: form}),
                "form": MemberForm(organisation=organisation),
            },
            status=422,
        )
    member = form.save(commit=False)
    member.roles_from_sso = False
    member.save()
    roles = ", ".join(str(label) for label in member.role_labels) or _("inga roller")
    messages.success(
        request,
        _("%(name)s: %(roles)s.") % {"name": display_name(member.user), "roles": roles},
    )
    return redirect("administration:members")


@login_required
@require_POST
@organisation_admin
def member_remove(request, organisation, membership_id):
    member = get_object_or_404(
        Membership.objects.filter(organisation=organisation).select_related("user"),
        pk=membership_id,
    )
    if member.user_id == request.user.pk:
        messages.error(request, _("Du kan inte ta bort dig själv ur organisationen."))
        return redirect("administration:members")
    member.delete()
    messages.success(
        request,
        _("%(name)s är inte längre med i %(organisation)s; tidigare samtal finns kvar.")
        % {"name": display_name(member.user), "organisation": organisation},
    )
    return redirect("administration:members")


@login_required
@require_http_methods(["GET", "POST"])
@organisation_admin
def settings(request, organisation):
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Inställningarna är sparade."))
        return redirect("administration:settings")
    return render(
        request,
        "administration/settings.html",
        {"organisation": organisation, "form": form},
        status=422 if form.is_bound else 200,
    )
