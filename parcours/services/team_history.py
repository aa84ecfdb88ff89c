"""A team's history, dated right: recording someone who already left a team (a
replacement in a past programme, from an import) and correcting a member's arrival and
departure dates from the team's page.

Dates are days: a day becomes midnight in the organisation's time zone; a day left
unchanged keeps the moment already stored."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.roles import forget_roles
from organisations.services import record
from parcours.actions import Action
from parcours.models import Team, TeamMember, TeamRole
from sillon.formatting import local

User = get_user_model()


def _moment(day: date, zone: str, current: datetime | None = None) -> datetime:
    if current is not None and local(current, zone).date() == day:
        return current
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))


def _check_days(joined_on: date | None, left_on: date | None, *, today: date) -> None:
    errors = {}
    if joined_on is None:
        errors["joined_at"] = _("Indiquez la date d'arrivée.")
    elif joined_on > today:
        errors["joined_at"] = _("La date d'arrivée ne peut pas être dans le futur.")
    if left_on is not None:
        if left_on > today:
            errors["left_at"] = _("La date de départ ne peut pas être dans le futur.")
        elif joined_on is not None and left_on < joined_on:
            errors["left_at"] = _("La date de départ ne peut pas précéder la date d'arrivée.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_former_team_member(
    *,
    team: Team,
    acting_user,
    email: str,
    first_name: str,
    last_name: str,
    role: TeamRole | None,
    joined_on: date,
    left_on: date,
) -> TeamMember:
    """Record that the person at ``email`` held ``role`` in ``team`` from ``joined_on``
    to ``left_on`` (both past): no invitation, since they no longer belong to the team,
    and no place taken in the role. Without an account at that address, one is made
    without a password (as for a guest on an attendance sheet): the person may claim it
    later by signing in with a code sent to the address."""
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("Indiquez l'adresse e-mail de la personne.")})
    if role is not None and role.programme_id != team.cohort.programme_id:
        raise ValidationError({"role": _("Choisissez un rôle de ce programme.")})
    _check_days(joined_on, left_on, today=timezone.localdate())
    if left_on is None:
        raise ValidationError({"left_at": _("Indiquez la date de départ.")})
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, first_name=first_name.strip(), last_name=last_name.strip()
        )
    zone = team.organisation.time_zone
    member = TeamMember.objects.create(
        organisation=team.organisation,
        team=team,
        user=user,
        role=role,
        left_at=_moment(left_on, zone),
    )
    member.joined_at = _moment(joined_on, zone)
    TeamMember.objects.filter(pk=member.pk).update(joined_at=member.joined_at)
    forget_roles(user)
    record(
        organisation=team.organisation,
        actor=acting_user,
        action=Action.TEAM_MEMBER_ADDED,
        target=team.name,
        member=user.email,
        role=role.name if role else "",
        joined_at=member.joined_at.isoformat(),
        left_at=member.left_at.isoformat(),
    )
    return member


@transaction.atomic
def set_membership_dates(
    *, member: TeamMember, acting_user, joined_on: date, left_on: date | None = None
) -> TeamMember:
    """Correct when ``member`` joined the team and, for someone who already left, when
    they left (a current member leaves through ``remove_team_member`` or
    ``replace_team_member``, not here)."""
    member = (
        TeamMember.objects.select_for_update(of=("self",))
        .select_related("team", "user", "organisation")
        .get(pk=member.pk)
    )
    if member.left_at is None and left_on is not None:
        raise ValidationError(
            {
                "left_at": _(
                    "Cette personne fait toujours partie de l'équipe : utilisez « Retirer » "
                    "ou « Remplacer » pour enregistrer son départ."
                )
            }
        )
    if member.left_at is not None and left_on is None:
        raise ValidationError({"left_at": _("Indiquez la date de départ.")})
    _check_days(joined_on, left_on, today=timezone.localdate())
    zone = member.organisation.time_zone
    member.joined_at = _moment(joined_on, zone, member.joined_at)
    if left_on is not None:
        member.left_at = _moment(left_on, zone, member.left_at)
    TeamMember.objects.filter(pk=member.pk).update(
        joined_at=member.joined_at, left_at=member.left_at
    )
    record(
        organisation=member.organisation,
        actor=acting_user,
        action=Action.TEAM_MEMBER_DATED,
        target=member.team.name,
        member=member.user.email,
        joined_at=member.joined_at.isoformat(),
        left_at=member.left_at.isoformat() if member.left_at else "",
    )
    return member
