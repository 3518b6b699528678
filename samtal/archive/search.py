"""Full-text search over finished meetings' A3s.

PostgreSQL: one SearchDocument per meeting with a Swedish tsvector (GIN index), so
"hemtjänsten" finds "hemtjänst"; the matching passage comes from ts_headline. SQLite:
every word must occur (icontains) in the theme or the text; the passage is cut in Python.
"""

import contextlib
import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, Q
from django.db.models.lookups import In
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from samtal.a3.models import Entry, Wish
from samtal.actions.models import ActionItem
from samtal.core.paging import thousands

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


# Ranking reads each candidate's whole tsvector: only the newest RANKED matches are ranked
# ("best first"); a broader search lists the rest after them, newest first. A search with
# fewer matches is ranked in full and counted exactly.
RANKED = 200


def filter_meetings(meetings, text):
    """Meetings matching `text` (every word, Swedish-stemmed on PostgreSQL)."""
    if uses_postgres():
        return meetings.filter(search_document__vector=search_query(text))
    condition = Q()
    for word in words(text):
        condition &= Q(theme__icontains=word) | Q(search_document__body__icontains=word)
    return meetings.filter(condition)


class RankedSearch:
    """A search's count and pages on PostgreSQL, at a cost that does not grow with the
    archive: the newest RANKED + 1 matches come from the GIN index; when there are more, the
    count is the planner's estimate from the tsvector statistics ("omkring 35 000"), not a
    COUNT that would read every hit's tsvector. `relevance`: those newest matches best
    first (ts_rank), then the others newest first; else `ordered`'s own order.

    `ordered`: the meetings to search, filtered and ordered, not yet searched. `narrowed`:
    the reader filtered them (unit, year, theme, template), so far fewer meetings than the
    organisation's are candidates."""

    def __init__(self, ordered, text, relevance, limit=None, narrowed=False):
        limit = RANKED if limit is None else limit
        self.text, self.relevance, self.limit = text, relevance, limit
        self.ordered = filter_meetings(ordered, text)
        estimate = planner_rows(self.ordered)  # always asked: the same queries at any size
        self.plan = choose_plan(estimate, narrowed)
        if self.plan == HITS_FIRST:
            self.ordered = ordered.filter(among_hits(text))
        newest = self.ordered.order_by("-date", "-start_time", "-id")
        with plan(self.plan):
            self.newest = list(newest.values_list("id", flat=True)[: limit + 1])
        self.exact = len(self.newest) <= limit
        if self.exact:
            self.count, self.label = len(self.newest), ""
        else:
            self.count = max(limit + 1, estimate)
            self.label = _("omkring %(n)s") % {"n": thousands(rounded(self.count))}
        self.newest = self.newest[:limit]

    def slice(self, start, stop):
        with plan(self.plan):
            return list(self.ordered.values_list("id", flat=True)[start:stop])

    def ids_for_page(self, start, stop):
        if not self.relevance or start >= self.limit:
            return self.slice(start, stop)
        ranks = dict(
            SearchDocument.objects.filter(meeting_id__in=self.newest)
            .annotate(rank=SearchRank(F("vector"), search_query(self.text)))
            .values_list("meeting_id", "rank")
        )
        best = sorted(self.newest, key=lambda i: -ranks.get(i, 0))  # ties: newest first
        ids = best[start:stop]
        if stop > self.limit and not self.exact:
            ids += self.slice(self.limit, stop)
        return ids


# Which plan finds the newest matches. PostgreSQL's planner does not count the cost of
# reading a tsvector (decompressing kilobytes per row), so left alone it walks the meetings
# newest first and tests each one's tsvector whenever it expects many matches: right when
# the words are common (a few hundred tests), ruinous when the estimate was too high, and
# for a filtered search it may even read every tsvector in turn. So the plan is chosen from
# the estimated number of matches (measured with bench/archive.py at 50 000 meetings):
# - WALK: common words. Index and sequential scans allowed; the planner walks.
# - FROM_INDEX: few matches (or a narrowed search below WALK_ABOVE). Index and sequential
#   scans are switched off, so the matches come from the GIN index as a bitmap and their
#   meetings are looked up; no tsvector is read. With thousands of matches and no filter,
#   though, this reads every meeting of the organisation (20 ms at 50 000).
# - HITS_FIRST: an unfiltered search with a middling number of matches ("Helena Strand",
#   "hemtjänsten"): the matching meeting ids are read from the GIN index once, into a hash
#   table, and the meetings are walked newest first, each tested against that table
#   (among_hits()). Cheap per meeting, but it would walk the whole archive for a rare word.
WALK, FROM_INDEX, HITS_FIRST = "walk", "from_index", "hits_first"
WALK_ABOVE = 5000
RARE = 1000
COMMON = 15000
SETTINGS = {WALK: ("on", "on"), FROM_INDEX: ("off", "off"), HITS_FIRST: ("on", "off")}


