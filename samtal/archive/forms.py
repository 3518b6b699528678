import datetime

from django import forms
from django.core.cache import cache
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from samtal.conversation_templates.models import TemplateVersion
from samtal.core.collation import swedish, swedish_sorted
from samtal.core.forms import ListModelChoiceField
from samtal.meetings.models import Meeting, Unit

SORTS = [
    ("", _("Datum, senaste först")),
    ("enhet", _("Enhet (A–Ö)")),
    ("tema", _("Tema (A–Ö)")),
]
CHOICES_CACHE_KEY = "archive:filter-choices:{}"
CHOICES_CACHE_SECONDS = 300


def archive_choices(organisation_id):
    """(years, themes) of the organisation's finished meetings, cached. index_meeting() clears
    the cache when a meeting is finished, so a new theme shows at once in that process (and
    within CHOICES_CACHE_SECONDS in others)."""
    key = CHOICES_CACHE_KEY.format(organisation_id)
    cached = cache.get(key)
    if cached is None:
        finished = Meeting.objects.finished().filter(unit__organisation=organisation_id)
        span = finished.aggregate(first=Min("date"), last=Max("date"))
        years = []
        if span["last"]:
            years = list(range(span["last"].year, span["first"].year - 1, -1))
        themes = swedish_sorted(finished.order_by().values_list("theme", flat=True).distinct())
        cached = (years, themes)
        cache.set(key, cached, CHOICES_CACHE_SECONDS)
    return cached


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök i A3:orna"), required=False, max_length=200)
    enhet = ListModelChoiceField(
        label=_("Enhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Alla")
    )
    ar = forms.TypedChoiceField(label=_("År"), coerce=int, required=False, empty_value=None)
    tema = forms.ChoiceField(label=_("Tema"), required=False)
    mall = ListModelChoiceField(
        label=_("Samtalsmall"),
        queryset=TemplateVersion.objects.none(),
        required=False,
        empty_label=_("Alla"),
    )
    sortering = forms.ChoiceField(label=_("Sortering"), choices=SORTS, required=False)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Small tables and one cached lookup: cheap whatever the number of meetings.
        organisation_id = getattr(organisation, "pk", organisation)
        self.fields["enhet"].queryset = Unit.objects.filter(organisation=organisation_id).order_by(
            swedish("name")
        )
        years, themes = archive_choices(organisation_id)
        self.fields["ar"].choices = [("", _("Alla"))] + [(y, str(y)) for y in years]
        self.fields["tema"].choices = [("", _("Alla"))] + [(t, t) for t in themes]
        self.fields["mall"].queryset = TemplateVersion.objects.select_related(
            "template"
        ).available_to(organisation_id)
        if self.data.get("q"):
            self.fields["sortering"].choices = (
                [("", _("Bäst träff först"))] + SORTS[1:] + [("datum", _("Datum, senaste först"))]
            )

    def filter(self, meetings):
        data = self.cleaned_data
        if data.get("enhet"):
            meetings = meetings.filter(unit=data["enhet"])
        if data.get("ar"):
            year = data["ar"]
            meetings = meetings.filter(
                date__gte=datetime.date(year, 1, 1), date__lt=datetime.date(year + 1, 1, 1)
            )
        if data.get("tema"):
            meetings = meetings.filter(theme=data["tema"])
        if data.get("mall"):
            meetings = meetings.filter(template_version=data["mall"])
        return meetings

    def narrows(self):
        """Filtered by unit, year, theme or template (not only searched or sorted)."""
        return any(self.cleaned_data.get(name) for name in ("enhet", "ar", "tema", "mall"))

    def by_relevance(self):
        """A search sorted "best first" (the search ranks the newest first order)."""
        return bool(self.cleaned_data.get("q")) and not self.cleaned_data.get("sortering")

    def order(self, meetings):
        sort = self.cleaned_data.get("sortering")
        if sort == "enhet":
            return meetings.order_by("unit__sort_rank", "-date", "-id")
        if sort == "tema":
            return meetings.order_by(swedish("theme"), "-date", "-id")
        return meetings.order_by("-date", "-start_time", "-id")
