"""Factories and worlds of the ressources tests (the library and the minutes)."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone
from django_scopes import scope

from parcours.models import TeamMember
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    MembershipFactory,
    SessionFactory,
    build_programme,
)

# --- Minutes -----------------------------------------------------------------------------


def team_people(team) -> list:
    members = TeamMember.objects.filter(team=team).select_related("user").order_by("pk")
    return [member.user for member in members]


def minutes_world():
    """A published programme of 2 teams of 3, a coordinator, a trainer (facilitating the
    COPIL) and an observer; a COPIL held ten days ago (cohort-wide, with an agenda and a
    break) whose sheet has the first team's first member present, the second team's
    first member late, the first team's second member absent; a past individual
    coaching of the first team, with no sheet."""
    built = build_programme(teams=2)
    organisation = built.organisation
    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    trainer = MembershipFactory(organisation=organisation, role="trainer").user
    observer = MembershipFactory(organisation=organisation, role="observer").user
    with scope(organisation=organisation.pk):
        team, other_team = built.teams
        members, others = team_people(team), team_people(other_team)
        copil = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            title="COPIL préparatoire n° 1",
            past=True,
            facilitators=[trainer],
        )
        AgendaItemFactory(
            session=copil, title="Tour de table", start_time="09:30", end_time="10:00"
        )
        AgendaItemFactory(
            session=copil, title="Pause", kind="break", start_time="10:00", end_time="10:15"
        )
        AgendaItemFactory(
            session=copil,
            title="Calendrier de l'expérimentation",
            start_time="10:15",
            end_time="11:30",
        )
        AttendanceFactory(session=copil, user=members[0], team=team, status="present")
        AttendanceFactory(session=copil, user=others[0], team=other_team, status="partial")
        AttendanceFactory(session=copil, user=members[1], team=team, status="absent")
        coaching = SessionFactory(
            programme=built.programme,
            kind=built.individual_kind,
            title="Accompagnement individuel",
            past=True,
            audience="team",
            teams=[team],
        )
    return SimpleNamespace(
        **vars(built),
        coordinator=coordinator,
        trainer=trainer,
        observer=observer,
        team=team,
        other_team=other_team,
        members=members,
        others=others,
        copil=copil,
        coaching=coaching,
        in_a_month=timezone.localdate() + timedelta(days=30),
    )


# --- The library -------------------------------------------------------------------------


def pdf_bytes(text: str) -> bytes:
    """A real, text-extractable PDF saying ``text``."""
    from html import escape

    from sillon.pdf import html_to_pdf

    return html_to_pdf(
        f"<html lang='fr'><body><h1>Document</h1><p>{escape(text)}</p></body></html>"
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def docx_bytes(text: str) -> bytes:
    """A minimal Word document (its XML parts in a ZIP) saying ``text``."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def library_world():
    """Two organisations. The first: a published programme of 2 teams of 3, a
    coordinator, a trainer (facilitating a session), an observer, a theme and a work
    stream; the second: a coordinator and its own theme. Call inside no scope; enter the
    first organisation's scope to use it."""
    from django_scopes import scope

    from ressources.models import Tag
    from tests.factories import OrganisationFactory

    built = build_programme(teams=2)
    organisation = built.organisation
    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    trainer = MembershipFactory(organisation=organisation, role="trainer").user
    observer = MembershipFactory(organisation=organisation, role="observer").user
    other_organisation = OrganisationFactory()
    stranger = MembershipFactory(organisation=other_organisation, role="coordinator").user
    with scope(organisation=other_organisation.pk):
        foreign_tag = Tag.objects.create(
            organisation=other_organisation, category="theme", name="Étranger"
        )
    with scope(organisation=organisation.pk):
        team, other_team = built.teams
        session = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            title="J1 — Diagnostic",
            facilitators=[trainer],
        )
        theme = Tag.objects.create(organisation=organisation, category="theme", name="Alimentation")
        work_stream = Tag.objects.create(
            organisation=organisation, category="chantier", name="Documentation & Indexation"
        )
        members, others = team_people(team), team_people(other_team)
    return SimpleNamespace(
        **vars(built),
        coordinator=coordinator,
        trainer=trainer,
        observer=observer,
        other_organisation=other_organisation,
        stranger=stranger,
        foreign_tag=foreign_tag,
        team=team,
        other_team=other_team,
        member=members[0],
        outsider=others[0],
        session=session,
        theme=theme,
        work_stream=work_stream,
    )
