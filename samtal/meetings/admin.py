from django.contrib import admin

from samtal.participants.models import Participation

from .models import Material, Meeting, Organisation, Unit


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "resident_term"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind", "organisation"]
    search_fields = ["name"]


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


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["theme", "unit", "date", "start_time", "status"]
    list_filter = ["status", "unit"]
    search_fields = ["theme", "unit__name"]
    date_hierarchy = "date"
    # A meeting is started and finished only in the app, where the method's rules apply.
    readonly_fields = [
        "status",
        "version",
        "created_at",
        "updated_at",
        "started_at",
        "finished_at",
    ]
    inlines = [ParticipationInline]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "original_name", "url", "created_at"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting", "uploaded_by"]
