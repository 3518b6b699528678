from django.contrib import admin

from .models import Evaluation, PerspectiveSplit, ReflectionRequest


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["participation", "role", "updated_at"]
    raw_id_fields = ["participation"]


@admin.register(PerspectiveSplit)
class PerspectiveSplitAdmin(admin.ModelAdmin):
    list_display = [
        "meeting",
        "participation",
        "is_group_entry",
        "citizens",
        "employees",
        "process",
        "economy",
        "other",
    ]
    raw_id_fields = ["meeting", "participation"]


@admin.register(ReflectionRequest)
class ReflectionRequestAdmin(admin.ModelAdmin):
    list_display = ["participation", "sent_at"]
    raw_id_fields = ["participation"]
