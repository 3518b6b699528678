from django.contrib import admin

from .models import Participation, Person, Preparation, PreparationAnswer, SentEmail


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "title", "user"]
    search_fields = ["name", "email"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "role", "present"]
    list_filter = ["role"]
    list_select_related = ["person", "meeting"]
    raw_id_fields = ["meeting", "person"]


class PreparationAnswerInline(admin.TabularInline):
    model = PreparationAnswer
    extra = 0


@admin.register(Preparation)
class PreparationAdmin(admin.ModelAdmin):
    list_display = ["participation", "opened_at", "submitted_at"]
    raw_id_fields = ["participation"]
    inlines = [PreparationAnswerInline]


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "to", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["participation"]
    raw_id_fields = ["participation", "sent_by"]
    readonly_fields = ["participation", "kind", "to", "subject", "body", "sent_at", "sent_by"]
