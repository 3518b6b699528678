from django.contrib import admin

from .models import SearchDocument


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "updated_at"]
    search_fields = ["title"]
    raw_id_fields = ["meeting"]
    readonly_fields = ["updated_at"]
