"""The figures of a programme's synthesis computed on known data: the calendar held
against the planned one (moved, cancelled, added, to be dated), attendance per session,
team and role, satisfaction per session and moment with its n (an anonymous campaign
under its threshold counting nowhere), the progression's radar series, plans by status
and CODEV counts; each section empty says so; period and teams narrow the figures; a
constant number of queries whatever the number of teams.

``synthesis_world`` is shared with the dashboard's tests and the e2e journey."""

import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from codev.models import Group, GroupKind
from codev.services import cases as case_services
from codev.services import groups as group_services
from codev.services import sessions as codev_sessions
from documents.syntheses.charts import rate_chart, synthesis_charts
from documents.syntheses.figures import (
    attendance_figures,
    calendar_figures,
    programme_synthesis,
)
from documents.syntheses.scope import build_scope
from evaluation.models import Answer, Response
from organisations.models import AuditEntry
from parcours import services as parcours_services
from parcours.models import Session, TeamMember
from presences.models import Attendance
from tests.factories import (
    CampaignFactory,
    DatePollFactory,
    MembershipFactory,
    PhaseFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
    build_grid_questionnaire,
    build_programme,
    build_satisfaction_questionnaire,
)
from tests.plans.overview_world import add_action

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int = 9):
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def respond(campaign, values, *, team=None, respondent=None):
    """A sent response of ``campaign``: {question or (question, criterion): number}."""
    if campaign.anonymous:
        key = f"anonymous:{uuid.uuid4().hex}"
    elif campaign.mode == "team":
        key = f"team:{team.pk}"
    else:
        key = f"person:{respondent.pk}"
    response = Response.objects.create(
        organisation=campaign.organisation,
        campaign=campaign,
        version=campaign.version,
        key=key,
        team=team if campaign.mode == "team" else None,
        respondent=respondent if campaign.mode == "person" and not campaign.anonymous else None,
        status="submitted",
        submitted_at=timezone.now(),
    )
    for target, number in values.items():
        question, criterion = target if isinstance(target, tuple) else (target, None)
        Answer.objects.create(
            organisation=campaign.organisation,
            response=response,
            question=question,
            criterion=criterion,
            number=number,
        )
    return response


def members(team):
    return list(TeamMember.objects.filter(team=team).select_related("user", "role").order_by("pk"))


def record(session, team, statuses):
    """One recorded morning per member of ``team`` at ``session``, in member order."""
    day = timezone.localtime(session.starts_at).date()
    for member, status in zip(members(team), statuses, strict=False):
        Attendance.objects.create(
            organisation=session.organisation,
            session=session,
            user=member.user,
            team=team,
            role=member.role,
            day=day,
            half_day="am",
            status=status,
        )


def add_teams(world, count: int):
    """``count`` more teams, each with a recorded half-day, a T0 answer and an action:
    what a bigger cohort adds to every section."""
    for _index in range(count):
        team = TeamFactory(cohort=world.cohort)
        for role in world.roles:
            TeamMemberFactory(team=team, role=role)
        record(world.launch, team, ["present", "absent", "present"])
        respond(world.t0, {(world.grid.grid, c): 2 for c in world.grid.criteria}, team=team)
        add_action(team, title="Action d’une nouvelle équipe")


