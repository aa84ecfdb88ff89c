"""Programmes, their copy to a new start date, phases and session kinds."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation
from organisations.services import record
from parcours.actions import Action
from parcours.extensions import programme_copied
from parcours.models import (
    Cohort,
    Phase,
    Programme,
    Session,
    SessionKind,
    TeamRole,
)
from parcours.months import shift_datetime, shift_month
from parcours.services.common import announce_programme_published, zone_of
from parcours.services.roles import TEAM_ROLE_PRESETS, create_preset_roles
from parcours.services.sessions import copy_session

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

# Fields whose change makes a session's convocation out of date (a change notice goes out
# and the iCal SEQUENCE grows).
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
    if team_roles not in TEAM_ROLE_PRESETS:
        raise ValidationError({"team_roles": _("Choisissez un des modèles proposés.")})
    create_preset_roles(programme, team_roles)
    if TEAM_ROLE_PRESETS[team_roles].team_label:
        programme.team_label = TEAM_ROLE_PRESETS[team_roles].team_label
        programme.save(update_fields=["team_label"])
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
        zone = zone_of(programme.organisation)
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
        announce_programme_published(programme)
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
    zone = zone_of(organisation)
    days = (start_date - programme.start_date).days
    copy = Programme.objects.create(
        organisation=organisation,
        name=name,
        description=programme.description,
        objectives=programme.objectives,
        start_date=start_date,
        end_date=programme.end_date + timedelta(days=days),
        team_label=programme.team_label,
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
    sessions = Session.objects.active().filter(programme=programme).prefetch_related("facilitators")
    copied = skipped = 0
    session_map = {}
    for session in sessions:
        if session.audience in Session.TEAM_AUDIENCES:
            skipped += 1
            continue
        session_map[session.pk] = copy_session(
            session,
            programme=copy,
            phase=phases.get(session.phase_id),
            kind=kinds[session.kind_id],
            starts_at=session.starts_at and shift_datetime(session.starts_at, days, zone),
            ends_at=session.ends_at and shift_datetime(session.ends_at, days, zone),
            target_month=session.target_month and shift_month(session.target_month, days),
            expected_role=roles.get(session.expected_role_id),
        )
        copied += 1
    programme_copied.collect(source=programme, copy=copy, session_map=session_map, by=acting_user)
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
