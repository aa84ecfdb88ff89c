"""The programme synthesis (PROGRAMME_SYNTHESIS): one PDF for the funders and elected
bodies, with the coordinator's foreword, then the sections of the live dashboard — the
calendar held against the calendar planned, attendance per session, team and role,
satisfaction per session and per moment, the cohort's progression, action plans by
status, CODEV — and the resources produced, each chart with its data table.

Built in named steps (« Calendrier », « Présences », « Évaluations »…) shown by the
document's progress bar; the queries do not depend on the number of teams.
"""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from documents.builders import Built
from documents.filenames import ascii_filename
from documents.models import Document

from .figures import (
    Synthesis,
    attendance_figures,
    calendar_figures,
    codev_figures,
    evaluation_reads,
    plan_figures,
    progression_figures,
    satisfaction_figures,
)
from .pdf import (
    PDF,
    Steps,
    document_scope,
    foreword_html,
    made_on,
    resources_produced,
    sections,
    toc_of,
    write_pdf,
)
from .views import SECTIONS, _notes

TEMPLATE = "documents/syntheses/pdf/programme.html"


def step_names() -> list[str]:
    return [
        _("Calendrier"),
        _("Présences"),
        _("Évaluations"),
        _("Progression"),
        _("Plans d'action"),
        _("CODEV et ressources"),
        _("Mise en page"),
    ]


def synthesis_context(document: Document, steps: Steps | None = None) -> dict:
    """The context of the programme synthesis's template."""
    names = step_names()

    def start(index: int) -> None:
        if steps is not None:
            steps.start(names[index])

    scope = document_scope(document)
    start(0)
    calendar = calendar_figures(scope)
    start(1)
    attendance = attendance_figures(scope)
    start(2)
    reads = evaluation_reads(scope)
    satisfaction = satisfaction_figures(scope, reads)
    start(3)
    progression = progression_figures(scope, reads)
    start(4)
    plans = plan_figures(scope)
    start(5)
    codev = codev_figures(scope)
    resources = resources_produced(scope)
    synthesis = Synthesis(
        scope=scope,
        calendar=calendar,
        attendance=attendance,
        satisfaction=satisfaction,
        progression=progression,
        plans=plans,
        codev=codev,
    )
    found = sections(synthesis, SECTIONS, _notes(synthesis))
    foreword = foreword_html(document.foreword)
    extra = [("avant-propos", _("Avant-propos"))] if foreword else []
    toc = toc_of(found, *extra, ("ressources", _("Ressources produites")))
    if not foreword:
        toc.insert(0, {"anchor": "en-bref", "title": _("En bref"), "children": []})
    else:
        toc.insert(1, {"anchor": "en-bref", "title": _("En bref"), "children": []})
    return {
        "organisation": document.organisation,
        "programme": scope.programme,
        "title": _("Synthèse du programme"),
        "subtitle": scope.programme.name,
        "scope": scope,
        "show_teams": True,
        "made_on": made_on(scope),
        "synthesis": synthesis,
        "sections": found,
        "foreword": mark_safe(foreword),  # sanitised by sillon.richtext
        "resources": resources,
        "with_team": True,
        "toc": toc,
    }


def build_programme_synthesis(document: Document, progress) -> Built:
    steps = Steps(document, progress, step_names())
    context = synthesis_context(document, steps)
    steps.start(step_names()[-1])
    path = write_pdf(document, TEMPLATE, context)
    steps.finish()
    prefix = _("Synthèse")
    filename = ascii_filename(f"{prefix} - {context['programme'].name}", "pdf", fallback=prefix)
    return Built(path=path, filename=filename, content_type=PDF)
