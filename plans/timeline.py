"""The programme's actions as a Gantt-like SVG: one row per action, grouped by plan (a
team, a group), a bar from its start to its deadline coloured by status, a « today »
line, the months on the axis.

Built on the server like the charts of ``sillon.charts`` (the same SVG opening: role
"img", a <title> and a <desc>) and placed on the months like the programme's frise
(``parcours.timeline.Scale``). Colour is never the only cue: each bar has its own
<title>, a late action's bar is hatched and outlined, an abandoned one dashed, and the
page shows the same data as a table next to it (``TimelineRow``)."""

from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from parcours.timeline import GUTTER, MONTH_ABBREVIATIONS, MONTH_WIDTH, Scale, truncate
from sillon.charts import GRID, MUTED, _chart_id, _empty, _number, _svg_open
from sillon.formatting import format_day

from .models import Action

HEADER = 40
GROUP_ROW = 26
ROW = 22
BAR = 12
LEGEND = 34
RIGHT_PAD = 20
MAX_MONTHS = 48
LATE = "late"
COLOURS = {
    Action.Status.NOT_STARTED: "#6e7781",
    Action.Status.IN_PROGRESS: "#1d4f91",
    Action.Status.DONE: "#2e6b30",
    Action.Status.DROPPED: "#a0a7b0",
    LATE: "#b42318",
}


@dataclass
class TimelineRow:
    """One action as the table next to the chart reads it."""

    group: str
    title: str
    owner: str
    status: str  # the status key, or "late"
    status_label: str
    progress: int
    starts_on: date | None
    due_on: date | None

    @property
    def period(self) -> str:
        if self.starts_on and self.due_on:
            return _("du %(start)s au %(end)s") % {
                "start": format_day(self.starts_on, weekday=False),
                "end": format_day(self.due_on, weekday=False),
            }
        if self.due_on:
            return _("échéance le %(end)s") % {"end": format_day(self.due_on, weekday=False)}
        if self.starts_on:
            return _("à partir du %(start)s") % {"start": format_day(self.starts_on, weekday=False)}
        return _("non datée")


def timeline_rows(actions, *, group_of, today: date, show_owner: bool = True):
    """``actions`` (ordered by plan) as rows; ``group_of(action)`` names its plan."""
    labels = dict(Action.Status.choices)  # not get_status_display(): see overview.py
    rows = []
    for action in actions:
        late = action.is_late(today)
        label = str(labels.get(action.status, action.status))
        rows.append(
            TimelineRow(
                group=group_of(action),
                title=action.title,
                owner=action.owner_display if show_owner else "",
                status=LATE if late else action.status,
                status_label=_("%(status)s, en retard") % {"status": label} if late else label,
                progress=action.progress,
                starts_on=action.starts_on,
                due_on=action.due_on,
            )
        )
    return rows


def _range(rows: list[TimelineRow], start: date, end: date, today: date) -> tuple[date, date]:
    days = [day for row in rows for day in (row.starts_on, row.due_on) if day]
    first = min([start, today, *days])
    last = max([end, today, *days])
    # Beyond MAX_MONTHS the chart is cut around the programme (the table has everything).
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months > MAX_MONTHS:
        first, last = min(start, today), max(end, today)
    return first, last


def _bar(row: TimelineRow, scale: Scale, y: float) -> str:
    colour = COLOURS[row.status]
    name = f"{row.title} — {row.group} : {row.status_label}, {row.progress} %, {row.period}"
    parts = ["<g>", f"<title>{escape(name)}</title>"]
    if row.starts_on is None and row.due_on is None:
        parts.append(
            f'<text x="{GUTTER + 6}" y="{_number(y + 4)}" font-size="11" fill="{MUTED}">'
            f"{escape(_('non datée'))}</text></g>"
        )
        return "".join(parts)
    first = row.starts_on or row.due_on
    last = row.due_on or row.starts_on
    x1 = scale.x(first, edge=0)
    x2 = max(scale.x(last, edge=1), x1 + 4)
    top = y - BAR / 2
    extra = ""
    if row.status == Action.Status.DROPPED:
        extra = ' stroke-dasharray="4 3" fill-opacity="0.35"'
    elif row.status == LATE:
        extra = ' stroke-width="2"'
    parts.append(
        f'<rect x="{_number(x1)}" y="{_number(top)}" width="{_number(x2 - x1)}" '
        f'height="{BAR}" rx="2" fill="{colour}" stroke="{colour}"{extra}/>'
    )
    if row.status == LATE:
        parts.append(
            f'<rect x="{_number(x1)}" y="{_number(top)}" width="{_number(x2 - x1)}" '
            f'height="{BAR}" fill="url(#late-hatch)"/>'
        )
    # The progress, as a lighter inner line across the done share.
    if row.progress and row.status != Action.Status.DROPPED:
        done = (x2 - x1) * row.progress / 100
        parts.append(
            f'<rect x="{_number(x1)}" y="{_number(y - 1.5)}" width="{_number(done)}" '
            f'height="3" fill="#ffffff" fill-opacity="0.8"/>'
        )
    if row.starts_on is None or row.due_on is None:
        # One known end: a diamond on it says it is a date, not a period.
        x = x2 if row.due_on else x1
        parts.append(
            f'<polygon points="{_number(x)},{_number(y - 7)} {_number(x + 7)},{_number(y)} '
            f'{_number(x)},{_number(y + 7)} {_number(x - 7)},{_number(y)}" fill="{colour}"/>'
        )
    parts.append("</g>")
    return "".join(parts)


