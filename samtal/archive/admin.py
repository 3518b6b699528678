from django.contrib import admin

from .models import ArchivedA3, SearchDocument


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "updated_at"]
    search_fields = ["title"]
    raw_id_fields = ["meeting"]
    readonly_fields = ["updated_at"]


@admin.register(ArchivedA3)
class ArchivedA3Admin(admin.ModelAdmin):
    """Stored PDFs are read-only: deleting one makes the next download store it again."""

    list_display = [
        "meeting",
        "rendered_at",
        "meeting_version",
        "sha256",
        "rerendered_at",
        "rerender_reason",
    ]
    list_filter = [("rerendered_at", admin.EmptyFieldListFilter)]
    list_select_related = ["meeting__unit"]
    readonly_fields = [
        "meeting",
        "file",
        "rendered_at",
        "meeting_version",
        "sha256",
        "rerendered_at",
        "rerender_reason",
    ]
    search_fields = ["meeting__theme", "meeting__unit__name", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
