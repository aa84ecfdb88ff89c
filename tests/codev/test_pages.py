"""The group pages: the programme's « Groupes » tab, a group's page, creating, composing
and moving, the séances of groups; who sees what, what is refused, and how many queries
the pages run."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from codev.models import Group, GroupKind, GroupMembership, GroupSession
from codev.services import cases, groups, sessions
from parcours.models import Session, TeamMember
from tests.codev.conftest import in_days
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def make_group(world, name="CODEV 1", teams=(), kind=GroupKind.CODEV, people=()):
    group = groups.save_group(
        group=Group(programme=world.programme, name=name, kind=kind),
        acting_user=world.coordinator,
        facilitators=[world.trainer],
    )
    groups.set_members(group=group, teams=teams, people=people, acting_user=world.coordinator)
    return group


def member_of(team):
    return TeamMember.objects.filter(team=team).select_related("user").first().user


def url(world, name, *args):
    return reverse(f"codev:{name}", args=[world.organisation.slug, *args])


def page(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


# --- The « Groupes » tab ---------------------------------------------------------------


def test_the_coordinator_sees_the_groups_tab_with_members_facilitators_and_next_session(
    client, world
):
    world.trainer.first_name, world.trainer.last_name = "Fanny", "Formatrice"
    world.trainer.save()
    group = make_group(world, teams=world.teams[:2])
    make_group(world, name="Élus", kind=GroupKind.PEERS, people=[member_of(world.teams[3])])
    sessions.create_series(
        groups=[group],
        acting_user=world.coordinator,
        title="CODEV visio",
        kind=world.kind,
        format="visio",
        visio_url="https://visio.exemple.fr/codev",
        starts_at=in_days(20, 9),
        ends_at=in_days(20, 12),
    )
    client.force_login(world.coordinator)
    timeline = page(
        client, reverse("parcours:timeline", args=[world.organisation.slug, world.programme.pk])
    )
    assert url(world, "group_list", world.programme.pk) in timeline
    body = page(client, url(world, "group_list", world.programme.pk))
    assert "Groupe de CODEV" in body and "Sous-groupe de pairs" in body
    assert world.teams[0].name in body and world.teams[1].name in body
    assert "Fanny Formatrice" in body
    assert "Nouveau groupe" in body and "Proposer des groupes" in body


def test_a_team_member_sees_only_their_groups_read_only(client, world):
    mine = make_group(world, teams=[world.teams[0]])
    other = make_group(world, name="CODEV 2", teams=[world.teams[1]])
    client.force_login(member_of(world.teams[0]))
    body = page(client, url(world, "group_list", world.programme.pk))
    assert "CODEV 1" in body and "CODEV 2" not in body
    assert "Nouveau groupe" not in body
    detail = page(client, url(world, "group_detail", mine.pk))
    assert world.teams[0].name in detail and "Choisir les membres" not in detail
    assert client.get(url(world, "group_detail", other.pk)).status_code == 404
    assert client.get(url(world, "group_members", mine.pk)).status_code == 404
    assert client.get(url(world, "group_create", world.programme.pk)).status_code == 404


def test_a_member_of_no_group_gets_404_and_no_tab(client, world):
    make_group(world, teams=[world.teams[0]])
    client.force_login(member_of(world.teams[5]))
    assert client.get(url(world, "group_list", world.programme.pk)).status_code == 404
    timeline = page(
        client, reverse("parcours:timeline", args=[world.organisation.slug, world.programme.pk])
    )
    assert url(world, "group_list", world.programme.pk) not in timeline


def test_trainers_and_observers_read_without_managing(client, world):
    group = make_group(world, teams=[world.teams[0]])
    observer = MembershipFactory(organisation=world.organisation, role="observer").user
    for person in (world.trainer, observer):
        client.force_login(person)
        body = page(client, url(world, "group_list", world.programme.pk))
        assert "CODEV 1" in body and "Nouveau groupe" not in body
        assert "Choisir les membres" not in page(client, url(world, "group_detail", group.pk))
        assert client.get(url(world, "group_edit", group.pk)).status_code == 404
        assert client.post(url(world, "rotation_apply", group.pk)).status_code == 404


# --- Creating and editing a group ------------------------------------------------------


def test_the_coordinator_creates_a_group(client, world):
    client.force_login(world.coordinator)
    spokesperson = member_of(world.teams[0])
    response = client.post(
        url(world, "group_create", world.programme.pk),
        {
            "name": "Groupe Alimentation",
            "kind": GroupKind.WORKING,
            "theme": "Restauration collective",
            "description": "Trois réunions pour un plan d'action.",
            "facilitators": [world.trainer.pk],
            "spokesperson": spokesperson.pk,
        },
    )
    group = Group.objects.get(name="Groupe Alimentation")
    assert response.url == url(world, "group_detail", group.pk)
    assert group.kind == GroupKind.WORKING and group.spokesperson == spokesperson
    assert list(group.facilitators.all()) == [world.trainer]
    body = page(client, response.url)
    assert "Restauration collective" in body and "Groupe de travail thématique" in body


def test_a_taken_name_is_refused_next_to_the_field_and_nothing_saved(client, world):
    make_group(world)
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "group_create", world.programme.pk), {"name": "codev 1", "kind": "codev"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Un groupe de ce programme porte déjà ce nom."
    ]
    assert "Un groupe de ce programme porte déjà ce nom." in response.content.decode()
    assert Group.objects.count() == 1


def test_a_spokesperson_from_elsewhere_is_refused(client, world):
    stranger = member_of(build_programme(organisation=world.organisation, teams=1).teams[0])
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "group_create", world.programme.pk),
        {"name": "G", "kind": "codev", "spokesperson": stranger.pk},
    )
    assert "spokesperson" in response.context["form"].errors
    assert not Group.objects.exists()


def test_the_coordinator_edits_a_group(client, world):
    group = make_group(world)
    client.force_login(world.coordinator)
    client.post(
        url(world, "group_edit", group.pk),
        {"name": "CODEV Nord", "kind": "codev", "facilitators": []},
    )
    group.refresh_from_db()
    assert group.name == "CODEV Nord" and not group.facilitators.exists()


# --- Composition -------------------------------------------------------------------------


def test_members_are_chosen_with_checkboxes_and_moved_from_another_group(client, world):
    first = make_group(world, teams=[world.teams[0]])
    second = make_group(world, name="CODEV 2")
    client.force_login(world.coordinator)
    body = page(client, url(world, "group_members", second.pk))
    assert "actuellement dans CODEV 1" in body
    response = client.post(
        url(world, "group_members", second.pk), {"teams": [world.teams[0].pk, world.teams[1].pk]}
    )
    assert response.status_code == 302
    assert {m.team for m in second.memberships.current()} == set(world.teams[:2])
    assert not first.memberships.current().exists()
    detail = page(client, url(world, "group_detail", first.pk))
    assert "Anciens membres" in detail and "dans le groupe du" in detail


def test_a_team_of_another_programme_is_refused(client, world):
    group = make_group(world)
    client.force_login(world.coordinator)
    other = build_programme(organisation=world.organisation, teams=1).teams[0]
    response = client.post(url(world, "group_members", group.pk), {"teams": [other.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["teams"]
    assert not group.memberships.exists()


def test_the_coordinator_moves_a_member_and_the_history_is_shown(client, world):
    first = make_group(world, teams=[world.teams[0]])
    second = make_group(world, name="CODEV 2")
    membership = first.memberships.get()
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "member_move", first.pk), {"membership": membership.pk, "group": second.pk}
    )
    assert response.status_code == 302
    assert second.memberships.current().get().team == world.teams[0]
    body = page(client, url(world, "group_detail", first.pk))
    assert f'{world.teams[0].name} <span class="text-muted">— dans le groupe du' in body
    assert "dans le groupe depuis le" in page(client, url(world, "group_detail", second.pk))


def test_balanced_groups_are_proposed_adjusted_then_created(client, world):
    client.force_login(world.coordinator)
    address = url(world, "group_propose", world.programme.pk)
    response = client.post(
        address,
        {"propose": "1", "method": "balanced", "kind": "codev", "size": 4, "prefix": "CODEV"},
    )
    proposal = response.context["proposal"]
    assert proposal.count == 2
    data = {key: proposal[key].value() for key in proposal.fields}
    # The coordinator renames one group and puts a team in the other.
    data["name_1"] = "CODEV Sud"
    data[f"team_{world.teams[0].pk}"] = "1"
    data[f"team_{world.teams[1].pk}"] = ""
    data["create"] = "1"
    response = client.post(address, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302
    north, south = Group.objects.get(name="CODEV 1"), Group.objects.get(name="CODEV Sud")
    assert world.teams[0] in {m.team for m in south.memberships.all()}
    assert GroupMembership.objects.filter(team=world.teams[1]).count() == 0
    assert north.memberships.count() + south.memberships.count() == 7


def test_the_proposal_selects_show_the_groups_names(client, world):
    """The names as proposed, then as typed when the form comes back with an error."""
    client.force_login(world.coordinator)
    address = url(world, "group_propose", world.programme.pk)
    response = client.post(
        address,
        {"propose": "1", "method": "balanced", "kind": "codev", "size": 4, "prefix": "CODEV"},
    )
    text = response.content.decode()
    assert '<option value="0" selected>CODEV 1</option>' in text
    assert '<option value="1">CODEV 2</option>' in text
    assert "Groupe n° 1</option>" not in text
    proposal = response.context["proposal"]
    data = {key: proposal[key].value() for key in proposal.fields}
    data.update({"name_0": "CODEV Nord", "name_1": "codev nord", "create": "1"})
    response = client.post(address, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Deux groupes portent ce nom." in text
    assert ">CODEV Nord</option>" in text and ">codev nord</option>" in text
    # A name left empty: its number stands in.
    data.update({"name_1": ""})
    response = client.post(address, {k: v for k, v in data.items() if v is not None})
    assert ">Groupe n° 2</option>" in response.content.decode()
    assert not Group.objects.exists()


def test_one_group_per_role_is_proposed(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "group_propose", world.programme.pk),
        {"propose": "1", "method": "by_role", "kind": "peers"},
    )
    proposal = response.context["proposal"]
    assert proposal.count == 3
    assert "Élu·e référent·e" in response.content.decode()


def test_a_balanced_proposal_needs_a_size(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "group_propose", world.programme.pk),
        {"propose": "1", "method": "balanced", "kind": "codev", "size": ""},
    )
    assert response.context["form"].errors["size"] == ["Indiquez le nombre d'équipes par groupe."]


# --- Séances of groups ---------------------------------------------------------------


def test_a_seance_is_created_for_each_group(client, world):
    first = make_group(world, teams=world.teams[:2])
    second = make_group(world, name="CODEV 2", teams=world.teams[2:4])
    client.force_login(world.coordinator)
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = {
        "groups": [first.pk, second.pk],
        "title": "CODEV visio 0,5 j",
        "kind": world.kind.pk,
        "format": "visio",
        "day": day,
        "start_time": "09:00",
        "end_time": "12:00",
        "visio_url": "https://visio.exemple.fr/codev",
    }
    response = client.post(url(world, "series_create", world.programme.pk), data)
    assert response.status_code == 302
    titles = set(Session.objects.values_list("title", flat=True))
    assert titles == {"CODEV visio 0,5 j — CODEV 1", "CODEV visio 0,5 j — CODEV 2"}
    body = page(client, url(world, "group_detail", first.pk))
    assert "CODEV visio 0,5 j — CODEV 1" in body and "Rotation proposée" in body


def test_a_seance_ending_before_it_starts_is_refused(client, world):
    group = make_group(world, teams=world.teams[:2])
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "series_create", world.programme.pk),
        {
            "groups": [group.pk],
            "title": "CODEV",
            "kind": world.kind.pk,
            "format": "visio",
            "day": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "start_time": "12:00",
            "end_time": "09:00",
        },
    )
    assert response.context["form"].errors["end_time"] == ["La fin vient après le début."]
    assert not Session.objects.exists()


def test_an_existing_session_is_attached_and_the_rotation_applied(client, world):
    group = make_group(world, teams=world.teams[:2])
    session = SessionFactory(programme=world.programme, kind=world.kind, title="Séance CODEV")
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "session_attach", group.pk), {"session": session.pk, "purpose": ""}
    )
    assert response.status_code == 302
    group_session = GroupSession.objects.get(session=session)
    client.post(url(world, "rotation_apply", group.pk))
    group_session.refresh_from_db()
    assert group_session.client.team == world.teams[0]
    response = client.post(
        url(world, "seance_roles", group_session.pk),
        {
            "client": group.memberships.get(team=world.teams[1]).pk,
            "facilitator": world.trainer.pk,
            "timekeeper": "",
        },
    )
    group_session.refresh_from_db()
    assert group_session.client.team == world.teams[1]
    assert group_session.facilitator == world.trainer
    session_page = page(
        client, reverse("parcours:session_detail", args=[world.organisation.slug, session.pk])
    )
    assert url(world, "group_detail", group.pk) in session_page


def test_the_team_page_shows_its_group_and_its_cases_with_commitments(client, world):
    group = make_group(world, teams=world.teams[:2])
    (group_session,) = sessions.create_series(
        groups=[group],
        acting_user=world.coordinator,
        title="CODEV",
        kind=world.kind,
        format="visio",
        visio_url="https://visio.exemple.fr/c",
        starts_at=in_days(5, 9),
        ends_at=in_days(5, 12),
    )
    sessions.apply_rotation(group=group, acting_user=world.coordinator)
    group_session.refresh_from_db()
    client_user = member_of(world.teams[0])
    case = cases.save_case(
        group_session=group_session,
        acting_user=client_user,
        title="Cantine bio",
        question="Comment convaincre ?",
    )
    cases.save_commitment(
        case=case,
        acting_user=client_user,
        what="Réunir les cuisiniers",
        owner=client_user,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    # The team leaves the group: it keeps its case.
    groups.set_members(group=group, teams=[world.teams[1]], acting_user=world.coordinator)
    client.force_login(client_user)
    body = page(
        client,
        reverse(
            "parcours:team_detail",
            args=[world.organisation.slug, world.programme.pk, world.teams[0].pk],
        ),
    )
    assert "Cantine bio" in body and "Réunir les cuisiniers" in body
    assert "n’est dans aucun groupe" in body


# --- Query counts ------------------------------------------------------------------------


def _grow(world, count):
    for _ in range(count):
        index = Group.objects.count() + 1
        team = TeamFactory(cohort=world.cohort)
        TeamMemberFactory(team=team, role=world.roles[0])
        group = make_group(world, name=f"Groupe {index}", teams=[team])
        session = SessionFactory(programme=world.programme, kind=world.kind)
        sessions.attach_session(group=group, session=session, acting_user=world.coordinator)


def test_the_groups_tab_queries_do_not_grow(client, world):
    client.force_login(world.coordinator)
    assert_constant_queries(
        client,
        url(world, "group_list", world.programme.pk),
        lambda count: _grow(world, count),
        sizes=(2, 20),
    )


def test_the_group_page_queries_do_not_grow(client, world):
    group = make_group(world, name="Observé", teams=world.teams[:4])

    def grow(count):
        _grow(world, count)
        for _ in range(count):
            session = SessionFactory(programme=world.programme, kind=world.kind)
            sessions.attach_session(group=group, session=session, acting_user=world.coordinator)

    client.force_login(world.coordinator)
    assert_constant_queries(client, url(world, "group_detail", group.pk), grow, sizes=(2, 20))
