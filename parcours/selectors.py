"""Reads shared by several views, tasks and feeds: who sees which session, who is
expected at it. Querysets carry the joins their pages need, so pages run a constant
number of queries."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django_scopes import scopes_disabled

from organisations.models import Access, Membership, Organisation, Role
from organisations.roles import role_in
from parcours.models import (
    Programme,
    Session,
    SessionRegistration,
    Team,
    TeamMember,
)

User = get_user_model()

VISIBLE_PROGRAMME_STATUSES = (Programme.Status.PUBLISHED, Programme.Status.ARCHIVED)


def _team_member_rows(user):
    return TeamMember.objects.current().filter(user=user)


def _team_conditions(user) -> tuple[Q, Q]:
    """(sessions of the user's teams or whole cohort, of those the ones where the user's
    role is expected). Both as ``Q`` on Session, built on EXISTS subqueries so nothing
    is duplicated by joins."""
    in_cohort = Exists(
        _team_member_rows(user).filter(team__cohort__programme=OuterRef("programme"))
    )
    in_cohort_with_role = Exists(
        _team_member_rows(user).filter(
            team__cohort__programme=OuterRef("programme"), role=OuterRef("expected_role")
        )
    )
    in_team = Exists(_team_member_rows(user).filter(team__sessions=OuterRef("pk")))
    in_team_with_role = Exists(
        _team_member_rows(user).filter(
            team__sessions=OuterRef("pk"), role=OuterRef("expected_role")
        )
    )
    cohort = Q(audience=Session.Audience.COHORT)
    teams = Q(audience__in=Session.TEAM_AUDIENCES)
    role_based = Q(expected_presence=Session.Presence.ONE_ROLE)
    visible = (cohort & in_cohort) | (teams & in_team)
    expected = (
        (cohort & ~role_based & in_cohort)
        | (cohort & role_based & in_cohort_with_role)
        | (teams & ~role_based & in_team)
        | (teams & role_based & in_team_with_role)
    )
    return visible, expected


def _registered(user) -> Q:
    return Q(Exists(SessionRegistration.objects.filter(session=OuterRef("pk"), user=user)))


def _with_display_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("kind", "phase", "programme", "expected_role")


def sessions_visible_to(user, organisation: Organisation) -> QuerySet:
    """Sessions of ``organisation`` that ``user`` may see (scoped to the organisation).

    Coordinators see everything, drafts included; trainers and observers see published
    programmes (and trainers the sessions they run); a team member sees their own team's
    sessions, the whole cohort's and the open ones of their programmes. Internal sessions
    (comité pédagogique…) are for coordinators and trainers only.
    """
    role = role_in(user, organisation)
    sessions = _with_display_relations(Session.objects.filter(organisation=organisation))
    if role == Role.COORDINATOR:
        return sessions
    published = Q(programme__status__in=VISIBLE_PROGRAMME_STATUSES)
    if role == Role.OBSERVER:
        return sessions.filter(published).exclude(audience=Session.Audience.INTERNAL)
    if role == Role.TRAINER:
        facilitates = Exists(
            Session.facilitators.through.objects.filter(session=OuterRef("pk"), user=user)
        )
        return sessions.filter(published | Q(facilitates))
    if role == Access.PARTICIPANT:
        visible, _expected = _team_conditions(user)
        open_in_programme = Q(audience=Session.Audience.OPEN) & Exists(
            _team_member_rows(user).filter(team__cohort__programme=OuterRef("programme"))
        )
        group_person = Q(audience=Session.Audience.GROUP) & _registered(user)
        return sessions.filter(published).filter(visible | open_in_programme | group_person)
    return sessions.none()


def programmes_visible_to(user, organisation: Organisation) -> QuerySet:
    role = role_in(user, organisation)
    programmes = Programme.objects.filter(organisation=organisation)
    if role == Role.COORDINATOR:
        return programmes
    if role in (Role.OBSERVER, Role.TRAINER):
        return programmes.filter(status__in=VISIBLE_PROGRAMME_STATUSES)
    if role == Access.PARTICIPANT:
        return programmes.filter(
            status__in=VISIBLE_PROGRAMME_STATUSES,
            cohorts__teams__members__user=user,
            cohorts__teams__members__left_at__isnull=True,
        ).distinct()
    return programmes.none()


def sessions_expected_for(user) -> QuerySet:
    """Every session ``user`` is expected at, in every organisation (their calendar and
    iCal feed): as a team member whose role is expected, as a registered participant, as
    facilitator, or as coordinator of the organisation. Published programmes only;
    cancelled sessions stay in (feeds must say they are cancelled).

    Crosses organisations on purpose: every condition is on ``user`` themselves. The
    caller must iterate the result inside ``scopes_disabled()``.
    """
    with scopes_disabled():
        _visible, expected = _team_conditions(user)
        facilitates = Exists(
            Session.facilitators.through.objects.filter(session=OuterRef("pk"), user=user)
        )
        coordinates = Exists(
            Membership.objects.filter(
                organisation=OuterRef("organisation"), user=user, role=Role.COORDINATOR
            )
        )
        return (
            _with_display_relations(Session.objects.all())
            .select_related("organisation")
            .filter(programme__status__in=VISIBLE_PROGRAMME_STATUSES)
            .filter(expected | _registered(user) | Q(facilitates) | Q(coordinates))
        )


def is_expected(user, session: Session) -> bool:
    """Whether ``user`` is expected at ``session`` (sees its visio link, gets its mail)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return expected_participants(session).filter(pk=user.pk).exists()


