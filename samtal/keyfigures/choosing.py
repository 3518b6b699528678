"""Choosing a meeting's key figures and keeping them as the unit's favourites."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from .models import Favourite, KeyFigure
from .tasks import enqueue_fetch


def add_key_figure(meeting, choice, *, keep_as_favourite=True):
    """Add a key figure (choice: the ChoiceFields values) to the meeting and enqueue the fetch
    of its values. Returns the key figure, or None when the meeting already has it."""
    organisation = meeting.unit.organisation
    try:
        with transaction.atomic():
            position = (meeting.key_figures.aggregate(m=Max("position"))["m"] or 0) + 1
            key_figure = KeyFigure.objects.create(
                meeting=meeting,
                position=position,
                municipality_id=organisation.kolada_municipality_id,
                area_title=choice.get("ou_title") or organisation.name,
                **choice,
            )
            if keep_as_favourite:
                Favourite.objects.update_or_create(
                    unit=meeting.unit,
                    kpi_id=choice["kpi_id"],
                    ou_id=choice.get("ou_id", ""),
                    defaults=choice,
                )
            enqueue_fetch(key_figure)
    except IntegrityError:
        return None
    return key_figure


def start_with_favourites(meeting):
    """A new meeting of a unit starts with the unit's favourite key figures."""
    organisation = meeting.unit.organisation
    if not organisation.kolada_municipality_id:
        return []
    added = []
    for favourite in Favourite.objects.filter(unit=meeting.unit):
        key_figure = add_key_figure(meeting, favourite.choice_values(), keep_as_favourite=False)
        if key_figure:
            added.append(key_figure)
    return added
