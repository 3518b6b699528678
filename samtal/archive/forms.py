from django import forms
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from samtal.a3.models import TemplateVersion
from samtal.meetings.models import Meeting, Unit

from .collation import swedish, swedish_sorted

SORTS = [
    ("", _("Datum, senaste först")),
    ("enhet", _("Enhet (A–Ö)")),
    ("tema", _("Tema (A–Ö)")),
]


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök i A3:orna"), required=False, max_length=200)
    enhet = forms.ModelChoiceField(
        label=_("Enhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Alla")
    )
    ar = forms.TypedChoiceField(label=_("År"), coerce=int, required=False, empty_value=None)
    tema = forms.ChoiceField(label=_("Tema"), required=False)
    mall = forms.ModelChoiceField(
        label=_("Samtalsmall"),
        queryset=TemplateVersion.objects.none(),
        required=False,
        empty_label=_("Alla"),
    )
    sortering = forms.ChoiceField(label=_("Sortering"), choices=SORTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        finished = Meeting.objects.finished()
        self.fields["enhet"].queryset = Unit.objects.filter(
            pk__in=finished.values("unit_id")
        ).order_by(swedish("name"))
        years = (
            finished.annotate(year=ExtractYear("date"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        self.fields["ar"].choices = [("", _("Alla"))] + [(y, str(y)) for y in years]
        themes = finished.order_by().values_list("theme", flat=True).distinct()
        self.fields["tema"].choices = [("", _("Alla"))] + [(t, t) for t in swedish_sorted(themes)]
        self.fields["mall"].queryset = TemplateVersion.objects.filter(
            pk__in=finished.values("template_version_id")
        ).select_related("template")
        if self.data.get("q"):
            self.fields["sortering"].choices = (
                [("", _("Bäst träff först"))] + SORTS[1:] + [("datum", _("Datum, senaste först"))]
            )

    def filter(self, meetings):
        data = self.cleaned_data
        if data.get("enhet"):
            meetings = meetings.filter(unit=data["enhet"])
        if data.get("ar"):
            meetings = meetings.filter(date__year=data["ar"])
        if data.get("tema"):
            meetings = meetings.filter(theme=data["tema"])
        if data.get("mall"):
            meetings = meetings.filter(template_version=data["mall"])
        return meetings

    def order(self, meetings):
        sort = self.cleaned_data.get("sortering")
        if sort == "enhet":
            return meetings.order_by(swedish("unit__name"), "-date", "-id")
        if sort == "tema":
            return meetings.order_by(swedish("theme"), "-date", "-id")
        if sort == "datum" or not self.cleaned_data.get("q"):
            return meetings.order_by("-date", "-start_time", "-id")
        return meetings  # search relevance, set by the search
