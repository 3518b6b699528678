"""Geometry for the server-rendered SVG charts (the templates only draw)."""

from django.utils.formats import number_format

from .models import PERSPECTIVES

# One colour per perspective, each with at least 3:1 contrast against white.
PERSPECTIVE_COLOURS = ["#1d5fa8", "#0b6b4f", "#7a4ea3", "#a0522d", "#5f6b7a"]


def percent(value):
    return number_format(round(value), 0) + " %"


def perspective_chart(group_split, *, large=False):
    """Horizontal bars, one per perspective, 0–100 %."""
    rows = group_split.rows()
    label_width = 260 if large else 210
    bar_area = 420 if large else 360
    row_height = 56 if large else 40
    bar_height = 34 if large else 24
    width = label_width + bar_area + 70
    bars = []
    for index, ((label, value), colour) in enumerate(zip(rows, PERSPECTIVE_COLOURS, strict=False)):
        y = 10 + index * row_height
        bar_width = bar_area * value / 100
        bars.append(
            {
                "label": label,
                "value": value,
                "text": percent(value),
                "y": y,
                "text_y": y + bar_height / 2,
                "bar_width": round(bar_width, 1),
                "value_x": round(label_width + bar_width + 8, 1),
                "colour": colour,
            }
        )
    height = 20 + len(rows) * row_height
    ticks = [
        {"x": round(label_width + bar_area * t / 100, 1), "label": f"{t} %"}
        for t in (0, 25, 50, 75, 100)
    ]
    return {
        "split": group_split,
        "bars": bars,
        "width": width,
        "height": height + 24,
        "axis_y": height,
        "label_width": label_width,
        "label_x": label_width - 10,
        "bar_height": bar_height,
        "ticks": ticks,
        "large": large,
        "summary": "; ".join(f"{bar['label']}: {bar['text']}" for bar in bars),
        "perspectives": [label for _name, label in PERSPECTIVES],
    }
