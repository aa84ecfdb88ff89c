"""Every write on programmes, phases, sessions, agendas, teams and calendar feeds.

Each service is keyword-only, runs in a transaction, validates with French messages
tied to form fields, writes an audit entry naming the action and dispatches the e-mails
(convocations, change and cancellation notices) after commit.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation, Role
from organisations.roles import forget_roles
from organisations.services import record
from sillon.uploads import validate_upload

from .models import (
    AgendaItem,
    CalendarFeed,
    Cohort,
    Phase,
    Programme,
    Session,
    SessionDocument,
    SessionFormat,
    SessionKind,
    SessionRegistration,
    Team,
    TeamMember,
    TeamRole,
    Workshop,
    WorkshopRegistration,
)
from .models.feeds import new_feed_token
from .months import shift_datetime


class Action:
    """Names of the audited actions, shown in the organisation's journal."""

    PROGRAMME_CREATED = "programme créé"
    PROGRAMME_UPDATED = "programme modifié"
    PROGRAMME_PUBLISHED = "programme publié"
    PROGRAMME_ARCHIVED = "programme archivé"
    PROGRAMME_COPIED = "programme copié"
    PHASE_SAVED = "phase enregistrée"
    PHASE_DELETED = "phase supprimée"
    SESSION_KIND_SAVED = "type de séance enregistré"
    SESSION_CREATED = "séance créée"
    SESSION_UPDATED = "séance modifiée"
    SESSION_MOVED = "séance déplacée"
    SESSION_CANCELLED = "séance annulée"
    SESSION_DUPLICATED = "séance dupliquée"
    INDIVIDUAL_SESSIONS_GENERATED = "séances individuelles générées"
    AGENDA_UPDATED = "programme de la journée modifié"
    DOCUMENT_ADDED = "document ajouté"
    DOCUMENT_REMOVED = "document retiré"
    TEAM_CREATED = "équipe créée"
    TEAM_MEMBER_ADDED = "membre d'équipe ajouté"


# The session kinds every new programme starts with: they cover the five seeds.
# (name, colour, is_individual)
DEFAULT_SESSION_KINDS = [
    ("Lancement", "#8e3b46", False),
    ("Formation", "#2a6f97", False),
    ("Accompagnement individuel", "#4d7c0f", True),
    ("Webinaire", "#7b4fa0", False),
    ("CODEV", "#b45309", False),
    ("COPIL", "#475569", False),
    ("Voyage apprenant", "#0f766e", False),
    ("Table ronde", "#9d174d", False),
    ("Restitution", "#1e40af", False),
    ("Séminaire", "#a16207", False),
    ("Atelier", "#15803d", False),
    ("Groupe de travail", "#6d28d9", False),
    ("Rencontre", "#be123c", False),
]

# Team role presets offered when creating a programme: (name, description, required).
TEAM_ROLE_PRESETS = {
    "pat": [
        ("Élu·e référent·e", "L'élu·e qui porte le projet pour la collectivité.", True),
        ("Chargé·e de mission", "La personne qui anime le projet au quotidien.", True),
        ("Responsable de service", "Le ou la responsable du service concerné.", False),
    ],
    "none": [],
}

# Fields whose change makes a session's convocation out of date (a change notice goes out
# and the iCal SEQUENCE grows).
SIGNIFICANT_FIELDS = ("starts_at", "ends_at", "all_day", "format", "place", "visio_url")

SESSION_FIELDS = (
    "title",
    "kind",
    "phase",
    "format",
    "starts_at",
    "ends_at",
    "all_day",
    "date_note",
    "place",
    "visio_url",
    "capacity",
    "objectives",
    "content",
    "audience",
    "expected_presence",
    "expected_role",
    "status",
)

DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint (.pptx)"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument texte (.odt)",
}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def _zone(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.time_zone)


def _local_date(moment: datetime, organisation: Organisation) -> date:
    return moment.astimezone(_zone(organisation)).date()


# --- Programmes ---------------------------------------------------------------------


def _validate_programme_dates(start_date: date, end_date: date) -> None:
    if end_date < start_date:
        raise ValidationError({"end_date": _("La fin du programme doit suivre son début.")})


