"""Survey results: averages per statement per round, change between rounds, split by
function, highest and lowest marked, response counts. A fixed number of queries whatever the
number of rounds, statements and responses.

Anonymity: no group with fewer than MIN_GROUP_SIZE responses is shown, and no group can be
worked out from what is shown. Hiding one small group is not enough (round total minus the
other groups gives it back), so a split is shown whole or not at all:

- a round's figures are shown when it has at least MIN_GROUP_SIZE responses;
- its split by function is shown only when every function that answered has at least
  MIN_GROUP_SIZE responses;
- a round's figures for one unit (the unit filter) are shown only when every unit that
  answered the round (including "no unit given") has at least MIN_GROUP_SIZE responses, and
  a unit's split by function only when every (unit, function) group of the round has.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import MIN_GROUP_SIZE, Answer, Instrument, Response, Round, Statement

ROUND_COLOURS = ["#1d5fa8", "#b35900", "#0b6b4f", "#7a4ea3", "#5f6b7a", "#a0522d"]


def small(n):
    """A group that may not be shown on its own: someone answered, but fewer than five."""
    return 0 < n < MIN_GROUP_SIZE


@dataclass
class RoundResult:
    round: Round
    colour: str
    count: int = 0  # responses in scope (the unit's, with the unit filter); never shown when small
    shown: bool = False  # figures (and count) may be shown
    functions_shown: bool = False  # the split by function may be shown
    hidden_reason: str = ""  # "few", "units" (the unit split would give a small unit away)
    function_counts: dict = field(default_factory=dict)  # function -> responses, in scope

    @property
    def scope(self):
        """Whose round it is: the unit's name, or the whole municipality."""
        return self.round.unit.name if self.round.unit_id else _("hela kommunen")

    @property
    def date(self):
        return date_format(self.round.opens_on, "j F Y")

    @property
    def label(self):
        """Tells rounds with the same name apart: "Före – Hemtjänst, 7 maj 2026"."""
        return f"{self.round.name} – {self.scope}, {self.date}"

    @property
    def by_function(self):
        """Per-function counts, only when the split may be shown."""
        return self.function_counts if self.functions_shown else {}

    @property
    def functions_hidden(self):
        """The round is shown but its split by function is not (a function has 1–4)."""
        return self.shown and not self.functions_shown and len(self.function_counts) > 0


@dataclass
class Results:
    instrument: Instrument  # the newest version: its statement texts are shown
    rounds: list
    statements: list  # dicts: number, group, text, wordings, cells (per round), changes, ...
    functions: list  # (value, label) shown for at least one round
    unit: object = None

    @property
    def shown_rounds(self):
        return [r for r in self.rounds if r.shown]

    def round_means(self):
        """(round result, mean of the statement averages or None when hidden)."""
        means = []
        for index, rr in enumerate(self.rounds):
            values = [row["cells"][index]["avg"] for row in self.statements]
            values = [v for v in values if v is not None]
            means.append((rr, sum(values) / len(values) if rr.shown and values else None))
        return means

    @property
    def change_pairs(self):
        """(before, after) for consecutive shown rounds of the same unit scope (one unit, or
        the whole municipality): a change between different scopes compares other people."""
        return change_pairs(self.rounds)

    @property
    def column_count(self):
        return 2 + len(self.shown_rounds) + len(self.change_pairs)

    @property
    def hidden_rounds(self):
        return [r for r in self.rounds if not r.shown and r.count]

    @property
    def function_split_hidden(self):
        return [r for r in self.rounds if r.functions_hidden]

    @property
    def wording_changed(self):
        return any(row["wordings"] for row in self.statements)


def change_pairs(round_results):
    by_scope = {}
    for rr in round_results:
        if rr.shown:
            by_scope.setdefault(rr.round.unit_id, []).append(rr)
    return [
        (before, after)
        for scoped in by_scope.values()
        for before, after in zip(scoped, scoped[1:], strict=False)
    ]


def average(total, n):
    return total / n if n else None


