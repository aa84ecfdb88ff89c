"""What the PDF syntheses share: the scope a document asks for (``Document.scope``), read
with its requester's rights; the named steps of a build, shown by the document's progress
bar (« Présences », « Évaluations »…); and the rendering of a synthesis template to a
tagged PDF in the build's temporary file.

The programme synthesis (``programme_pdf``), the team journey reports (``team_report``)
and the training bilan (``bilan``) build on it; their sections are the figures of the
live dashboard (``figures``) with the same SVG charts, each with its data table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from documents.builders import BuildError
from documents.models import Document
from documents.queue import temporary_path
from organisations.models import Role
from organisations.roles import role_in
from parcours.models import Phase
from sillon.formatting import format_day
from sillon.pdf import html_to_pdf
from sillon.richtext import render_markdown

from .charts import synthesis_charts
from .figures import Synthesis
from .scope import Scope, build_scope, programme_teams

PDF = "application/pdf"
ZIP = "application/zip"


# --- The scope asked for -----------------------------------------------------------------


def scope_data(*, phase=None, starts_on=None, ends_on=None, teams=()) -> dict:
    """What ``Document.scope`` keeps of a request's period and teams."""
    data: dict = {}
    if phase is not None:
        data["phase"] = phase.pk
    if starts_on is not None:
        data["starts_on"] = starts_on.isoformat()
    if ends_on is not None:
        data["ends_on"] = ends_on.isoformat()
    ids = sorted({team.pk for team in teams})
    if ids:
        data["teams"] = ids
    return data


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def reader_rights(document: Document) -> dict:
    """The requester's rights over the figures (as on the dashboard): coordinators and
    trainers see team levels; observers read aggregates unless the programme lets them
    see names."""
    programme = document.programme
    role = role_in(document.requested_by, document.organisation) if document.requested_by else None
    return {
        "team_levels": role in (Role.COORDINATOR, Role.TRAINER),
        "aggregate_only": role == Role.OBSERVER and not programme.observers_see_names,
    }


def document_scope(document: Document, *, teams=None, all_teams=None, **rights) -> Scope:
    """The scope ``document`` asks for; ``teams`` overrides the teams it names."""
    programme = document.programme
    if programme is None:
        raise BuildError(_("Ce document ne désigne aucun programme."))
    data = document.scope or {}
    known = all_teams if all_teams is not None else programme_teams(programme)
    phase = None
    if data.get("phase"):
        phase = Phase.objects.filter(programme=programme, pk=data["phase"]).first()
        if phase is None:
            raise BuildError(_("La phase choisie n'existe plus."))
        phase.programme = programme
    if teams is None:
        chosen = set(data.get("teams") or ())
        teams = [team for team in known if team.pk in chosen]
    return build_scope(
        programme,
        zone=document.organisation.time_zone,
        phase=phase,
        starts_on=_day(data.get("starts_on")),
        ends_on=_day(data.get("ends_on")),
        teams=teams,
        all_teams=known,
        **(rights or reader_rights(document)),
    )


# --- Named steps --------------------------------------------------------------------------


class Steps:
    """The named steps of a build: ``start(name)`` writes the step's name on the row and
    moves the progress bar (``progress(done, total)`` of the pipeline). A row no longer
    building (superseded by a newer request) stops the build at its next step."""

    def __init__(self, document: Document, progress: Callable, names: Sequence[str]):
        self.document = document
        self.progress = progress
        self.total = len(names)
        self.done = 0

    def start(self, name: str) -> None:
        from documents.services import Superseded

        updated = Document.objects.filter(
            pk=self.document.pk, status=Document.Status.BUILDING
        ).update(step=name[:100])
        if not updated:
            raise Superseded
        self.document.step = name
        self.progress(self.done, self.total)
        self.done += 1

    def finish(self) -> None:
        self.progress(self.total, self.total)


# --- Rendering ------------------------------------------------------------------------------


def foreword_html(text: str) -> str:
    """The coordinator's foreword, as sanitised HTML (``sillon.richtext``)."""
    return render_markdown(text) if (text or "").strip() else ""


def sections(synthesis: Synthesis, names: Sequence[tuple[str, str, str]], notes=None) -> list:
    """The sections of a synthesis for a template: each with its title, its anchor, the
    sentence saying it is empty, and its items (a chart, when drawn, and its table)."""
    charts = synthesis_charts(synthesis)
    notes = notes or {}
    found = []
    for name, anchor, title in names:
        figures = getattr(synthesis, name)
        by_key = {chart.key: chart for chart in charts[name]}
        empty = figures.empty_message
        found.append(
            {
                "name": name,
                "anchor": anchor,
                "title": str(title),
                "empty": empty,
                "notes": notes.get(name, []),
                "items": []
                if empty
                else [
                    {"table": table, "chart": by_key.get(table.key)} for table in figures.tables()
                ],
            }
        )
    return found


def made_on(scope: Scope) -> str:
    return format_day(scope.today, weekday=False)


def synthesis_pdf(html: str) -> bytes:
    """A PDF/UA-1 document (tagged, its title shown, its language said) of ``html``,
    through ``sillon.pdf``'s fetcher of our own static and media files."""
    return html_to_pdf(html, variant="pdf/ua-1")


def write_pdf(document: Document, template: str, context: dict, path: Path | None = None) -> Path:
    """Render ``template`` to a tagged PDF in the build's temporary file (or ``path``)."""
    content = synthesis_pdf(render_to_string(template, context))
    path = path or temporary_path(document, ".pdf")
    path.write_bytes(content)
    return path


# --- Resources produced -------------------------------------------------------------------


def resources_produced(scope: Scope, *, team=None) -> list[dict]:
    """The library's resources of the programme dated in the period (of ``team`` only,
    when given; for chosen teams, theirs and the programme's): one query."""
    from ressources.models import Resource

    found = Resource.objects.filter(
        organisation_id=scope.programme.organisation_id,
        programme=scope.programme,
        date__gte=scope.starts_on,
        date__lte=scope.ends_on,
    )
    if team is not None:
        found = found.filter(team=team)
    elif not scope.all_teams:
        found = found.filter(team__isnull=True) | found.filter(team__in=scope.team_ids)
    return [
        {
            "title": resource.title,
            "kind": resource.get_kind_display(),
            "date": format_day(resource.date, weekday=False),
            "team": resource.team.name if resource.team_id else "",
        }
        for resource in found.select_related("team").order_by("date", "title", "pk")
    ]


def toc_of(sections_: list[dict], *extra: tuple[str, str]) -> list[dict]:
    """The table of contents: each section and, under it, its tables."""
    return [
        *[{"anchor": anchor, "title": str(title), "children": []} for anchor, title in extra[:1]],
        *[
            {
                "anchor": section["anchor"],
                "title": section["title"],
                "children": [
                    {"anchor": f"t-{item['table'].key}", "title": str(item["table"].title)}
                    for item in section["items"]
                ],
            }
            for section in sections_
        ],
        *[{"anchor": anchor, "title": str(title), "children": []} for anchor, title in extra[1:]],
    ]
