"""Demo key figures: made-up example values, clearly labelled "Exempelvärden" (not Kolada's),
so that the demo works without a network; replaced by Kolada's own values when Kolada can be
reached (KOLADA_ENABLED, KOLADA_BASE_URL).

Called from seed_demo: load_demo_keyfigures() inside its transaction, fetch_demo_live() after.
"""

from django.conf import settings
from django.utils import timezone

from samtal.keyfigures.fetching import Outcome, fetch_key_figure
from samtal.keyfigures.kolada import RIKET, KoladaClient
from samtal.keyfigures.models import Comparison, Favourite, KeyFigure, KeyFigureValue
from samtal.meetings.models import Meeting, Unit
from samtal.organisations.models import Organisation

MUNICIPALITY = "2281"  # Sundsvall

# Real Kolada ids (so live values can replace the examples); titles as Kolada words them.
# Values: (first year's value, step per year, Riket's level); all made up.
EXAMPLES = {
    "Vård- och omsorgsnämnden": [
        {
            "kpi_id": "U21468",
            "title": "Brukarbedömning hemtjänst äldreomsorg – helhetssyn, andel (%)",
            "description": (
                "Andel personer 65 år och äldre med hemtjänst som är mycket eller ganska nöjda "
                "sammantaget med sin hemtjänst (Socialstyrelsens brukarundersökning)."
            ),
            "is_divided_by_gender": True,
            "curve": (84.0, 0.5, 87.0),
        },
        {
            "kpi_id": "N21704",
            "title": "Invånare 80+ med hemtjänst i ordinärt boende, andel (%)",
            "description": (
                "Antal personer 80 år och äldre med hemtjänst i ordinärt boende, dividerat med "
                "antal invånare 80 år och äldre den 31/12."
            ),
            "is_divided_by_gender": True,
            "curve": (21.0, 0.4, 22.5),
        },
    ],
    "Barn- och utbildningsnämnden": [
        {
            "kpi_id": "N15501",
            "title": "Meritvärde i åk 9, genomsnitt (17 ämnen)",
            "description": "Genomsnittligt meritvärde för elever i årskurs 9 i kommunens skolor.",
            "is_divided_by_gender": True,
            "curve": (218.0, 1.2, 224.0),
        },
        {
            "kpi_id": "N17457",
            "title": "Gymnasieelever med examen inom 4 år, hemkommun, andel (%)",
            "description": (
                "Andel gymnasieelever folkbokförda i kommunen som tagit examen inom fyra år."
            ),
            "is_divided_by_gender": True,
            "curve": (72.0, 0.6, 75.0),
        },
    ],
}


def example_values(curve, last_year, years=10):
    """Made-up, gently rising values; one year missing, to show how a gap looks."""
    start, step, riket = curve
    first = last_year - years + 1
    rows = []
    for index, year in enumerate(range(first, last_year + 1)):
        own = None if index == 3 else round(start + step * index + (0.8 if index % 3 else -0.6), 1)
        rows.append(KeyFigureValue(year=year, area_id=MUNICIPALITY, gender="T", value=own))
        if own is not None:
            rows.append(
                KeyFigureValue(year=year, area_id=MUNICIPALITY, gender="K", value=own + 1.5)
            )
            rows.append(
                KeyFigureValue(year=year, area_id=MUNICIPALITY, gender="M", value=own - 1.7)
            )
        rows.append(
            KeyFigureValue(
                year=year,
                area_id=RIKET,
                is_comparison=True,
                gender="T",
                value=round(riket + 0.2 * index, 1),
            )
        )
    return rows


def load_demo_keyfigures(today=None):
    today = today or timezone.localdate()
    Organisation.objects.filter(kolada_municipality_id="").update(
        kolada_municipality_id=MUNICIPALITY
    )
    figures = []
    for unit_name, examples in EXAMPLES.items():
        unit = Unit.objects.filter(name=unit_name).select_related("organisation").first()
        if unit is None:
            continue
        for position, example in enumerate(examples, start=1):
            choice = {k: v for k, v in example.items() if k != "curve"}
            choice.update(
                comparison=Comparison.RIKET, comparison_ids=[RIKET], comparison_titles=["Riket"]
            )
            Favourite.objects.get_or_create(unit=unit, kpi_id=choice["kpi_id"], defaults=choice)
            for meeting in Meeting.objects.filter(unit=unit):
                key_figure, created = KeyFigure.objects.get_or_create(
                    meeting=meeting,
                    kpi_id=choice["kpi_id"],
                    ou_id="",
                    defaults={
                        **choice,
                        "position": position,
                        "municipality_id": MUNICIPALITY,
                        "area_title": unit.organisation.name,
                        "is_example": True,
                    },
                )
                if created or key_figure.is_example:
                    key_figure.values.all().delete()
                    rows = example_values(example["curve"], today.year - 1)
                    for row in rows:
                        row.key_figure = key_figure
                    KeyFigureValue.objects.bulk_create(rows)
                figures.append(key_figure)
    return figures


def fetch_demo_live():
    """Replace the planned meetings' example values with Kolada's when Kolada answers. Returns
    a line for the terminal. The finished meeting keeps its example values (it is frozen)."""
    if not settings.KOLADA_ENABLED:
        return "Kolada är avstängt (KOLADA_ENABLED=false): demon visar exempelvärden."
    figures = KeyFigure.objects.refreshable().filter(is_example=True)
    if not figures.exists():
        return ""
    with KoladaClient(timeout=min(settings.KOLADA_TIMEOUT, 5)) as client:
        for key_figure in figures:
            if fetch_key_figure(key_figure.pk, client=client) == Outcome.FAILED:
                key_figure.refresh_from_db()
                reason = key_figure.last_error
                # Offline is the normal case for the demo: no error box over the examples.
                figures.update(last_error="", last_error_at=None)
                return (
                    f"Nyckeltalen kunde inte hämtas från Kolada ({reason}) – "
                    "demon visar exempelvärden."
                )
    return "Nyckeltalen för de planerade samtalen är hämtade från Kolada."
