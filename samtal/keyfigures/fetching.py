"""Fetching a key figure's values from Kolada and storing them with the meeting.

Runs in the background job (tasks.py), never inside a request. A failure keeps the last good
values and records a Swedish message; once the meeting has started nothing changes any more.
"""

import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from samtal.meetings.models import Meeting

from .kolada import KoladaClient, KoladaError
from .models import Comparison, KeyFigure, KeyFigureValue

log = logging.getLogger(__name__)

# Ask for a few more years than are shown: the newest year often has no values yet.
YEARS_ASKED = 12


def years_to_ask(today=None):
    this_year = (today or timezone.localdate()).year
    return list(range(this_year - YEARS_ASKED + 1, this_year + 1))


class Outcome:
    FETCHED = "hämtat"
    FROZEN = "låst"
    FAILED = "fel"
    GONE = "borttaget"


def fetch_key_figure(key_figure_id, client=None):
    """Fetch and store one key figure's values. Returns an Outcome."""
    key_figure = KeyFigure.objects.select_related("meeting").filter(pk=key_figure_id).first()
    if key_figure is None:
        return Outcome.GONE
    if key_figure.is_frozen:
        return Outcome.FROZEN
    own_client = client is None
    client = client or KoladaClient()
    try:
        kpi = client.kpi(key_figure.kpi_id)
        rows = collect_values(key_figure, client)
    except KoladaError as error:
        log.warning(
            "Kolada, samtal %s, nyckeltal %s: %s", key_figure.meeting_id, key_figure.pk, error
        )
        KeyFigure.objects.filter(pk=key_figure.pk, meeting__status=Meeting.Status.PLANNED).update(
            last_error=str(error), last_error_at=timezone.now()
        )
        return Outcome.FAILED
    finally:
        if own_client:
            client.close()
    return store_values(key_figure, kpi, rows)


def collect_values(key_figure, client):
    """The values for the unit's area and the comparison, as KeyFigureValue objects."""
    years = years_to_ask()
    if key_figure.ou_id:
        own = client.ou_data([key_figure.kpi_id], [key_figure.ou_id], years)
    else:
        own = client.data([key_figure.kpi_id], [key_figure.municipality_id], years)
    rows = {}
    for point in own:
        rows[(point.year, point.area, point.gender)] = KeyFigureValue(
            year=point.year, area_id=point.area, gender=point.gender, value=point.value
        )
    compared = client.data([key_figure.kpi_id], key_figure.comparison_area_ids, years)
    if key_figure.comparison == Comparison.GROUP:
        # A group is shown as one line: the plain mean of its members' values that exist.
        sums = defaultdict(list)
        for point in compared:
            sums[(point.year, point.gender)].append(point.value)
        for (year, gender), values in sums.items():
            present = [v for v in values if v is not None]
            rows[(year, key_figure.comparison_group_id, gender)] = KeyFigureValue(
                year=year,
                area_id=key_figure.comparison_group_id,
                is_comparison=True,
                gender=gender,
                value=sum(present) / len(present) if present else None,
            )
    else:
        for point in compared:
            rows.setdefault(
                (point.year, point.area, point.gender),
                KeyFigureValue(
                    year=point.year,
                    area_id=point.area,
                    is_comparison=True,
                    gender=point.gender,
                    value=point.value,
                ),
            )
    return list(rows.values())


def store_values(key_figure, kpi, rows):
    with transaction.atomic():
        # The meeting's row lock orders this against Meeting.start(): a fetch that loses the
        # race sees the started meeting and leaves the values the room saw.
        status = (
            Meeting.objects.select_for_update()
            .filter(pk=key_figure.meeting_id)
            .values_list("status", flat=True)
            .first()
        )
        if status != Meeting.Status.PLANNED:
            return Outcome.FROZEN
        if not KeyFigure.objects.filter(pk=key_figure.pk).exists():
            return Outcome.GONE
        key_figure.values.all().delete()
        for row in rows:
            row.key_figure = key_figure
        KeyFigureValue.objects.bulk_create(rows)
        KeyFigure.objects.filter(pk=key_figure.pk).update(
            title=kpi.title or key_figure.title,
            description=kpi.description,
            is_divided_by_gender=kpi.is_divided_by_gender,
            fetched_at=timezone.now(),
            is_example=False,
            last_error="",
            last_error_at=None,
        )
    return Outcome.FETCHED
