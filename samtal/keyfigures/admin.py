from django.contrib import admin

from .models import Favourite, KeyFigure


@admin.register(Favourite)
class FavouriteAdmin(admin.ModelAdmin):
    list_display = ["title", "kpi_id", "unit", "comparison", "ou_title"]
    list_filter = ["unit", "comparison"]
    search_fields = ["title", "kpi_id"]


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    list_display = ["title", "kpi_id", "meeting", "comparison", "fetched_at", "is_example"]
    list_filter = ["is_example", "comparison"]
    search_fields = ["title", "kpi_id", "meeting__theme"]
    readonly_fields = ["fetched_at", "last_error", "last_error_at", "is_example"]
