from django import forms
from django.contrib import admin

from .forms import LinesField
from .models import ConversationTemplate, Step, TemplateVersion


class StepAdminForm(forms.ModelForm):
    questions = LinesField(label="Frågor", help_text="En fråga per rad.", rows=3)

    class Meta:
        model = Step
        fields = ["questions"]  # the admin adds the inline's other fields


class VersionAdminForm(forms.ModelForm):
    """Lists as one item per line, never JSON (the template editor at /mallar/ does more)."""

    preparation_notes = LinesField(label="Underlag för samtal", help_text="En punkt per rad.")
    outline = LinesField(label="Upplägg", help_text="En punkt per rad.")
    rules = LinesField(label="Regler för mötet", help_text="En regel per rad.")

    class Meta:
        model = TemplateVersion
        fields = ["preparation_notes", "outline", "rules"]  # the admin adds the rest


class StepInline(admin.StackedInline):
    model = Step
    form = StepAdminForm
    extra = 0
    fields = [
        ("order", "key", "phase", "minutes"),
        "title",
        "prompt",
        "questions",
        ("record_kind", "is_round", "max_agreed"),
        ("entry_label", "reason_label"),
        ("asks_preparation", "preparation_prompt"),
        "reviews_earlier_actions",
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
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    inlines = [TemplateVersionInline]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(admin.ModelAdmin):
    form = VersionAdminForm
    list_display = ["template", "number", "is_active", "total_minutes"]
    list_filter = ["template", "is_active"]
    inlines = [StepInline]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.is_in_use:
            return [
                "template",
                "number",
                "title",
                "purpose",
                "preparation_notes",
                "outline",
                "rules",
                "is_draft",
                "based_on",
            ]
        return []
