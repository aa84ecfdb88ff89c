"""Which resources a person sees (``resources_visible_to``), the public ones of an
organisation, and the resources of a session, a team, a call or a programme.

Visibility:

- **organisation**: every member (coordinators, trainers, observers, team members);
- **programme**: the staff and the current members of the programme's teams;
- **team**: the team's current members, the coordinators and the trainers (not the
  observers, not the other teams);
- **public**: anyone, without an account; a resource of a call only once it is published.

A document of a session with the visibility « programme » (what attaching one to a
session gives, and what the session documents became) is read by whoever may read the
session (``parcours.selectors.sessions_visible_to``), as the session documents were: a
team's individual coaching stays with that team, a person registered to a group session
without being in a team reads its documents. Resources of a session held for the
facilitation team only (« Interne ») stay with the staff."""

from django.db.models import Q, QuerySet

from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.models import TeamMember
from parcours.selectors import sessions_visible_to

from .models import Resource, Visibility

__all__ = [
    "member_team_rows",
    "public_resources",
    "public_visibility",
    "resources_visible_to",
    "session_resources",
]

FULL_READERS = (Role.COORDINATOR, Role.TRAINER)


def public_visibility() -> Q:
    return Q(visibility=Visibility.PUBLIC) & (Q(call__isnull=True) | Q(call__status="published"))


def public_resources(organisation: Organisation) -> QuerySet:
    return Resource.objects.filter(organisation=organisation).filter(public_visibility())


def member_team_rows(user, organisation: Organisation) -> list[tuple[int, int]]:
    """[(team id, programme id)] of the user's current teams in ``organisation``."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        TeamMember.objects.current()
        .filter(organisation=organisation, user=user)
        .values_list("team_id", "team__cohort__programme_id")
    )


def resources_visible_to(user, organisation: Organisation, role=None) -> QuerySet:
    role = role if role is not None else role_in(user, organisation)
    resources = Resource.objects.filter(organisation=organisation)
    if role in FULL_READERS:
        return resources
    if role == Role.OBSERVER:
        return resources.exclude(visibility=Visibility.TEAM).exclude(session__audience="internal")
    if role is None:
        return resources.filter(public_visibility())
    # Subqueries, not a query of their own: the pages listing resources stay in budget.
    memberships = TeamMember.objects.current().filter(organisation=organisation, user=user)
    team_ids = memberships.values("team_id")
    programme_ids = memberships.values("team__cohort__programme_id")
    return resources.filter(
        Q(visibility=Visibility.ORGANISATION)
        | public_visibility()
        | Q(visibility=Visibility.PROGRAMME, programme_id__in=programme_ids, session=None)
        | Q(visibility=Visibility.TEAM, team_id__in=team_ids)
        | Q(
            visibility=Visibility.PROGRAMME,
            session__in=sessions_visible_to(user, organisation).values("pk"),
        )
    ).exclude(session__audience="internal")


def session_resources(user, organisation: Organisation, session) -> list[Resource]:
    return list(
        resources_visible_to(user, organisation)
        .filter(session=session)
        .select_related("uploaded_by")
        .order_by("title", "pk")
    )
