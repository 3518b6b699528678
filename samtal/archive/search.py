"""Full-text search over finished meetings' A3s.

PostgreSQL: one SearchDocument per meeting with a Swedish tsvector (GIN index), so
"hemtjänsten" finds "hemtjänst"; the matching passage comes from ts_headline. SQLite:
every word must occur (icontains) in the theme or the text; the passage is cut in Python.
"""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from samtal.a3.models import Entry, Wish
from samtal.actions.models import ActionItem

from .models import SearchDocument

CONFIG = "swedish"
# Markers ts_headline puts around matches; private-use characters nobody types.
START, STOP = "\ue000", "\ue001"


def uses_postgres():
    return connection.vendor == "postgresql"


def document_text(meeting):
    """Everything written in the meeting's A3, one passage per line: who took part, what each
    said (with their name), the actions with their owners, and the reports on them."""
    from samtal.participants.models import Participation

    parts = [meeting.unit.name]
    if meeting.purpose:
        parts.append(meeting.purpose)
    people = Participation.objects.filter(meeting=meeting).select_related("person")
    parts.append(", ".join(p.person.name for p in people))
    for entry in (
        Entry.objects.filter(meeting=meeting)
        .select_related("participation__person")
        .order_by("step__order", "position", "id")
    ):
        parts.append(said(entry.participation, entry.text, entry.reason))
    for wish in (
        Wish.objects.filter(meeting=meeting)
        .select_related("participation__person")
        .order_by("position", "id")
    ):
        parts.append(said(wish.participation, wish.text, wish.reason))
    actions = ActionItem.objects.filter(meeting=meeting).prefetch_related(
        "owners__person", "follow_ups__reporter"
    )
    for action in actions:
        owners = [o.person.name for o in action.owners.all()]
        parts.append(
            " – ".join(p for p in (action.what, ", ".join(owners), action.owner_names) if p)
        )
        for report in action.follow_ups.all():
            parts.append(" – ".join(p for p in (report.author_name, report.text) if p))
    parts.extend(meeting.parking_lot.values_list("text", flat=True))
    return "\n".join(part.strip() for part in parts if part and part.strip())


def said(participation, text, reason):
    name = participation.person.name + ": " if participation else ""
    return name + " – ".join(p for p in (text, reason) if p)


def vector_expression():
    return SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "body", weight="B", config=CONFIG
    )


def index_meeting(meeting):
    """(Re)build the meeting's search document. Call when a meeting is finished."""
    document, _ = SearchDocument.objects.update_or_create(
        meeting=meeting, defaults={"title": meeting.theme, "body": document_text(meeting)}
    )
    if uses_postgres():
        SearchDocument.objects.filter(pk=document.pk).update(vector=vector_expression())
    forget_filter_choices(meeting.unit.organisation_id)
    return document


def forget_filter_choices(organisation_id):
    from django.core.cache import cache

    from .forms import CHOICES_CACHE_KEY

    cache.delete(CHOICES_CACHE_KEY.format(organisation_id))


def index_all(meetings=None):
    """Index every finished meeting (or those given); returns how many."""
    from samtal.meetings.models import Meeting

    meetings = meetings if meetings is not None else Meeting.objects.finished()
    count = 0
    for meeting in meetings.select_related("unit").iterator(chunk_size=500):
        index_meeting(meeting)
        count += 1
    return count


def refresh_vectors():
    """Recompute every tsvector in one statement (after bulk loads)."""
    if uses_postgres():
        SearchDocument.objects.update(vector=vector_expression())


def words(query):
    return [word for word in re.split(r"\s+", query.strip()) if word][:10]


def search_query(text):
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def filter_meetings(meetings, text):
    """Meetings matching `text`, best first on PostgreSQL (annotated `rank`)."""
    if uses_postgres():
        query = search_query(text)
        return (
            meetings.filter(search_document__vector=query)
            .annotate(rank=SearchRank(F("search_document__vector"), query))
            .order_by("-rank", "-date", "-id")
        )
    condition = Q()
    for word in words(text):
        condition &= Q(theme__icontains=word) | Q(search_document__body__icontains=word)
    return meetings.filter(condition)


def headlines(meeting_ids, text):
    """{meeting id: safe HTML passage with the matches in <mark>} in one query."""
    if not meeting_ids:
        return {}
    documents = SearchDocument.objects.filter(meeting_id__in=meeting_ids)
    if uses_postgres():
        rows = documents.annotate(
            passage=SearchHeadline(
                "body",
                search_query(text),
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        ).values_list("meeting_id", "passage")
        return {meeting_id: highlight(passage) for meeting_id, passage in rows}
    rows = documents.values_list("meeting_id", "body")
    return {meeting_id: highlight(cut_passage(body, words(text))) for meeting_id, body in rows}


def highlight(passage):
    """Escape everything the users wrote; only our markers become <mark>."""
    html = escape(passage or "")
    return mark_safe(html.replace(START, "<mark>").replace(STOP, "</mark>"))


def cut_passage(body, search_words, width=110):
    """SQLite fallback: a passage around the first match with the words marked."""
    lowered = body.casefold()
    positions = [lowered.find(word.casefold()) for word in search_words]
    positions = [p for p in positions if p >= 0]
    if not positions:
        return body[: width * 2].replace("\n", " ")
    first = min(positions)
    start = max(0, first - width)
    end = min(len(body), first + width)
    # Whole words only at the edges.
    if start > 0:
        space = body.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    if end < len(body):
        space = body.rfind(" ", first, end)
        end = space if space > first else end
    passage = body[start:end].replace("\n", " ")
    pattern = re.compile("|".join(re.escape(w) for w in search_words), re.IGNORECASE)
    passage = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", passage)
    return ("… " if start else "") + passage + (" …" if end < len(body) else "")


def matching_people(text, organisation, limit=8):
    """The organisation's people whose name holds every word searched for (any case), who
    took part in a finished meeting; for kommunledning's search "find a person"."""
    from samtal.participants.models import Person

    search_words = words(text)
    if not search_words:
        return []
    condition = Q()
    for word in search_words:
        condition &= Q(name__icontains=word)
    finished = Person.objects.filter(participations__meeting__status="avslutad").values("pk")
    people = Person.objects.filter(condition, organisation=organisation, pk__in=finished)
    return list(people.order_by("name")[:limit])
