"""The team journey report (TEAM_REPORT, one PDF) and the cohort's reports (TEAM_REPORTS,
one ZIP): the team and its members and roles over time; the engagement signed (versions
and dates); the sessions planned and attended, with the team's attendance rate against
the cohort's; its self-diagnostic T0 → T1 → T2 as a radar against the cohort's average,
the trainers' assessments beside it; its CODEV cases and commitments; its action plan's
state; its resources.

What every report of a programme shares (the cohort's attendance, the progression, the
plans' rows) is read once (``Cohort``); the ZIP writes each PDF to the archive as soon as
it is built, so only one report is in memory at a time.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from documents.builders import BuildError, Built
from documents.filenames import ascii_filename
from documents.models import Document
from documents.queue import temporary_path
from evaluation.progression import format_level, programme_progression
from parcours.models import EngagementText, Signature, Team, TeamMember
from plans.overview import team_rows
from sillon.charts import Series, radar_chart
from sillon.figures import rate_with_n
from sillon.formatting import format_day, local

from .charts import Chart, rate_chart
from .figures import attendance_figures, calendar_figures, codev_figures
from .followup import PlanFigures, PlanRow
from .pdf import (
    PDF,
    ZIP,
    Steps,
    document_scope,
    made_on,
    reader_rights,
    resources_produced,
    synthesis_pdf,
)
from .scope import Scope, build_scope, programme_teams
from .tables import Table
from .wellbeing import MOMENT_SHORT, MOMENT_STYLES

TEMPLATE = "documents/syntheses/pdf/team_report.html"


def step_names() -> list[str]:
    return [
        _("Équipe et engagement"),
        _("Présences"),
        _("Évaluations"),
        _("Plans d'action"),
        _("Mise en page"),
    ]


@dataclass
class Cohort:
    """What every team's report of the programme shares, read once."""

    scope: Scope
    attendance: object
    progression: object
    plan_rows: dict
    engagement: list


def cohort_of(scope: Scope) -> Cohort:
    programme = scope.programme
    cohort_scope = build_scope(
        programme,
        zone=scope.zone,
        phase=scope.phase,
        starts_on=None if scope.whole_programme else scope.starts_on,
        ends_on=None if scope.whole_programme else scope.ends_on,
        all_teams=scope.teams if scope.all_teams else None,
        now=scope.now,
    )
    rows = team_rows(programme, today=scope.today, now=scope.now, zone=str(scope.zone))
    return Cohort(
        scope=cohort_scope,
        attendance=attendance_figures(cohort_scope),
        progression=programme_progression(programme),
        plan_rows={row.team.pk: row for row in rows},
        engagement=list(
            EngagementText.objects.filter(programme=programme).order_by("version", "pk")
        ),
    )


def _day(moment, scope: Scope) -> str:
    return format_day(local(moment, scope.zone).date(), weekday=False)


def _person(user) -> str:
    return user.get_full_name() or user.email


def _members(team: Team, scope: Scope, names: bool) -> Table:
    members = (
        TeamMember.objects.filter(team=team)
        .select_related("user", "role")
        .order_by("joined_at", "pk")
    )
    rows = []
    for member in members:
        joined = format_day(local(member.joined_at, scope.zone).date(), weekday=False)
        left = (
            format_day(local(member.left_at, scope.zone).date(), weekday=False)
            if member.left_at
            else _("aujourd’hui")
        )
        rows.append(
            [
                _person(member.user) if names else _("Membre %(n)s") % {"n": len(rows) + 1},
                member.role.name if member.role_id else _("Sans rôle"),
                member.structure or "—",
                joined,
                left,
            ]
        )
    return Table(
        "membres",
        _("Membres et rôles au fil du parcours"),
        [_("Membre"), _("Rôle"), _("Structure"), _("Depuis le"), _("Jusqu’au")],
        rows,
        empty=_("Aucun membre dans cette équipe."),
    )