@transaction.atomic
def create_programme(
    *,
    organisation: Organisation,
    acting_user,
    name: str,
    start_date: date,
    end_date: date,
    description: str = "",
    objectives: str = "",
    cohort_name: str = "",
    team_roles: str = "none",
) -> Programme:
    """A draft programme with its first cohort and the default session kinds."""
    _validate_programme_dates(start_date, end_date)
    programme = Programme.objects.create(
        organisation=organisation,
        name=name,
        description=description,
        objectives=objectives,
        start_date=start_date,
        end_date=end_date,
    )
    Cohort.objects.create(
        organisation=organisation,
        programme=programme,
        name=cohort_name
        or _("Promotion %(start)s–%(end)s") % {"start": start_date.year, "end": end_date.year},
    )
    SessionKind.objects.bulk_create(
        SessionKind(
            organisation=organisation,
            programme=programme,
            name=kind_name,
            colour=colour,
            is_individual=is_individual,
            order=order,
        )
        for order, (kind_name, colour, is_individual) in enumerate(DEFAULT_SESSION_KINDS)
    )
    TeamRole.objects.bulk_create(
        TeamRole(
            organisation=organisation,
            programme=programme,
            name=role_name,
            description=role_description,
            required=required,
            order=order,
        )
        for order, (role_name, role_description, required) in enumerate(
            TEAM_ROLE_PRESETS.get(team_roles, [])
        )
    )
    record(
        organisation=organisation,
        actor=acting_user,
        action=Action.PROGRAMME_CREATED,
        target=name,
    )
    return programme


@transaction.atomic
def update_programme(*, programme: Programme, acting_user, changed_fields: list[str]) -> Programme:
    """Save fields a form already set on ``programme``. Dates may not leave sessions
    outside the programme."""
    _validate_programme_dates(programme.start_date, programme.end_date)
    if {"start_date", "end_date"} & set(changed_fields):
        zone = _zone(programme.organisation)
        start = datetime.combine(programme.start_date, datetime.min.time(), zone)
        end = datetime.combine(programme.end_date + timedelta(days=1), datetime.min.time(), zone)
        outside = (
            Session.objects.active()
            .filter(programme=programme)
            .filter(Q(starts_at__lt=start) | Q(ends_at__gt=end))
            .count()
        )
        if outside:
            raise ValidationError(
                {
                    "start_date": _(
                        "%(count)s séance(s) se trouveraient hors des dates du programme : "
                        "déplacez-les ou annulez-les d'abord."
                    )
                    % {"count": outside}
                }
            )
    if changed_fields:
        programme.save(update_fields=changed_fields)
        record(
            organisation=programme.organisation,
            actor=acting_user,
            action=Action.PROGRAMME_UPDATED,
            target=programme.name,
            fields=sorted(changed_fields),
        )
    return programme


