"""Survey results: averages per statement per round, change between rounds, split by
function, highest and lowest marked, response counts. A group (a round, or a function in a
round) with fewer than MIN_GROUP_SIZE responses is not shown, to protect anonymity.

A fixed number of queries whatever the number of rounds, statements and responses.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from .models import MIN_GROUP_SIZE, Answer, Instrument, Response, Round

ROUND_COLOURS = ["#1d5fa8", "#b35900", "#0b6b4f", "#7a4ea3", "#5f6b7a", "#a0522d"]


@dataclass
class RoundResult:
    round: Round
    colour: str
    count: int = 0
    by_function: dict = field(default_factory=dict)  # function -> response count

    @property
    def shown(self):
        return self.count >= MIN_GROUP_SIZE


@dataclass
class Results:
    instrument: Instrument  # the newest version: its statement texts are shown
    rounds: list
    statements: list  # dicts: number, group, text, cells (per round), changes, by_function
    functions: list  # (value, label) with at least one shown round
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
    def column_count(self):
        shown = len(self.shown_rounds)
        return 2 + shown + max(0, shown - 1)

    @property
    def hidden_rounds(self):
        return [r for r in self.rounds if not r.shown and r.count]


def average(total, n):
    return total / n if n else None


def compute(key, unit=None):
    instrument = Instrument.objects.filter(key=key).order_by("-version").first()
    if instrument is None:
        return None
    statements = list(instrument.statements.all())
    rounds = list(
        Round.objects.filter(instrument__key=key)
        .select_related("instrument", "unit")
        .order_by("opens_on", "id")
    )
    responses = Response.objects.filter(round__in=rounds)
    answers = Answer.objects.filter(response__round__in=rounds)
    if unit is not None:
        responses = responses.filter(unit=unit)
        answers = answers.filter(response__unit=unit)

    round_results = [
        RoundResult(r, ROUND_COLOURS[i % len(ROUND_COLOURS)]) for i, r in enumerate(rounds)
    ]
    by_id = {rr.round.pk: rr for rr in round_results}
    for row in responses.values("round_id", "function").annotate(n=Count("id")).order_by():
        rr = by_id[row["round_id"]]
        rr.count += row["n"]
        rr.by_function[row["function"]] = row["n"]

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
            cells.append({"round": rr, "avg": average(total, n) if rr.shown else None, "n": n})
            for f, _label in functions:
                shown = rr.by_function.get(f, 0) >= MIN_GROUP_SIZE
                s, fn = sums[(rid, statement.number, f)]
                by_function.append(
                    {"round": rr, "function": f, "avg": average(s, fn) if shown else None}
                )
        changes = []
        shown_cells = [c for c in cells if c["avg"] is not None]
        for before, after in zip(shown_cells, shown_cells[1:], strict=False):
            changes.append(
                {
                    "from": before["round"],
                    "to": after["round"],
                    "diff": after["avg"] - before["avg"],
                }
            )
        rows.append(
            {
                "number": statement.number,
                "group": statement.group,
                "text": statement.text,
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
    return f"{change['to'].round.name} − {change['from'].round.name}"


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
