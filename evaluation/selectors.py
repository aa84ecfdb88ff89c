"""Who answers which campaign, about whom, and who sees what.

Targets: a campaign reaches teams (all teams of the programme, some teams, the teams of
a session) and people (their members, the people expected at a session, named people).
Respondents: for a team campaign, the current members of each target team answer for
their team; for a person campaign, each target person; for an assessment, the
assessors, about each target team or person (the subjects).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from evaluation import targets
from evaluation.models import Campaign, Participation, Response
from organisations.models import Access, Organisation, Role
from organisations.roles import role_in
from parcours.models import Session, SessionRegistration, Team, TeamMember
from parcours.selectors import VISIBLE_PROGRAMME_STATUSES
from presences.models import ATTENDED, Attendance

User = get_user_model()


# --- Targets ---------------------------------------------------------------------------


def _has_sheet(campaign: Campaign) -> bool:
    """Whether the session of ``campaign`` has its attendance recorded (memoised)."""
    if not targets.follows_sheet(campaign):
        return False
    cached = getattr(campaign, "_has_sheet", None)
    if cached is None:
        cached = Attendance.objects.filter(session=campaign.session_id).exists()
        campaign._has_sheet = cached
    return cached


def _attendance_reached(campaign: Campaign) -> bool:
    return targets.uses_attendance(campaign, _has_sheet(campaign))


def awaiting_sheet(campaign: Campaign) -> bool:
    """Whether ``campaign`` still waits for its session's attendance sheet."""
    return targets.awaiting_sheet(campaign, _has_sheet(campaign))


def _attended(session_id) -> QuerySet:
    return Attendance.objects.filter(session=session_id, status__in=ATTENDED)


def target_teams(campaign: Campaign) -> QuerySet:
    """The teams a campaign reaches (empty for named people); for a session's
    participants once its sheet is recorded, the teams with at least one attendee."""
    teams = _expected_teams(campaign)
    if _attendance_reached(campaign):
        attended = _attended(campaign.session_id)
        teams = teams.filter(
            Q(pk__in=attended.values("team_id"))
            | Q(
                pk__in=TeamMember.objects.current()
                .filter(user__in=attended.values("user_id"))
                .values("team_id")
            )
        )
    return teams


def _expected_teams(campaign: Campaign) -> QuerySet:
    teams = Team.objects.filter(organisation=campaign.organisation_id)
    audience = campaign.audience
    if audience == Campaign.Audience.COHORT:
        return teams.filter(cohort__programme=campaign.programme_id)
    if audience == Campaign.Audience.TEAMS:
        return teams.filter(campaigns=campaign)
    if audience == Campaign.Audience.SESSION and campaign.session_id:
        session = campaign.session
        if session.audience == Session.Audience.COHORT:
            return teams.filter(cohort__programme=session.programme_id)
        if session.audience in Session.TEAM_AUDIENCES:
            return teams.filter(sessions=session)
        return teams.filter(
            members__left_at__isnull=True,
            members__user__session_registrations__session=session,
        ).distinct()
    return teams.none()


def _session_people(session: Session) -> QuerySet:
    """People taking part in ``session`` (expected team members or registered people;
    not its facilitators). Refined by recorded attendance once it exists."""
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
        Q(pk__in=members.values("user_id")) | Q(pk__in=registered.values("user_id"))
    )


def target_people(campaign: Campaign) -> QuerySet:
    """The people a campaign reaches, active accounts only: for a session's
    participants, once its sheet is recorded, those present or late on a half-day."""
    audience = campaign.audience
    if audience == Campaign.Audience.PEOPLE:
        people = User.objects.filter(targeted_campaigns=campaign)
    elif _attendance_reached(campaign):
        people = User.objects.filter(pk__in=_attended(campaign.session_id).values("user_id"))
    elif audience == Campaign.Audience.SESSION and campaign.session_id:
        people = _session_people(campaign.session)
    else:
        members = TeamMember.objects.current().filter(team__in=target_teams(campaign).values("pk"))
        people = User.objects.filter(pk__in=members.values("user_id"))
    return people.filter(is_active=True).order_by("last_name", "first_name", "pk")


def teams_with_members(teams: QuerySet) -> QuerySet:
    """Teams with their current members (``current_members``, user and role loaded)."""
    return teams.select_related("territory").prefetch_related(
        Prefetch(
            "members",
            queryset=TeamMember.objects.current().select_related("user", "role"),
            to_attr="current_members",
        )
    )


def subjects(campaign: Campaign) -> list:
    """What an assessment is about: the target teams or people (empty otherwise)."""
    if campaign.mode == Campaign.Mode.ASSESS_TEAM:
        return list(teams_with_members(target_teams(campaign)).order_by("name"))
    if campaign.mode == Campaign.Mode.ASSESS_PERSON:
        return list(target_people(campaign))
    return []


