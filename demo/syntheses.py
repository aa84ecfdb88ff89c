"""The syntheses of seed 000's programme (« Gouvernance des PAT en Hauts-de-France »),
checked once the rest of the demo is loaded (call ``load`` last, after
``evaluation.load``): the live dashboard and the PDFs — the programme synthesis and a
team's journey report — read the demo's sessions, attendance, T0 / T1 self-diagnostics,
satisfaction, plans and CODEV, so nothing is written here; the summary line says what
each chart is drawn from, and names the team whose report the demo suggests.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from demo.common import HDF_PROGRAMME
from documents.syntheses.figures import programme_synthesis
from documents.syntheses.scope import build_scope
from organisations.models import Organisation
from parcours.models import Programme


def demo_synthesis(organisation: Organisation):
    """The seed 000 programme's synthesis, as its coordinator reads it."""
    programme = Programme.objects.filter(organisation=organisation, name=HDF_PROGRAMME).first()
    if programme is None:
        return None
    return programme_synthesis(build_scope(programme, zone=organisation.time_zone))


def load(organisation: Organisation) -> str:
    synthesis = demo_synthesis(organisation)
    if synthesis is None:
        return _("Synthèses : programme de démonstration absent.")
    attendance = synthesis.attendance.total
    families = synthesis.progression.families
    answered = max((max(family.answered, default=0) for family in families), default=0)
    team = next(iter(synthesis.attendance.teams), None)
    return _(
        "Synthèses : %(sessions)s séances prévues, %(recorded)s demi-journées relevées, "
        "satisfaction %(satisfaction)s, autodiagnostics de %(answered)s équipes, "
        "%(actions)s actions ; rapport de parcours suggéré : %(team)s."
    ) % {
        "sessions": synthesis.calendar.planned,
        "recorded": attendance.recorded,
        "satisfaction": synthesis.satisfaction.programme_text,
        "answered": answered,
        "actions": synthesis.plans.total,
        "team": team.label if team else "—",
    }
