"""Who many campaigns reach, and who has answered them, computed together in a fixed
number of queries: the campaign list's "n sur m", the reminder rules' recipients (the
same rules as ``evaluation.selectors.target_teams`` / ``target_people`` for one
campaign)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from evaluation.models import Campaign, Participation, Response
from parcours.models import Session, SessionRegistration, Team, TeamMember

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

    def expected(self, campaign: Campaign) -> int:
        """How many responses the campaign expects (teams, people or subjects)."""
        if campaign.per_team:
            return len(self.teams.get(campaign.pk, []))
        return len(self.people.get(campaign.pk, []))


def targets(campaigns: list[Campaign]) -> Targets:
    """The targets of ``campaigns`` (with ``session`` loaded) in at most seven queries.
    Runs in the caller's scope (or ``scopes_disabled``)."""
    result = Targets()
    if not campaigns:
        return result
    ids = [campaign.pk for campaign in campaigns]
    by_session = [c for c in campaigns if c.audience == Campaign.Audience.SESSION and c.session_id]
    session_ids = {campaign.session_id for campaign in by_session}
    chosen_teams: dict[int, set[int]] = defaultdict(set)
    if any(c.audience == Campaign.Audience.TEAMS for c in campaigns):
        for campaign_id, team_id in Campaign.teams.through.objects.filter(
            campaign_id__in=ids
        ).values_list("campaign_id", "team_id"):
            chosen_teams[campaign_id].add(team_id)
    session_teams: dict[int, set[int]] = defaultdict(set)
    registered: dict[int, list] = defaultdict(list)
    if session_ids:
        for session_id, team_id in Session.teams.through.objects.filter(
            session_id__in=session_ids
        ).values_list("session_id", "team_id"):
            session_teams[session_id].add(team_id)
        for row in SessionRegistration.objects.filter(
            session_id__in=session_ids, user__is_active=True
        ).select_related("user"):
            registered[row.session_id].append(row.user)
    registered_ids = {user.pk for users in registered.values() for user in users}
    # A call's questionnaires reach no team nor person of the programme (applications
    # answer them): nobody to count, invite or remind.
    programmes = {c.programme_id for c in campaigns if c.call_id is None}
    team_ids = {pk for teams in (*chosen_teams.values(), *session_teams.values()) for pk in teams}
    # Teams of the programmes (cohort targets), chosen teams, teams of registered people.
    member_rows = TeamMember.objects.current().filter(
        Q(team__cohort__programme_id__in=programmes)
        | Q(team_id__in=team_ids)
        | Q(user_id__in=registered_ids)
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
    for member in member_rows.select_related("user"):
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
        if campaign.call_id is not None:
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
            elif session.audience in (Session.Audience.TEAM, Session.Audience.TEAMS):
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
    anonymous = [campaign.pk for campaign in campaigns if campaign.anonymous]
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
