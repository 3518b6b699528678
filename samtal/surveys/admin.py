from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Instrument, Round, Statement


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    fields = ["number", "group", "text", "order"]

    def get_readonly_fields(self, request, obj=None):
        # Answered instruments are frozen: answers keep the statements they answered.
        if obj is not None and obj.has_answers():
            return ["number", "group", "text"]
        return []

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.has_answers()

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.has_answers()


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "key", "statement_count"]
    list_filter = ["key"]
    inlines = [StatementInline]
    actions = ["make_new_version"]
    readonly_fields = ["answered_note"]
    fields = [
        "answered_note",
        "name",
        "key",
        "version",
        "description",
        "prompt",
        "scale_max_label",
        "scale_min_label",
    ]

    @admin.display(description=_("påståenden"))
    def statement_count(self, obj):
        return obj.statements.count()

    @admin.display(description=_("status"))
    def answered_note(self, obj):
        if obj.pk and obj.has_answers():
            return format_html(
                "<strong>{}</strong>",
                _(
                    "Enkäten har svar. Påståendena kan inte ändras; använd åtgärden ”Skapa ny "
                    "version” i listan för att ändra dem inför nästa omgång."
                ),
            )
        return _("Inga svar ännu – påståendena kan ändras.")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.has_answers():
            fields += ["key", "version", "prompt", "scale_max_label", "scale_min_label"]
        return fields

    @admin.action(description=_("Skapa ny version (för att ändra påståenden)"))
    def make_new_version(self, request, queryset):
        for instrument in queryset:
            copy = instrument.new_version()
            self.message_user(
                request,
                _("Skapade %(name)s.") % {"name": copy},
                messages.SUCCESS,
            )


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "instrument", "unit", "opens_on", "closes_on", "answer_link"]
    list_filter = ["instrument__key", "unit"]
    readonly_fields = ["answer_link"]

    @admin.display(description=_("länk att dela"))
    def answer_link(self, obj):
        if not obj.pk:
            return _("Länken skapas när omgången sparas.")
        return format_html('<a href="{0}">{0}</a>', obj.link())
