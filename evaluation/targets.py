"""Who many campaigns reach, and who has answered them, computed together in a fixed
number of queries: the campaign list's "n sur m", the reminder rules' recipients (the
same rules as ``evaluation.selectors.target_teams`` / ``target_people`` for one
campaign).

Attendance is the truth: a campaign aimed at a session's participants reaches, once the
session's attendance sheet is recorded (any ``Attendance`` row), the people recorded
present or late on at least one half-day (guests on the sheet included), and in team
mode the teams with at least one of them. Before the sheet it reaches the people
expected (registered, or the members of the session's teams). A campaign with
``sheet_wait_until`` waits for the sheet until then: nobody is invited meanwhile; with
no sheet by then it goes to the expected people and ``audience_fallback`` is recorded
when the invitations are written, so a sheet recorded later changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Min, Q
from django.utils import timezone

from evaluation.models import Campaign, Participation, Response
from parcours.models import Session, Team
from parcours.reminders import current_members, registered_at_sessions, teams_of_sessions
from presences.models import ATTENDED, Attendance

# The default limit of the wait for the sheet: the next morning at this hour.
SHEET_WAIT_HOUR = time(9, 0)


def default_sheet_wait(session: Session, zone_name: str) -> datetime:
    """The next morning, 9 h on the organisation's wall clock, after ``session`` ends."""
    zone = ZoneInfo(zone_name)
    day = session.ends_at.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, SHEET_WAIT_HOUR, zone)


def follows_sheet(campaign: Campaign) -> bool:
    """Whether ``campaign``'s audience is a session's participants (attendance decides)."""
    return campaign.audience == Campaign.Audience.SESSION and bool(campaign.session_id)


def uses_attendance(campaign: Campaign, has_sheet: bool) -> bool:
    """Whether ``campaign`` reaches the attendees of its session (else the expected)."""
    return follows_sheet(campaign) and has_sheet and not campaign.audience_fallback


def awaiting_sheet(campaign: Campaign, has_sheet: bool, now: datetime | None = None) -> bool:
    """Whether ``campaign`` still waits for its session's sheet (nobody is invited)."""
    if not follows_sheet(campaign) or campaign.audience_fallback or has_sheet:
        return False
    wait = campaign.sheet_wait_until
    return wait is not None and (now or timezone.now()) < wait


@dataclass
class SheetState:
    """What the attendance of some sessions says: which have a sheet (and since when,
    the earliest row's time), and who attended each one (active accounts)."""

    recorded: dict[int, datetime] = field(default_factory=dict)
    attendees: dict[int, dict[int, object]] = field(default_factory=dict)
    # {session id: {team ids of attended rows}}.
    teams: dict[int, set[int]] = field(default_factory=dict)

    def has_sheet(self, session_id) -> bool:
        return session_id in self.recorded


def sheet_state(session_ids, *, with_people: bool = True) -> SheetState:
    """The attendance of ``session_ids`` in one or two queries."""
    state = SheetState()
    session_ids = set(session_ids) - {None}
    if not session_ids:
        return state
    state.recorded = dict(
        Attendance.objects.filter(session_id__in=session_ids)
        .values("session_id")
        .annotate(first=Min("updated_at"))
        .values_list("session_id", "first")
    )
    if with_people and state.recorded:
        for row in Attendance.objects.filter(
            session_id__in=state.recorded, status__in=ATTENDED, user__is_active=True
        ).select_related("user"):
            state.attendees.setdefault(row.session_id, {}).setdefault(row.user_id, row.user)
            if row.team_id:
                state.teams.setdefault(row.session_id, set()).add(row.team_id)
    return state


ASSESSMENT_MODES = (Campaign.Mode.ASSESS_TEAM, Campaign.Mode.ASSESS_PERSON)


@dataclass
class Targets:
    """Who many campaigns reach, computed together in a fixed number of queries (the
    same rules as ``evaluation.selectors.target_teams`` / ``target_people``)."""

    # {campaign id: [team ids]} and {campaign id: [users]} (active accounts).
    teams: dict[int, list[int]] = field(default_factory=dict)
    people: dict[int, list] = field(default_factory=dict)
    # {team id: [active users, current members]}.
    members: dict[int, list] = field(default_factory=dict)
    # {campaign id: [assessors]} (active accounts).
    assessors: dict[int, list] = field(default_factory=dict)

    def respondents(self, campaign: Campaign) -> list:
        """Who answers: assessors, the members of target teams, or target people."""
        if campaign.mode in ASSESSMENT_MODES:
            return self.assessors.get(campaign.pk, [])
        if campaign.mode == Campaign.Mode.TEAM:
            chosen = {}
            for team_id in self.teams.get(campaign.pk, []):
                for user in self.members.get(team_id, []):
                    chosen[user.pk] = user
            return sorted(chosen.values(), key=lambda user: user.pk)
        return self.people.get(campaign.pk, [])

    # Sessions' attendance (``sheet_state``) and the campaigns still waiting for it.
    sheets: SheetState = field(default_factory=SheetState)
    waiting: set[int] = field(default_factory=set)

    def expected(self, campaign: Campaign) -> int:
        """How many responses the campaign expects (teams, people or subjects)."""
        if campaign.per_team:
            return len(self.teams.get(campaign.pk, []))
        return len(self.people.get(campaign.pk, []))