@transaction.atomic
def publish_programme(*, programme: Programme, acting_user, notify: bool = True) -> Programme:
    """Make the programme visible to its participants and send them their convocations
    (``notify=False``: no e-mail, e.g. when loading demo data)."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status != Programme.Status.DRAFT:
        raise ValidationError(_("Seul un programme en brouillon peut être publié."))
    programme.status = Programme.Status.PUBLISHED
    programme.published_at = timezone.now()
    programme.save(update_fields=["status", "published_at"])
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.PROGRAMME_PUBLISHED,
        target=programme.name,
    )
    if notify:
        _on_commit_programme_convocations(programme)
    return programme


@transaction.atomic
def archive_programme(*, programme: Programme, acting_user) -> Programme:
    if programme.status == Programme.Status.ARCHIVED:
        raise ValidationError(_("Ce programme est déjà archivé."))
    programme.status = Programme.Status.ARCHIVED
    programme.save(update_fields=["status"])
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.PROGRAMME_ARCHIVED,
        target=programme.name,
    )
    return programme


@dataclass
class CopyResult:
    programme: Programme
    sessions_copied: int
    team_sessions_skipped: int


@transaction.atomic
def copy_programme(
    *,
    programme: Programme,
    acting_user,
    name: str,
    start_date: date,
    cohort_name: str = "",
) -> CopyResult:
    """A new draft programme starting on ``start_date``: phases, kinds, team roles,
    sessions and their agendas, every date shifted by the same number of days (at the
    same local time). Sessions of one team are not copied: the new cohort has new
    teams; cancelled sessions are left behind."""
    organisation = programme.organisation
    zone = _zone(organisation)
    days = (start_date - programme.start_date).days
    copy = Programme.objects.create(
        organisation=organisation,
        name=name,
        description=programme.description,
        objectives=programme.objectives,
        start_date=start_date,
        end_date=programme.end_date + timedelta(days=days),
    )
    Cohort.objects.create(
        organisation=organisation,
        programme=copy,
        name=cohort_name
        or _("Promotion %(start)s–%(end)s") % {"start": start_date.year, "end": copy.end_date.year},
    )
    kinds = {}
    for kind in SessionKind.objects.filter(programme=programme):
        kinds[kind.pk] = SessionKind.objects.create(
            organisation=organisation,
            programme=copy,
            name=kind.name,
            colour=kind.colour,
            is_individual=kind.is_individual,
            order=kind.order,
        )
    roles = {}
    for role in TeamRole.objects.filter(programme=programme):
        roles[role.pk] = TeamRole.objects.create(
            organisation=organisation,
            programme=copy,
            name=role.name,
            description=role.description,
            required=role.required,
            max_per_team=role.max_per_team,
            order=role.order,
        )
    phases = {}
    for phase in Phase.objects.filter(programme=programme):
        phases[phase.pk] = Phase.objects.create(
            organisation=organisation,
            programme=copy,
            name=phase.name,
            order=phase.order,
            start_month=phase.start_month,
            end_month=phase.end_month,
            start_date=phase.start_date and phase.start_date + timedelta(days=days),
            end_date=phase.end_date and phase.end_date + timedelta(days=days),
            colour=phase.colour,
            description=phase.description,
        )
    sessions = (
        Session.objects.active()
        .filter(programme=programme)
        .prefetch_related("facilitators", "teams", "agenda_items__workshops")
    )
    copied = skipped = 0
    for session in sessions:
        if session.audience in (Session.Audience.TEAM, Session.Audience.TEAMS):
            skipped += 1
            continue
        new = Session.objects.create(
            organisation=organisation,
            programme=copy,
            phase=phases.get(session.phase_id),
            kind=kinds[session.kind_id],
            title=session.title,
            format=session.format,
            starts_at=shift_datetime(session.starts_at, days, zone),
            ends_at=shift_datetime(session.ends_at, days, zone),
            all_day=session.all_day,
            date_note=session.date_note,
            place=session.place,
            visio_url=session.visio_url,
            capacity=session.capacity,
            objectives=session.objectives,
            content=session.content,
            audience=session.audience,
            expected_presence=session.expected_presence,
            expected_role=roles.get(session.expected_role_id),
            status=session.status,
        )
        new.facilitators.set(session.facilitators.all())
        for item in session.agenda_items.all():
            new_item = AgendaItem.objects.create(
                organisation=organisation,
                session=new,
                day=item.day,
                start_time=item.start_time,
                end_time=item.end_time,
                kind=item.kind,
                title=item.title,
                description=item.description,
                speakers=item.speakers,
                room=item.room,
            )
            Workshop.objects.bulk_create(
                Workshop(
                    organisation=organisation,
                    round=new_item,
                    title=workshop.title,
                    description=workshop.description,
                    speakers=workshop.speakers,
                    room=workshop.room,
                    capacity=workshop.capacity,
                )
                for workshop in item.workshops.all()
            )
        copied += 1
    record(
        organisation=organisation,
        actor=acting_user,
        action=Action.PROGRAMME_COPIED,
        target=name,
        source=programme.name,
        days=days,
    )
    return CopyResult(copy, copied, skipped)


# --- Phases and session kinds --------------------------------------------------------


def _validate_phase(phase: Phase) -> None:
    uses_months = phase.start_month is not None or phase.end_month is not None
    uses_dates = phase.start_date is not None or phase.end_date is not None
    if uses_months and uses_dates:
        raise ValidationError(
            _("Indiquez la période soit en mois du parcours, soit en dates, pas les deux.")
        )
    if uses_months:
        if phase.start_month is None or phase.end_month is None:
            raise ValidationError({"end_month": _("Indiquez le mois de début et le mois de fin.")})
        if phase.end_month < phase.start_month:
            raise ValidationError({"end_month": _("Le mois de fin doit suivre le mois de début.")})
    elif uses_dates:
        if phase.start_date is None or phase.end_date is None:
            raise ValidationError({"end_date": _("Indiquez la date de début et la date de fin.")})
        if phase.end_date < phase.start_date:
            raise ValidationError({"end_date": _("La fin de la phase doit suivre son début.")})
    else:
        raise ValidationError(
            _(
                "Indiquez la période de la phase : en mois du parcours (mois 0, mois 6…) "
                "ou en dates."
            )
        )


@transaction.atomic
def save_phase(*, phase: Phase, acting_user) -> Phase:
    """Create or update a phase a form already filled in."""
    _validate_phase(phase)
    phase.organisation = phase.programme.organisation
    phase.save()
    record(
        organisation=phase.organisation,
        actor=acting_user,
        action=Action.PHASE_SAVED,
        target=phase.name,
    )
    return phase


@transaction.atomic
def delete_phase(*, phase: Phase, acting_user) -> None:
    """Remove a phase; its sessions stay in the programme, without phase."""
    record(
        organisation=phase.organisation,
        actor=acting_user,
        action=Action.PHASE_DELETED,
        target=phase.name,
    )
    phase.delete()


@transaction.atomic
def save_session_kind(*, kind: SessionKind, acting_user) -> SessionKind:
    kind.organisation = kind.programme.organisation
    if (
        SessionKind.objects.filter(programme=kind.programme, name__iexact=kind.name)
        .exclude(pk=kind.pk)
        .exists()
    ):
        raise ValidationError({"name": _("Ce programme a déjà un type de séance de ce nom.")})
    kind.save()
    record(
        organisation=kind.organisation,
        actor=acting_user,
        action=Action.SESSION_KIND_SAVED,
        target=kind.name,
    )
    return kind


# --- Sessions ------------------------------------------------------------------------


def validate_session(session: Session, *, teams: list[Team] | None = None) -> None:
    """Check a session's own consistency. Messages name the field they concern."""
    errors: dict[str, list[str]] = {}
    programme = session.programme
    organisation = programme.organisation
    if session.starts_at and session.ends_at:
        if session.ends_at <= session.starts_at:
            errors.setdefault("ends_at", []).append(_("La fin doit suivre le début."))
        else:
            first = _local_date(session.starts_at, organisation)
            last = _local_date(session.ends_at - timedelta(microseconds=1), organisation)
            if first < programme.start_date or last > programme.end_date:
                errors.setdefault("starts_at", []).append(
                    _(
                        "La séance doit se tenir pendant le programme, entre le %(start)s et "
                        "le %(end)s."
                    )
                    % {
                        "start": programme.start_date.strftime("%d/%m/%Y"),
                        "end": programme.end_date.strftime("%d/%m/%Y"),
                    }
                )
    if session.visio_url and not session.visio_url.lower().startswith("https://"):
        errors.setdefault("visio_url", []).append(
            _("Le lien de visio doit commencer par https:// (connexion chiffrée).")
        )
    if session.is_in_person and not session.place.strip():
        errors.setdefault("place", []).append(
            _("Indiquez l'adresse du lieu : la séance a lieu en présentiel.")
        )
    if session.kind_id and session.kind.programme_id != programme.pk:
        errors.setdefault("kind", []).append(_("Choisissez un type de séance de ce programme."))
    if session.phase_id and session.phase.programme_id != programme.pk:
        errors.setdefault("phase", []).append(_("Choisissez une phase de ce programme."))
    if session.expected_presence == Session.Presence.ONE_ROLE:
        if session.expected_role_id is None:
            errors.setdefault("expected_role", []).append(
                _("Choisissez le rôle attendu à cette séance.")
            )
        elif session.expected_role.programme_id != programme.pk:
            errors.setdefault("expected_role", []).append(
                _("Choisissez un rôle d'équipe de ce programme.")
            )
    if teams is not None:
        if any(team.cohort.programme_id != programme.pk for team in teams):
            errors.setdefault("teams", []).append(_("Choisissez des équipes de ce programme."))
        if session.audience == Session.Audience.TEAM and len(teams) != 1:
            errors.setdefault("teams", []).append(
                _("Une séance individuelle concerne exactement une équipe.")
            )
        if session.audience == Session.Audience.TEAMS and not teams:
            errors.setdefault("teams", []).append(_("Choisissez au moins une équipe."))
    if errors:
        raise ValidationError(errors)