def _engagement(team: Team, cohort: Cohort, scope: Scope, names: bool) -> Table:
    signatures = (
        Signature.objects.filter(member__team=team)
        .select_related("text", "user")
        .order_by("text__version", "signed_at")
    )
    by_version: dict[int, list] = {}
    for signature in signatures:
        by_version.setdefault(signature.text_id, []).append(signature)
    rows = []
    for text in cohort.engagement:
        signed = by_version.get(text.pk, [])
        who = (
            ", ".join(f"{_person(s.user)} ({_day(s.signed_at, scope)})" for s in signed)
            if names
            else str(len(signed))
        )
        rows.append(
            [
                _("Version %(n)s") % {"n": text.version},
                format_day(local(text.published_at, scope.zone).date(), weekday=False),
                len(signed),
                who or _("aucune signature"),
            ]
        )
    return Table(
        "engagement",
        _("Engagement signé"),
        [_("Version"), _("Publiée le"), _("Signatures"), _("Signé par")],
        rows,
        numeric=frozenset({2}),
        empty=_("Aucun texte d’engagement publié pour ce programme."),
    )


def _sessions(team_scope: Scope, team_attendance, cohort: Cohort) -> tuple[Table, Chart | None]:
    calendar = calendar_figures(team_scope)
    own = {row.key: row.counts for row in team_attendance.sessions}
    everyone = {row.key: row.counts for row in cohort.attendance.sessions}
    rows = []
    for line in calendar.lines:
        mine, theirs = own.get(line.session.pk), everyone.get(line.session.pk)
        rows.append(
            [
                line.session.title,
                line.session.starts_at.astimezone(team_scope.zone).strftime("%d/%m/%Y")
                if line.session.starts_at
                else _("à confirmer"),
                line.state_label,
                mine.rate_n_text if mine else "—",
                theirs.rate_n_text if theirs else "—",
            ]
        )
    total = team_attendance.total
    cohort_total = cohort.attendance.total
    table = Table(
        "seances",
        _("Séances prévues et suivies"),
        [
            _("Séance"),
            _("Date"),
            _("État"),
            _("Présence de l’équipe"),
            _("Présence de la promotion"),
        ],
        rows,
        footer=[
            _("Sur la période"),
            "",
            "",
            rate_with_n(total.rate, total.recorded),
            rate_with_n(cohort_total.rate, cohort_total.recorded),
        ],
        empty=_("Aucune séance prévue sur la période."),
    )
    chart = None
    if total.recorded:
        title = _("Taux de présence : l’équipe et la promotion")
        svg = rate_chart(
            [
                (_("L’équipe"), total.rate, total.rate_n_text),
                (_("La promotion"), cohort_total.rate, cohort_total.rate_n_text),
            ],
            title=title,
        )
        chart = Chart("seances", title, svg) if svg else None
    return table, chart


