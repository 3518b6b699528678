from django.contrib import admin

from samtal.meetings.admin import MeetingAdmin
from samtal.meetings.models import Meeting

from .models import Participation, Person, Preparation, PreparationAnswer, SentEmail


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "organisation", "user"]
    list_filter = ["organisation"]
    search_fields = ["name", "email"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["person", "title", "meeting", "role", "present"]
    list_filter = ["role"]
    list_select_related = ["person", "meeting"]
    raw_id_fields = ["meeting", "person"]

    def has_change_permission(self, request, obj=None):
        # Who took part, and who was present, is part of a finished meeting's locked A3.
        locked = obj is not None and obj.meeting.is_locked
        return not locked and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and obj.meeting.is_locked
        return not locked and super().has_delete_permission(request, obj)


class PreparationAnswerInline(admin.TabularInline):
    model = PreparationAnswer
    extra = 0


@admin.register(Preparation)
class PreparationAdmin(admin.ModelAdmin):
    list_display = ["participation", "opened_at", "submitted_at"]
    raw_id_fields = ["participation"]
    inlines = [PreparationAnswerInline]


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "to", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["participation"]
    raw_id_fields = ["participation", "sent_by"]
    readonly_fields = ["participation", "kind", "to", "subject", "body", "sent_at", "sent_by"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    fields = ["person", "role", "present"]
    autocomplete_fields = ["person"]

    def has_change_permission(self, request, obj=None):
        # Who took part, and who was present, is part of a finished meeting's locked A3.
        return not (obj and obj.is_locked) and super().has_change_permission(request, obj)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


# The meeting's page in the admin lists its participants (they live in this app).
admin.site.unregister(Meeting)


@admin.register(Meeting)
class MeetingWithParticipantsAdmin(MeetingAdmin):
    inlines = [ParticipationInline]