def _validate_facilitators(organisation: Organisation, facilitators) -> None:
    from organisations.models import Membership

    ids = {user.pk for user in facilitators}
    allowed = set(
        Membership.objects.filter(
            organisation=organisation,
            user_id__in=ids,
            role__in=[Role.TRAINER, Role.COORDINATOR],
        ).values_list("user_id", flat=True)
    )
    if ids - allowed:
        raise ValidationError(
            {"facilitators": _("Les intervenant·es doivent être membres de l'organisation.")}
        )


def overlapping_sessions(session: Session, *, teams: list[Team] | None = None):
    """Active sessions of the same programme that share a team with ``session`` and
    overlap it in time: the form warns and asks for confirmation."""
    if not (session.starts_at and session.ends_at) or session.ends_at <= session.starts_at:
        return Session.objects.none()
    candidates = (
        Session.objects.active()
        .filter(
            programme=session.programme,
            starts_at__lt=session.ends_at,
            ends_at__gt=session.starts_at,
        )
        .exclude(pk=session.pk)
        .exclude(audience=Session.Audience.OPEN)
    )
    if session.audience == Session.Audience.OPEN:
        return Session.objects.none()
    if session.audience == Session.Audience.COHORT:
        return candidates.order_by("starts_at")
    team_ids = [team.pk for team in teams or []]
    return (
        candidates.filter(Q(audience=Session.Audience.COHORT) | Q(teams__in=team_ids))
        .distinct()
        .order_by("starts_at")
    )