def _progression(team: Team, cohort: Cohort) -> list[dict]:
    """Per self-diagnostic grid the team answered: its levels at each moment, the
    cohort's average beside them, and the trainers' assessment of the team."""
    found = []
    for index, family in enumerate(cohort.progression.families, start=1):
        levels = family.teams.get(team.pk)
        if not family.criteria or not levels:
            continue
        averages = family.cohort()
        moments = family.moments
        last = moments[-1] if moments else None
        series = [
            Series(
                _("L’équipe à %(moment)s") % {"moment": MOMENT_SHORT.get(m, m)},
                [levels.get(info.key, {}).get(m) for info in family.criteria],
                MOMENT_STYLES.get(m, "solid"),
            )
            for m in moments
        ]
        if last:
            series.append(
                Series(
                    _("Moyenne de la promotion à %(moment)s")
                    % {"moment": MOMENT_SHORT.get(last, last)},
                    [averages[info.key].get(last) for info in family.criteria],
                    "dashdot",
                )
            )
        coach = family.coach.get(team.pk)
        coach_moment = None
        if coach:
            coach_moment = next(
                (
                    m
                    for m in reversed(moments)
                    if any(coach.get(i.key, {}).get(m) is not None for i in family.criteria)
                ),
                None,
            )
        if coach_moment:
            series.append(
                Series(
                    _("Regard des intervenants à %(moment)s")
                    % {"moment": MOMENT_SHORT.get(coach_moment, coach_moment)},
                    [coach.get(info.key, {}).get(coach_moment) for info in family.criteria],
                    "solid",
                )
            )
        title = _("Autodiagnostic de l’équipe — %(title)s") % {"title": family.questionnaire.title}
        headers = [_("Critère"), *[MOMENT_SHORT.get(m, m) for m in moments]]
        if last:
            headers.append(_("Promotion à %(m)s") % {"m": MOMENT_SHORT.get(last, last)})
        if coach_moment:
            headers.append(
                _("Intervenants à %(m)s") % {"m": MOMENT_SHORT.get(coach_moment, coach_moment)}
            )
        rows = []
        for info in family.criteria:
            row = [info.label, *[format_level(levels.get(info.key, {}).get(m)) for m in moments]]
            if last:
                row.append(format_level(averages[info.key].get(last)))
            if coach_moment:
                row.append(format_level(coach.get(info.key, {}).get(coach_moment)))
            rows.append(row)
        key = f"autodiagnostic_{index}"
        found.append(
            {
                "chart": Chart(
                    key,
                    title,
                    radar_chart(
                        [info.label for info in family.criteria],
                        series,
                        max_value=family.max_level,
                        title=title,
                    ),
                ),
                "table": Table(
                    key, title, headers, rows, numeric=frozenset(range(1, len(headers)))
                ),
            }
        )
    return found


def _plan(team: Team, cohort: Cohort) -> list[dict]:
    row = cohort.plan_rows.get(team.pk)
    if row is None:
        return []
    figures = PlanFigures(
        rows=[
            PlanRow(
                team=team.name,
                cohort=team.cohort.name,
                counts=row.counts,
                late=row.late,
                progress=row.progress,
            )
        ]
    )
    if not figures.total:
        return []
    return [{"table": table, "chart": None} for table in figures.tables()]


def report_context(
    team: Team, cohort: Cohort, *, names: bool = True, steps: Steps | None = None
) -> dict:
    """The context of one team's journey report."""
    names_list = step_names()

    def start(index: int) -> None:
        if steps is not None:
            steps.start(names_list[index])

    scope = cohort.scope
    team_scope = build_scope(
        scope.programme,
        zone=scope.zone,
        phase=scope.phase,
        starts_on=None if scope.whole_programme else scope.starts_on,
        ends_on=None if scope.whole_programme else scope.ends_on,
        teams=[team],
        all_teams=[team, *[t for t in scope.teams if t.pk != team.pk]],
        now=scope.now,
    )
    if team_scope.all_teams:  # a programme of one team
        team_scope.all_teams = False
    start(0)
    members = _members(team, scope, names)
    engagement = _engagement(team, cohort, scope, names)
    start(1)
    attendance = attendance_figures(team_scope)
    sessions, sessions_chart = _sessions(team_scope, attendance, cohort)
    start(2)
    progression = _progression(team, cohort)
    codev = codev_figures(team_scope)
    start(3)
    plan = _plan(team, cohort)
    resources = resources_produced(team_scope, team=team)
    toc = [
        {"anchor": "equipe", "title": _("L’équipe"), "children": []},
        {"anchor": "engagement", "title": _("Engagement"), "children": []},
        {"anchor": "seances", "title": _("Séances et présences"), "children": []},
        {"anchor": "progression", "title": _("Autodiagnostic et regards croisés"), "children": []},
        {"anchor": "codev", "title": _("CODEV"), "children": []},
        {"anchor": "plan", "title": _("Plan d’action"), "children": []},
        {"anchor": "ressources", "title": _("Ressources"), "children": []},
    ]
    return {
        "organisation": scope.programme.organisation,
        "programme": scope.programme,
        "team": team,
        "title": _("Rapport de parcours — %(team)s") % {"team": team.name},
        "subtitle": scope.programme.name,
        "scope": team_scope,
        "show_teams": False,
        "made_on": made_on(scope),
        "members": members,
        "engagement": engagement,
        "sessions": sessions,
        "sessions_chart": sessions_chart,
        "attendance_text": rate_with_n(attendance.total.rate, attendance.total.recorded),
        "cohort_attendance_text": rate_with_n(
            cohort.attendance.total.rate, cohort.attendance.total.recorded
        ),
        "progression": progression,
        "codev": []
        if codev.empty_message
        else [{"table": t, "chart": None} for t in codev.tables()],
        "codev_empty": codev.empty_message,
        "plan": plan,
        "resources": resources,
        "with_team": False,
        "toc": toc,
    }


