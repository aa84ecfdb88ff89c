"""The training bilan (TRAINING_BILAN) of a programme made of modules (its phases, as in
seed 004): per module, its objectives (the phase's description), its dates and hours,
its attendance and the results of the evaluations en amont, pendant, à chaud and à
froid; then the overall satisfaction rate, the completion rate and the hours delivered —
the figures a Qualiopi auditor asks for. A programme without phases is one module.

Completion rate: the share of the people recorded on the programme's sheets who
attended at least ``COMPLETION_SHARE`` of their recorded half-days. Hours delivered: the
hours of the sessions held (not cancelled, started) in the period, counted on their
half-days (``parcours.days.session_slots``: each day's morning and afternoon, the lunch
break and the nights of a two-day module left out), as the attestations and the
catalogue sheet count them.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from documents.builders import Built
from documents.filenames import ascii_filename
from documents.models import Document
from parcours.days import session_slots
from parcours.models import Phase
from presences.stats import Counts, person_rates, person_row
from sillon.figures import NONE, rate_with_n
from sillon.formatting import format_day

from .charts import Chart, rate_chart
from .figures import HELD, attendance_figures, calendar_figures
from .pdf import PDF, Steps, document_scope, made_on, write_pdf
from .scope import Scope, build_scope
from .tables import Percent, Table
from .wellbeing import satisfaction_figures

TEMPLATE = "documents/syntheses/pdf/bilan.html"
COMPLETION_SHARE = 0.8


def step_names() -> list[str]:
    return [_("Modules"), _("Présences"), _("Évaluations"), _("Mise en page")]


def hours_text(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _with_days(lines, organisation) -> None:
    """Read the days of the lines' sessions in one query (``session_slots`` reads them)."""
    sessions = [line.session for line in lines]
    prefetch_related_objects(sessions, "days")
    for session in sessions:
        session.organisation = organisation


def teaching_time(session) -> timedelta:
    """The session's hours on its half-days (lunch and nights left out)."""
    return timedelta(hours=sum(slot.hours for slot in session_slots(session)))


def _held_duration(lines) -> timedelta:
    total = timedelta()
    for line in lines:
        if line.state == HELD:
            total += teaching_time(line.session)
    return total


def _module(scope: Scope, phase: Phase | None, index: int) -> dict:
    """One module's figures, within the bilan's period."""
    if phase is not None:
        module_scope = build_scope(
            scope.programme,
            zone=scope.zone,
            phase=phase,
            teams=scope.teams if not scope.all_teams else None,
            all_teams=scope.teams if scope.all_teams else None,
            now=scope.now,
        )
        # Only what falls in the bilan's period.
        module_scope.starts_on = max(module_scope.starts_on, scope.starts_on)
        module_scope.ends_on = min(module_scope.ends_on, scope.ends_on)
    else:
        module_scope = scope
    calendar = calendar_figures(module_scope)
    _with_days(calendar.lines, scope.programme.organisation)
    attendance = attendance_figures(module_scope)
    satisfaction = satisfaction_figures(module_scope)
    held = _held_duration(calendar.lines)
    total = attendance.total
    key = f"module_{index}"
    moments = Table(
        f"{key}_evaluations",
        _("Évaluations du module"),
        [_("Moment"), _("Campagnes"), _("Réponses"), _("Taux de satisfaction")],
        [
            [line.label, line.campaigns, line.responses, Percent(line.share)]
            for line in satisfaction.moments
        ],
        numeric=frozenset({1, 2, 3}),
        empty=_("Aucune évaluation en amont, pendant, à chaud ou à froid pour ce module."),
    )
    sessions = Table(
        f"{key}_seances",
        _("Séances du module"),
        [_("Séance"), _("Date"), _("État"), _("Durée")],
        [
            [
                line.session.title,
                line.session.starts_at.astimezone(scope.zone).strftime("%d/%m/%Y")
                if line.session.starts_at
                else _("à confirmer"),
                line.state_label,
                hours_text(teaching_time(line.session)) if line.session.is_dated else NONE,
            ]
            for line in calendar.lines
        ],
        numeric=frozenset({3}),
        empty=_("Aucune séance prévue pour ce module sur la période."),
    )
    chart = None
    if satisfaction.moments and any(line.share is not None for line in satisfaction.moments):
        title = _("Satisfaction par moment — %(name)s") % {
            "name": phase.name if phase else scope.programme.name
        }
        chart = Chart(
            moments.key,
            title,
            rate_chart(
                [(line.label, line.share, line.text) for line in satisfaction.moments], title=title
            ),
        )
    return {
        "anchor": key,
        "name": phase.name if phase else scope.programme.name,
        "objectives": (phase.description if phase else scope.programme.description) or "",
        "dates": _("du %(start)s au %(end)s")
        % {
            "start": format_day(module_scope.starts_on, weekday=False),
            "end": format_day(module_scope.ends_on, weekday=False),
        },
        "sessions_planned": calendar.planned,
        "sessions_held": calendar.held,
        "hours": hours_text(held),
        "held": held,
        "attendance": rate_with_n(total.rate, total.recorded),
        "counts": total,
        "satisfaction": satisfaction,
        "tables": [sessions, moments],
        "chart": chart,
    }


