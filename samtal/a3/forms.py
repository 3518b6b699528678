"""Forms for the A3's records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samtal.participants.models import Participation


class ActionForm(forms.Form):
    what = forms.CharField(
        label=_("Vad"), error_messages={"required": _("Skriv vad som ska göras.")}
    )
    owners = forms.ModelMultipleChoiceField(queryset=Participation.objects.none(), required=False)
    owner_names = forms.CharField(required=False, max_length=300)
    due_date = forms.DateField(
        required=False,
        error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD, eller använd fritextfältet.")},
    )
    due_text = forms.CharField(required=False, max_length=100)

    def __init__(self, meeting, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = meeting.participations.all()
