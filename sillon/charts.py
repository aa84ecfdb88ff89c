"""Charts as inline SVG built on the server: the same markup on a web page and in a PDF.

Each function returns safe markup (``mark_safe`` on what we build, every label escaped
with ``django.utils.html.escape``). The charts are readable without colour: bars carry
their count and percentage as text; radar series differ by line style and marker shape.
No script, no external resource; a fixed ``viewBox`` and ``width="100%"`` so they scale.
"""

from __future__ import annotations

import math
import textwrap
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
GRID = "#c9d1d9"
BAR = "#2f5f8a"

# Line styles of radar series: dash pattern, marker shape, colour (colour is a bonus,
# never the only difference).
STYLES = {
    "solid": ("", "circle", "#1d4f91"),
    "dashed": ("8 5", "square", "#a34a12"),
    "dotted": ("2 4", "triangle", "#2e6b30"),
    "dashdot": ("10 4 2 4", "diamond", "#6b3fa0"),
}
STYLE_WORDS = {
    "solid": "trait plein, ronds",
    "dashed": "tirets, carrés",
    "dotted": "pointillés, triangles",
    "dashdot": "tirets et points, losanges",
}


def format_percent(share: float) -> str:
    """« 75 % » (a rounded share of 0–1, French spacing)."""
    return f"{round(share * 100)}\u00a0%"


def _number(value: float) -> str:
    """A coordinate: short, with a dot, never localised."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _chart_id() -> str:
    return f"chart-{uuid.uuid4().hex[:10]}"


def _wrap(label: str, width: int, lines: int) -> list[str]:
    """``label`` cut into at most ``lines`` lines of about ``width`` characters."""
    wrapped = textwrap.wrap(label, width=width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: max(width - 1, 1)].rstrip() + "…"
    return wrapped


def _svg_open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sillon-chart" role="img" '
        f'width="100%" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{escape(FONT)}" font-size="13" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _empty(chart_id: str, width: int, title: str, message: str) -> SafeString:
    parts = _svg_open(chart_id, width, 40, title, message)
    parts.append(f'<text x="0" y="24" fill="{MUTED}">{escape(message)}</text></svg>')
    return mark_safe("".join(parts))  # every label is escaped


# --- Bars ------------------------------------------------------------------------------


def bar_chart(rows: Sequence[tuple[str, int]], *, total: int, title: str) -> SafeString:
    """Horizontal bars, one per ``(label, count)``, each with its label, count and share
    of ``total`` written out."""
    chart_id = _chart_id()
    width, label_width, bar_left, bar_width = 640, 230, 240, 280
    line_height, pad = 16, 10
    if not rows or total <= 0:
        return _empty(chart_id, width, title, _("Aucune réponse pour l'instant."))
    summary = "; ".join(
        f"{label} : {count} ({format_percent(count / total)})" for label, count in rows
    )
    prepared = []
    y = 0
    for label, count in rows:
        lines = _wrap(str(label), 32, 3)
        height = max(len(lines) * line_height, 22) + pad
        prepared.append((label, lines, count, y, height))
        y += height
    parts = _svg_open(chart_id, width, y + 4, title, summary)
    top = max((count for _label, count in rows), default=0)
    for label, lines, count, row_y, height in prepared:
        share = count / total
        length = bar_width * count / top if top else 0
        middle = row_y + height / 2
        parts.append("<g>")
        parts.append(f"<title>{escape(f'{label} : {count} ({format_percent(share)})')}</title>")
        first = middle - (len(lines) - 1) * line_height / 2 + 4.5
        for index, line in enumerate(lines):
            parts.append(
                f'<text x="{label_width}" y="{_number(first + index * line_height)}" '
                f'text-anchor="end">{escape(line)}</text>'
            )
        parts.append(
            f'<rect x="{bar_left}" y="{_number(middle - 9)}" width="{_number(length)}" '
            f'height="18" rx="2" fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{_number(bar_left + length + 6)}" y="{_number(middle + 4.5)}" '
            f'font-weight="600">{count} ({escape(format_percent(share))})</text>'
        )
        parts.append("</g>")
    parts.append(
        f'<line x1="{bar_left}" y1="0" x2="{bar_left}" y2="{y}" stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every label is escaped above


# --- Radar -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One polygon of a radar chart; ``values`` align with the axes (None: no value)."""

    name: str
    values: Sequence[float | None]
    style: str = "solid"


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return (
            f'<rect x="{_number(x - 4)}" y="{_number(y - 4)}" width="8" height="8" '
            f'fill="{colour}"/>'
        )
    if shape == "triangle":
        points = f"{_number(x)},{_number(y - 5.5)} {_number(x - 5)},{_number(y + 4)} " + (
            f"{_number(x + 5)},{_number(y + 4)}"
        )
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "diamond":
        points = (
            f"{_number(x)},{_number(y - 5.5)} {_number(x + 5.5)},{_number(y)} "
            f"{_number(x)},{_number(y + 5.5)} {_number(x - 5.5)},{_number(y)}"
        )
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{_number(x)}" cy="{_number(y)}" r="4.5" fill="{colour}"/>'


