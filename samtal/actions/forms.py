from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtal.core.forms import ListModelChoiceField
from samtal.meetings.models import Unit
from samtal.participants.models import Person

from .models import ActionItem, ActionStatus, FollowUp

STATUS_FILTERS = [
    ("", _("Alla")),
    ("oppna", _("Öppna (ej påbörjad eller pågår)")),
    ("forsenade", _("Försenade")),
    *ActionStatus.choices,
]


def owner_people(visible, everything, organisation=None):
    """Ids of the people who own visible actions. When everything is visible (kommunledning),
    read the small owner table directly instead of joining every action and meeting."""
    from samtal.participants.models import Participation

    owners = ActionItem.owners.through.objects.filter(
        participation__meeting__unit__organisation=organisation
    )
    if not everything:
        owners = owners.filter(actionitem_id__in=visible.values("id"))
    return Participation.objects.filter(pk__in=owners.values("participation_id")).values(
        "person_id"
    )


class BoardFilterForm(forms.Form):
    enhet = ListModelChoiceField(
        label=_("Enhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Alla")
    )
    ansvarig = ListModelChoiceField(
        label=_("Ansvarig"), queryset=Person.objects.none(), required=False, empty_label=_("Alla")
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)

    def __init__(self, *args, visible=None, everything=False, organisation=None, **kwargs):
        from samtal.core.collation import swedish

        super().__init__(*args, **kwargs)
        visible = visible if visible is not None else ActionItem.objects.none()
        units = Unit.objects.filter(organisation=organisation)
        if not everything:
            units = units.filter(pk__in=visible.values("meeting__unit_id"))
        self.fields["enhet"].queryset = units.order_by(swedish("name"))
        self.fields["ansvarig"].queryset = Person.objects.filter(
            pk__in=owner_people(visible, everything, organisation)
        ).order_by(swedish("name"))

    def filter(self, items, today=None):
        if not self.is_bound:
            return items
        self.is_valid()
        data = self.cleaned_data
        if data.get("enhet"):
            items = items.filter(meeting__unit=data["enhet"])
        if data.get("ansvarig"):
            items = items.filter(
                pk__in=ActionItem.owners.through.objects.filter(
                    participation__person=data["ansvarig"]
                ).values("actionitem_id")
            )
        status = data.get("status")
        if status == "oppna":
            items = items.open()
        elif status == "forsenade":
            items = items.overdue(today)
        elif status:
            items = items.filter(status=status)
        return items


class FollowUpForm(forms.ModelForm):
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
            self.initial.setdefault("status", action_item.status)

    def full_clean(self):
        super().full_clean()
        # Screen readers read the error with the field (the id is set in _field.html).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_fel"

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

    def save(self, author=None):
        data = self.cleaned_data
        return self.action_item.report(
            data["text"], data["status"], reported_on=data["reported_on"], author=author
        )