def synthesis_world(teams: int = 3):
    """A published programme of ``teams`` teams of three (elected, officer, head of
    service), a coordinator, a trainer and an observer, and a bit of everything:

    - « Séminaire de lancement » 20 days ago (recorded: team 1 all present, team 2 two
      present and one absent, team 3 one late, one excused, one absent), « Atelier
      diagnostic » moved from 8 to 5 days ago (team 1 all present), a session cancelled,
      one to come, one added after publication, one to be dated, an internal one (never
      counted) and one for the first team only, 3 days ago;
    - satisfaction à chaud of the launch: 4 answers (4, 4, 3, 1 on 1–4: 75 %), an
      anonymous campaign à froid with 2 answers (under its threshold: left out);
    - a self-diagnostic at T0 (teams 1 and 2) and T1 (team 1);
    - actions: team 1 one in progress and one done, team 2 one to start (and team 1 the
      action of its CODEV commitment);
    - a CODEV group of the first two teams, one case of team 1 with one commitment.

    Call inside the organisation's scope is not needed: it enters it."""
    with scopes_disabled():
        built = build_programme(teams=teams)
        organisation = built.organisation
        coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
        trainer = MembershipFactory(organisation=organisation, role="trainer").user
        observer = MembershipFactory(organisation=organisation, role="observer").user
    world = SimpleNamespace(
        **vars(built), coordinator=coordinator, trainer=trainer, observer=observer
    )
    programme = built.programme
    with scope(organisation=organisation.pk):
        team_a, team_b, team_c = built.teams[:3]
        launch = SessionFactory(
            programme=programme,
            kind=built.kind,
            title="Séminaire de lancement",
            starts_at=_at(-20),
            ends_at=_at(-20, 17),
        )
        workshop = SessionFactory(
            programme=programme,
            kind=built.kind,
            title="Atelier diagnostic",
            starts_at=_at(-8),
            ends_at=_at(-8, 12),
        )
        cancelled = SessionFactory(
            programme=programme, kind=built.kind, title="Visite annulée", starts_at=_at(-10)
        )
        upcoming = SessionFactory(
            programme=programme, kind=built.kind, title="Journée à venir", starts_at=_at(10)
        )
        undated = SessionFactory(
            programme=programme,
            kind=built.kind,
            title="Séance à dater",
            starts_at=None,
            ends_at=None,
            tentative=True,
        )
        internal = SessionFactory(
            programme=programme,
            kind=built.kind,
            title="Réunion interne de l’équipe d’animation",
            starts_at=_at(-4),
            audience="internal",
        )
        coaching = SessionFactory(
            programme=programme,
            kind=built.individual_kind,
            title="Accompagnement individuel",
            starts_at=_at(-3),
            audience="team",
            teams=[team_a],
        )
        planned_at = programme.published_at - timedelta(days=1)
        Session.objects.filter(programme=programme).update(created_at=planned_at)
        added = SessionFactory(
            programme=programme, kind=built.kind, title="Séance ajoutée", starts_at=_at(30)
        )
        parcours_services.cancel_session(session=cancelled, acting_user=coordinator)
        workshop.refresh_from_db()
        parcours_services.update_session(
            session=workshop, acting_user=coordinator, starts_at=_at(-5), ends_at=_at(-5, 12)
        )
        workshop.refresh_from_db()

        record(launch, team_a, ["present", "present", "present"])
        record(launch, team_b, ["present", "present", "absent"])
        record(launch, team_c, ["partial", "excused", "absent"])
        record(workshop, team_a, ["present", "present", "present"])
        record(coaching, team_a, ["present", "present"])

        satisfaction = build_satisfaction_questionnaire(organisation=organisation)
        hot = CampaignFactory(
            programme=programme, version=satisfaction.version, hot=True, session=launch
        )
        people = [m.user for team in (team_a, team_b) for m in members(team)]
        for person, value in zip(people, [4, 4, 3, 1], strict=False):
            respond(hot, {satisfaction.scale: value}, respondent=person)
        cold = CampaignFactory(
            programme=programme, version=satisfaction.version, moment="cold", anonymous=True
        )
        for value in (1, 1):
            respond(cold, {satisfaction.scale: value})

        grid = build_grid_questionnaire(organisation=organisation)
        t0 = CampaignFactory(programme=programme, version=grid.version, per_team=True, t0=True)
        t1 = CampaignFactory(programme=programme, version=grid.version, per_team=True, t1=True)
        first, second, third = grid.criteria
        respond(
            t0, {(grid.grid, first): 1, (grid.grid, second): 2, (grid.grid, third): 1}, team=team_a
        )
        respond(t0, {(grid.grid, first): 3, (grid.grid, second): 2}, team=team_b)
        respond(
            t1, {(grid.grid, first): 3, (grid.grid, second): 3, (grid.grid, third): 2}, team=team_a
        )

        add_action(team_a, title="Recenser les cantines", status="in_progress")
        add_action(team_a, title="Former les cuisiniers", status="done")
        add_action(team_b, title="Créer une légumerie")

        group = group_services.save_group(
            group=Group(programme=programme, name="CODEV Nord", kind=GroupKind.CODEV),
            acting_user=coordinator,
            facilitators=[trainer],
        )
        group_services.set_members(
            group=group, teams=[team_a, team_b], people=[], acting_user=coordinator
        )
        (seance,) = codev_sessions.create_series(
            groups=[group],
            acting_user=coordinator,
            title="CODEV visio",
            kind=built.kind,
            format="visio",
            visio_url="https://visio.exemple.fr/codev",
            starts_at=_at(20, 9),
            ends_at=_at(20, 12),
        )
        codev_sessions.set_roles(
            group_session=seance,
            client=group.memberships.get(team=team_a),
            facilitator=trainer,
            acting_user=coordinator,
        )
        client = members(team_a)[0].user
        case = case_services.save_case(
            group_session=seance,
            acting_user=client,
            title="Mobiliser les élu·es",
            question="Comment associer les élu·es au PAT ?",
        )
        case_services.save_commitment(
            case=case,
            acting_user=client,
            what="Écrire aux maires",
            owner=client,
            due_on=timezone.localdate() + timedelta(days=50),
        )
    world.__dict__.update(
        launch=launch,
        workshop=workshop,
        cancelled=cancelled,
        upcoming=upcoming,
        undated=undated,
        internal=internal,
        coaching=coaching,
        added=added,
        grid=grid,
        satisfaction=satisfaction,
        t0=t0,
        t1=t1,
        hot=hot,
        cold=cold,
        group=group,
    )
    return world


