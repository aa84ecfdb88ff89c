"""Sessions: validation, creation, changes, cancellation, duplication, individual
sessions for every team, and registration to open sessions and workshops."""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Membership, Organisation, Role
from organisations.services import record
from parcours.actions import Action
from parcours.extensions import programme_copied
from parcours.models import (
    Phase,
    Programme,
    Session,
    SessionFormat,
    SessionKind,
    SessionRegistration,
    Team,
    TeamRole,
    Workshop,
    WorkshopRegistration,
)
from parcours.months import shift_datetime
from parcours.selectors import expected_participants
from parcours.services.common import (
    announce_session,
    announce_session_changed,
    local_date,
    zone_of,
)
from parcours.services.session_days import sync_session_days

SIGNIFICANT_FIELDS = ("starts_at", "ends_at", "all_day", "format", "place", "visio_url")
DATE_FIELDS = ("starts_at", "ends_at", "all_day")

SESSION_FIELDS = (
    "title",
    "kind",
    "phase",
    "format",
    "starts_at",
    "ends_at",
    "all_day",
    "target_month",
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

# --- Sessions ------------------------------------------------------------------------


def validate_session(session: Session, *, teams: list[Team] | None = None) -> None:
    """Check a session's own consistency. Messages name the field they concern."""
    errors: dict[str, list[str]] = {}
    programme = session.programme
    organisation = programme.organisation
    if session.target_month is not None:
        session.target_month = session.target_month.replace(day=1)
    if (session.starts_at is None) != (session.ends_at is None):
        missing = "ends_at" if session.ends_at is None else "starts_at"
        errors.setdefault(missing, []).append(
            _("Indiquez le début et la fin, ou aucun des deux si la date reste à confirmer.")
        )
    elif session.starts_at is None:
        if session.status != Session.Status.TENTATIVE:
            errors.setdefault("starts_at", []).append(
                _("Indiquez la date : seule une séance « à confirmer » peut rester sans date.")
            )
        elif not (session.phase_id or session.target_month):
            errors.setdefault("starts_at", []).append(
                _(
                    "Indiquez la date, ou au moins une phase ou un mois visé pour une séance "
                    "dont la date reste à confirmer."
                )
            )
    if session.starts_at and session.ends_at:
        if session.ends_at <= session.starts_at:
            errors.setdefault("ends_at", []).append(_("La fin doit suivre le début."))
        else:
            first = local_date(session.starts_at, organisation)
            last = local_date(session.ends_at - timedelta(microseconds=1), organisation)
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
        if session.audience in Session.TEAM_AUDIENCES:
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
    sync_session_days(session)
    _set_relations(session, facilitators=list(facilitators), teams=teams)
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.SESSION_CREATED,
        target=session.title,
        session=session.pk,
    )
    if programme.is_published and session.status == Session.Status.SCHEDULED:
        announce_session(session, "convocation")
    announce_session_changed(session)
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
    the convocations; people newly expected (teams, expected role or facilitators
    changed) get their convocation, the others keep theirs."""
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
    was_convened = session.programme.is_published and current.status == Session.Status.SCHEDULED
    expected_before = (
        set(expected_participants(current).values_list("pk", flat=True)) if was_convened else set()
    )
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
    if any(getattr(current, name) != getattr(session, name) for name in DATE_FIELDS):
        sync_session_days(session)
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
            announce_session(session, "convocation")
        else:
            expected_now = set(expected_participants(session).values_list("pk", flat=True))
            newcomers = expected_now - expected_before
            if changes:
                # The people convened before are told what changed; the newcomers get
                # the convocation of the session as it is now.
                announce_session(
                    session,
                    "change",
                    only=expected_now - newcomers,
                    changed=sorted(changes),
                    previous=before,
                )
            if newcomers:
                announce_session(session, "convocation", only=newcomers)
    announce_session_changed(session)
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
        announce_session(session, "cancellation")
    announce_session_changed(session)
    return session


def copy_session(session: Session, **overrides: Any) -> Session:
    """A new session with ``session``'s content, facilitators and day agenda (rounds of
    workshops included); ``overrides`` replaces fields (programme, kind, dates…). Teams
    are not copied: the caller decides. Used inside a service's transaction."""
    fields = {name: getattr(session, name) for name in SESSION_FIELDS}
    fields.update(overrides)
    programme = fields.pop("programme", session.programme)
    copy = Session.objects.create(
        organisation=programme.organisation, programme=programme, **fields
    )
    copy.facilitators.set(session.facilitators.all())
    edited = {
        row.day: row
        for row in session.days.all()
        if row.edited and copy.starts_at == session.starts_at
    }
    for item in session.agenda_items.prefetch_related("workshops"):
        workshops = list(item.workshops.all())
        item.pk = None
        item.session = copy
        item.save()
        for workshop in workshops:
            workshop.pk = None
            workshop.round = item
        Workshop.objects.bulk_create(workshops)
    for row in sync_session_days(copy):
        source = edited.get(row.day)
        if source is not None:
            for name in ("morning_starts", "morning_ends", "afternoon_starts", "afternoon_ends"):
                setattr(row, name, getattr(source, name))
            row.edited = True
            row.save()
    announce_session_changed(copy)
    return copy