def is_facilitator(user, session: Session) -> bool:
    """Whether ``user`` facilitates ``session``: read from the prefetched facilitators
    when the page loaded them (``prefetch_related("facilitators")``), one query
    otherwise."""
    if not getattr(user, "is_authenticated", False):
        return False
    prefetched = getattr(session, "_prefetched_objects_cache", {}).get("facilitators")
    if prefetched is not None:
        return any(person.pk == user.pk for person in prefetched)
    return session.facilitators.filter(pk=user.pk).exists()


def expected_in_teams(user, session: Session, teams) -> bool:
    """Whether ``user`` is expected at ``session`` as a member of one of ``teams``, the
    teams of ``expected_teams(session)`` with their current members (no query)."""
    role_only = session.expected_presence == Session.Presence.ONE_ROLE
    return any(
        member.user_id == user.pk and (not role_only or member.role_id == session.expected_role_id)
        for team in teams
        for member in team.current_members
    )


def expected_participants(session: Session) -> QuerySet:
    """The people convened to ``session``: members of the teams concerned (only the
    expected role when one is), people registered to an open session, and facilitators."""
    members = TeamMember.objects.current().filter(organisation=session.organisation_id)
    if session.audience == Session.Audience.COHORT:
        members = members.filter(team__cohort__programme=session.programme_id)
    elif session.audience in Session.TEAM_AUDIENCES:
        members = members.filter(team__sessions=session)
    else:
        members = members.none()
    if session.expected_presence == Session.Presence.ONE_ROLE:
        members = members.filter(role=session.expected_role_id)
    registered = SessionRegistration.objects.filter(session=session)
    return User.objects.filter(
        Q(pk__in=members.values("user_id"))
        | Q(pk__in=registered.values("user_id"))
        | Q(facilitated_sessions=session)
    ).distinct()


def expected_teams(session: Session) -> QuerySet:
    """Teams concerned by ``session``, each with its current members and their roles
    prefetched (the session page lists who is expected with which role)."""
    teams = Team.objects.filter(organisation=session.organisation_id)
    if session.audience == Session.Audience.COHORT:
        teams = teams.filter(cohort__programme=session.programme_id)
    elif session.audience in Session.TEAM_AUDIENCES:
        teams = teams.filter(sessions=session)
    else:
        return teams.none()
    return teams.select_related("territory").prefetch_related(
        Prefetch(
            "members",
            queryset=TeamMember.objects.current().select_related("user", "role"),
            to_attr="current_members",
        )
    )
