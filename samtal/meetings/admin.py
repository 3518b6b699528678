from django.contrib import admin

from samtal.participants.models import Participation

from .models import Material, Meeting, Organisation, Unit


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "resident_term", "kolada_municipality_id"]


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


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["theme", "unit", "date", "start_time", "status"]
    list_filter = ["status", "unit"]
    search_fields = ["theme", "unit__name"]
    date_hierarchy = "date"
    readonly_fields = ["version", "created_at", "updated_at", "started_at", "finished_at"]
    inlines = [ParticipationInline]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "original_name", "url", "created_at"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting", "uploaded_by"]