def targets(campaigns: list[Campaign], *, now: datetime | None = None) -> Targets:
    """The targets of ``campaigns`` (with ``session`` loaded) in at most nine queries.
    Runs in the caller's scope (or ``scopes_disabled``)."""
    result = Targets()
    if not campaigns:
        return result
    now = now or timezone.now()
    ids = [campaign.pk for campaign in campaigns]
    by_session = [c for c in campaigns if follows_sheet(c)]
    session_ids = {campaign.session_id for campaign in by_session}
    # A campaign read with its session's first attendance (``sheet_recorded``, the
    # reminder rules') tells when there is no sheet to read.
    unrecorded = {
        c.session_id
        for c in by_session
        if hasattr(c, "sheet_recorded") and c.sheet_recorded is None
    }
    result.sheets = sheets = sheet_state(session_ids - unrecorded)
    result.waiting = {
        c.pk for c in by_session if awaiting_sheet(c, sheets.has_sheet(c.session_id), now)
    }
    chosen_teams: dict[int, set[int]] = defaultdict(set)
    if any(c.audience == Campaign.Audience.TEAMS for c in campaigns):
        for campaign_id, team_id in Campaign.teams.through.objects.filter(
            campaign_id__in=ids
        ).values_list("campaign_id", "team_id"):
            chosen_teams[campaign_id].add(team_id)
    session_teams: dict[int, set[int]] = defaultdict(set)
    registered: dict[int, list] = defaultdict(list)
    if session_ids:
        # Read once when the reminder rules plan together (the session rule reads them).
        session_teams.update(
            teams_of_sessions(
                {c.session_id for c in by_session if c.session.audience in Session.TEAM_AUDIENCES}
            )
        )
        registered.update(registered_at_sessions(session_ids))
    registered_ids = {user.pk for users in registered.values() for user in users}
    registered_ids |= {pk for people in sheets.attendees.values() for pk in people}
    # A call's questionnaires reach no team nor person of the programme (applications
    # answer them): nobody to count, invite or remind.
    programmes = {c.programme_id for c in campaigns if c.call_id is None}
    team_ids = {pk for teams in (*chosen_teams.values(), *session_teams.values()) for pk in teams}
    # Teams of the programmes (cohort targets), chosen teams, teams of registered people.
    # Read once when the reminder rules plan together (every rule picks from them).
    member_rows = current_members(
        programme_ids=programmes, team_ids=team_ids, user_ids=registered_ids, active_only=False
    )
    teams_by_programme: dict[int, set[int]] = defaultdict(set)
    for team_id, programme_id in Team.objects.filter(
        Q(cohort__programme_id__in=programmes) | Q(pk__in=team_ids)
    ).values_list("pk", "cohort__programme_id"):
        teams_by_programme[programme_id].add(team_id)
    users: dict[int, object] = {}
    members: dict[int, list] = defaultdict(list)
    role_of: dict[tuple[int, int], set] = defaultdict(set)  # (team, user) → roles
    teams_of_user: dict[int, set[int]] = defaultdict(set)
    for member in member_rows:
        teams_of_user[member.user_id].add(member.team_id)
        if not member.user.is_active:
            continue
        user = users.setdefault(member.user_id, member.user)
        members[member.team_id].append(user)
        role_of[(member.team_id, member.user_id)].add(member.role_id)
    result.members = dict(members)
    people_rows: dict[int, list] = defaultdict(list)
    if any(c.audience == Campaign.Audience.PEOPLE for c in campaigns):
        for row in Campaign.people.through.objects.filter(
            campaign_id__in=ids, user__is_active=True
        ).select_related("user"):
            people_rows[row.campaign_id].append(users.setdefault(row.user_id, row.user))
    if any(c.mode in ASSESSMENT_MODES for c in campaigns):
        for row in Campaign.assessors.through.objects.filter(
            campaign_id__in=ids, user__is_active=True
        ).select_related("user"):
            result.assessors.setdefault(row.campaign_id, []).append(row.user)
    for campaign in campaigns:
        teams: set[int] = set()
        people: dict[int, object] = {}
        audience = campaign.audience
        if campaign.call_id is not None or campaign.external:
            # Nobody to invite: applications answer a call's questionnaires, and an
            # external evaluation is run with another tool.
            result.teams[campaign.pk], result.people[campaign.pk] = [], []
            continue
        if audience == Campaign.Audience.COHORT:
            teams = set(teams_by_programme.get(campaign.programme_id, ()))
        elif audience == Campaign.Audience.TEAMS:
            teams = set(chosen_teams.get(campaign.pk, ()))
        elif audience == Campaign.Audience.SESSION and campaign.session_id:
            session = campaign.session
            if session.audience == Session.Audience.COHORT:
                teams = set(teams_by_programme.get(session.programme_id, ()))
            elif session.audience in Session.TEAM_AUDIENCES:
                teams = set(session_teams.get(session.pk, ()))
            else:
                teams = {
                    team
                    for user in registered.get(session.pk, ())
                    for team in teams_of_user.get(user.pk, ())
                }
        if audience == Campaign.Audience.PEOPLE:
            people = {user.pk: user for user in people_rows.get(campaign.pk, ())}
        elif audience == Campaign.Audience.SESSION and campaign.session_id:
            session = campaign.session
            one_role = session.expected_presence == Session.Presence.ONE_ROLE
            if session.audience != Session.Audience.OPEN:
                for team_id in teams:
                    for user in members.get(team_id, ()):
                        if one_role and session.expected_role_id not in role_of[(team_id, user.pk)]:
                            continue
                        people[user.pk] = user
            for user in registered.get(session.pk, ()):
                people[user.pk] = user
        else:
            for team_id in teams:
                for user in members.get(team_id, ()):
                    people[user.pk] = user
        if uses_attendance(campaign, sheets.has_sheet(campaign.session_id)):
            attendees = sheets.attendees.get(campaign.session_id, {})
            attended_teams = set(sheets.teams.get(campaign.session_id, ()))
            for user_id in attendees:
                attended_teams |= teams_of_user.get(user_id, set())
            teams &= attended_teams
            people = dict(attendees)
        result.teams[campaign.pk] = sorted(teams)
        result.people[campaign.pk] = sorted(
            people.values(), key=lambda user: (user.last_name, user.first_name, user.pk)
        )
    return result


