from django import forms
from django.contrib import admin, messages
from django.core.validators import validate_email
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Instrument, Invitation, Round, Statement
from .services import invite


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
            fields += list(Instrument.FROZEN_FIELDS)
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


class RoundAdminForm(forms.ModelForm):
    invite_emails = forms.CharField(
        label=_("Skicka personliga länkar till"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "En e-postadress per rad. Varje person får en egen länk som kan användas en gång "
            "(svaren förblir anonyma). Adresser som redan fått en länk får ingen ny."
        ),
    )

    class Meta:
        model = Round
        fields = ["instrument", "name", "unit", "opens_on", "closes_on"]

    def clean_invite_emails(self):
        emails = [line.strip() for line in self.cleaned_data["invite_emails"].splitlines()]
        emails = [e for e in emails if e]
        wrong = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                wrong.append(email)
        if wrong:
            raise forms.ValidationError(
                _("De här adresserna är inte giltiga: %(emails)s") % {"emails": ", ".join(wrong)}
            )
        return emails


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["email", "sent", "answered"]
    readonly_fields = ["email", "sent", "answered"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    form = RoundAdminForm
    list_display = ["name", "instrument", "unit", "opens_on", "closes_on", "answer_link"]
    list_filter = ["instrument__key", "unit"]
    readonly_fields = ["answer_link"]
    inlines = [InvitationInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        emails = form.cleaned_data.get("invite_emails")
        if emails:
            sent = invite(obj, emails)
            self.message_user(
                request,
                _("Personliga länkar skickades till %(count)s personer.") % {"count": len(sent)},
                messages.SUCCESS,
            )

    @admin.display(description=_("länk att dela"))
    def answer_link(self, obj):
        if not obj.pk:
            return _("Länken skapas när omgången sparas.")
        return format_html('<a href="{0}">{0}</a>', obj.link())
