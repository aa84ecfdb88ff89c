"""Who sees which session, who is expected at it, and how team members reach their
organisation."""

import json

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from organisations.roles import role_in
from parcours import selectors
from tests.factories import (
    AttendanceFactory,
    MembershipFactory,
    SessionFactory,
    SlotFactory,
    TeamMemberFactory,
    VoteFactory,
    build_programme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    built = build_programme(teams=2)
    with scope(organisation=built.organisation.pk):
        team_a, team_b = built.teams
        built.member_a = team_a.members.select_related("user", "role").first()
        built.member_b = team_b.members.select_related("user").first()
        built.cohort_session = SessionFactory(programme=built.programme, kind=built.kind)
        built.individual_a = SessionFactory(
            programme=built.programme,
            kind=built.individual_kind,
            audience="team",
            teams=[team_a],
        )
        built.individual_b = SessionFactory(
            programme=built.programme,
            kind=built.individual_kind,
            audience="team",
            teams=[team_b],
        )
        built.for_officers = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            expected_presence="role",
            expected_role=built.roles[1],
        )
        built.open_session = SessionFactory(
            programme=built.programme, kind=built.kind, audience="open"
        )
        yield built


def visible(user, world):
    return set(selectors.sessions_visible_to(user, world.organisation))


def test_a_team_member_sees_their_team_the_cohort_and_open_sessions(world):
    assert visible(world.member_a.user, world) == {
        world.cohort_session,
        world.individual_a,
        world.for_officers,
        world.open_session,
    }


def test_a_team_member_sees_nothing_of_a_draft_programme(world):
    world.programme.status = "draft"
    world.programme.save(update_fields=["status"])
    assert visible(world.member_a.user, world) == set()
    staff = MembershipFactory(organisation=world.organisation, observer=True).user
    assert visible(staff, world) == set()
    coordinator = MembershipFactory(organisation=world.organisation, coordinator=True).user
    assert len(visible(coordinator, world)) == 5


def test_a_former_member_loses_the_team_sessions(world):
    former = TeamMemberFactory(team=world.teams[0], former=True)
    assert visible(former.user, world) == set()
    assert role_in(former.user, world.organisation) is None


def test_trainer_sees_published_programmes_and_their_own_draft_sessions(world):
    trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
    assert len(visible(trainer, world)) == 5
    world.programme.status = "draft"
    world.programme.save(update_fields=["status"])
    world.individual_b.facilitators.set([trainer])
    assert visible(trainer, world) == {world.individual_b}


def test_expected_participants_follow_audience_and_role(world):
    team_a_users = {m.user for m in world.teams[0].members.all()}
    team_b_users = {m.user for m in world.teams[1].members.all()}
    assert set(selectors.expected_participants(world.individual_a)) == team_a_users
    assert set(selectors.expected_participants(world.cohort_session)) == (
        team_a_users | team_b_users
    )
    officers = {
        m.user for team in world.teams for m in team.members.all() if m.role == world.roles[1]
    }
    assert set(selectors.expected_participants(world.for_officers)) == officers
    assert set(selectors.expected_participants(world.open_session)) == set()


def test_my_expected_sessions_cross_organisations_but_only_mine(world):
    user = world.member_a.user
    elsewhere = build_programme(teams=1)
    with scope(organisation=elsewhere.organisation.pk):
        TeamMemberFactory(team=elsewhere.teams[0], user=user, role=elsewhere.roles[0])
        foreign = SessionFactory(programme=elsewhere.programme, kind=elsewhere.kind)
        SessionFactory(
            programme=elsewhere.programme,
            kind=elsewhere.individual_kind,
            audience="team",
            teams=[elsewhere.teams[0]],
            expected_presence="role",
            expected_role=elsewhere.roles[1],  # not the user's role
        )
    with scopes_disabled():
        expected = set(selectors.sessions_expected_for(user))
    expected_here = {world.cohort_session, world.individual_a}
    if world.member_a.role == world.roles[1]:
        expected_here.add(world.for_officers)
    assert expected == expected_here | {foreign}


def test_a_team_member_reaches_their_organisation_as_participant(client, world):
    user = world.member_a.user
    assert role_in(user, world.organisation) == "participant"
    client.force_login(user)
    response = client.get(reverse("organisations:home", args=[world.organisation.slug]))
    assert response.status_code == 200
    assert "participant·e" in response.content.decode()
    # Members' list is for the organisation's staff only.
    members = reverse("organisations:members", args=[world.organisation.slug])
    assert client.get(members).status_code == 404


def test_a_team_member_gets_404_in_another_organisation(client, world):
    other = build_programme(teams=1)
    client.force_login(world.member_a.user)
    for url in (
        reverse("organisations:home", args=[other.organisation.slug]),
        reverse("parcours:programme_list", args=[other.organisation.slug]),
    ):
        assert client.get(url).status_code == 404


def test_home_page_lists_my_next_sessions_only(client, world):
    client.force_login(world.member_a.user)
    page = client.get(reverse("organisations:home", args=[world.organisation.slug]))
    body = page.content.decode()
    assert "Prochaines séances" in body
    assert world.individual_a.title in body
    assert world.individual_b.title not in body


def test_personal_data_export_lists_my_teams(client, world):
    client.force_login(world.member_a.user)
    data = json.loads(client.get(reverse("accounts:export_data")).content)
    teams = data["parcours"]["équipes"]
    assert [t["équipe"] for t in teams] == [world.teams[0].name]


def test_personal_data_export_lists_my_poll_answers_and_attendance(client, world):
    user = world.member_a.user
    with scope(organisation=world.organisation.pk):
        slot = SlotFactory(poll__session__programme=world.programme)
        VoteFactory(slot=slot, user=user, answer="if_needed")
        AttendanceFactory(
            session__programme=world.programme, user=user, status="partial", note="Arrivée 10 h"
        )
    client.force_login(user)
    data = json.loads(client.get(reverse("accounts:export_data")).content)["parcours"]
    assert [v["réponse"] for v in data["réponses_aux_sondages_de_date"]] == ["Si nécessaire"]
    assert [(a["présence"], a["précision"]) for a in data["présences"]] == [
        ("Retard ou départ anticipé", "Arrivée 10 h")
    ]
