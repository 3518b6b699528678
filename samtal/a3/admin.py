from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from samtal.actions.models import ActionItem, FollowUp
from samtal.meetings.models import Meeting

from .live import LiveError, a3_write, joined_text
from .live_models import A3Change
from .models import Entry, ParkingLotItem, Wish

# The admin may also correct the content of a meeting that has not started yet.
ADMIN_WRITABLE = (Meeting.Status.PLANNED, Meeting.Status.RUNNING)


class A3ContentAdmin(admin.ModelAdmin):
    """Content of a meeting's A3.

    Read-only once the meeting is finished; every change before that goes through the live
    write path, so it is in the change log and every device and the PDF see a new version.
    """

    audit_kind = None
    # Fields of a finished meeting's content that may still change (follow-up, not the A3).
    follow_up_fields = ()

    def describe(self, obj):
        return joined_text(obj.text, getattr(obj, "reason", ""))

    def _locked(self, obj):
        return obj is not None and obj.meeting.is_locked

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Content stays with its meeting: moving it would change a finished A3.
            fields.append("meeting")
        if self._locked(obj):
            editable = set(self.follow_up_fields)
            form_fields = flatten_fieldsets(self.get_fieldsets(request, None))
            fields += [f for f in form_fields if f not in editable and f not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        if self._locked(obj) and not self.follow_up_fields:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return type(form.__name__, (UnlockedMeetingForm, form), {})
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except LiveError as error:
            # The meeting was finished while the form was open; nothing was saved.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if self._locked(obj):
            # Only follow-up fields are in the form of a finished meeting's content.
            return super().save_model(request, obj, form, change)
        with a3_write(obj.meeting, request.user, ADMIN_WRITABLE) as write:
            old = self.describe(type(obj).objects.get(pk=obj.pk)) if change else ""
            if change and hasattr(obj, "revision"):
                # An editor in the room holding the old text gets a conflict, not an overwrite.
                obj.revision += 1
            super().save_model(request, obj, form, change)
            action = A3Change.Action.CHANGED if change else A3Change.Action.WROTE
            write.audit(self.audit_kind, obj.pk, action, old, self.describe(obj))

    def delete_model(self, request, obj):
        with a3_write(obj.meeting, request.user, ADMIN_WRITABLE) as write:
            write.audit(self.audit_kind, obj.pk, A3Change.Action.DELETED, self.describe(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        items = list(queryset.select_related("meeting"))
        with transaction.atomic():
            for obj in items:
                self.delete_model(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except LiveError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except LiveError as error:
            # "Delete selected" included content of a finished meeting: nothing was deleted.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class UnlockedMeetingForm(forms.ModelForm):
    """New content only for a meeting that is not finished."""

    def clean_meeting(self):
        meeting = self.cleaned_data["meeting"]
        if meeting and meeting.is_locked:
            raise forms.ValidationError(
                _("Samtalet är avslutat och A3:an är låst. Inget kan ändras.")
            )
        return meeting


@admin.register(Entry)
class EntryAdmin(A3ContentAdmin):
    list_display = ["text", "meeting", "step", "participation"]
    list_select_related = ["meeting", "step", "participation__person"]
    search_fields = ["text", "reason"]
    raw_id_fields = ["meeting", "participation"]
    exclude = ["revision"]
    audit_kind = A3Change.Kind.ENTRY


@admin.register(Wish)
class WishAdmin(A3ContentAdmin):
    list_display = ["text", "meeting", "agreed_rank"]
    raw_id_fields = ["meeting", "participation"]
    exclude = ["revision"]
    audit_kind = A3Change.Kind.WISH


@admin.register(ParkingLotItem)
class ParkingLotItemAdmin(A3ContentAdmin):
    list_display = ["text", "meeting", "resolved"]
    raw_id_fields = ["meeting", "raised_by"]
    audit_kind = A3Change.Kind.PARKING


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(ActionItem)
class ActionItemAdmin(A3ContentAdmin):
    """Registered here, above the actions app, because an action item is A3 content."""

    list_display = ["what", "meeting", "due_date", "due_text", "status"]
    list_filter = ["status"]
    search_fields = ["what", "owner_names"]
    raw_id_fields = ["meeting"]
    filter_horizontal = ["owners"]
    exclude = ["revision"]
    inlines = [FollowUpInline]
    audit_kind = A3Change.Kind.ACTION
    # Action items are followed up after the meeting: their status and reports stay open.
    follow_up_fields = ("status",)

    def describe(self, obj):
        return f"{obj.what} / {obj.who()} / {obj.when()}"