def _set_relations(session: Session, *, facilitators, teams) -> None:
    if facilitators is not None:
        session.facilitators.set(facilitators)
    if teams is not None:
        if session.audience in (Session.Audience.TEAM, Session.Audience.TEAMS):
            session.teams.set(teams)
        else:
            session.teams.clear()


@transaction.atomic
def create_session(
    *,
    programme: Programme,
    acting_user,
    facilitators=(),
    teams=(),
    **fields: Any,
) -> Session:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    session = Session(organisation=programme.organisation, programme=programme, **fields)
    teams = list(teams)
    validate_session(session, teams=teams)
    _validate_facilitators(programme.organisation, facilitators)
    session.save()
    _set_relations(session, facilitators=list(facilitators), teams=teams)
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.SESSION_CREATED,
        target=session.title,
        session=session.pk,
    )
    if programme.is_published and session.status == Session.Status.SCHEDULED:
        _on_commit_notice(session, "convocation")
    return session


@transaction.atomic
def update_session(
    *,
    session: Session,
    acting_user,
    facilitators=None,
    teams=None,
    **fields: Any,
) -> Session:
    """Apply changes to a session. A change of date, time, format or place makes the
    iCal SEQUENCE grow and sends a change notice; confirming a tentative session sends
    the convocations."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    if "status" in fields and fields["status"] == Session.Status.CANCELLED:
        raise ValidationError({"status": _("Utilisez « Annuler la séance » pour l'annuler.")})
    current = Session.objects.select_for_update().get(pk=session.pk)
    if current.is_cancelled:
        raise ValidationError(_("Une séance annulée ne peut plus être modifiée."))
    before = {name: getattr(current, name) for name in SIGNIFICANT_FIELDS}
    was_tentative = current.status == Session.Status.TENTATIVE
    for name, value in fields.items():
        setattr(session, name, value)
    team_list = list(teams) if teams is not None else list(session.teams.all())
    validate_session(session, teams=team_list)
    if facilitators is not None:
        _validate_facilitators(session.organisation, facilitators)
    changes = {
        name: (before[name], getattr(session, name))
        for name in SIGNIFICANT_FIELDS
        if before[name] != getattr(session, name)
    }
    if changes:
        session.sequence = current.sequence + 1
    session.save()
    _set_relations(
        session,
        facilitators=list(facilitators) if facilitators is not None else None,
        teams=team_list if teams is not None else None,
    )
    record(
        organisation=session.organisation,
        actor=acting_user,
        action=Action.SESSION_MOVED if changes else Action.SESSION_UPDATED,
        target=session.title,
        session=session.pk,
        fields=sorted(changes),
    )
    if session.programme.is_published and session.status == Session.Status.SCHEDULED:
        if was_tentative:
            _on_commit_notice(session, "convocation")
        elif changes:
            _on_commit_notice(session, "change", changed=sorted(changes), previous=before)
    return session


@transaction.atomic
def cancel_session(*, session: Session, acting_user, reason: str = "") -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("Cette séance est déjà annulée."))
    was_announced = session.status == Session.Status.SCHEDULED
    session.status = Session.Status.CANCELLED
    session.cancellation_reason = reason
    session.sequence += 1
    session.save(update_fields=["status", "cancellation_reason", "sequence", "updated_at"])
    record(
        organisation=session.organisation,
        actor=acting_user,
        action=Action.SESSION_CANCELLED,
        target=session.title,
        session=session.pk,
        reason=reason,
    )
    if session.programme.is_published and was_announced:
        _on_commit_notice(session, "cancellation")
    return session


@transaction.atomic
def duplicate_session(*, session: Session, acting_user) -> Session:
    """A copy of the session, to be adjusted: same content, agenda and people, status
    "à confirmer" so nobody is convened before the coordinator checks the date."""
    copy = Session.objects.create(
        organisation=session.organisation,
        programme=session.programme,
        phase=session.phase,
        kind=session.kind,
        title=_("%(title)s (copie)") % {"title": session.title},
        format=session.format,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        all_day=session.all_day,
        date_note=session.date_note,
        place=session.place,
        visio_url=session.visio_url,
        capacity=session.capacity,
        objectives=session.objectives,
        content=session.content,
        audience=session.audience,
        expected_presence=session.expected_presence,
        expected_role=session.expected_role,
        status=Session.Status.TENTATIVE,
    )
    copy.facilitators.set(session.facilitators.all())
    copy.teams.set(session.teams.all())
    for item in session.agenda_items.prefetch_related("workshops"):
        workshops = list(item.workshops.all())
        item.pk = None
        item.session = copy
        item.save()
        for workshop in workshops:
            workshop.pk = None
            workshop.round = item
            workshop.save()
    record(
        organisation=session.organisation,
        actor=acting_user,
        action=Action.SESSION_DUPLICATED,
        target=copy.title,
        source=session.pk,
        session=copy.pk,
    )
    return copy


@transaction.atomic
def generate_individual_sessions(
    *,
    programme: Programme,
    acting_user,
    kind: SessionKind,
    title: str,
    format: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    visio_url: str = "",
    objectives: str = "",
    phase: Phase | None = None,
    facilitators=(),
    expected_presence: str = Session.Presence.WHOLE_TEAM_WISHED,
    expected_role: TeamRole | None = None,
    teams=None,
) -> list[Session]:
    """The same individual session for every team of the programme (or the given
    teams), each "à confirmer" on the given date until the team's date is fixed."""
    if teams is None:
        teams = Team.objects.filter(cohort__programme=programme).select_related("cohort")
    teams = list(teams)
    if not teams:
        raise ValidationError(_("Ce programme n'a encore aucune équipe."))
    if format == SessionFormat.IN_PERSON and not place:
        place = _("Sur le territoire de l'équipe")
    created = []
    for team in teams:
        session = Session(
            organisation=programme.organisation,
            programme=programme,
            phase=phase,
            kind=kind,
            title=f"{title} — {team.name}",
            format=format,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            visio_url=visio_url,
            objectives=objectives,
            audience=Session.Audience.TEAM,
            expected_presence=expected_presence,
            expected_role=expected_role,
            status=Session.Status.TENTATIVE,
            date_note=_("Date à fixer avec l'équipe"),
        )
        validate_session(session, teams=[team])
        session.save()
        session.teams.set([team])
        session.facilitators.set(facilitators)
        created.append(session)
    _validate_facilitators(programme.organisation, facilitators)
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.INDIVIDUAL_SESSIONS_GENERATED,
        target=title,
        count=len(created),
    )
    return created


