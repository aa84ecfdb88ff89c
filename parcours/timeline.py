"""Layout of a programme's timeline (the "frise" of seed 000): months across, phases as
bands, sessions as marks in lanes. Pure computation on already-loaded objects: the view
fetches, this module places, the template draws the SVG."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from parcours.models import Session, SessionFormat
from sillon.formatting import format_day, format_month, format_session_when

MONTH_WIDTH = 76
GUTTER = 168  # lane labels on the left
RIGHT_PAD = 20
YEAR_ROW = 18
HEADER = 58  # year row + month names + "mois N"
PHASE_ROW = 28
LANE_GAP = 10
LABELLED_ROW = 28
PLAIN_ROW = 22
MARK_RADIUS = 7
MAX_LABELLED_ROWS = 4
LABEL_CHARS = 26
CHAR_WIDTH = 6.4  # average width of a 12px system-ui character
TODAY_ROW = 24
CANCELLED_COLOUR = "#8a9199"

MONTH_ABBREVIATIONS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def truncate(text: str, chars: int) -> str:
    text = str(text)
    if len(text) <= chars:
        return text
    return text[: max(chars - 1, 1)].rstrip() + "…"


def month_days(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def placement(session: Session, zone: ZoneInfo, phases_by_id=None) -> tuple[date, date] | None:
    """Where ``session`` sits on a calendar: its local days, or, for a session « date à
    confirmer », its whole target month or phase (never a made-up day); None when it has
    neither."""
    if session.starts_at is not None:
        return local_days(session, zone)
    if session.target_month is not None:
        return month_days(session.target_month)
    phase = (phases_by_id or {}).get(session.phase_id)
    if phase is not None:
        return phase.starts_on, phase.ends_on
    return None


def local_days(session: Session, zone: ZoneInfo) -> tuple[date, date]:
    """First and last local day of ``session`` (an all-day session ends at the exclusive
    midnight after its last day)."""
    first = session.starts_at.astimezone(zone).date()
    end = session.ends_at
    if session.all_day:
        end = end - timedelta(microseconds=1)
    last = end.astimezone(zone).date()
    return first, max(first, last)


@dataclass
class MonthColumn:
    x: float
    width: float
    abbreviation: str
    number: int  # "mois N"
    year_label: str  # shown on the first month and on each January
    shaded: bool
    starts_year: bool

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass
class PhaseBand:
    x: float
    y: float
    width: float
    name: str
    label: str
    colour: str
    period: str


@dataclass
class Mark:
    session: Session
    url: str
    x: float
    end_x: float
    y: float = 0
    label: str = ""
    accessible_name: str = ""
    colour: str = ""
    format: str = ""
    tentative: bool = False
    cancelled: bool = False
    long: bool = False  # drawn as a bar from start to end
    undated: bool = False  # « date à confirmer »: spans its target month or phase

    @property
    def bar_x(self) -> float:
        return self.x - MARK_RADIUS

    @property
    def bar_width(self) -> float:
        return max(self.end_x - self.x, 0) + 2 * MARK_RADIUS

    def around(self, half_height: float) -> dict:
        """Geometry of a capsule around the mark, ``half_height`` above and below."""
        return {
            "x": round(
                self.x - half_height if not self.long else self.bar_x - (half_height - MARK_RADIUS),
                1,
            ),
            "y": round(self.y - half_height, 1),
            "width": round(
                (self.bar_width + 2 * (half_height - MARK_RADIUS))
                if self.long
                else 2 * half_height,
                1,
            ),
            "height": 2 * half_height,
            "rx": half_height,
        }

    @property
    def hit(self) -> dict:
        return self.around(12)

    @property
    def ring(self) -> dict:
        return self.around(11)

    @property
    def halo(self) -> dict:
        return self.around(MARK_RADIUS + 3)

    @property
    def shape(self) -> dict:
        return self.around(MARK_RADIUS - 1)

    @property
    def lower_half(self) -> dict:
        """The filled lower half of a hybrid session's bar."""
        shape = self.shape
        return {**shape, "y": self.y, "height": shape["height"] / 2}

    @property
    def strike(self) -> dict:
        return {
            "x1": round(self.bar_x - 2, 1),
            "y1": self.y + MARK_RADIUS,
            "x2": round(self.bar_x + self.bar_width + 2, 1),
            "y2": self.y - MARK_RADIUS,
        }

    @property
    def label_x(self) -> float:
        return (self.end_x if self.long else self.x) + MARK_RADIUS + 5

    @property
    def half_path(self) -> str:
        """Left half of the disc, for a hybrid session."""
        r = MARK_RADIUS - 1
        return f"M{self.x:.1f},{self.y - r:.1f} A{r},{r} 0 0 0 {self.x:.1f},{self.y + r:.1f} Z"


