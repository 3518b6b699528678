"""Geometry for a key figure's server-rendered SVG line chart (the template only draws).

One line for the unit's area, one per comparison, and for key figures divided by gender one
each for women and men. Years without a value leave a gap: a missing value is never drawn as 0.
"""

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .kolada import RIKET
from .models import Comparison

MAX_YEARS = 10

# Each colour has at least 3:1 contrast against white; dashes tell the lines apart without
# colour, and the legend and the table name them.
OWN_COLOUR = "#1d5fa8"
COMPARISON_STYLES = [("#4a5260", "8 5"), ("#a0522d", "3 4"), ("#7a4ea3", "10 4 3 4")]
GENDER_STYLES = {"K": ("#a8326a", "2 3"), "M": ("#0b6b4f", "6 3")}


@dataclass
class Series:
    key: str
    label: str
    colour: str
    dash: str = ""
    width: float = 2.5
    values: dict = field(default_factory=dict)  # year -> float | None


def decimals_for(values):
    present = [v for v in values if v is not None]
    if not present:
        return 0
    if all(abs(v - round(v)) < 1e-9 for v in present):
        return 0
    if all(abs(v * 10 - round(v * 10)) < 1e-6 for v in present):
        return 1
    return 2


def format_value(value, decimals):
    if value is None:
        return "–"
    return number_format(value, decimals, use_l10n=True, force_grouping=True)


def nice_ticks(low, high, count=5):
    if low == high:
        low, high = (low - 1, high + 1) if low else (0, 1)
    span = high - low
    raw = span / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def series_for(key_figure):
    values = list(key_figure.values.all())
    own_total = Series("own", key_figure.area_title, OWN_COLOUR, width=3.5)
    comparisons = []
    if key_figure.comparison == Comparison.RIKET:
        comparisons.append(Series(RIKET, _("Riket"), *COMPARISON_STYLES[0]))
    elif key_figure.comparison == Comparison.GROUP:
        label = _("%(group)s (medelvärde)") % {"group": key_figure.comparison_group_title}
        comparisons.append(Series(key_figure.comparison_group_id, label, *COMPARISON_STYLES[0]))
    else:
        titles = list(key_figure.comparison_titles)
        for index, area_id in enumerate(key_figure.comparison_ids):
            title = titles[index] if index < len(titles) else area_id
            style = COMPARISON_STYLES[index % len(COMPARISON_STYLES)]
            comparisons.append(Series(area_id, title, *style))
    genders = {}
    if key_figure.is_divided_by_gender:
        for gender, label in (("K", _("Kvinnor")), ("M", _("Män"))):
            colour, dash = GENDER_STYLES[gender]
            genders[gender] = Series(
                gender,
                _("%(area)s, %(gender)s")
                % {"area": key_figure.area_title, "gender": label.lower()},
                colour,
                dash,
                width=2,
            )
    by_key = {s.key: s for s in comparisons}
    for row in values:
        if not row.is_comparison:
            if row.gender == "T":
                own_total.values[row.year] = row.value
            elif row.gender in genders:
                genders[row.gender].values[row.year] = row.value
        elif row.gender == "T" and row.area_id in by_key:
            by_key[row.area_id].values[row.year] = row.value
    return [own_total, *genders.values(), *comparisons]


# (width, height, left, right, top, bottom, font, marker, line scale, short year labels)
SIZES = {
    "large": (1100, 520, 110, 44, 24, 56, 22, 6, 1.4, False),
    "normal": (560, 300, 64, 28, 14, 36, 16, 4, 1.0, False),
    # Drawn for phones (shown instead of "normal" on narrow screens): fewer, shorter labels.
    "compact": (340, 240, 44, 16, 12, 30, 13, 3.5, 0.8, True),
}