def choose_plan(estimate, narrowed):
    if narrowed:
        return FROM_INDEX if estimate < WALK_ABOVE else WALK
    if estimate < RARE:
        return FROM_INDEX
    return HITS_FIRST if estimate < COMMON else WALK


class IsTrue(Func):
    """`(condition) IS TRUE`: the same rows as the condition, but PostgreSQL keeps an
    `IN (subquery)` inside it as a hashed subplan instead of turning it into a join."""

    template = "(%(expressions)s) IS TRUE"
    output_field = BooleanField()


def among_hits(text):
    """The HITS_FIRST condition: the meeting's id is among the matching documents'."""
    hits = SearchDocument.objects.filter(vector=search_query(text)).values("meeting_id")
    return IsTrue(In(F("id"), hits))


@contextlib.contextmanager
def plan(chosen):
    # Always one SET, so a page makes the same number of queries at any data size.
    indexscan, seqscan = SETTINGS[chosen]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_indexscan', %s, true), "
            "set_config('enable_seqscan', %s, true)",
            [indexscan, seqscan],
        )
        yield


def planner_rows(queryset):
    """PostgreSQL's estimate of how many rows `queryset` gives (EXPLAIN, nothing run)."""
    import json

    plan = json.loads(queryset.order_by().values("id").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def rounded(n):
    """Two significant digits: 34 888 → 35 000."""
    digits = len(str(n)) - 2
    return round(n, -digits) if digits > 0 else n


# The passage shown under a hit: ts_headline over at most two lines of the A3, not the
# whole text (parsing and stemming every word of a page of A3s would cost more than the
# rest of the search). The lines are found without parsing: Swedish stems are word
# beginnings, so a line holds a match only if a word in it begins with a searched lexeme
# (a case-insensitive regular expression). No such line (the theme matched): the A3's start.
HEADLINE_SQL = """
WITH search AS (
    SELECT websearch_to_tsquery(%(config)s, %(text)s) AS q,
           '\\m(' || array_to_string(ARRAY(
               SELECT regexp_replace(lexeme, '([^[:alnum:]])', '\\\\\\1', 'g')
               FROM unnest(tsvector_to_array(to_tsvector(%(config)s, %(text)s))) AS lexeme
           ), '|') || ')' AS pattern
)
SELECT d.meeting_id,
       ts_headline(%(config)s, COALESCE(found.lines, left(d.body, 400)), search.q,
                   %(options)s)
FROM archive_searchdocument d
CROSS JOIN search
LEFT JOIN LATERAL (
    SELECT string_agg(line, ' … ') AS lines
    FROM (
        SELECT line FROM regexp_split_to_table(d.body, E'\\n') AS line
        WHERE line ~* search.pattern
        LIMIT 2
    ) AS matching
) AS found ON true
WHERE d.meeting_id = ANY(%(ids)s)
"""
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)


def headlines(meeting_ids, text):
    """{meeting id: safe HTML passage with the matches in <mark>} in one query."""
    if not meeting_ids:
        return {}
    if uses_postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                HEADLINE_SQL,
                {
                    "config": CONFIG,
                    "text": text,
                    "options": HEADLINE_OPTIONS,
                    "ids": list(meeting_ids),
                },
            )
            return {meeting_id: highlight(passage) for meeting_id, passage in cursor.fetchall()}
    documents = SearchDocument.objects.filter(meeting_id__in=meeting_ids)
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
    from django.db.models import Exists, OuterRef

    from samtal.participants.models import Participation, people_named

    if not words(text):
        return []
    took_part = Participation.objects.filter(person=OuterRef("pk"), meeting__status="avslutad")
    return list(
        people_named(text)
        .filter(Exists(took_part), organisation=organisation)
        .order_by("name")[:limit]
    )
