from django.contrib import admin

from .models import ActionItem, ActionReminder, FollowUp


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["what", "meeting", "due_date", "due_text", "status"]
    list_filter = ["status"]
    search_fields = ["what", "owner_names"]
    raw_id_fields = ["meeting"]
    filter_horizontal = ["owners"]
    inlines = [FollowUpInline]


@admin.register(ActionReminder)
class ActionReminderAdmin(admin.ModelAdmin):
    list_display = ["action_item", "person", "kind", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["action_item", "person"]
    readonly_fields = ["sent_at"]