def line_chart(key_figure, *, large=False):
    series = series_for(key_figure)
    years_with_values = sorted(
        {year for s in series for year, value in s.values.items() if value is not None}
    )
    years = years_with_values[-MAX_YEARS:]
    if years:
        years = list(range(years[0], years[-1] + 1))
    all_values = [s.values.get(y) for s in series for y in years]
    decimals = decimals_for(all_values)
    present = [v for v in all_values if v is not None]
    chart = {
        "key_figure": key_figure,
        "large": large,
        "years": years,
        "series": series,
        "decimals": decimals,
        "is_empty": not present,
        "table": [],
    }
    if not present:
        return chart
    low, high = min(present), max(present)
    if low >= 0 and low < 0.4 * high:
        low = 0  # close to zero anyway: start there
    ticks = nice_ticks(low, high)
    sizes = ["large"] if large else ["normal", "compact"]
    chart.update(
        {
            "drawings": [
                geometry(name, series, years, ticks, decimals_for(ticks)) for name in sizes
            ],
            "table": [
                {"year": y, "cells": [format_value(s.values.get(y), decimals) for s in series]}
                for y in years
            ],
            # The same numbers with the years across (the PDF, where height is scarce).
            "rows_by_series": [
                {
                    "label": s.label,
                    "cells": [format_value(s.values.get(y), decimals) for y in years],
                }
                for s in series
            ],
            "summary": summary(series, years, decimals),
            "has_gaps": any(s.values.get(y) is None for s in series for y in years),
        }
    )
    return chart


def geometry(name, series, years, ticks, tick_decimals):
    width, height, left, right, top, bottom, font, marker, scale, short = SIZES[name]
    tick_labels = [format_value(t, tick_decimals) for t in ticks]
    # Room for the longest value label ("260 000") left of the axis.
    left = max(left, round(max(len(label) for label in tick_labels) * font * 0.6 + 12))
    y_min, y_max = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(year):
        if len(years) == 1:
            return left + plot_w / 2
        return left + plot_w * (year - years[0]) / (years[-1] - years[0])

    def y_of(value):
        return top + plot_h * (1 - (value - y_min) / (y_max - y_min))

    lines = []
    for s in series:
        segments, points, segment = [], [], []
        for year in years:
            value = s.values.get(year)
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            point = (round(x_of(year), 1), round(y_of(value), 1))
            segment.append(point)
            points.append({"x": point[0], "y": point[1], "year": year})
        if segment:
            segments.append(segment)
        lines.append(
            {
                "colour": s.colour,
                "dash": s.dash,
                "width": round(s.width * scale, 1),
                "segments": [" ".join(f"{x},{y}" for x, y in seg) for seg in segments],
                "points": points,
            }
        )
    every = 2 if short and len(years) > 6 else 1
    return {
        "name": name,
        "width": width,
        "height": height,
        "left": left,
        "right_x": width - right,
        "axis_y": top + plot_h,
        "font": font,
        "marker": marker,
        "lines": lines,
        "y_ticks": [
            {"y": round(y_of(t), 1), "label": label}
            for t, label in zip(ticks, tick_labels, strict=True)
        ],
        "x_ticks": [
            {"x": round(x_of(y), 1), "label": f"’{y % 100:02d}" if short else str(y)}
            for i, y in enumerate(years)
            if (len(years) - 1 - i) % every == 0
        ],
        "x_label_y": top + plot_h + font + 8,
        "y_label_x": left - 8,
    }


def summary(series, years, decimals):
    """A text alternative: the first and the last year with values, for every line."""
    parts = []
    for s in series:
        known = [y for y in years if s.values.get(y) is not None]
        if not known:
            parts.append(_("%(label)s: inga värden") % {"label": s.label})
            continue
        first, last = known[0], known[-1]
        text = _("%(label)s: %(last_value)s år %(last)s") % {
            "label": s.label,
            "last_value": format_value(s.values[last], decimals),
            "last": last,
        }
        if first != last:
            text += _(" (%(first_value)s år %(first)s)") % {
                "first_value": format_value(s.values[first], decimals),
                "first": first,
            }
        parts.append(text)
    return "; ".join(parts) + "."
