"""Attendance rates of a programme: per session, team, person and role, with exports.

The « Présences » tab of a programme, for its coordinators, trainers and observers (a
team member answers 404: a team sees its own record on its page). Every table is one
grouped query (``presences.stats``); the people are paginated. Observers see the tables
by session, team and role (teams are territories, not people) but never the table by
person nor its export, unless the programme lets them see names
(``Programme.observers_see_names``).
"""

from datetime import timedelta

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.access import organisation_view
from organisations.models import Role
from organisations.roles import role_in
from parcours.access import get_programme_for_user_or_404
from parcours.models import Cohort
from parcours.views.calendar import programme_context
from presences import stats
from presences.extensions import attendance_dashboard_panels
from presences.models import AttendanceSheet, AttendanceStatus
from sillon.exports import FORMATS, spreadsheet_response
from sillon.formatting import format_day, local
from sillon.forms import Form

VIEW = "parcours.view_calendar"
STAFF_ROLES = (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER)
EMAIL_ROLES = (Role.COORDINATOR, Role.TRAINER)
PEOPLE_PER_PAGE = 50
TABLES = ("personnes", "equipes", "seances", "roles")


class CohortFilterForm(Form):
    """Which cohort the figures cover, when the programme has several."""

    promotion = forms.TypedChoiceField(
        label=gettext_lazy("Promotion"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohorts = {cohort.pk: cohort for cohort in cohorts}
        self.fields["promotion"].choices = [
            ("", _("Toutes les promotions")),
            *[(cohort.pk, cohort.name) for cohort in cohorts],
        ]

    def cohort(self) -> Cohort | None:
        if not self.is_valid():
            return None
        return self.cohorts.get(self.cleaned_data["promotion"])


def _programme_for_staff(request, organisation, programme_id):
    """The programme if the user is a coordinator, trainer or observer who sees it;
    anyone else (a team member included): 404."""
    if role_in(request.user, organisation) not in STAFF_ROLES:
        raise Http404
    return get_programme_for_user_or_404(request.user, organisation, programme_id)


def sees_people(request, organisation, programme) -> bool:
    """Whether the user may read the table by person (with names): the staff, and
    observers only where the programme allows it."""
    if role_in(request.user, organisation) == Role.OBSERVER:
        return programme.observers_see_names
    return True


def _cohort_filter(request, programme) -> tuple[CohortFilterForm | None, Cohort | None]:
    cohorts = list(Cohort.objects.filter(programme=programme).order_by("name", "pk"))
    if len(cohorts) < 2:
        return None, None
    form = CohortFilterForm(request.GET or None, cohorts=cohorts)
    return form, form.cohort() if form.is_bound else None


def _person_name(row: stats.GroupRate, show_emails: bool) -> str:
    if row.label:
        return row.label
    return row.detail["email"] if show_emails else _("Personne sans nom")


def _session_day(session, zone: str) -> str:
    start = local(session.starts_at, zone).date()
    # An all-day session ends at midnight: its last day is the one before.
    ends_at = session.ends_at - timedelta(microseconds=1) if session.all_day else session.ends_at
    end = max(local(ends_at, zone).date(), start)
    if end == start:
        return format_day(start, weekday=False)
    if (start.year, start.month) == (end.year, end.month):
        first = "1er" if start.day == 1 else str(start.day)
    else:
        first = format_day(start, weekday=False, year=start.year != end.year)
    return _("du %(start)s au %(end)s") % {"start": first, "end": format_day(end, weekday=False)}


def _session_state(row: stats.SessionRate) -> str:
    if row.is_validated:
        return str(AttendanceSheet.Status.VALIDATED.label)
    if row.is_recorded:
        return _("Relevée, non validée")
    return _("Non relevée")


def _tables(request, organisation, programme, cohort):
    """The four tables' rows (the people's page only) and the programme's total."""
    zone = organisation.time_zone
    sessions = stats.session_rates(programme, cohort)
    for row in sessions:
        row.day = _session_day(row.session, zone)
        row.state = _session_state(row)
    teams = stats.team_rates(programme, cohort)
    for row in teams:
        row.label = row.label or _("Sans équipe")
    roles = stats.role_rates(programme, cohort)
    for row in roles:
        row.label = row.label or _("Sans rôle")
    return sessions, teams, roles, stats.total(roles)


@organisation_view(VIEW)
def attendance_dashboard(request, organisation, programme_id):
    programme = _programme_for_staff(request, organisation, programme_id)
    form, cohort = _cohort_filter(request, programme)
    sessions, teams, roles, total = _tables(request, organisation, programme, cohort)
    show_emails = role_in(request.user, organisation) in EMAIL_ROLES
    show_people = sees_people(request, organisation, programme)
    page, people = None, []
    if show_people:
        page = Paginator(stats.person_rates(programme, cohort), PEOPLE_PER_PAGE).get_page(
            request.GET.get("page")
        )
        people = [stats.person_row(row) for row in page.object_list]
    for row in people:
        row.label = _person_name(row, show_emails)
    export_query = f"&promotion={cohort.pk}" if cohort is not None else ""
    template_name = "presences/rates/dashboard.html"
    if request.htmx:
        template_name += "#results"
    return render(
        request,
        template_name,
        {
            **programme_context(request, organisation, programme, "attendance"),
            "form": form,
            "cohort": cohort,
            "total": total,
            "sessions": sessions,
            "recorded_sessions": sum(1 for row in sessions if row.is_recorded),
            "validated_sessions": sum(1 for row in sessions if row.is_validated),
            "teams": teams,
            "roles": roles,
            "people": people,
            "show_people": show_people,
            "page": page,
            "low_rate": f"{round(stats.LOW_RATE * 100)}\u00a0%",
            "export_query": export_query,
            "panels": attendance_dashboard_panels.collect(
                request=request, organisation=organisation, programme=programme
            ),
        },
    )


# --- Export ---------------------------------------------------------------------------


def _count_headers() -> list[str]:
    return [
        _("Demi-journées relevées"),
        str(AttendanceStatus.PRESENT.label),
        str(AttendanceStatus.PARTIAL.label),
        str(AttendanceStatus.EXCUSED.label),
        str(AttendanceStatus.ABSENT.label),
        _("Taux de présence (%)"),
    ]


def _count_cells(counts: stats.Counts) -> list:
    return [
        counts.recorded,
        counts.present,
        counts.partial,
        counts.excused,
        counts.absent,
        counts.export_rate,
    ]


def _export_rows(table, request, organisation, programme, cohort):
    """(headers, rows) of one table, every row (the people are not paginated)."""
    if table == "personnes":
        show_emails = role_in(request.user, organisation) in EMAIL_ROLES
        people = (stats.person_row(row) for row in stats.person_rates(programme, cohort))
        return (
            [_("Nom"), _("Équipe"), _("Rôle"), *_count_headers()],
            (
                [
                    _person_name(row, show_emails),
                    row.detail["team"] or _("Sans équipe"),
                    row.detail["role"] or _("Sans rôle"),
                    *_count_cells(row.counts),
                ]
                for row in people
            ),
        )
    sessions, teams, roles, _total = _tables(request, organisation, programme, cohort)
    if table == "equipes":
        return (
            [_("Équipe"), _("Promotion"), *_count_headers()],
            ([row.label, row.detail["cohort"] or "", *_count_cells(row.counts)] for row in teams),
        )
    if table == "roles":
        return (
            [_("Rôle"), *_count_headers()],
            ([row.label, *_count_cells(row.counts)] for row in roles),
        )
    return (
        [
            _("Séance"),
            _("Jour de la séance"),
            _("Type de séance"),
            _("État du relevé"),
            *_count_headers(),
        ],
        (
            [
                row.session.title,
                row.day,
                row.session.kind.name,
                row.state,
                *_count_cells(row.counts),
            ]
            for row in sessions
        ),
    )


@organisation_view(VIEW)
def attendance_export(request, organisation, programme_id):
    """``?format=csv|xlsx&tableau=personnes|equipes|seances|roles[&promotion=<id>]``."""
    programme = _programme_for_staff(request, organisation, programme_id)
    table = request.GET.get("tableau", "personnes")
    fmt = request.GET.get("format", "csv")
    if table not in TABLES or fmt not in FORMATS:
        raise Http404
    if table == "personnes" and not sees_people(request, organisation, programme):
        raise Http404
    _form, cohort = _cohort_filter(request, programme)
    headers, rows = _export_rows(table, request, organisation, programme, cohort)
    name = f"presences-{table}-{programme.name}"
    if cohort is not None:
        name += f"-{cohort.name}"
    return spreadsheet_response(headers=headers, rows=rows, filename=name, fmt=fmt)
