from django.contrib import admin

from .models import Entry, ParkingLotItem, Wish


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["text", "meeting", "step", "participation"]
    list_select_related = ["meeting", "step", "participation__person"]
    search_fields = ["text", "reason"]
    raw_id_fields = ["meeting", "participation"]


@admin.register(Wish)
class WishAdmin(admin.ModelAdmin):
    list_display = ["text", "meeting", "agreed_rank"]
    raw_id_fields = ["meeting", "participation"]


@admin.register(ParkingLotItem)
class ParkingLotItemAdmin(admin.ModelAdmin):
    list_display = ["text", "meeting", "resolved"]
    raw_id_fields = ["meeting", "raised_by"]
