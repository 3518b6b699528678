from django.contrib import admin

from .models import Material, Meeting, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "is_active"]
    list_filter = ["kind", "organisation", "is_active"]
    search_fields = ["name"]


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


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "original_name", "url", "created_at"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting", "uploaded_by"]
