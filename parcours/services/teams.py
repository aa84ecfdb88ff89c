"""Teams of a cohort and their members."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.roles import forget_roles
from organisations.services import record

from ..models import (
    Cohort,
    Team,
    TeamMember,
    TeamRole,
)
from .common import Action

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
