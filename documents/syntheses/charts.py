"""The charts of a synthesis, drawn from its figures as inline SVG (the same markup on
the dashboard and in the PDF): counts with ``sillon.charts.bar_chart``, the progression
with ``sillon.charts.radar_chart``, and rates with ``rate_chart`` below (a bar per row
from 0 to 100 %, its rate and n written beside it).

A section without data gets no chart (its figures say so in words); each chart comes
with its data table (``documents.syntheses.tables``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sillon.charts import BAR, GRID, INK, MUTED, Series, bar_chart, radar_chart
from sillon.figures import NONE

from .figures import Synthesis


@dataclass
class Chart:
    key: str  # the data table it comes with
    title: str
    svg: SafeString


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _cut(label: str, width: int = 34) -> str:
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def rate_chart(rows: Sequence[tuple[str, float | None, str]], *, title: str) -> SafeString:
    """Horizontal bars on a 0–100 % scale, one per ``(label, share, text)``; ``text``
    (« 92,7 % (n = 41) ») is written beside the bar, « — » for a row without a rate.
    Rows with a rate only are drawn; none: no chart (an empty string)."""
    if not any(share is not None for _label, share, _text in rows):
        return mark_safe("")
    chart_id = f"chart-{uuid.uuid4().hex[:10]}"
    width, label_right, bar_left, bar_width, line = 640, 250, 260, 250, 26
    height = line * len(rows) + 24
    summary = "; ".join(f"{label} : {text}" for label, _share, text in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sillon-chart" role="img" '
        f'width="100%" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="13" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for tick in (0, 50, 100):
        x = bar_left + bar_width * tick / 100
        parts.append(
            f'<line x1="{_number(x)}" y1="0" x2="{_number(x)}" y2="{height - 18}" '
            f'stroke="{GRID}" stroke-width="1" aria-hidden="true"/>'
        )
        parts.append(
            f'<text x="{_number(x)}" y="{height - 4}" text-anchor="middle" font-size="11" '
            f'fill="{MUTED}" aria-hidden="true">{tick}\u00a0%</text>'
        )
    for index, (label, share, text) in enumerate(rows):
        middle = index * line + line / 2
        parts.append("<g>")
        parts.append(f"<title>{escape(f'{label} : {text}')}</title>")
        parts.append(
            f'<text x="{label_right}" y="{_number(middle + 4.5)}" text-anchor="end">'
            f"{escape(_cut(str(label)))}</text>"
        )
        length = bar_width * max(0.0, min(share or 0.0, 1.0))
        if share is not None:
            parts.append(
                f'<rect x="{bar_left}" y="{_number(middle - 8)}" width="{_number(length)}" '
                f'height="16" rx="2" fill="{BAR}"/>'
            )
        parts.append(
            f'<text x="{_number(bar_left + length + 6)}" y="{_number(middle + 4.5)}" '
            f'font-weight="600">{escape(text if share is not None else NONE)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every label is escaped above


def _counts(key: str, title: str, rows: list[tuple[str, int]], total: int) -> Chart | None:
    if total <= 0:
        return None
    return Chart(key, title, bar_chart(rows, total=total, title=title))


def _rates(key: str, title: str, rows) -> Chart | None:
    svg = rate_chart(rows, title=title)
    return Chart(key, title, svg) if svg else None


def synthesis_charts(synthesis: Synthesis) -> dict[str, list[Chart]]:
    """{section: its charts}, sections: ``calendar``, ``attendance``, ``satisfaction``,
    ``progression``, ``plans``, ``codev``. A section without data has none."""
    calendar, attendance = synthesis.calendar, synthesis.attendance
    satisfaction, plans, codev = synthesis.satisfaction, synthesis.plans, synthesis.codev
    charts: dict[str, list[Chart | None]] = {
        "calendar": [
            _counts(
                "calendrier",
                _("Séances prévues sur la période : ce qu’elles sont devenues"),
                calendar.chart_rows,
                calendar.planned,
            )
        ],
        "attendance": [],
        "satisfaction": [],
        "progression": [],
        "plans": [
            _counts(
                "plans",
                _("Actions des plans par état"),
                plans.chart_rows,
                plans.total,
            )
        ],
        "codev": [
            _counts(
                "codev",
                _("Engagements pris en CODEV par état"),
                codev.chart_rows,
                codev.commitment_total,
            )
        ],
    }
    if not attendance.empty_message:
        charts["attendance"] = [
            _rates(
                "presences_seances",
                _("Taux de présence par séance"),
                [(row.label, row.counts.rate, row.text) for row in attendance.sessions],
            ),
            _rates(
                "presences_equipes",
                _("Taux de présence par équipe"),
                [(row.label, row.counts.rate, row.text) for row in attendance.teams],
            ),
            _rates(
                "presences_roles",
                _("Taux de présence par rôle"),
                [(row.label, row.counts.rate, row.text) for row in attendance.roles],
            ),
        ]
    if not satisfaction.empty_message:
        charts["satisfaction"] = [
            _rates(
                "satisfaction_moments",
                _("Taux de satisfaction par moment"),
                [(line.label, line.share, line.text) for line in satisfaction.moments],
            ),
            _rates(
                "satisfaction_seances",
                _("Taux de satisfaction par séance"),
                [(line.label, line.share, line.text) for line in satisfaction.sessions],
            ),
        ]
    for index, family in enumerate(synthesis.progression.families, start=1):
        title = _("Progression de la promotion — %(title)s") % {"title": family.title}
        charts["progression"].append(
            Chart(
                f"progression_{index}",
                title,
                radar_chart(
                    family.axes,
                    [Series(s.name, s.values, s.style) for s in family.series],
                    max_value=family.max_level,
                    title=title,
                ),
            )
        )
    return {section: [chart for chart in items if chart] for section, items in charts.items()}
