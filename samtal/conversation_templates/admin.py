from django.contrib import admin

from .models import ConversationTemplate, Step, TemplateVersion


class StepInline(admin.StackedInline):
    model = Step
    extra = 0
    fields = [
        ("order", "key", "phase", "minutes"),
        "title",
        "prompt",
        "questions",
        ("record_kind", "is_round", "max_agreed"),
        ("entry_label", "reason_label"),
        ("asks_preparation", "preparation_prompt"),
    ]

    def has_change_permission(self, request, obj=None):
        # A version used by a meeting is frozen: make a new version instead.
        return not (obj and obj.is_in_use) and super().has_change_permission(request, obj)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class TemplateVersionInline(admin.TabularInline):
    model = TemplateVersion
    extra = 0
    fields = ["number", "title", "is_active"]
    show_change_link = True


@admin.register(ConversationTemplate)
class ConversationTemplateAdmin(admin.ModelAdmin):
    list_display = ["name"]
    inlines = [TemplateVersionInline]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(admin.ModelAdmin):
    list_display = ["template", "number", "is_active", "total_minutes"]
    list_filter = ["template", "is_active"]
    inlines = [StepInline]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.is_in_use:
            return ["template", "number", "title", "purpose", "preparation_notes", "rules"]
        return []