@pytest.fixture
def world(db):
    built = synthesis_world()
    with scope(organisation=built.organisation.pk):
        yield built


def whole(world, **kwargs):
    return build_scope(world.programme, zone="Europe/Paris", **kwargs)


# --- (a) The calendar -------------------------------------------------------------------


def test_the_calendar_held_against_the_calendar_planned(world):
    figures = calendar_figures(whole(world))

    states = {line.session.title: line for line in figures.lines}
    assert "Réunion interne de l’équipe d’animation" not in states
    assert states["Séminaire de lancement"].state == "held"
    assert states["Atelier diagnostic"].state == "held"
    assert states["Atelier diagnostic"].moves == 1
    assert states["Séminaire de lancement"].moves == 0
    assert states["Visite annulée"].state == "cancelled"
    assert states["Visite annulée"].moves == 0  # cancelled: not moved
    assert states["Journée à venir"].state == "upcoming"
    assert states["Séance à dater"].state == "undated"
    assert states["Séance ajoutée"].added
    assert not states["Séminaire de lancement"].added
    assert figures.planned == 8  # 7 of the world, the CODEV séance (added)
    assert figures.held == 3
    assert figures.moved == 1
    rows = dict(figures.chart_rows)
    assert rows["Annulées"] == 1
    assert rows["Date à confirmer"] == 1
    assert rows["Ajoutées en cours de programme"] == 2


def test_dating_a_session_by_poll_is_not_a_move_nor_a_change_before_publication(world):
    polled = world.undated
    parcours_services.update_session(
        session=polled, acting_user=world.coordinator, starts_at=_at(12), ends_at=_at(12, 12)
    )
    DatePollFactory(session=polled, slots=0, status="decided")
    early = SessionFactory(programme=world.programme, kind=world.kind, title="Calée avant")
    parcours_services.update_session(
        session=early, acting_user=world.coordinator, starts_at=_at(14), ends_at=_at(14, 12)
    )
    AuditEntry.objects.filter(data__session=early.pk).update(
        created_at=world.programme.published_at - timedelta(hours=1)
    )
    lines = {line.session.title: line for line in calendar_figures(whole(world)).lines}
    assert lines["Séance à dater"].moves == 0 and lines["Séance à dater"].state == "upcoming"
    assert lines["Calée avant"].moves == 0
    parcours_services.update_session(
        session=polled, acting_user=world.coordinator, starts_at=_at(13), ends_at=_at(13, 12)
    )
    lines = {line.session.title: line for line in calendar_figures(whole(world)).lines}
    assert lines["Séance à dater"].moves == 1