def answered(campaigns: list[Campaign]) -> tuple[dict[int, set[str]], dict[int, set[int]]]:
    """({campaign id: keys of submitted responses}, {campaign id: ids of people who sent
    an anonymous answer}) in two queries."""
    ids = [campaign.pk for campaign in campaigns]
    keys: dict[int, set[str]] = defaultdict(set)
    people: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return keys, people
    for campaign_id, key in Response.objects.filter(
        campaign_id__in=ids, status=Response.Status.SUBMITTED
    ).values_list("campaign_id", "key"):
        keys[campaign_id].add(key)
    # ``anonymous_answered`` (the reminder rules' annotation): someone sent an answer.
    anonymous = [
        campaign.pk
        for campaign in campaigns
        if campaign.anonymous and getattr(campaign, "anonymous_answered", True)
    ]
    if anonymous:
        for campaign_id, user_id in Participation.objects.filter(
            campaign_id__in=anonymous, submitted_at__isnull=False
        ).values_list("campaign_id", "user_id"):
            people[campaign_id].add(user_id)
    return keys, people


def pending_respondents(
    campaign: Campaign, found: Targets, keys: set[str], anonymous_done: set[int]
) -> list:
    """The respondents of ``campaign`` who still owe a response (the rule of
    ``selectors.non_respondents``, from data loaded in bulk)."""
    if campaign.mode == Campaign.Mode.TEAM:
        chosen = {}
        for team_id in found.teams.get(campaign.pk, []):
            if f"team:{team_id}" in keys:
                continue
            for user in found.members.get(team_id, []):
                chosen[user.pk] = user
        return sorted(chosen.values(), key=lambda user: user.pk)
    if campaign.mode == Campaign.Mode.PERSON:
        people = found.people.get(campaign.pk, [])
        if campaign.anonymous:
            return [user for user in people if user.pk not in anonymous_done]
        return [user for user in people if f"person:{user.pk}" not in keys]
    if campaign.mode == Campaign.Mode.ASSESS_TEAM:
        subjects = [f"subject-team:{pk}" for pk in found.teams.get(campaign.pk, [])]
    else:
        subjects = [f"subject-person:{user.pk}" for user in found.people.get(campaign.pk, [])]
    if all(key in keys for key in subjects):
        return []
    return found.assessors.get(campaign.pk, [])
