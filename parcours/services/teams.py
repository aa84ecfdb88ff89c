"""Teams of a cohort and their members."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.roles import forget_roles
from organisations.services import record
from parcours.actions import Action
from parcours.models import (
    Cohort,
    Team,
    TeamMember,
    TeamRole,
)
from parcours.services.convocations import convene_newcomer

# --- Teams ---------------------------------------------------------------------------


def check_role_capacity(team: Team, role: TeamRole | None, *, leaving: TeamMember | None = None):
    """Refuse one more current holder of ``role`` in ``team`` beyond its
    ``max_per_team`` (``leaving``: a member about to give up their place)."""
    if role is None or role.max_per_team is None:
        return  # no role, or « une ou plusieurs personnes »: no upper bound
    holders = TeamMember.objects.current().filter(team=team, role=role)
    if leaving is not None:
        holders = holders.exclude(pk=leaving.pk)
    if holders.count() >= role.max_per_team:
        raise ValidationError(
            {
                "role": ngettext(
                    "Le rôle « %(role)s » est déjà pourvu (%(max)s personne au plus par équipe).",
                    "Le rôle « %(role)s » est déjà pourvu (%(max)s personnes au plus par équipe).",
                    role.max_per_team,
                )
                % {"role": role.name, "max": role.max_per_team}
            }
        )


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
def rename_team(*, team: Team, acting_user, name: str) -> Team:
    """Give ``team`` a new name (its territory stays); unique within its cohort."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Donnez un nom à l'équipe.")})
    team = Team.objects.select_for_update().get(pk=team.pk)
    others = Team.objects.filter(cohort_id=team.cohort_id).exclude(pk=team.pk)
    if others.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("Cette promotion a déjà une équipe de ce nom.")})
    former = team.name
    if name == former:
        return team
    team.name = name
    team.save(update_fields=["name"])
    record(
        organisation=team.organisation,
        actor=acting_user,
        action=Action.TEAM_RENAMED,
        target=name,
        former=former,
    )
    return team


@transaction.atomic
def add_team_member(
    *, team: Team, acting_user, user, role: TeamRole | None, notify: bool = True
) -> TeamMember:
    """``user`` joins ``team`` with ``role``; in a published programme they are convened
    to the sessions to come where now expected (``notify=False``: not, e.g. demo data)."""
    if role is not None and role.programme_id != team.cohort.programme_id:
        raise ValidationError({"role": _("Choisissez un rôle de ce programme.")})
    if TeamMember.objects.current().filter(team=team, user=user).exists():
        raise ValidationError({"user": _("Cette personne fait déjà partie de l'équipe.")})
    check_role_capacity(team, role)
    member = TeamMember.objects.create(
        organisation=team.organisation, team=team, user=user, role=role
    )
    forget_roles(user)
    if notify:
        convene_newcomer(user=user, programme=team.cohort.programme)
    record(
        organisation=team.organisation,
        actor=acting_user,
        action=Action.TEAM_MEMBER_ADDED,
        target=team.name,
        member=user.email,
        role=role.name if role else "",
    )
    return member


def _left_at(member: TeamMember, left_at):
    moment = left_at or timezone.now()
    if moment > timezone.now():
        raise ValidationError({"left_at": _("La date de départ ne peut pas être dans le futur.")})
    if moment < member.joined_at:
        raise ValidationError(
            {"left_at": _("La date de départ ne peut pas précéder l'arrivée dans l'équipe.")}
        )
    return moment


def _locked_current(member: TeamMember) -> TeamMember:
    """``member`` read again under a row lock: two coordinators replacing the same person
    at once do not both succeed."""
    locked = TeamMember.objects.select_for_update(of=("self",)).select_related(
        "team", "role", "user"
    )
    locked = locked.get(pk=member.pk)
    if locked.left_at is not None:
        raise ValidationError({"member": _("Cette personne a déjà quitté l'équipe.")})
    return locked


@transaction.atomic
def replace_team_member(
    *, member: TeamMember, acting_user, user, role: TeamRole | None = None, left_at=None
) -> TeamMember:
    """``member`` leaves the team (``left_at``, now by default) and ``user`` takes the
    place, with the same role unless another is given. The former member's row stays,
    so the team's history shows who held the role when; their signature no longer counts
    for the team's engagement."""
    member = _locked_current(member)
    team = member.team
    role = role if role is not None else member.role
    if user.pk == member.user_id:
        raise ValidationError(
            {"email": _("C'est déjà cette personne : choisissez quelqu'un d'autre.")}
        )
    if role is not None and role.programme_id != team.cohort.programme_id:
        raise ValidationError({"role": _("Choisissez un rôle de ce programme.")})
    if TeamMember.objects.current().filter(team=team, user=user).exists():
        raise ValidationError({"email": _("Cette personne fait déjà partie de l'équipe.")})
    check_role_capacity(team, role, leaving=member)
    moment = _left_at(member, left_at)
    member.left_at = moment
    member.save(update_fields=["left_at"])
    successor = TeamMember.objects.create(
        organisation=team.organisation, team=team, user=user, role=role
    )
    if left_at is not None:
        # The successor holds the role from the day the former member left.
        TeamMember.objects.filter(pk=successor.pk).update(joined_at=moment)
        successor.joined_at = moment
    forget_roles(member.user)
    forget_roles(user)
    convene_newcomer(user=user, programme=team.cohort.programme)
    record(
        organisation=team.organisation,
        actor=acting_user,
        action=Action.TEAM_MEMBER_REPLACED,
        target=team.name,
        former=member.user.email,
        member=user.email,
        role=role.name if role else "",
        left_at=moment.isoformat(),
    )
    return successor


@transaction.atomic
def remove_team_member(*, member: TeamMember, acting_user, left_at=None) -> TeamMember:
    """``member`` leaves the team without a successor; their row stays in the history. A
    required role may end up empty: the team's page then flags it."""
    member = _locked_current(member)
    moment = _left_at(member, left_at)
    member.left_at = moment
    member.save(update_fields=["left_at"])
    forget_roles(member.user)
    record(
        organisation=member.organisation,
        actor=acting_user,
        action=Action.TEAM_MEMBER_REMOVED,
        target=member.team.name,
        member=member.user.email,
        role=member.role.name if member.role else "",
        left_at=moment.isoformat(),
    )
    return member