def test_the_calendar_of_a_period_and_of_one_team(world):
    team_b = world.teams[1]
    last_week = whole(
        world,
        starts_on=timezone.localdate() - timedelta(days=7),
        ends_on=timezone.localdate(),
        teams=[team_b],
    )
    titles = {line.session.title for line in calendar_figures(last_week).lines}
    # The first team's coaching is not the second team's; undated ones are not placed.
    assert titles == {"Atelier diagnostic"}


def test_an_empty_period_says_so_in_words(world):
    later = whole(
        world,
        starts_on=timezone.localdate() + timedelta(days=200),
        ends_on=timezone.localdate() + timedelta(days=300),
    )
    synthesis = programme_synthesis(later)
    assert synthesis.calendar.empty_message == "Aucune séance prévue sur la période."
    assert synthesis.attendance.empty_message == "Aucune séance relevée sur la période."
    assert synthesis.satisfaction.empty_message == (
        "Aucune réponse de satisfaction sur la période."
    )
    charts = synthesis_charts(synthesis)
    assert charts["calendar"] == charts["attendance"] == charts["satisfaction"] == []
    assert charts["codev"] == []  # the group has no case in the period


# --- (b) Attendance ---------------------------------------------------------------------


def test_attendance_per_session_team_and_role(world):
    figures = attendance_figures(whole(world))

    sessions = {row.label: row.counts for row in figures.sessions}
    assert sessions["Séminaire de lancement"].attended == 6
    assert sessions["Séminaire de lancement"].recorded == 9
    assert sessions["Atelier diagnostic"].rate == 1
    teams = {row.label: row.counts for row in figures.teams}
    team_a, team_b, team_c = (team.name for team in world.teams)
    assert teams[team_a].recorded == 8 and teams[team_a].rate == 1
    assert teams[team_b].rate == pytest.approx(2 / 3)
    assert teams[team_c].excused == 1
    roles = {row.label: row.counts for row in figures.roles}
    assert roles["Élu·e référent·e"].recorded == 5
    assert figures.total.recorded == 14
    assert figures.total.rate_n_text == "78,6\u00a0% (n = 14)"
    table = figures.tables()[0]
    assert table.footer[-1].share == pytest.approx(11 / 14)
    assert table.export_rows()[-1][-1] == 78.6


def test_attendance_of_chosen_teams_and_roles_withheld_from_observers_for_one_team(world):
    team_c = world.teams[2]
    figures = attendance_figures(whole(world, teams=[team_c], aggregate_only=True))
    assert [row.label for row in figures.teams] == [team_c.name]
    assert figures.total.recorded == 3
    assert figures.roles_withheld and figures.roles == []
    assert [table.key for table in figures.tables()] == ["presences_seances", "presences_equipes"]
    both = attendance_figures(whole(world, teams=world.teams[1:], aggregate_only=True))
    assert not both.roles_withheld and both.roles


# --- (c) Satisfaction -------------------------------------------------------------------


def test_satisfaction_per_session_and_moment_with_n_anonymous_under_threshold_left_out(world):
    synthesis = programme_synthesis(whole(world))
    figures = synthesis.satisfaction

    (launch,) = figures.sessions
    assert launch.label == "Séminaire de lancement"
    assert launch.text == "75\u00a0% (n = 4)"
    moments = {line.label: line for line in figures.moments}
    assert moments["À chaud"].rate.n == 4
    assert "À froid" not in moments  # 2 anonymous answers: under the threshold
    assert figures.withheld == 1
    assert figures.programme_text == "75\u00a0% (n = 4)"


def test_an_anonymous_campaign_over_its_threshold_counts(world):
    for value in (4, 4, 4):
        respond(world.cold, {world.satisfaction.scale: value})
    figures = programme_synthesis(whole(world)).satisfaction
    moments = {line.label: line for line in figures.moments}
    assert moments["À froid"].text == "60\u00a0% (n = 5)"
    assert figures.withheld == 0