def completion(scope: Scope) -> tuple[int, int]:
    """(people who attended at least COMPLETION_SHARE of their recorded half-days,
    people recorded), over the period. One query."""
    rows = person_rates(scope.programme).filter(
        session__starts_at__gte=scope.start, session__starts_at__lt=scope.end
    )
    if not scope.all_teams:
        rows = rows.filter(team__in=scope.team_ids)
    people: dict[int, Counts] = {}
    for row in rows:
        rate = person_row(row)
        people[rate.key] = people.get(rate.key, Counts()) + rate.counts
    done = sum(1 for counts in people.values() if (counts.rate or 0) >= COMPLETION_SHARE)
    return done, len(people)


def bilan_context(document: Document, steps: Steps | None = None) -> dict:
    names = step_names()

    def start(index: int) -> None:
        if steps is not None:
            steps.start(names[index])

    scope = document_scope(document)
    start(0)
    phases = list(Phase.objects.filter(programme=scope.programme).order_by("order", "pk"))
    for phase in phases:
        phase.programme = scope.programme
    in_period = [
        phase
        for phase in phases
        if phase.starts_on
        and phase.ends_on
        and phase.starts_on <= scope.ends_on
        and phase.ends_on >= scope.starts_on
    ]
    start(1)
    modules = [_module(scope, phase, index) for index, phase in enumerate(in_period, start=1)] or [
        _module(scope, None, 1)
    ]
    start(2)
    overall = satisfaction_figures(scope)
    done, people = completion(scope)
    lines = calendar_figures(scope).lines
    _with_days(lines, scope.programme.organisation)
    delivered = _held_duration(lines)
    attendance = sum((module["counts"] for module in modules), Counts())
    summary = Table(
        "bilan",
        _("Bilan des modules"),
        [
            _("Module"),
            _("Séances prévues"),
            _("Séances tenues"),
            _("Heures dispensées"),
            _("Taux de présence"),
            _("Satisfaction"),
        ],
        [
            [
                module["name"],
                module["sessions_planned"],
                module["sessions_held"],
                module["hours"],
                module["attendance"],
                module["satisfaction"].programme_text,
            ]
            for module in modules
        ],
        numeric=frozenset({1, 2, 3, 4, 5}),
    )
    title = _("Taux de présence par module")
    chart_svg = rate_chart(
        [(module["name"], module["counts"].rate, module["attendance"]) for module in modules],
        title=title,
    )
    toc = [
        {"anchor": "indicateurs", "title": _("Indicateurs"), "children": []},
        *[
            {"anchor": module["anchor"], "title": module["name"], "children": []}
            for module in modules
        ],
    ]
    return {
        "organisation": document.organisation,
        "programme": scope.programme,
        "title": _("Bilan de formation"),
        "subtitle": scope.programme.name,
        "scope": scope,
        "show_teams": not scope.all_teams,
        "made_on": made_on(scope),
        "modules": modules,
        "satisfaction_text": overall.programme_text,
        "completion_text": rate_with_n(done / people if people else None, people),
        "completion_share": round(COMPLETION_SHARE * 100),
        "hours_delivered": hours_text(delivered),
        "attendance_text": rate_with_n(attendance.rate, attendance.recorded),
        "summary": summary,
        "summary_chart": Chart("bilan", title, chart_svg) if chart_svg else None,
        "toc": toc,
    }


def build_training_bilan(document: Document, progress) -> Built:
    steps = Steps(document, progress, step_names())
    context = bilan_context(document, steps)
    steps.start(step_names()[-1])
    path = write_pdf(document, TEMPLATE, context)
    steps.finish()
    prefix = _("Bilan de formation")
    filename = ascii_filename(f"{prefix} - {context['programme'].name}", "pdf", fallback=prefix)
    return Built(path=path, filename=filename, content_type=PDF)