def _team_of(document: Document) -> Team:
    team = (
        Team.objects.filter(pk=document.team_id, cohort__programme=document.programme_id)
        .select_related("cohort")
        .first()
        if document.team_id
        else None
    )
    if team is None:
        raise BuildError(_("Ce document ne désigne aucune équipe de ce programme."))
    return team


def _filename(team: Team) -> str:
    prefix = _("Rapport de parcours")
    return ascii_filename(f"{prefix} - {team.name}", "pdf", fallback=prefix)


def render_report(team: Team, cohort: Cohort, *, names: bool = True, steps=None) -> bytes:
    from django.template.loader import render_to_string

    context = report_context(team, cohort, names=names, steps=steps)
    if steps is not None:
        steps.start(step_names()[-1])
    return synthesis_pdf(render_to_string(TEMPLATE, context))


def build_team_report(document: Document, progress) -> Built:
    team = _team_of(document)
    steps = Steps(document, progress, step_names())
    rights = reader_rights(document)
    scope = document_scope(document, teams=[], **rights)
    content = render_report(team, cohort_of(scope), names=not rights["aggregate_only"], steps=steps)
    path = temporary_path(document, ".pdf")
    path.write_bytes(content)
    steps.finish()
    return Built(path=path, filename=_filename(team), content_type=PDF)


def _write_zip(path, document: Document, teams, cohort: Cohort, progress, *, names: bool):
    used: set[str] = set()
    total = len(teams) + 1
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, team in enumerate(teams, start=1):
            Document.objects.filter(pk=document.pk).update(step=team.name[:100])
            name = _filename(team)
            if name in used:
                name = name.removesuffix(".pdf") + f"-{team.pk}.pdf"
            used.add(name)
            with archive.open(name, "w") as entry:
                entry.write(render_report(team, cohort, names=names))
            progress(done, total)


def build_team_reports(document: Document, progress) -> Built:
    """Every chosen team's report in one ZIP, each PDF written to the archive as soon as
    it is built (the progress bar counts the teams)."""
    rights = reader_rights(document)
    scope = document_scope(document, **rights)
    teams = scope.teams or programme_teams(document.programme)
    if not teams:
        raise BuildError(_("Ce programme n'a aucune équipe : pas de rapport de parcours."))
    total = len(teams) + 1
    progress(0, total)
    cohort = cohort_of(scope)
    path = temporary_path(document, ".zip")
    try:
        _write_zip(path, document, teams, cohort, progress, names=not rights["aggregate_only"])
    except BaseException:
        # Superseded or failed half-way: no half archive is left behind.
        path.unlink(missing_ok=True)
        raise
    progress(total, total)
    prefix = _("Rapports de parcours")
    filename = ascii_filename(f"{prefix} - {document.programme.name}", "zip", fallback=prefix)
    return Built(path=path, filename=filename, content_type=ZIP)