@transaction.atomic
def duplicate_session(*, session: Session, acting_user, new_date: date | None = None) -> Session:
    """A copy of the session, to be adjusted: same content, agenda (workshops and their
    capacities) and people, status "à confirmer" so nobody is convened before the
    coordinator checks it. With ``new_date`` (« Dupliquer à une nouvelle date »), the copy
    keeps its title and moves to that day at the same local times. What the apps above
    keep with a session (documents, campaigns) follows through ``programme_copied``;
    registrations never do."""
    overrides: dict[str, Any] = {"status": Session.Status.TENTATIVE}
    if new_date is None:
        overrides["title"] = _("%(title)s (copie)") % {"title": session.title}
    else:
        if not session.is_dated:
            raise ValidationError(
                {"new_date": _("Cette séance n'a pas encore de date : dupliquez-la sans date.")}
            )
        zone = zone_of(session.organisation)
        days = (new_date - local_date(session.starts_at, session.organisation)).days
        overrides["starts_at"] = shift_datetime(session.starts_at, days, zone)
        overrides["ends_at"] = shift_datetime(session.ends_at, days, zone)
        overrides["target_month"] = None
    copy = copy_session(session, **overrides)
    if new_date is not None:
        try:
            validate_session(copy)
        except ValidationError as error:
            raise ValidationError({"new_date": error.messages}) from error
    copy.teams.set(session.teams.all())
    programme_copied.collect(
        source=session.programme,
        copy=session.programme,
        session_map={session.pk: copy},
        by=acting_user,
    )
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
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    target_month=None,
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
    teams), each "à confirmer" on the given date until the team's date is fixed, or
    without a date (placed by its phase or ``target_month``) when none is given: the
    team's date poll dates it."""
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
            target_month=target_month,
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
        sync_session_days(session)
        session.teams.set([team])
        session.facilitators.set(facilitators)
        created.append(session)
        announce_session_changed(session)
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
def register_to_session(*, session: Session, user, convene: bool = True) -> SessionRegistration:
    """``user`` takes a place at an open session, convened at once unless ``convene`` is
    false (a caller that sends its own confirmation, with the date, the place and the
    .ics: the open registration's « Inscription confirmée »)."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.audience != Session.Audience.OPEN:
        raise ValidationError(_("Cette séance n'est pas ouverte aux inscriptions."))
    if session.is_cancelled or (session.is_dated and session.ends_at < timezone.now()):
        raise ValidationError(_("Les inscriptions à cette séance sont closes."))
    existing = SessionRegistration.objects.filter(session=session, user=user).first()
    if existing:
        return existing
    if session.agenda_items.filter(speaker_people=user).exists():
        raise ValidationError(_("Vous intervenez à cette séance : pas besoin de vous inscrire."))
    if session.capacity is not None and session.registrations.count() >= session.capacity:
        raise ValidationError(_("Cette séance est complète."))
    registration = SessionRegistration.objects.create(
        organisation=session.organisation, session=session, user=user
    )
    if convene:
        # Registered to a session of a published programme: convened at once.
        announce_session(session, "convocation", only={user.pk})
    return registration


@transaction.atomic
def set_session_people(*, session: Session, people, acting_user) -> None:
    """The people of a group session (``Audience.GROUP``), besides its teams: those
    added are convened when the session is announced, those removed lose their place.
    Called by the groups (codev) when a group's members change."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.audience != Session.Audience.GROUP:
        raise ValidationError(_("Seule une séance de groupe reçoit des personnes du groupe."))
    wanted = {user.pk: user for user in people}
    current = set(
        SessionRegistration.objects.filter(session=session).values_list("user_id", flat=True)
    )
    SessionRegistration.objects.filter(session=session).exclude(user__in=list(wanted)).delete()
    added = set(wanted) - current
    SessionRegistration.objects.bulk_create(
        SessionRegistration(organisation=session.organisation, session=session, user=wanted[pk])
        for pk in added
    )
    if added and session.status == Session.Status.SCHEDULED and not session.is_cancelled:
        announce_session(session, "convocation", only=added)
    if added or current - set(wanted):
        record(
            organisation=session.organisation,
            actor=acting_user,
            action=Action.SESSION_UPDATED,
            target=session.title,
            session=session.pk,
            fields=["people"],
        )
        announce_session_changed(session)


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
    if session.is_cancelled or (session.is_dated and session.ends_at < timezone.now()):
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