# --- (d) Progression --------------------------------------------------------------------


def test_progression_radar_series_of_the_cohort(world):
    synthesis = programme_synthesis(whole(world))
    (family,) = synthesis.progression.families

    assert family.moments == ["T0", "T1"]
    assert [s.name for s in family.series] == [
        "Moyenne de la promotion à T0",
        "Moyenne de la promotion à T1",
    ]
    assert family.series[0].values == [2, 2, 1]
    assert family.series[1].values == [3, 3, 2]
    assert family.rows[0] == ["Connaître son schéma de gouvernance", "2", "3", "2 → 3 (+1)"]
    assert family.answered == [2, 1]
    (chart,) = synthesis_charts(synthesis)["progression"]
    assert "Moyenne de la promotion à T1" in chart.svg


def test_progression_of_chosen_teams_beside_the_cohort_only_for_staff(world):
    team_b = world.teams[1]
    staff = programme_synthesis(whole(world, teams=[team_b])).progression
    (family,) = staff.families
    assert staff.subset
    assert family.series[0].name == "Moyenne des équipes choisies à T0"
    assert family.series[0].values == [3, 2, None]
    assert family.series[-1].name == "Moyenne de la promotion à T1"
    observer = programme_synthesis(whole(world, teams=[team_b], team_levels=False)).progression
    assert not observer.subset
    assert observer.families[0].series[0].values == [2, 2, 1]  # the cohort's, not team B's


# --- (e) Plans and (f) CODEV --------------------------------------------------------------


def test_plans_by_status_and_codev_counts(world):
    synthesis = programme_synthesis(whole(world))
    # The CODEV commitment is an action of the first team's plan too.
    assert synthesis.plans.counts == {"todo": 2, "in_progress": 1, "done": 1, "dropped": 0}
    assert synthesis.plans.with_plan == 2
    # (40 + 100 + 0 + 0) / 4 actions, not the mean of the teams' means.
    assert synthesis.plans.progress == pytest.approx(35)
    assert str(synthesis.plans.tables()[0].footer[-1]) == "35\u00a0%"
    (group,) = synthesis.codev.groups
    assert (group.name, group.cases, group.commitments["open"]) == ("CODEV Nord", 1, 1)
    team_c = programme_synthesis(whole(world, teams=[world.teams[2]]))
    assert team_c.plans.total == 0
    assert team_c.plans.empty_message
    assert team_c.codev.groups == []
    assert team_c.codev.empty_message == "Aucun groupe de CODEV ni groupe de travail."


def test_a_phase_gives_its_period(world):
    phase = PhaseFactory(
        programme=world.programme,
        start_month=None,
        end_month=None,
        start_date=timezone.localdate() + timedelta(days=5),
        end_date=timezone.localdate() + timedelta(days=15),
    )
    chosen = whole(world, phase=phase)
    assert chosen.period_label.startswith("Phase « ")
    titles = {line.session.title for line in calendar_figures(chosen).lines}
    assert titles == {"Journée à venir"}


# --- Tables and charts --------------------------------------------------------------------


def test_every_table_has_a_key_and_every_chart_its_table(world):
    synthesis = programme_synthesis(whole(world))
    keys = [table.key for table in synthesis.tables()]
    assert len(keys) == len(set(keys))
    for charts in synthesis_charts(synthesis).values():
        for chart in charts:
            assert chart.key in keys
            assert chart.svg.startswith("<svg")


def test_the_rate_chart_escapes_labels_and_draws_nothing_without_rates():
    assert rate_chart([("A", None, "—")], title="Rien") == ""
    svg = rate_chart([("<b>Équipe</b>", 0.5, "50 % (n = 2)")], title="Taux")
    assert "&lt;b&gt;Équipe&lt;/b&gt;" in svg and "<b>" not in svg


# --- Queries ------------------------------------------------------------------------------


def test_the_figures_run_as_many_queries_for_two_or_eight_more_teams(world):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            programme_synthesis(whole(world))
        return len(context.captured_queries)

    count()
    add_teams(world, 2)
    few = count()
    add_teams(world, 6)
    assert count() == few