# --- Registration (open sessions, workshops) -----------------------------------------


@transaction.atomic
def register_to_session(*, session: Session, user) -> SessionRegistration:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.audience != Session.Audience.OPEN:
        raise ValidationError(_("Cette séance n'est pas ouverte aux inscriptions."))
    if session.is_cancelled or session.ends_at < timezone.now():
        raise ValidationError(_("Les inscriptions à cette séance sont closes."))
    existing = SessionRegistration.objects.filter(session=session, user=user).first()
    if existing:
        return existing
    if session.capacity is not None and session.registrations.count() >= session.capacity:
        raise ValidationError(_("Cette séance est complète."))
    return SessionRegistration.objects.create(
        organisation=session.organisation, session=session, user=user
    )


@transaction.atomic
def unregister_from_session(*, session: Session, user) -> None:
    SessionRegistration.objects.filter(session=session, user=user).delete()
    WorkshopRegistration.objects.filter(round__session=session, user=user).delete()


@transaction.atomic
def register_to_workshop(*, workshop: Workshop, user) -> WorkshopRegistration:
    """Choose ``workshop`` in its round, replacing a previous choice in that round."""
    workshop = (
        Workshop.objects.select_for_update().select_related("round__session").get(pk=workshop.pk)
    )
    session = workshop.round.session
    if session.is_cancelled or session.ends_at < timezone.now():
        raise ValidationError(_("Les inscriptions aux ateliers sont closes."))
    current = WorkshopRegistration.objects.filter(round=workshop.round, user=user).first()
    if current and current.workshop_id == workshop.pk:
        return current
    if workshop.capacity is not None and workshop.registrations.count() >= workshop.capacity:
        raise ValidationError(_("Cet atelier est complet : choisissez-en un autre."))
    if current:
        current.delete()
    return WorkshopRegistration.objects.create(
        organisation=workshop.organisation, round=workshop.round, workshop=workshop, user=user
    )