def round_visibility(rr, cells, unit):
    """Decide what of one round may be shown. cells: (unit id, function) -> responses for
    the whole round (every unit)."""
    unit_totals = defaultdict(int)
    function_totals = defaultdict(int)
    for (unit_id, function), n in cells.items():
        unit_totals[unit_id] += n
        function_totals[function] += n
    if unit is None:
        rr.count = sum(unit_totals.values())
        rr.function_counts = {f: n for f, n in function_totals.items() if n}
        rr.shown = rr.count >= MIN_GROUP_SIZE
        rr.functions_shown = rr.shown and not any(small(n) for n in function_totals.values())
    else:
        rr.count = unit_totals.get(unit.pk, 0)
        rr.function_counts = {f: n for (u, f), n in cells.items() if u == unit.pk and n}
        units_ok = not any(small(n) for n in unit_totals.values())
        rr.shown = rr.count >= MIN_GROUP_SIZE and units_ok
        rr.functions_shown = rr.shown and not any(small(n) for n in cells.values())
        if rr.count >= MIN_GROUP_SIZE and not units_ok:
            rr.hidden_reason = "units"
    if rr.count and not rr.shown and not rr.hidden_reason:
        rr.hidden_reason = "few"


def wordings(statement_number, round_results, texts):
    """[(round names, text)] when the rounds answered different wordings of the statement,
    else []."""
    by_text = {}
    for rr in round_results:
        text = texts.get((rr.round.instrument_id, statement_number))
        if text is not None:
            by_text.setdefault(text, []).append(rr.round.name)
    if len(by_text) < 2:
        return []
    return [(", ".join(names), text) for text, names in by_text.items()]


def compute(key, unit=None, organisation=None):
    """The results of the organisation's rounds of the instrument (optionally of one unit)."""
    instrument = Instrument.objects.filter(key=key).order_by("-version").first()
    if instrument is None:
        return None
    if organisation is None and unit is not None:
        organisation = unit.organisation_id
    rounds = list(
        Round.objects.filter(instrument__key=key, organisation=organisation)
        .select_related("instrument", "unit")
        .order_by("opens_on", "id")
    )
    # The statements of every version answered, and of the newest (whose rows are shown).
    all_statements = list(
        Statement.objects.filter(
            instrument_id__in={instrument.pk, *(r.instrument_id for r in rounds)}
        )
    )
    statements = [s for s in all_statements if s.instrument_id == instrument.pk]
    texts = {(s.instrument_id, s.number): s.text for s in all_statements}
    answers = Answer.objects.filter(response__round__in=rounds)
    if unit is not None:
        answers = answers.filter(response__unit=unit)

    round_results = [
        RoundResult(r, ROUND_COLOURS[i % len(ROUND_COLOURS)]) for i, r in enumerate(rounds)
    ]
    cells_by_round = defaultdict(dict)  # round id -> (unit id, function) -> responses
    for row in (
        Response.objects.filter(round__in=rounds)
        .values("round_id", "unit_id", "function")
        .annotate(n=Count("id"))
        .order_by()
    ):
        cells_by_round[row["round_id"]][(row["unit_id"], row["function"])] = row["n"]
    for rr in round_results:
        round_visibility(rr, cells_by_round[rr.round.pk], unit)

    sums = defaultdict(lambda: [0, 0])  # (round, number, function) -> [sum, n]
    for row in (
        answers.values("response__round_id", "statement__number", "response__function")
        .annotate(total=Sum("value"), n=Count("id"))
        .order_by()
    ):
        key_ = (row["response__round_id"], row["statement__number"], row["response__function"])
        sums[key_] = [row["total"], row["n"]]

    functions = [
        (value, label)
        for value, label in Response.Function.choices
        if any(rr.by_function.get(value, 0) >= MIN_GROUP_SIZE for rr in round_results)
    ]
    pairs = change_pairs(round_results)
    index_of = {id(rr): i for i, rr in enumerate(round_results)}
    rows = []
    for statement in statements:
        cells = []
        by_function = []
        for rr in round_results:
            rid = rr.round.pk
            total = sum(
                sums[(rid, statement.number, f)][0] for f, _label in Response.Function.choices
            )
            n = sum(sums[(rid, statement.number, f)][1] for f, _label in Response.Function.choices)
            cells.append(
                {
                    "round": rr,
                    "avg": average(total, n) if rr.shown else None,
                    "text": texts.get((rr.round.instrument_id, statement.number), statement.text),
                }
            )
            for f, _label in functions:
                shown = rr.by_function.get(f, 0) >= MIN_GROUP_SIZE
                s, fn = sums[(rid, statement.number, f)]
                by_function.append(
                    {
                        "round": rr,
                        "function": f,
                        "avg": average(s, fn) if shown else None,
                        "text": cells[-1]["text"],
                    }
                )
        changes = []
        for before, after in pairs:
            old, new = cells[index_of[id(before)]]["avg"], cells[index_of[id(after)]]["avg"]
            changes.append(
                {
                    "from": before,
                    "to": after,
                    "diff": None if old is None or new is None else new - old,
                }
            )
        rows.append(
            {
                "number": statement.number,
                "group": statement.group,
                "text": statement.text,
                "wordings": wordings(statement.number, round_results, texts),
                "cells": cells,
                "changes": changes,
                "by_function": by_function,
            }
        )
    mark_extremes(rows, "cells")
    mark_extremes(rows, "changes", value="diff")
    mark_extremes(rows, "by_function")
    return Results(instrument, round_results, rows, functions, unit)