def absent_subjects(campaign: Campaign) -> list:
    """For an assessment of a session's participants once its sheet is recorded, the
    people (teams) expected who did not attend: shown as absent, never assessed."""
    if not campaign.is_assessment or not _attendance_reached(campaign):
        return []
    if campaign.mode == Campaign.Mode.ASSESS_TEAM:
        expected = _expected_teams(campaign).exclude(pk__in=target_teams(campaign).values("pk"))
        return list(expected.order_by("name"))
    expected = _session_people(campaign.session).filter(is_active=True)
    expected = expected.exclude(pk__in=_attended(campaign.session_id).values("user_id"))
    return list(expected.order_by("last_name", "first_name", "pk"))


# --- Respondents -----------------------------------------------------------------------


def team_of_respondent(campaign: Campaign, user) -> Team | None:
    """For a team campaign, the target team ``user`` answers for (None if none)."""
    if campaign.mode != Campaign.Mode.TEAM:
        return None
    return (
        target_teams(campaign)
        .filter(members__user=user, members__left_at__isnull=True)
        .select_related("cohort")
        .first()
    )


def is_respondent(campaign: Campaign, user) -> bool:
    """Whether ``user`` answers ``campaign`` (for themselves, their team or as assessor)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if campaign.status != Campaign.Status.LAUNCHED:
        return False
    if awaiting_sheet(campaign):
        return False  # nobody is invited before the sheet (or the end of the wait)
    if campaign.is_assessment:
        return campaign.assessors.filter(pk=user.pk).exists()
    if campaign.mode == Campaign.Mode.TEAM:
        return team_of_respondent(campaign, user) is not None
    return target_people(campaign).filter(pk=user.pk).exists()


def is_subject(campaign: Campaign, subject) -> bool:
    if campaign.mode == Campaign.Mode.ASSESS_TEAM:
        return target_teams(campaign).filter(pk=subject.pk).exists()
    if campaign.mode == Campaign.Mode.ASSESS_PERSON:
        return target_people(campaign).filter(pk=subject.pk).exists()
    return False


def _member_rows(user):
    return TeamMember.objects.current().filter(user=user)


def campaigns_to_answer(user, organisation: Organisation) -> QuerySet:
    """Launched campaigns of ``organisation`` that ``user`` answers (whatever their
    state: upcoming, open or closed), in one query with EXISTS conditions."""
    in_programme = Exists(_member_rows(user).filter(team__cohort__programme=OuterRef("programme")))
    in_chosen_team = Exists(_member_rows(user).filter(team__campaigns=OuterRef("pk")))
    named = Exists(Campaign.people.through.objects.filter(campaign=OuterRef("pk"), user=user))
    assessor = Exists(Campaign.assessors.through.objects.filter(campaign=OuterRef("pk"), user=user))
    session_cohort = Q(session__audience=Session.Audience.COHORT) & Exists(
        _member_rows(user).filter(team__cohort__programme=OuterRef("session__programme"))
    )
    session_teams = Q(session__audience__in=Session.TEAM_AUDIENCES) & Exists(
        _member_rows(user).filter(team__sessions=OuterRef("session"))
    )
    role_ok = ~Q(session__expected_presence=Session.Presence.ONE_ROLE) | Exists(
        _member_rows(user).filter(role=OuterRef("session__expected_role"))
    )
    registered = Exists(SessionRegistration.objects.filter(session=OuterRef("session"), user=user))
    expected = ((session_cohort | session_teams) & role_ok) | Q(registered)
    # Once the sheet is recorded: those who came (or, for a team answer, whose team had
    # someone there); before it, or after a wait that ended without it, the expected.
    sheet = Exists(Attendance.objects.filter(session=OuterRef("session")))
    attended = Exists(
        Attendance.objects.filter(session=OuterRef("session"), user=user, status__in=ATTENDED)
    )
    team_attended = Exists(
        Attendance.objects.filter(
            session=OuterRef("session"),
            status__in=ATTENDED,
            user__team_memberships__left_at__isnull=True,
            user__team_memberships__team__in=_member_rows(user).values("team_id"),
        )
    )
    by_sheet = Q(audience_fallback=False) & Q(sheet)
    in_session = (~by_sheet & expected) | (
        by_sheet & (Q(attended) | (Q(mode=Campaign.Mode.TEAM) & expected & Q(team_attended)))
    )
    waiting = Q(
        audience=Campaign.Audience.SESSION,
        audience_fallback=False,
        sheet_wait_until__gt=timezone.now(),
    ) & ~Q(sheet)
    answered_by_targets = ~Q(mode__in=[Campaign.Mode.ASSESS_TEAM, Campaign.Mode.ASSESS_PERSON])
    reached = (
        (Q(audience=Campaign.Audience.COHORT) & in_programme)
        | (Q(audience=Campaign.Audience.TEAMS) & in_chosen_team)
        | (Q(audience=Campaign.Audience.PEOPLE) & named)
        | (Q(audience=Campaign.Audience.SESSION) & in_session)
    )
    # A person campaign about a session's teams reaches their members; a team one too.
    # A call's questionnaires are answered by applications, from the application's pages.
    return (
        Campaign.objects.filter(
            organisation=organisation,
            status=Campaign.Status.LAUNCHED,
            call__isnull=True,
            external=False,
        )
        .filter(programme__status__in=VISIBLE_PROGRAMME_STATUSES)
        .filter((answered_by_targets & reached) | (~answered_by_targets & assessor))
        .exclude(waiting)
        .select_related("programme", "session", "version", "questionnaire")
    )


def own_responses(user, campaigns) -> dict[int, Response]:
    """{campaign id: the response ``user`` fills or filled} for non-anonymous, non-
    assessment campaigns (their own, or their team's), in one query."""
    campaigns = [c for c in campaigns if not c.anonymous and not c.is_assessment]
    if not campaigns:
        return {}
    team_ids = list(_member_rows(user).values_list("team_id", flat=True))
    keys = {f"person:{user.pk}"} | {f"team:{pk}" for pk in team_ids}
    result = {}
    for response in Response.objects.filter(
        campaign__in=[c.pk for c in campaigns], key__in=keys
    ).select_related("team"):
        result[response.campaign_id] = response
    return result


def participations(user, campaigns) -> dict[int, Participation]:
    anonymous = [c.pk for c in campaigns if c.anonymous]
    if not anonymous:
        return {}
    return {
        p.campaign_id: p for p in Participation.objects.filter(campaign__in=anonymous, user=user)
    }


# --- Non-respondents -------------------------------------------------------------------


def non_respondents(campaign: Campaign) -> dict:
    """Who has not sent their response yet, for the coordinator's list and "relancer":
    ``{"teams": [team with current_members], "people": [user], "subjects": [team or
    user], "recipients": [users to remind]}``. A constant number of queries."""
    submitted_keys = set(
        Response.objects.filter(campaign=campaign, status=Response.Status.SUBMITTED).values_list(
            "key", flat=True
        )
    )
    result: dict = {"teams": [], "people": [], "subjects": [], "recipients": []}
    if campaign.mode == Campaign.Mode.TEAM:
        teams = [
            team
            for team in teams_with_members(target_teams(campaign)).order_by("name")
            if f"team:{team.pk}" not in submitted_keys
        ]
        result["teams"] = teams
        result["recipients"] = [
            member.user
            for team in teams
            for member in team.current_members
            if member.user.is_active
        ]
    elif campaign.mode == Campaign.Mode.PERSON:
        people = list(target_people(campaign))
        if campaign.anonymous:
            answered = set(
                Participation.objects.filter(
                    campaign=campaign, submitted_at__isnull=False
                ).values_list("user_id", flat=True)
            )
            people = [person for person in people if person.pk not in answered]
        else:
            people = [person for person in people if f"person:{person.pk}" not in submitted_keys]
        result["people"] = people
        result["recipients"] = people
    else:
        prefix = "subject-team" if campaign.mode == Campaign.Mode.ASSESS_TEAM else "subject-person"
        pending = [s for s in subjects(campaign) if f"{prefix}:{s.pk}" not in submitted_keys]
        result["subjects"] = pending
        result["recipients"] = list(campaign.assessors.filter(is_active=True)) if pending else []
    return result


# --- Visibility ------------------------------------------------------------------------


def campaigns_visible_to(user, organisation: Organisation) -> QuerySet:
    """Campaigns whose page (and results, within what the role allows) ``user`` may see:
    coordinators all of them; trainers those of sessions they run or that they assess;
    observers the launched campaigns of published programmes (aggregates only);
    participants the campaigns they answer. Never a call's questionnaires."""
    role = role_in(user, organisation)
    # A call's questionnaires are managed and read from the call and its applications.
    campaigns = Campaign.objects.filter(
        organisation=organisation, call__isnull=True
    ).select_related("programme", "session", "version", "questionnaire")
    if role == Role.COORDINATOR:
        return campaigns
    launched = Q(status=Campaign.Status.LAUNCHED)
    published = Q(programme__status__in=VISIBLE_PROGRAMME_STATUSES)
    if role == Role.OBSERVER:
        return campaigns.filter(launched & published)
    if role == Role.TRAINER:
        runs_session = Exists(
            Session.facilitators.through.objects.filter(session=OuterRef("session"), user=user)
        )
        assesses = Exists(
            Campaign.assessors.through.objects.filter(campaign=OuterRef("pk"), user=user)
        )
        return campaigns.filter(launched & published).filter(Q(runs_session) | Q(assesses))
    if role == Access.PARTICIPANT:
        return campaigns_to_answer(user, organisation)
    return campaigns.none()


def sees_names(user, organisation: Organisation, campaign: Campaign) -> bool:
    """Whether ``user`` may see who answered what (never for anonymous campaigns):
    coordinators, trainers on their sessions' campaigns, and observers only where the
    programme lets them see names (``Programme.observers_see_names``)."""
    if campaign.anonymous:
        return False
    role = role_in(user, organisation)
    if role == Role.OBSERVER:
        programme = campaign.programme if campaign.programme_id else None
        return bool(programme and programme.observers_see_names)
    return role in (Role.COORDINATOR, Role.TRAINER)


def sees_confidential(user, organisation: Organisation) -> bool:
    """Whether ``user`` reads the answers to confidential questions (besides their own):
    coordinators only, never trainers nor observers."""
    return role_in(user, organisation) == Role.COORDINATOR
