from django.contrib import admin

from .models import ActionReminder

# ActionItem is A3 content: its admin is in samtal/a3/admin.py, with the live write path.


@admin.register(ActionReminder)
class ActionReminderAdmin(admin.ModelAdmin):
    list_display = ["action_item", "person", "kind", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["action_item", "person"]
    readonly_fields = ["sent_at"]