def mark_extremes(rows, column, value="avg"):
    """Mark the highest and lowest value in each column (ties all marked)."""
    if not rows:
        return
    for index in range(max(len(r[column]) for r in rows)):
        values = [
            r[column][index][value]
            for r in rows
            if index < len(r[column]) and r[column][index][value] is not None
        ]
        if len(values) < 2:
            continue
        high, low = max(values), min(values)
        for r in rows:
            if index < len(r[column]):
                cell = r[column][index]
                cell["highest"] = cell[value] is not None and round(cell[value], 6) == round(
                    high, 6
                )
                cell["lowest"] = cell[value] is not None and round(cell[value], 6) == round(low, 6)
                if high == low:
                    cell["highest"] = cell["lowest"] = False


def change_header(change):
    return f"{change['to'].round.name} − {change['from'].round.name} ({change['to'].scope})"


def chart(results):
    """Grouped horizontal bars: per statement one bar per shown round, on the 1–7 scale."""
    shown = results.shown_rounds
    label_width = 44
    bar_area = 560
    bar_height = 14
    gap = 12
    group_height = max(1, len(shown)) * bar_height + gap
    top = 10
    groups = []
    for index, row in enumerate(results.statements):
        y = top + index * group_height
        bars = []
        for offset, cell in enumerate(c for c in row["cells"] if c["round"].shown):
            avg = cell["avg"] or 0
            width = bar_area * avg / 7
            bars.append(
                {
                    "y": y + offset * bar_height,
                    "width": round(width, 1),
                    "colour": cell["round"].colour,
                    "value_x": round(label_width + width + 6, 1),
                    "text_y": y + offset * bar_height + bar_height / 2,
                    "text": format_decimal(avg),
                }
            )
        groups.append(
            {
                "number": row["number"],
                "label_y": y + (len(bars) * bar_height) / 2,
                "bars": bars,
            }
        )
    height = top + len(results.statements) * group_height
    ticks = [{"x": round(label_width + bar_area * t / 7, 1), "label": str(t)} for t in range(8)]
    return {
        "width": label_width + bar_area + 60,
        "height": height + 26,
        "axis_y": height,
        "label_width": label_width,
        "bar_height": bar_height - 2,
        "groups": groups,
        "ticks": ticks,
        "rounds": shown,
    }


def format_decimal(value, digits=2):
    if value is None:
        return ""
    return f"{value:.{digits}f}".replace(".", ",").replace("-", "−")
