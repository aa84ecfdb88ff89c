"""Reads of the minutes: who attended a session (from its attendance sheet), who may be
named present when there is no sheet, a version with its content, the plans an action
may go to, and a programme's minutes with the held sessions still without validated
minutes — each in a number of queries that does not grow with the data."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from parcours.models import Programme, Session, Team
from parcours.selectors import expected_participants
from plans.models import ActionPlan
from presences.models import ATTENDED, Attendance

from .models import Minutes, MinutesAction, MinutesVersion

User = get_user_model()


def display_name(user) -> str:
    return user.get_full_name() or user.email


@dataclass(frozen=True)
class Present:
    user: object
    team: Team | None

    @property
    def name(self) -> str:
        return display_name(self.user)


def has_attendance(session: Session) -> bool:
    """Whether attendance was recorded for ``session`` (the sheet then says who came)."""
    return Attendance.objects.filter(session=session).exists()


def attendees_from_sheet(session: Session) -> list[Present]:
    """The people present or late (or leaving early) on at least one half-day of the
    session, with the team they attended for, by name (one query)."""
    rows = (
        Attendance.objects.filter(session=session, status__in=ATTENDED)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "user__email", "day", "half_day")
    )
    seen: dict[int, Present] = {}
    for row in rows:
        if row.user_id not in seen:
            seen[row.user_id] = Present(user=row.user, team=row.team)
    return list(seen.values())


def expected_people(session: Session) -> QuerySet:
    """Who may be ticked present when there is no sheet: the people expected."""
    return expected_participants(session).order_by("last_name", "first_name", "email")


def session_teams(session: Session) -> QuerySet:
    """The teams an action may be given to: the programme's teams."""
    return Team.objects.filter(
        organisation=session.organisation_id, cohort__programme=session.programme_id
    ).order_by("name", "pk")


def shared_plans(session: Session) -> QuerySet:
    """The working groups' plans and the common plans of the session's programme."""
    return ActionPlan.objects.filter(
        programme=session.programme_id,
        kind__in=(ActionPlan.Kind.GROUP, ActionPlan.Kind.COMMON),
    ).order_by("kind", "title", "pk")


def group_plan_of(session: Session) -> ActionPlan | None:
    """The plan of the working group holding ``session``, if it has one. Read through the
    plan's reverse relations (the group's app is a sibling this app does not import)."""
    try:
        return (
            ActionPlan.objects.filter(
                kind=ActionPlan.Kind.GROUP, group__group_sessions__session=session
            )
            .order_by("pk")
            .first()
        )
    except FieldError:
        return None


def common_plan_of(programme_id: int) -> ActionPlan | None:
    return (
        ActionPlan.objects.filter(programme=programme_id, kind=ActionPlan.Kind.COMMON)
        .order_by("pk")
        .first()
    )


def with_content(versions: QuerySet) -> QuerySet:
    """Versions with their attendees, items, decisions, actions and comments."""
    return versions.select_related("written_by", "validated_by").prefetch_related(
        "attendees__team",
        "items",
        "decisions",
        Prefetch(
            "actions",
            queryset=MinutesAction.objects.select_related("owner", "team__cohort", "plan"),
        ),
        "comments__author",
    )


def version_with_content(minutes: Minutes, number: int) -> MinutesVersion:
    return with_content(MinutesVersion.objects.filter(minutes=minutes)).get(number=number)


def current_version(minutes: Minutes) -> MinutesVersion:
    return version_with_content(minutes, minutes.current_number)


def last_validated(minutes: Minutes, before: int | None = None) -> MinutesVersion | None:
    versions = MinutesVersion.objects.filter(
        minutes=minutes, status=MinutesVersion.Status.VALIDATED
    )
    if before is not None:
        versions = versions.filter(number__lt=before)
    return with_content(versions).order_by("-number").first()


@dataclass
class HeldSession:
    session: Session
    minutes: Minutes | None

    @property
    def is_gap(self) -> bool:
        return self.minutes is None or not self.minutes.versions_validated


def held_sessions(programme: Programme, now=None) -> list[HeldSession]:
    """The programme's sessions that took place (ended, not cancelled), newest first,
    each with its minutes (and whether a version of them was validated): three queries
    for any number of sessions."""
    now = now or timezone.now()
    sessions = list(
        Session.objects.filter(programme=programme, ends_at__lt=now)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("kind")
        .prefetch_related("teams")
        .order_by("-starts_at", "-pk")
    )
    minutes = {
        item.session_id: item
        for item in Minutes.objects.filter(session__in=[s.pk for s in sessions]).prefetch_related(
            Prefetch(
                "versions",
                queryset=MinutesVersion.objects.filter(status=MinutesVersion.Status.VALIDATED),
                to_attr="validated_versions",
            )
        )
    }
    rows = []
    for session in sessions:
        item = minutes.get(session.pk)
        if item is not None:
            item.versions_validated = bool(item.validated_versions)
        rows.append(HeldSession(session=session, minutes=item))
    return rows
