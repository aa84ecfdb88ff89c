"""Reading groups: who may see which group, a group's members and history, a team's
groups and cases.

Coordinators see every group; observers and trainers the groups of the programmes they
see (a trainer facilitating a group sees it even so); a team member sees the groups
their team is in, and a person the groups they are in themselves.
"""

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from codev.models import Case, Group, GroupMembership, GroupSession
from organisations.models import Access, Organisation, Role
from organisations.roles import role_in
from parcours.models import TeamMember
from parcours.selectors import programmes_visible_to


def _flag(condition: Q) -> ExpressionWrapper:
    """A condition to order by (false first)."""
    return ExpressionWrapper(condition, output_field=BooleanField())


def _current_team_ids(user):
    return TeamMember.objects.current().filter(user=user).values("team_id")


def groups_visible_to(user, organisation: Organisation) -> QuerySet:
    role = role_in(user, organisation)
    groups = Group.objects.filter(organisation=organisation).select_related("programme")
    if role == Role.COORDINATOR:
        return groups
    if role in (Role.OBSERVER, Role.TRAINER):
        visible = Q(programme__in=programmes_visible_to(user, organisation))
        if role == Role.TRAINER:
            visible |= Q(facilitators=user)
        return groups.filter(visible).distinct()
    if role == Access.PARTICIPANT:
        member = (
            GroupMembership.objects.current()
            .filter(group=OuterRef("pk"))
            .filter(Q(team__in=_current_team_ids(user)) | Q(user=user))
        )
        return groups.filter(Exists(member))
    return groups.none()


def is_group_member(user, group: Group) -> bool:
    """Whether ``user`` is in ``group`` now, themselves or through their team."""
    return (
        group.memberships.current()
        .filter(Q(team__in=_current_team_ids(user)) | Q(user=user))
        .exists()
    )


def group_memberships(group: Group, *, current_only: bool = False) -> QuerySet:
    """The group's memberships (the history: current first, then who left), with the
    team, its territory and the person loaded."""
    rows = group.memberships.select_related("team__territory", "user")
    if current_only:
        rows = rows.current()
    return rows.order_by(_flag(Q(left_at__isnull=False)), "joined_at", "pk")


def group_sessions(group: Group) -> QuerySet:
    """The group's séances in date order (undated last), with their session, client
    and case."""
    return (
        GroupSession.objects.filter(group=group)
        .select_related(
            "session__kind", "session__programme", "client__team", "client__user", "case"
        )
        .order_by(_flag(Q(session__starts_at__isnull=True)), "session__starts_at", "pk")
    )


def team_cases(team) -> QuerySet:
    """Every case the team brought as client, in any group (it keeps them when it
    moves), with its commitments."""
    return (
        Case.objects.filter(client__team=team)
        .select_related("group_session__session", "group_session__group")
        .prefetch_related(Prefetch("commitments"))
        .order_by("-created_at")
    )
