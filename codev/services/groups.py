"""Groups and their members.

A group mixes only teams and people of its own programme. Changing the members closes
the memberships that end and opens the new ones (the history of who was where stays),
moving a member closes its membership in the other group of the same kind, and the
group's séances to come follow: the newcomers are convened, the leavers lose their
place (``codev.services.sessions.sync_group_sessions``).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from math import ceil

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from codev.actions import Action
from codev.models import Group, GroupKind, GroupMembership
from organisations.services import record
from parcours.models import Programme, Team, TeamMember


def programme_teams(programme: Programme):
    return Team.objects.filter(cohort__programme=programme)


def programme_people(programme: Programme):
    """People who may be in a group of ``programme``: current members of its teams."""
    return (
        get_user_model()
        .objects.filter(
            team_memberships__team__cohort__programme=programme,
            team_memberships__left_at__isnull=True,
        )
        .distinct()
    )


def _check_members(programme: Programme, teams, people) -> None:
    errors = {}
    team_ids = {team.pk for team in teams}
    if team_ids - set(
        programme_teams(programme).filter(pk__in=team_ids).values_list("pk", flat=True)
    ):
        errors["teams"] = [_("Choisissez des équipes de ce programme.")]
    person_ids = {user.pk for user in people}
    allowed = set(
        programme_people(programme).filter(pk__in=person_ids).values_list("pk", flat=True)
    )
    if person_ids - allowed:
        errors["people"] = [_("Choisissez des personnes membres d'une équipe de ce programme.")]
    if errors:
        raise ValidationError(errors)


def _check_group(group: Group) -> None:
    errors = {}
    if not group.name.strip():
        errors["name"] = [_("Donnez un nom au groupe.")]
    elif (
        Group.objects.filter(programme=group.programme, name__iexact=group.name.strip())
        .exclude(pk=group.pk)
        .exists()
    ):
        errors["name"] = [_("Un groupe de ce programme porte déjà ce nom.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_group(*, group: Group, acting_user, facilitators=None) -> Group:
    """Create or update ``group`` (its programme set by the caller)."""
    group.organisation_id = group.programme.organisation_id
    group.name = group.name.strip()
    _check_group(group)
    if (
        group.spokesperson_id
        and not programme_people(group.programme).filter(pk=group.spokesperson_id).exists()
    ):
        raise ValidationError(
            {"spokesperson": [_("Le ou la porte-parole est une personne du programme.")]}
        )
    created = group.pk is None
    group.save()
    if facilitators is not None:
        group.facilitators.set(facilitators)
    record(
        organisation=group.organisation,
        actor=acting_user,
        action=Action.GROUP_CREATED if created else Action.GROUP_UPDATED,
        target=group.name,
        group=group.pk,
    )
    return group


@transaction.atomic
def set_members(*, group: Group, teams=(), people=(), acting_user, moving: bool = True) -> dict:
    """Make ``teams`` and ``people`` the current members of ``group``.

    A team or person already in another group of the same kind in the programme is
    moved (its membership there is closed) when ``moving``; otherwise refused. Returns
    {"added": n, "removed": n, "moved": n}."""
    group = Group.objects.select_for_update().get(pk=group.pk)
    teams, people = list(teams), list(people)
    _check_members(group.programme, teams, people)
    now = timezone.now()
    current = list(group.memberships.current())
    wanted_teams = {team.pk for team in teams}
    wanted_people = {user.pk for user in people}
    removed = [
        m
        for m in current
        if (m.team_id and m.team_id not in wanted_teams)
        or (m.user_id and m.user_id not in wanted_people)
    ]
    for membership in removed:
        membership.left_at = now
        membership.save(update_fields=["left_at"])
    have_teams = {m.team_id for m in current if m.team_id}
    have_people = {m.user_id for m in current if m.user_id}
    new_teams = wanted_teams - have_teams
    new_people = wanted_people - have_people
    elsewhere = (
        GroupMembership.objects.current()
        .filter(group__programme=group.programme, group__kind=group.kind)
        .exclude(group=group)
    )
    others = list(elsewhere.filter(team__in=new_teams) | elsewhere.filter(user__in=new_people))
    if others and not moving:
        names = ", ".join(sorted(m.label for m in others))
        raise ValidationError(
            _("Déjà dans un autre groupe de ce type : %(names)s.") % {"names": names}
        )
    touched = {group.pk}
    for membership in others:
        membership.left_at = now
        membership.save(update_fields=["left_at"])
        touched.add(membership.group_id)
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(
                organisation=group.organisation,
                group=group,
                team_id=pk,
                joined_at=now,
                added_by=acting_user if acting_user.is_authenticated else None,
            )
            for pk in sorted(new_teams)
        ]
        + [
            GroupMembership(
                organisation=group.organisation,
                group=group,
                user_id=pk,
                joined_at=now,
                added_by=acting_user if acting_user.is_authenticated else None,
            )
            for pk in sorted(new_people)
        ]
    )
    summary = {
        "added": len(new_teams) + len(new_people),
        "removed": len(removed),
        "moved": len(others),
    }
    if any(summary.values()):
        record(
            organisation=group.organisation,
            actor=acting_user,
            action=Action.MEMBERS_CHANGED,
            target=group.name,
            group=group.pk,
            **summary,
        )
        from codev.services.sessions import sync_group_sessions

        for group_id in sorted(touched):
            sync_group_sessions(group=Group.objects.get(pk=group_id), acting_user=acting_user)
    return summary


@transaction.atomic
def move_member(*, membership: GroupMembership, to_group: Group, acting_user) -> GroupMembership:
    """Move a team or a person to ``to_group`` (same programme): its membership here
    closes, a new one opens there; its past cases stay with it."""
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_at is not None:
        raise ValidationError(_("Ce membre a déjà quitté le groupe."))
    source = membership.group
    if to_group.programme_id != source.programme_id:
        raise ValidationError({"group": [_("Choisissez un groupe du même programme.")]})
    if to_group.pk == source.pk:
        raise ValidationError({"group": [_("Choisissez un autre groupe.")]})
    if (
        to_group.memberships.current()
        .filter(team=membership.team_id, user=membership.user_id)
        .exists()
    ):
        raise ValidationError({"group": [_("Ce membre est déjà dans ce groupe.")]})
    now = timezone.now()
    membership.left_at = now
    membership.save(update_fields=["left_at"])
    moved = GroupMembership.objects.create(
        organisation=to_group.organisation,
        group=to_group,
        team_id=membership.team_id,
        user_id=membership.user_id,
        joined_at=now,
        added_by=acting_user if acting_user.is_authenticated else None,
    )
    record(
        organisation=to_group.organisation,
        actor=acting_user,
        action=Action.MEMBER_MOVED,
        target=membership.label,
        source=source.pk,
        group=to_group.pk,
    )
    from codev.services.sessions import sync_group_sessions

    for group in (source, to_group):
        sync_group_sessions(group=group, acting_user=acting_user)
    return moved


@transaction.atomic
def delete_group(*, group: Group, acting_user) -> None:
    """Delete a group that has no séance: its séances hold convocations, attendance,
    cases; they are cancelled or deleted first."""
    if group.group_sessions.exists():
        raise ValidationError(_("Ce groupe a des séances : supprimez-les ou annulez-les d'abord."))
    record(
        organisation=group.organisation,
        actor=acting_user,
        action=Action.GROUP_DELETED,
        target=group.name,
    )
    group.delete()


# --- Proposed compositions -------------------------------------------------------------


@dataclass
class ProposedGroup:
    name: str
    teams: list = field(default_factory=list)
    people: list = field(default_factory=list)


def _department(team) -> str:
    territory = team.territory
    if territory is None:
        return ""
    parent = territory.parent
    while parent is not None and parent.kind not in ("departement", "region"):
        parent = parent.parent
    if territory.kind == "departement":
        return territory.name
    return parent.name if parent is not None else ""


def propose_balanced(teams, *, size: int, prefix: str) -> list[ProposedGroup]:
    """Groups of about ``size`` teams, mixing territory types and départements: the
    teams, sorted by département then type, are dealt in turn (one to each group, then
    back), so neighbours land in different groups and the sizes differ by one at most."""
    teams = list(teams)
    if size < 2:
        raise ValidationError({"size": [_("Un groupe compte au moins 2 équipes.")]})
    if not teams:
        return []
    count = max(1, ceil(len(teams) / size))
    ordered = sorted(
        teams,
        key=lambda team: (
            _department(team),
            team.territory.kind if team.territory_id else "",
            team.name,
        ),
    )
    groups = [ProposedGroup(name=f"{prefix} {index}") for index in range(1, count + 1)]
    for index, team in enumerate(ordered):
        lap, place = divmod(index, count)
        target = place if lap % 2 == 0 else count - 1 - place
        groups[target].teams.append(team)
    return groups


def propose_by_role(programme: Programme) -> list[ProposedGroup]:
    """One group per team role (actor category, seed 003), with the current members of
    the programme's teams who hold it."""
    members = (
        TeamMember.objects.current()
        .filter(team__cohort__programme=programme, role__isnull=False)
        .select_related("role", "user")
        .order_by("role__order", "role__name", "user__last_name", "user__first_name")
    )
    by_role: dict = defaultdict(list)
    roles = {}
    for member in members:
        roles[member.role_id] = member.role
        if member.user not in by_role[member.role_id]:
            by_role[member.role_id].append(member.user)
    return [ProposedGroup(name=roles[pk].name, people=people) for pk, people in by_role.items()]


@transaction.atomic
def create_groups(
    *, programme: Programme, kind: str, proposed: list[ProposedGroup], acting_user
) -> list[Group]:
    """Create the proposed groups (as adjusted by the coordinator) in one go."""
    if kind not in GroupKind.values:
        raise ValidationError({"kind": [_("Choisissez un type de groupe.")]})
    groups = []
    for proposal in proposed:
        group = save_group(
            group=Group(programme=programme, name=proposal.name, kind=kind),
            acting_user=acting_user,
        )
        set_members(
            group=group, teams=proposal.teams, people=proposal.people, acting_user=acting_user
        )
        groups.append(group)
    return groups
