"""Where documents can be asked for, on the pages of the apps below: a session's
attendance sheets, the attestations on a programme's attendance dashboard, and « Mon
attestation » on a team's page, plus « Documents » in the main navigation. Each panel
decides who sees it (``None`` hides it)."""

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from documents.access import SHEET_KINDS, documents_visible_to, facilitates, is_coordinator
from documents.describe import describe
from documents.models import Document
from organisations.context_processors import register_navigation
from organisations.home_sections import HomeSection
from parcours.models import TeamMember
from parcours.session_sections import register_session_section
from parcours.team_sections import register_team_section
from presences.dashboard_panels import register_attendance_panel
from presences.models import ATTENDED, Attendance

RECENT = 3


def attended_people(organisation, programme) -> QuerySet:
    """People who attended at least one half-day of ``programme`` (those who may have
    an attestation), by name."""
    attended = Attendance.objects.filter(
        organisation=organisation,
        session__programme=programme,
        status__in=ATTENDED,
        user=OuterRef("pk"),
    )
    return User.objects.filter(Exists(attended)).order_by("last_name", "first_name", "pk")


def _recent(request, organisation, documents) -> list[dict]:
    documents = documents.select_related("requested_by", "person", "programme", "cohort", "session")
    return [describe(document, organisation) for document in documents[:RECENT]]


def session_sheets_section(request, organisation, session) -> HomeSection | None:
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


def attendance_attestations_panel(request, organisation, programme) -> HomeSection | None:
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
            "recent": _recent(request, organisation, recent),
            "next": request.get_full_path(),
        },
    )


def team_attestation_section(request, organisation, team) -> HomeSection | None:
    """« Mon attestation » on a team's page, for a member of the team who attended at
    least one half-day of the programme."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    if not TeamMember.objects.filter(organisation=organisation, team=team, user=user).exists():
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
            "recent": _recent(request, organisation, recent),
            "next": request.get_full_path(),
        },
    )


def navigation(organisation, role):
    """« Documents » in the main navigation: everyone's own, all for coordinators. (The
    key is not the list's url name, "list", which notifications' list shares.)"""
    return [(_("Documents"), reverse("documents:list", args=[organisation.slug]), "documents")]


register_navigation(navigation)
register_session_section(session_sheets_section)
register_attendance_panel(attendance_attestations_panel)
register_team_section(team_attestation_section)