def radar_chart(
    axes: Sequence[str], series: Sequence[Series], *, max_value: float, title: str
) -> SafeString:
    """A spider chart: one axis per label (wrapped), concentric rings numbered 1…max,
    one line per series (style and marker differ), a legend below. A missing value
    (None) leaves a gap: no line is drawn to or from it."""
    chart_id = _chart_id()
    width = 640
    if not axes or max_value <= 0:
        return _empty(chart_id, width, title, _("Aucune donnée pour l'instant."))
    radius, cx, cy = 170, width / 2, 250
    count = len(axes)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * max(0.0, min(value, max_value)) / max_value
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    # Axis labels (wrapped) placed first: the legend starts below the lowest one.
    labels = []
    for index, axis in enumerate(axes):
        lx, ly = point(index, max_value * 1.1)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        lines = _wrap(str(axis), 24, 3)
        if ly < cy - radius * 0.5:
            first = ly - (len(lines) - 1) * 14
        elif ly > cy + radius * 0.5:
            first = ly + 10
        else:
            first = ly - (len(lines) - 1) * 7 + 4
        labels.append((anchor, lx, first, lines))
    lowest = max([cy + radius, *(first + (len(lines) - 1) * 14 for _a, _x, first, lines in labels)])
    legend_top = lowest + 36
    height = legend_top + 26 * len(series) + 10

    described = []
    for item in series:
        dash_words = STYLE_WORDS.get(item.style, STYLE_WORDS["solid"])
        values = ", ".join(
            f"{axis} {'—' if value is None else _number(value)}"
            for axis, value in zip(axes, item.values, strict=False)
        )
        described.append(f"{item.name} ({dash_words}) : {values}")
    parts = _svg_open(chart_id, width, height, title, ". ".join(described) or title)

    # Rings with their numbers, then the axes.
    parts.append('<g aria-hidden="true">')
    levels = range(1, math.floor(max_value) + 1)
    for level in levels:
        ring = " ".join(
            f"{_number(x)},{_number(y)}" for x, y in (point(i, level) for i in range(count))
        )
        if count >= 3:
            parts.append(f'<polygon points="{ring}" fill="none" stroke="{GRID}" stroke-width="1"/>')
        else:
            parts.append(
                f'<circle cx="{_number(cx)}" cy="{_number(cy)}" '
                f'r="{_number(radius * level / max_value)}" fill="none" stroke="{GRID}"/>'
            )
        x, y = point(0, level)
        parts.append(
            f'<text x="{_number(x + 5)}" y="{_number(y + 4)}" font-size="11" '
            f'fill="{MUTED}">{level}</text>'
        )
    for index, (anchor, lx, first, lines) in enumerate(labels):
        x, y = point(index, max_value)
        parts.append(
            f'<line x1="{_number(cx)}" y1="{_number(cy)}" x2="{_number(x)}" y2="{_number(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(f'<text text-anchor="{anchor}" font-size="12">')
        for number, line in enumerate(lines):
            parts.append(
                f'<tspan x="{_number(lx)}" y="{_number(first + number * 14)}">'
                f"{escape(line)}</tspan>"
            )
        parts.append("</text>")
    parts.append("</g>")

    # Series: segments between consecutive known values, markers on every known value.
    for item in series:
        dash, shape, colour = STYLES.get(item.style, STYLES["solid"])
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        values = list(item.values)[:count] + [None] * (count - len(item.values))
        known = [
            (index, point(index, value)) for index, value in enumerate(values) if value is not None
        ]
        parts.append("<g>")
        parts.append(f"<title>{escape(item.name)}</title>")
        if count >= 3 and len(known) == count:
            ring = " ".join(f"{_number(x)},{_number(y)}" for _i, (x, y) in known)
            parts.append(
                f'<polygon points="{ring}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attribute}/>'
            )
        else:
            for index, value in enumerate(values):
                following = (index + 1) % count
                if count < 2 or (count == 2 and index == 1):
                    break
                if value is None or values[following] is None:
                    continue
                x1, y1 = point(index, value)
                x2, y2 = point(following, values[following])
                parts.append(
                    f'<line x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" '
                    f'y2="{_number(y2)}" stroke="{colour}" stroke-width="2.5"{dash_attribute}/>'
                )
        for _index, (x, y) in known:
            parts.append(_marker(shape, x, y, colour))
        parts.append("</g>")

    # Legend.
    parts.append('<g aria-hidden="true">')
    for number, item in enumerate(series):
        dash, shape, colour = STYLES.get(item.style, STYLES["solid"])
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        y = legend_top + number * 26
        parts.append(
            f'<line x1="40" y1="{y}" x2="100" y2="{y}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attribute}/>'
        )
        parts.append(_marker(shape, 70, y, colour))
        parts.append(f'<text x="112" y="{y + 4.5}">{escape(item.name)}</text>')
    parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every label is escaped above