# --- Agenda --------------------------------------------------------------------------


def _validate_agenda_item(item: AgendaItem) -> None:
    session = item.session
    zone = _zone(session.organisation)
    days = (
        _local_date(session.ends_at - timedelta(microseconds=1), session.organisation)
        - session.starts_at.astimezone(zone).date()
    ).days + 1
    if item.day < 1 or item.day > days:
        raise ValidationError(
            {
                "day": _(
                    "La séance dure %(days)s jour(s) : choisissez un jour entre 1 et %(days)s."
                )
                % {"days": days}
            }
        )
    if item.end_time and item.end_time <= item.start_time:
        raise ValidationError({"end_time": _("La fin doit suivre le début.")})


@transaction.atomic
def save_agenda_item(*, item: AgendaItem, acting_user) -> AgendaItem:
    item.organisation = item.session.organisation
    _validate_agenda_item(item)
    if item.pk and not item.is_workshop_round and item.workshops.exists():
        raise ValidationError(
            {"kind": _("Retirez d'abord les ateliers de ce créneau pour en changer la nature.")}
        )
    item.save()
    record(
        organisation=item.organisation,
        actor=acting_user,
        action=Action.AGENDA_UPDATED,
        target=item.session.title,
        item=item.title,
    )
    return item


@transaction.atomic
def delete_agenda_item(*, item: AgendaItem, acting_user) -> None:
    record(
        organisation=item.organisation,
        actor=acting_user,
        action=Action.AGENDA_UPDATED,
        target=item.session.title,
        removed=item.title,
    )
    item.delete()