def _rect(box: dict, extra: str) -> str:
    return (
        f'<rect x="{box["x"]}" y="{box["y"]}" width="{box["width"]}" height="{box["height"]}" '
        f'rx="{box["rx"]}" {extra}/>'
    )


def render_mark(mark: Mark) -> str:
    """One session's mark: a link around its shape and label. Written here rather than
    in a template: a timeline has hundreds of marks and this is its hot loop."""
    colour = escape(mark.colour)
    classes = "tl-mark"
    if mark.cancelled:
        classes += " is-cancelled"
    if mark.tentative:
        classes += " is-tentative"
    if mark.undated:
        classes += " is-undated"
    name = escape(mark.accessible_name)
    fill = colour if mark.format == SessionFormat.IN_PERSON else "#ffffff"
    parts = [
        f'<a href="{escape(mark.url)}" class="{classes}" aria-label="{name}"><title>{name}</title>',
        _rect(mark.hit, 'class="tl-hit"'),
        _rect(mark.ring, 'class="tl-ring"'),
    ]
    if mark.tentative:
        parts.append(_rect(mark.halo, f'fill="none" stroke="{colour}" class="tl-halo"'))
    parts.append(_rect(mark.shape, f'stroke="{colour}" fill="{fill}" class="tl-shape"'))
    if mark.format == SessionFormat.HYBRID:
        if mark.long:
            parts.append(_rect(mark.lower_half, f'fill="{colour}"'))
        else:
            parts.append(f'<path d="{mark.half_path}" fill="{colour}"/>')
    if mark.cancelled:
        strike = mark.strike
        parts.append(
            f'<line x1="{strike["x1"]}" y1="{strike["y1"]}" x2="{strike["x2"]}" '
            f'y2="{strike["y2"]}" class="tl-strike"/>'
        )
    if mark.label:
        parts.append(
            f'<text x="{mark.label_x:.1f}" y="{mark.y:.1f}" dy="4" class="tl-label">'
            f"{escape(mark.label)}</text>"
        )
    parts.append("</a>")
    return "".join(parts)


@dataclass
class Row:
    y: float
    label: str = ""  # a team's name in the individual lane
    full_label: str = ""


@dataclass
class Lane:
    label: str
    full_label: str
    y: float
    height: float
    rows: list[Row] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    shaded: bool = False

    @property
    def label_y(self) -> float:
        return self.y + 18


@dataclass
class Timeline:
    width: float
    height: float
    months: list[MonthColumn]
    phases: list[PhaseBand]
    lanes: list[Lane]
    today_x: float | None
    chart_top: float
    chart_bottom: float
    gutter: float = GUTTER
    radius: float = MARK_RADIUS

    @property
    def today_label_y(self) -> float:
        return self.chart_bottom + 16

    @property
    def chart_height(self) -> float:
        return self.chart_bottom - self.chart_top

    @property
    def marks(self) -> list[Mark]:
        return [mark for lane in self.lanes for mark in lane.marks]

    @property
    def marks_svg(self) -> SafeString:
        # Every value is escaped (or a number) in render_mark.
        return mark_safe("\n".join(render_mark(mark) for mark in self.marks))


class Scale:
    """Dates to x positions: one column per month of the programme."""

    def __init__(self, start: date, end: date):
        self.first = start.replace(day=1)
        self.count = (end.year - start.year) * 12 + end.month - start.month + 1

    def month_index(self, day: date) -> int:
        return (day.year - self.first.year) * 12 + day.month - self.first.month

    def x(self, day: date, *, edge: float = 0.5) -> float:
        """Position of ``day``: its middle by default, its left edge with ``edge=0``,
        its right edge with ``edge=1``."""
        index = self.month_index(day)
        if index < 0:
            return GUTTER
        if index >= self.count:
            return self.right
        days = calendar.monthrange(day.year, day.month)[1]
        return GUTTER + (index + (day.day - 1 + edge) / days) * MONTH_WIDTH

    @property
    def right(self) -> float:
        return GUTTER + self.count * MONTH_WIDTH


