"""The kinds of documents and their builders, and where documents can be asked for on
the pages of the apps below (``sillon.extensions``): a session's attendance sheets,
the attestations on a programme's attendance dashboard, « Mon attestation » on a team's
page, the programme's « Synthèse » tab, « Documents » in the main navigation, and a
person's data. Each panel decides who sees it (``None`` hides it).

* ``document_builders``: the builder of each kind of document (``documents.builders``).
  Receivers take no argument and return ``{kind: builder}``; a later contribution naming
  a kind replaces an earlier one.
"""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.extensions import personal_data
from documents.access import (
    SHEET_KINDS,
    attended_people,
    documents_visible_to,
    facilitates,
    is_coordinator,
)
from documents.attendance_sheets import build_blank_sheet, build_filled_sheet
from documents.attestations import build_attestation, build_attestations
from documents.codev_records import build_codev_record
from documents.describe import describe
from documents.models import Document
from documents.personal_data import export_for_user
from documents.plan_records import build_action_plan
from documents.services import default_period
from documents.syntheses.views import READERS as SYNTHESIS_READERS
from organisations.extensions import navigation
from organisations.home_sections import HomeSection
from organisations.roles import role_in
from parcours.extensions import programme_tabs, session_panels, team_panels
from presences.extensions import attendance_dashboard_panels
from presences.models import ATTENDED, Attendance
from sillon.extensions import ExtensionPoint

document_builders = ExtensionPoint(
    "documents.builders",
    "The builders of kinds of documents: () -> {kind: build(document, progress) -> Built}.",
)

RECENT = 3


@receiver(document_builders, dispatch_uid="documents.builders")
def attestations_and_sheets(sender, **kwargs):
    """The documents Sillon knows: attestations, attendance sheets, CODEV records, action
    plans."""
    return {
        Document.Kind.ATTESTATION: build_attestation,
        Document.Kind.ATTESTATIONS: build_attestations,
        Document.Kind.ATTENDANCE_SHEET: build_blank_sheet,
        Document.Kind.FILLED_ATTENDANCE_SHEET: build_filled_sheet,
        Document.Kind.CODEV_RECORD: build_codev_record,
        Document.Kind.ACTION_PLAN: build_action_plan,
    }


@receiver(document_builders, dispatch_uid="documents.syntheses")
def syntheses(sender, **kwargs):
    """The PDF syntheses: the programme's, the teams' journey reports, the training
    bilan."""
    from documents.syntheses.builders import synthesis_builders

    return synthesis_builders()


def _recent(request, organisation, documents) -> list[dict]:
    documents = documents.select_related("requested_by", "person", "programme", "cohort", "session")
    return [describe(document, organisation) for document in documents[:RECENT]]


@receiver(session_panels, dispatch_uid="documents.attendance_sheets")
def attendance_sheets_panel(
    sender, *, request, organisation, session, **kwargs
) -> HomeSection | None:
    """« Feuilles d'émargement »: blank or filled, for coordinators and the session's
    facilitators."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or session.is_cancelled:
        return None
    if not (is_coordinator(user, organisation) or facilitates(user, session)):
        return None
    recent = documents_visible_to(user, organisation).filter(session=session, kind__in=SHEET_KINDS)
    return HomeSection(
        "documents/partials/session_sheets.html",
        {
            "session": session,
            "has_attendance": Attendance.objects.filter(
                organisation=organisation, session=session
            ).exists(),
            "recent": _recent(request, organisation, recent),
            "next": request.get_full_path(),
        },
    )


@receiver(attendance_dashboard_panels, dispatch_uid="documents.attestations")
def attendance_attestations_panel(
    sender, *, request, organisation, programme, **kwargs
) -> HomeSection | None:
    """« Attestations de participation » on the attendance dashboard: the cohort's ZIP
    and one person's, for coordinators."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not is_coordinator(user, organisation):
        return None
    recent = documents_visible_to(user, organisation).filter(
        programme=programme,
        kind__in=(Document.Kind.ATTESTATION, Document.Kind.ATTESTATIONS),
    )
    return HomeSection(
        "documents/partials/attendance_attestations.html",
        {
            "programme": programme,
            "cohorts": list(programme.cohorts.all()),
            "people": list(attended_people(organisation, programme)),
            "period": default_period(programme, organisation),
            "recent": _recent(request, organisation, recent),
            "next": request.get_full_path(),
        },
    )


@receiver(team_panels, dispatch_uid="documents.attestation")
def team_attestation_panel(
    sender, *, request, organisation, team, members, **kwargs
) -> HomeSection | None:
    """« Mon attestation » on a team's page, for a member of the team (current or former)
    who attended at least one half-day of the programme."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    if not any(member.user_id == user.pk for member in members):
        return None
    programme = team.cohort.programme
    attended = Attendance.objects.filter(
        organisation=organisation, session__programme=programme, user=user, status__in=ATTENDED
    )
    if not attended.exists():
        return None
    recent = Document.objects.filter(
        organisation=organisation,
        kind=Document.Kind.ATTESTATION,
        programme=programme,
        person=user,
    )
    return HomeSection(
        "documents/partials/team_attestation.html",
        {
            "programme": programme,
            "period": default_period(programme, organisation),
            "recent": _recent(request, organisation, recent),
            "next": request.get_full_path(),
        },
    )


@receiver(team_panels, dispatch_uid="documents.team_report")
def team_report_panel(
    sender, *, request, organisation, team, members, **kwargs
) -> HomeSection | None:
    """« Rapport de parcours » on a team's page: its members and the staff (never another
    team, whose page they do not reach)."""
    from documents.syntheses.services import may_read_team_report

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    if not may_read_team_report(user, organisation, team, members=members):
        return None
    programme = team.cohort.programme
    recent = Document.objects.filter(
        organisation=organisation, kind=Document.Kind.TEAM_REPORT, team=team
    )
    return HomeSection(
        "documents/syntheses/partials/team_report.html",
        {
            "programme": programme,
            "team": team,
            "recent": _recent(request, organisation, recent.filter(requested_by=user)),
        },
    )


@receiver(programme_tabs, dispatch_uid="documents.synthesis")
def synthesis_tab(sender, *, request, organisation, programme, **kwargs):
    """« Synthèse »: the programme's live synthesis, for its coordinators, trainers and
    observers."""
    if role_in(request.user, organisation) not in SYNTHESIS_READERS:
        return []
    url = reverse("documents:synthesis", args=[organisation.slug, programme.pk])
    return [(_("Synthèse"), url, "synthese")]


@receiver(navigation, dispatch_uid="documents.navigation")
def documents_navigation(sender, *, organisation, role, **kwargs):
    """« Documents » in the main navigation: everyone's own, all for coordinators. (The
    key is not the list's url name, "list", which notifications' list shares.)"""
    return [(_("Documents"), reverse("documents:list", args=[organisation.slug]), "documents")]


@receiver(personal_data, dispatch_uid="documents.personal_data")
def documents_personal_data(sender, *, user, **kwargs):
    return "documents", export_for_user(user)
