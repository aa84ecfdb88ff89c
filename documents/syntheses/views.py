"""The live synthesis of a programme (« Synthèse », ``programmes/<id>/synthese/``): the
figures of ``documents.syntheses.figures`` as a page, each chart with its data table,
filtered by period and teams (GET), and every table as CSV or XLSX
(``synthese/export/?table=<key>&format=csv|xlsx``, the same filter).

For the coordinators, trainers and observers (funders) who see the programme; a team
member, anyone else and another organisation answer 404. Observers read aggregates:
the cohort's averages of the progression, never a chosen team's, and no breakdown by
role for fewer than two teams unless the programme lets them see names.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.access import organisation_view
from organisations.models import Role
from organisations.roles import role_in
from parcours.access import get_programme_for_user_or_404
from parcours.models import Phase
from parcours.views.calendar import programme_context
from sillon.exports import FORMATS, spreadsheet_response

from .charts import synthesis_charts
from .figures import Synthesis, programme_synthesis
from .forms import SynthesisFilterForm
from .scope import build_scope, programme_teams

VIEW = "parcours.view_calendar"
READERS = (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER)
TAB = "synthese"
FILTER_FIELDS = ("periode", "du", "au", "equipes")


def readable_programme(request, organisation, programme_id: int):
    """The programme for a coordinator, trainer or observer who sees it; anyone else:
    404."""
    if role_in(request.user, organisation) not in READERS:
        raise Http404
    return get_programme_for_user_or_404(request.user, organisation, programme_id)


def synthesis_for(request, organisation, programme) -> tuple[Synthesis, SynthesisFilterForm]:
    """The figures for the filter of the query string, read as the user may read them."""
    role = role_in(request.user, organisation)
    phases = list(
        Phase.objects.filter(organisation=organisation, programme=programme).order_by("order", "pk")
    )
    for phase in phases:
        phase.programme = programme
    teams = programme_teams(programme)
    data = request.GET if any(name in request.GET for name in FILTER_FIELDS) else None
    form = SynthesisFilterForm(data, programme=programme, phases=phases, teams=teams)
    scope = build_scope(
        programme,
        zone=organisation.time_zone,
        all_teams=teams,
        team_levels=role in (Role.COORDINATOR, Role.TRAINER),
        aggregate_only=role == Role.OBSERVER and not programme.observers_see_names,
        **(form.scope_arguments() if data is not None else {}),
    )
    return programme_synthesis(scope), form


SECTIONS = (
    ("calendar", "calendrier", gettext_lazy("Calendrier tenu et calendrier prévu")),
    ("attendance", "presences", gettext_lazy("Présences")),
    ("satisfaction", "satisfaction", gettext_lazy("Satisfaction")),
    ("progression", "progression", gettext_lazy("Progression des équipes")),
    ("plans", "plans-d-action", gettext_lazy("Plans d’action")),
    ("codev", "codev", gettext_lazy("CODEV")),
)


def _notes(synthesis: Synthesis) -> dict[str, list[str]]:
    """What each section says of how it is counted and what it leaves out."""
    scope = synthesis.scope
    notes = {
        "calendar": [
            _(
                "Une séance déplacée a vu sa date ou ses horaires changer après sa création ; "
                "une séance ajoutée a été créée après le début du programme et la publication "
                "de son calendrier. Les séances internes à l’équipe d’animation ne sont pas "
                "comptées."
            )
        ],
        "attendance": [
            _(
                "Taux de présence : demi-journées où la personne était présente (y compris en "
                "retard ou partie plus tôt) sur les demi-journées relevées. Les séances "
                "annulées ne comptent pas."
            )
        ],
        "satisfaction": [
            _(
                "Taux de satisfaction : part des réponses aux questions de satisfaction "
                "dans les deux meilleurs niveaux ; n est le nombre de ces réponses."
            )
        ],
        "progression": [
            _(
                "Niveau moyen par critère des autodiagnostics renseignés par les équipes "
                "(T0, T1, T2), sur tout le parcours."
            )
        ],
        "plans": [_("État des plans d’action aujourd’hui, quelle que soit la période.")],
        "codev": [
            _("Cas traités lors des séances de la période et engagements qui en sont issus.")
        ],
    }
    if synthesis.attendance.roles_withheld:
        notes["attendance"].append(
            _("La répartition par rôle n’est donnée que pour deux équipes ou plus.")
        )
    if synthesis.satisfaction.withheld:
        notes["satisfaction"].append(
            _("%(n)s campagne(s) anonyme(s) sous leur seuil d’anonymat ne sont pas comptées.")
            % {"n": synthesis.satisfaction.withheld}
        )
    if not scope.all_teams:
        notes["satisfaction"].append(
            _("Les évaluations portent sur toute la promotion, quelles que soient les équipes.")
        )
        if not synthesis.progression.subset:
            notes["progression"].append(_("Moyennes de toute la promotion."))
    return notes


def _items(figures, charts: dict) -> list[dict]:
    return [{"table": table, "chart": charts.get(table.key)} for table in figures.tables()]


def _sections(synthesis: Synthesis) -> list[dict]:
    charts = synthesis_charts(synthesis)
    notes = _notes(synthesis)
    sections = []
    for name, anchor, title in SECTIONS:
        figures = getattr(synthesis, name)
        by_key = {chart.key: chart for chart in charts[name]}
        empty = figures.empty_message
        sections.append(
            {
                "anchor": anchor,
                "title": str(title),
                "empty": empty,
                "notes": notes[name],
                "items": []
                if empty
                else [
                    {"table": table, "chart": by_key.get(table.key)} for table in figures.tables()
                ],
            }
        )
    return sections


def _filter_query(request) -> str:
    pairs = [(name, value) for name in FILTER_FIELDS for value in request.GET.getlist(name)]
    return urlencode(pairs)


@organisation_view(VIEW)
def dashboard(request, organisation, programme_id: int):
    programme = readable_programme(request, organisation, programme_id)
    synthesis, form = synthesis_for(request, organisation, programme)
    query = _filter_query(request)
    return render(
        request,
        "documents/syntheses/dashboard.html",
        {
            **programme_context(request, organisation, programme, TAB),
            "synthesis": synthesis,
            "scope": synthesis.scope,
            "form": form,
            "sections": _sections(synthesis),
            "formats": FORMATS,
            "filter_query": f"&{query}" if query else "",
        },
    )


@organisation_view(VIEW)
def export(request, organisation, programme_id: int):
    """One table of the synthesis (``table``, with the page's filter) as CSV or XLSX."""
    programme = readable_programme(request, organisation, programme_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    synthesis, _form = synthesis_for(request, organisation, programme)
    table = synthesis.table(request.GET.get("table", ""))
    if table is None:
        raise Http404
    return spreadsheet_response(
        headers=[str(header) for header in table.headers],
        rows=table.export_rows(),
        filename=f"synthese-{programme.name}-{table.key}",
        fmt=fmt,
    )