def timeline_svg(
    rows: list[TimelineRow], *, start: date, end: date, today: date, title: str
) -> SafeString:
    """The chart of ``rows`` (grouped in order: a heading row when the group changes)."""
    chart_id = _chart_id()
    if not rows:
        return _empty(chart_id, 640, title, _("Aucune action pour l'instant."))
    first, last = _range(rows, start, end, today)
    scale = Scale(first, last)
    width = scale.right + RIGHT_PAD
    groups = []
    for row in rows:
        if not groups or groups[-1] != row.group:
            groups.append(row.group)
    height = HEADER + len(groups) * GROUP_ROW + len(rows) * ROW + 8 + LEGEND
    late = sum(1 for row in rows if row.status == LATE)
    desc = _(
        "%(actions)s actions de %(groups)s plans, du %(start)s au %(end)s, dont %(late)s en "
        "retard. Le tableau qui suit donne les mêmes informations."
    ) % {
        "actions": len(rows),
        "groups": len(groups),
        "start": format_day(first, weekday=False),
        "end": format_day(last, weekday=False),
        "late": late,
    }
    parts = _svg_open(chart_id, int(width), int(height), title, desc)
    # Drawn at its own size (months stay readable): the page's region scrolls sideways.
    parts[0] = parts[0].replace(
        'class="sillon-chart" role="img" width="100%"',
        f'class="sillon-chart plans-timeline" role="img" width="{int(width)}" '
        f'height="{int(height)}"',
    )
    parts.append(
        '<defs><pattern id="late-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" '
        'stroke-width="2" stroke-opacity="0.6"/></pattern></defs>'
    )
    chart_bottom = height - LEGEND

    # The months: shaded every other one, the year on the first and each January.
    parts.append('<g aria-hidden="true" font-size="11">')
    for index in range(scale.count):
        month = (scale.first.month - 1 + index) % 12
        year = scale.first.year + (scale.first.month - 1 + index) // 12
        x = GUTTER + index * MONTH_WIDTH
        if index % 2:
            parts.append(
                f'<rect x="{x}" y="{HEADER - 16}" width="{MONTH_WIDTH}" '
                f'height="{_number(chart_bottom - HEADER + 16)}" fill="#f3f5f7"/>'
            )
        if index == 0 or month == 0:
            parts.append(f'<text x="{x + 4}" y="12" font-weight="600">{year}</text>')
        parts.append(
            f'<text x="{_number(x + MONTH_WIDTH / 2)}" y="{HEADER - 4}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(MONTH_ABBREVIATIONS[month])}</text>'
        )
    parts.append(
        f'<line x1="{GUTTER}" y1="{HEADER}" x2="{_number(scale.right)}" y2="{HEADER}" '
        f'stroke="{GRID}"/>'
    )
    parts.append("</g>")

    y = HEADER
    previous = None
    for row in rows:
        if row.group != previous:
            previous = row.group
            parts.append(
                f'<text x="4" y="{_number(y + GROUP_ROW - 8)}" font-weight="600">'
                f"{escape(truncate(row.group, 40))}</text>"
            )
            parts.append(
                f'<line x1="0" y1="{_number(y + GROUP_ROW)}" x2="{_number(scale.right)}" '
                f'y2="{_number(y + GROUP_ROW)}" stroke="{GRID}" aria-hidden="true"/>'
            )
            y += GROUP_ROW
        middle = y + ROW / 2
        parts.append(
            f'<text x="12" y="{_number(middle + 4)}" font-size="12" aria-hidden="true">'
            f"{escape(truncate(row.title, 24))}</text>"
        )
        parts.append(_bar(row, scale, middle))
        y += ROW

    if scale.x(today, edge=0) < scale.right and today >= scale.first:
        x = scale.x(today)
        parts.append(
            f"<g><title>{escape(_('Aujourd’hui : %(day)s') % {'day': format_day(today)})}</title>"
            f'<line x1="{_number(x)}" y1="{HEADER - 16}" x2="{_number(x)}" '
            f'y2="{_number(chart_bottom)}" stroke="#b42318" stroke-width="2" '
            f'stroke-dasharray="6 3"/>'
            f'<text x="{_number(x + 4)}" y="{_number(chart_bottom + 2)}" font-size="11" '
            f'fill="#b42318">{escape(_("aujourd’hui"))}</text></g>'
        )

    # The legend: a swatch and its word for each status.
    parts.append('<g aria-hidden="true" font-size="12">')
    x = 4
    legend_y = chart_bottom + 20
    for key, label in [*Action.Status.choices, (LATE, _("En retard"))]:
        colour = COLOURS[key]
        dash = ' stroke-dasharray="4 3" fill-opacity="0.35"' if key == Action.Status.DROPPED else ""
        parts.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="18" height="{BAR}" rx="2" '
            f'fill="{colour}" stroke="{colour}"{dash}/>'
        )
        if key == LATE:
            parts.append(
                f'<rect x="{x}" y="{legend_y - 10}" width="18" height="{BAR}" '
                f'fill="url(#late-hatch)"/>'
            )
        parts.append(f'<text x="{x + 24}" y="{legend_y}">{escape(str(label))}</text>')
        x += 24 + len(str(label)) * 7 + 18
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # every label is escaped above