@transaction.atomic
def save_workshop(*, workshop: Workshop, acting_user) -> Workshop:
    if not workshop.round.is_workshop_round:
        raise ValidationError(_("Ce créneau n'est pas un temps d'ateliers en parallèle."))
    workshop.organisation = workshop.round.organisation
    workshop.save()
    record(
        organisation=workshop.organisation,
        actor=acting_user,
        action=Action.AGENDA_UPDATED,
        target=workshop.round.session.title,
        workshop=workshop.title,
    )
    return workshop


@transaction.atomic
def delete_workshop(*, workshop: Workshop, acting_user) -> None:
    record(
        organisation=workshop.organisation,
        actor=acting_user,
        action=Action.AGENDA_UPDATED,
        target=workshop.round.session.title,
        removed=workshop.title,
    )
    workshop.delete()


# --- Documents -----------------------------------------------------------------------


@transaction.atomic
def add_session_document(*, session: Session, acting_user, title: str, file) -> SessionDocument:
    try:
        validate_upload(file, allowed=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = SessionDocument.objects.create(
        organisation=session.organisation,
        session=session,
        title=title,
        file=file,
        uploaded_by=acting_user,
    )
    record(
        organisation=session.organisation,
        actor=acting_user,
        action=Action.DOCUMENT_ADDED,
        target=session.title,
        document=title,
    )
    return document


@transaction.atomic
def remove_session_document(*, document: SessionDocument, acting_user) -> None:
    record(
        organisation=document.organisation,
        actor=acting_user,
        action=Action.DOCUMENT_REMOVED,
        target=document.session.title,
        document=document.title,
    )
    file = document.file
    document.delete()
    transaction.on_commit(lambda: file.delete(save=False))


# --- Teams ---------------------------------------------------------------------------


@transaction.atomic
def create_team(*, cohort: Cohort, acting_user, name: str, territory=None) -> Team:
    if Team.objects.filter(cohort=cohort, name__iexact=name).exists():
        raise ValidationError({"name": _("Cette promotion a déjà une équipe de ce nom.")})
    team = Team.objects.create(
        organisation=cohort.organisation, cohort=cohort, name=name, territory=territory
    )
    record(
        organisation=cohort.organisation,
        actor=acting_user,
        action=Action.TEAM_CREATED,
        target=name,
    )
    return team


@transaction.atomic
def add_team_member(*, team: Team, acting_user, user, role: TeamRole | None) -> TeamMember:
    if role is not None and role.programme_id != team.cohort.programme_id:
        raise ValidationError({"role": _("Choisissez un rôle de ce programme.")})
    if TeamMember.objects.current().filter(team=team, user=user).exists():
        raise ValidationError({"user": _("Cette personne fait déjà partie de l'équipe.")})
    member = TeamMember.objects.create(
        organisation=team.organisation, team=team, user=user, role=role
    )
    forget_roles(user)
    record(
        organisation=team.organisation,
        actor=acting_user,
        action=Action.TEAM_MEMBER_ADDED,
        target=team.name,
        member=user.email,
        role=role.name if role else "",
    )
    return member


# --- Calendar feed -------------------------------------------------------------------


def calendar_feed_for(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def renew_calendar_feed(*, user) -> CalendarFeed:
    """A new secret address: the old one stops working at once."""
    feed = calendar_feed_for(user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed


# --- Notices -------------------------------------------------------------------------


def _on_commit_notice(session: Session, notice: str, **details: Any) -> None:
    from .tasks import send_session_notices

    organisation_id, session_id, sequence = session.organisation_id, session.pk, session.sequence
    details = {key: _jsonable(value) for key, value in details.items()}
    transaction.on_commit(
        lambda: send_session_notices.delay(
            organisation_id, session_id, notice, sequence=sequence, details=details
        )
    )


def _on_commit_programme_convocations(programme: Programme) -> None:
    from .tasks import send_programme_convocations

    organisation_id, programme_id = programme.organisation_id, programme.pk
    transaction.on_commit(lambda: send_programme_convocations.delay(organisation_id, programme_id))


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
