from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtal.core import idempotency
from samtal.core.forms import ListModelChoiceField
from samtal.meetings.models import Unit
from samtal.participants.models import Person, people_named

from .models import ActionItem, ActionStatus, FollowUp

STATUS_FILTERS = [
    ("", _("Alla")),
    ("oppna", _("Öppna (ej påbörjad eller pågår)")),
    ("forsenade", _("Försenade")),
    *ActionStatus.choices,
]


def owners_named(text):
    """The people a board filter means: a person's id (from a link), else everyone whose name
    holds every word typed, in any case."""
    if text.isdigit():
        return Person.objects.filter(pk=int(text))
    return people_named(text)


DUE_PERIODS = [
    ("", _("Alla")),
    ("passerat", _("Datumet har passerat")),
    ("vecka", _("Inom en vecka")),
    ("manad", _("Inom 30 dagar")),
    ("kvartal", _("Inom 90 dagar")),
    ("senare", _("Om mer än 90 dagar")),
    ("utan", _("Utan datum")),
]
DUE_WITHIN = {"vecka": 7, "manad": 30, "kvartal": 90}


class BoardFilterForm(forms.Form):
    enhet = ListModelChoiceField(
        label=_("Enhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Alla")
    )
    # A name, not a list: a region has thousands of owners (a link may pass a person's id).
    ansvarig = forms.CharField(
        label=_("Ansvarig"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Namn")}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    period = forms.ChoiceField(label=_("Klart senast"), choices=DUE_PERIODS, required=False)

    def __init__(self, *args, visible=None, everything=False, organisation=None, **kwargs):
        from samtal.core.collation import swedish

        super().__init__(*args, **kwargs)
        visible = visible if visible is not None else ActionItem.objects.none()
        units = Unit.objects.filter(organisation=organisation)
        if not everything:
            units = units.filter(pk__in=visible.values("meeting__unit_id"))
        self.fields["enhet"].queryset = units.order_by(swedish("name"))

    def filter(self, items, today=None):
        if not self.is_bound:
            return items
        self.is_valid()
        data = self.cleaned_data
        if data.get("enhet"):
            items = items.filter(meeting__unit=data["enhet"])
        if owner := (data.get("ansvarig") or "").strip():
            items = items.filter(
                pk__in=ActionItem.owners.through.objects.filter(
                    participation__person__in=owners_named(owner)
                ).values("actionitem_id")
            )
        status = data.get("status")
        if status == "oppna":
            items = items.open()
        elif status == "forsenade":
            items = items.overdue(today)
        elif status:
            items = items.filter(status=status)
        return self.filter_period(items, data.get("period"), today or timezone.localdate())

    @staticmethod
    def filter_period(items, period, today):
        import datetime

        if period == "passerat":
            return items.filter(due_date__lt=today)
        if period in DUE_WITHIN:
            end = today + datetime.timedelta(days=DUE_WITHIN[period])
            return items.filter(due_date__gte=today, due_date__lte=end)
        if period == "senare":
            return items.filter(due_date__gt=today + datetime.timedelta(days=90))
        if period == "utan":
            return items.filter(due_date__isnull=True)
        return items


class FollowUpForm(forms.ModelForm):
    attachment = forms.FileField(
        label=_("Bilaga (frivillig)"),
        required=False,
        help_text=_("Till exempel en rapport eller ett protokoll."),
    )

    class Meta:
        model = FollowUp
        fields = ["reported_on", "text", "status"]
        labels = {
            "reported_on": _("Datum"),
            "text": _("Vad har hänt?"),
            "status": _("Ny status"),
        }
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "text": {"required": _("Skriv vad som har hänt med åtgärden.")},
            "status": {"required": _("Välj åtgärdens nya status.")},
            "reported_on": {
                "required": _("Ange datum för återrapporten."),
                "invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD."),
            },
        }

    def __init__(self, *args, action_item, **kwargs):
        super().__init__(*args, **kwargs)
        self.action_item = action_item
        if not self.is_bound:
            self.initial.setdefault("reported_on", timezone.localdate())
        # The new status is always a choice the reporter makes: nothing is preselected, so a
        # report never marks an action done (or leaves it done) by default.
        self.fields["status"].choices = [("", _("Välj status …")), *ActionStatus.choices]

    def full_clean(self):
        super().full_clean()
        # Screen readers read the error with the field (the id is set in _field.html).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_fel"

    def clean_attachment(self):
        from samtal.meetings.uploads import ALLOWED_DESCRIPTION, detect_type, max_upload_bytes

        uploaded = self.cleaned_data.get("attachment")
        if not uploaded:
            return None
        if uploaded.size > max_upload_bytes():
            raise forms.ValidationError(
                _("Filen är för stor: högst %(mb)s MB.")
                % {"mb": max_upload_bytes() // (1024 * 1024)}
            )
        found = detect_type(uploaded)
        if found is None:
            raise forms.ValidationError(
                _("Filen kan inte bifogas. Tillåtet är %(allowed)s. Välj filen på nytt.")
                % {"allowed": ALLOWED_DESCRIPTION}
            )
        uploaded.detected_type = found[1]
        return uploaded

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Skriv vad som har hänt med åtgärden."))
        return text

    def clean_reported_on(self):
        date = self.cleaned_data["reported_on"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        if date < self.action_item.meeting.date:
            raise forms.ValidationError(
                _("Datumet kan inte ligga före samtalet (%(date)s).")
                % {"date": self.action_item.meeting.date.isoformat()}
            )
        return date

    def save(self, author=None, reporter=None):
        data = self.cleaned_data
        extra = {}
        uploaded = data.get("attachment")
        if uploaded:
            extra = {
                "attachment": uploaded,
                "attachment_name": uploaded.name[:255],
                "attachment_type": uploaded.detected_type,
            }
        return self.action_item.report(
            data["text"],
            data["status"],
            reported_on=data["reported_on"],
            author=author,
            client_key=idempotency.clean(self.data.get(idempotency.FIELD, "")),
            reporter=reporter,
            **extra,
        )