def _pack(items: list[tuple[float, float]], gap: float = 4) -> list[int]:
    """Greedy interval packing: the row of each (start, end) interval, in input order
    (which must be by start)."""
    row_ends: list[float] = []
    rows = []
    for start, end in items:
        for index, row_end in enumerate(row_ends):
            if start >= row_end + gap:
                row_ends[index] = end
                rows.append(index)
                break
        else:
            row_ends.append(end)
            rows.append(len(row_ends) - 1)
    return rows


def _names() -> dict[str, str]:
    """Words of the marks' accessible names, translated once per timeline."""
    return {
        SessionFormat.IN_PERSON: _("présentiel"),
        SessionFormat.REMOTE: _("visio"),
        SessionFormat.HYBRID: _("hybride"),
        Session.Status.TENTATIVE: _("à confirmer"),
        Session.Status.CANCELLED: _("annulée"),
    }


def accessible_name(session: Session, when: str | None = None, names=None) -> str:
    """« Lancement du parcours, vendredi 16 octobre 2026, 9 h – 12 h, visio, à confirmer »."""
    names = names or _names()
    parts = [session.title, when or format_session_when(session), names[session.format]]
    if session.status in names:
        parts.append(names[session.status])
    return ", ".join(parts)


def build_timeline(
    *,
    programme,
    phases,
    sessions,
    session_url,
    zone: ZoneInfo,
    today: date,
    team_of=None,
) -> Timeline:
    """Place everything. ``sessions`` are ordered by start; ``session_url(session)`` gives
    each mark's link; ``team_of(session)`` names the team row of an individual session."""
    scale = Scale(programme.start_date, programme.end_date)
    months = []
    for index in range(scale.count):
        first = programme.month_start(index)
        months.append(
            MonthColumn(
                x=GUTTER + index * MONTH_WIDTH,
                width=MONTH_WIDTH,
                abbreviation=MONTH_ABBREVIATIONS[first.month - 1],
                number=index,
                year_label=str(first.year) if index == 0 or first.month == 1 else "",
                shaded=index % 2 == 1,
                starts_year=first.month == 1 and index > 0,
            )
        )

    # Phases: bands packed in rows when they overlap in time.
    y = HEADER + 6
    phase_items = []
    for phase in phases:
        start_x = scale.x(phase.starts_on, edge=0)
        end_x = max(start_x + 4, scale.x(phase.ends_on, edge=1))
        phase_items.append((phase, start_x, end_x))
    phase_items.sort(key=lambda item: item[1])
    phase_rows = _pack([(start, end) for _phase, start, end in phase_items], gap=2)
    phase_bands = []
    for (phase, start_x, end_x), row in zip(phase_items, phase_rows, strict=True):
        width = end_x - start_x
        phase_bands.append(
            PhaseBand(
                x=start_x,
                y=y + row * (PHASE_ROW + 4),
                width=width,
                name=phase.name,
                label=truncate(phase.name, int((width - 12) / CHAR_WIDTH)),
                colour=phase.colour,
                period=_("du %(start)s au %(end)s")
                % {"start": format_day(phase.starts_on), "end": format_day(phase.ends_on)},
            )
        )
    if phase_rows:
        y += (max(phase_rows) + 1) * (PHASE_ROW + 4) + 6

    # Sessions: one lane per kind, the individual ones in a lane with a row per team.
    chart_top = HEADER
    y += 4
    collective: dict[int, tuple[object, list[Mark]]] = {}
    individual: dict[str, list[Mark]] = {}
    names = _names()
    phases_by_id = {phase.pk: phase for phase in phases}
    placed = []
    for session in sessions:
        days = placement(session, zone, phases_by_id)
        if days is not None:
            placed.append((days, session))
    placed.sort(key=lambda item: item[0][0])  # by first day, as the packing needs
    for (first, last), session in placed:
        start_x = scale.x(first)
        end_x = scale.x(last)
        cancelled = session.status == Session.Status.CANCELLED
        mark = Mark(
            session=session,
            url=session_url(session),
            x=start_x,
            end_x=end_x,
            label=truncate(session.title, LABEL_CHARS),
            accessible_name=accessible_name(session, getattr(session, "when", None), names),
            colour=CANCELLED_COLOUR if cancelled else session.kind.colour,
            format=session.format,
            tentative=session.status == Session.Status.TENTATIVE,
            cancelled=cancelled,
            long=end_x - start_x > 2 * MARK_RADIUS,
            undated=session.starts_at is None,
        )
        if session.kind.is_individual and team_of is not None:
            individual.setdefault(team_of(session), []).append(mark)
        else:
            collective.setdefault(session.kind_id, (session.kind, []))[1].append(mark)

    lanes = []
    kinds = sorted(collective.values(), key=lambda item: (item[0].order, item[0].name))
    for kind, marks in kinds:
        lane = Lane(
            label=truncate(kind.name, 23),
            full_label=kind.name,
            y=y,
            height=0,
            shaded=len(lanes) % 2 == 0,
        )
        labelled = _pack(
            [(m.x - MARK_RADIUS, m.label_x + len(m.label) * CHAR_WIDTH) for m in marks]
        )
        if max(labelled) + 1 <= MAX_LABELLED_ROWS:
            rows, row_height = labelled, LABELLED_ROW
        else:
            for m in marks:
                m.label = ""
            rows = _pack([(m.x - MARK_RADIUS, m.end_x + MARK_RADIUS) for m in marks], gap=2)
            row_height = PLAIN_ROW
        top = y + LANE_GAP / 2 + row_height / 2
        for mark, row in zip(marks, rows, strict=True):
            mark.y = top + row * row_height
        lane.height = (max(rows) + 1) * row_height + LANE_GAP
        lane.marks = marks
        lanes.append(lane)
        y += lane.height

    if individual:
        lane = Lane(
            label=_("Séances individuelles"),
            full_label=_("Séances individuelles, une ligne par équipe"),
            y=y,
            height=0,
            shaded=len(lanes) % 2 == 0,
        )
        row_y = y + 26  # below the lane's own label
        for team_name in sorted(individual):
            marks = individual[team_name]
            for m in marks:
                m.label = ""
            rows = _pack([(m.x - MARK_RADIUS, m.end_x + MARK_RADIUS) for m in marks], gap=2)
            for mark, row in zip(marks, rows, strict=True):
                mark.y = row_y + PLAIN_ROW / 2 + row * PLAIN_ROW
            lane.rows.append(
                Row(
                    y=row_y + PLAIN_ROW / 2 + 4, label=truncate(team_name, 28), full_label=team_name
                )
            )
            lane.marks.extend(marks)
            row_y += (max(rows) + 1) * PLAIN_ROW
        lane.height = row_y - y + LANE_GAP / 2
        lanes.append(lane)
        y += lane.height

    chart_bottom = max(y, HEADER + 40)
    today_x = None
    if programme.start_date.replace(day=1) <= today and scale.month_index(today) < scale.count:
        today_x = scale.x(today)
    return Timeline(
        width=scale.right + RIGHT_PAD,
        height=chart_bottom + TODAY_ROW,
        months=months,
        phases=phase_bands,
        lanes=lanes,
        today_x=today_x,
        chart_top=chart_top,
        chart_bottom=chart_bottom,
    )


@dataclass
class MonthGroup:
    first_day: date | None
    label: str
    number: int | None
    sessions: list[Session]


def group_by_month(sessions, *, programme, zone: ZoneInfo) -> list[MonthGroup]:
    """Sessions (ordered by start, undated last) grouped by the local month they start
    in; a session « date à confirmer » at the end of its target month, or, without one,
    in a last group « Date à confirmer »."""
    scale = Scale(programme.start_date, programme.end_date)
    groups: dict[date, MonthGroup] = {}
    undated: list[Session] = []
    for session in sessions:
        if session.starts_at is not None:
            first_day = session.starts_at.astimezone(zone).date().replace(day=1)
        elif session.target_month is not None:
            first_day = session.target_month.replace(day=1)
        else:
            undated.append(session)
            continue
        if first_day not in groups:
            groups[first_day] = MonthGroup(
                first_day=first_day,
                label=format_month(first_day),
                number=scale.month_index(first_day),
                sessions=[],
            )
        groups[first_day].sessions.append(session)
    result = [groups[key] for key in sorted(groups)]
    if undated:
        result.append(MonthGroup(None, _("date à confirmer"), None, undated))
    return result
