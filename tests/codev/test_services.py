"""Groups, their séances and the CODEV method, through the services: who is convened,
who may write what, what is refused and kept."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from codev.models import Commitment, Group, GroupKind, GroupMembership
from codev.services import cases, groups, sessions
from organisations.models import AuditEntry
from parcours.models import Convocation, Session
from parcours.selectors import expected_participants, sessions_visible_to
from tests.codev.conftest import in_days
from tests.factories import build_programme

pytestmark = pytest.mark.django_db


def make_group(world, name="CODEV 1", teams=(), people=(), kind=GroupKind.CODEV):
    group = groups.save_group(
        group=Group(programme=world.programme, name=name, kind=kind),
        acting_user=world.coordinator,
        facilitators=[world.trainer],
    )
    groups.set_members(group=group, teams=teams, people=people, acting_user=world.coordinator)
    return group


def series(world, group_list, days=20):
    return sessions.create_series(
        groups=group_list,
        acting_user=world.coordinator,
        title="CODEV visio 0,5 j",
        kind=world.kind,
        format="visio",
        visio_url="https://visio.exemple.fr/codev",
        starts_at=in_days(days, 9),
        ends_at=in_days(days, 12),
    )


def members_of(team):
    return {member.user for member in team.members.all()}


# --- Groups and their members --------------------------------------------------------


def test_a_group_mixes_only_teams_and_people_of_its_programme(world):
    other = build_programme(organisation=world.organisation, teams=1)
    group = make_group(world)
    with pytest.raises(ValidationError) as error:
        groups.set_members(group=group, teams=other.teams, acting_user=world.coordinator)
    assert error.value.message_dict["teams"] == ["Choisissez des équipes de ce programme."]
    stranger = next(iter(members_of(other.teams[0])))
    with pytest.raises(ValidationError) as error:
        groups.set_members(group=group, people=[stranger], acting_user=world.coordinator)
    assert "people" in error.value.message_dict
    assert not group.memberships.exists()


def test_two_groups_of_one_programme_cannot_share_a_name(world):
    make_group(world, "CODEV Nord")
    with pytest.raises(ValidationError) as error:
        make_group(world, "codev nord")
    assert error.value.message_dict["name"] == ["Un groupe de ce programme porte déjà ce nom."]


def test_moving_a_team_keeps_the_history_of_where_it_was(world):
    first = make_group(world, "CODEV 1", teams=world.teams[:4])
    second = make_group(world, "CODEV 2", teams=world.teams[4:])
    moved = world.teams[0]
    membership = first.memberships.current().get(team=moved)
    groups.move_member(membership=membership, to_group=second, acting_user=world.coordinator)
    history = list(
        GroupMembership.objects.filter(team=moved)
        .order_by("joined_at")
        .values_list("group__name", "left_at")
    )
    assert [name for name, _left in history] == ["CODEV 1", "CODEV 2"]
    assert history[0][1] is not None and history[1][1] is None
    # Set as members of another group of the same kind: moved, not duplicated.
    groups.set_members(group=first, teams=world.teams[:4], acting_user=world.coordinator)
    assert not second.memberships.current().filter(team=moved).exists()
    assert first.memberships.current().filter(team=moved).count() == 1


def test_balanced_groups_mix_departements_and_differ_by_one_at_most():
    from types import SimpleNamespace

    def team(name, department, kind):
        dep = SimpleNamespace(kind="departement", name=department, parent=None)
        territory = SimpleNamespace(kind=kind, name=name, parent=dep)
        return SimpleNamespace(name=name, territory=territory, territory_id=1)

    teams = [team(f"Nord {i}", "Nord", "epci") for i in range(4)] + [
        team(f"Somme {i}", "Somme", "pnr") for i in range(3)
    ]
    proposed = groups.propose_balanced(teams, size=4, prefix="CODEV")
    assert sorted(len(g.teams) for g in proposed) == [3, 4]
    for group in proposed:
        departements = {t.territory.parent.name for t in group.teams}
        assert departements == {"Nord", "Somme"}


def test_one_group_per_role_gathers_the_people_who_hold_it(world):
    proposed = groups.propose_by_role(world.programme)
    assert [g.name for g in proposed] == [role.name for role in world.roles]
    assert all(len(g.people) == 8 for g in proposed)


# --- Group séances -------------------------------------------------------------------


def test_a_series_creates_one_seance_per_group_convening_only_the_group(world, mailoutbox):
    first = make_group(world, "CODEV 1", teams=world.teams[:4])
    second = make_group(world, "CODEV 2", teams=world.teams[4:])
    made = series(world, [first, second])
    assert [gs.session.title for gs in made] == [
        "CODEV visio 0,5 j — CODEV 1",
        "CODEV visio 0,5 j — CODEV 2",
    ]
    session = made[0].session
    assert session.audience == Session.Audience.GROUP
    expected = set(expected_participants(session))
    group_people = set().union(*(members_of(team) for team in world.teams[:4]))
    assert group_people <= expected
    assert not (set().union(*(members_of(t) for t in world.teams[4:])) & expected)
    convened = set(Convocation.objects.filter(session=session).values_list("user", flat=True))
    assert {user.pk for user in group_people} <= convened


def test_a_newcomer_to_a_group_is_convened_to_its_seances_to_come(world):
    group = make_group(world, "CODEV 1", teams=world.teams[:3])
    (group_session,) = series(world, [group])
    newcomer = world.teams[3]
    groups.set_members(group=group, teams=world.teams[:4], acting_user=world.coordinator)
    convened = set(
        Convocation.objects.filter(session=group_session.session).values_list("user", flat=True)
    )
    assert {user.pk for user in members_of(newcomer)} <= convened
    # And the one who left is no longer expected.
    groups.set_members(group=group, teams=world.teams[1:4], acting_user=world.coordinator)
    left = members_of(world.teams[0])
    assert not (left & set(expected_participants(group_session.session)))


def test_a_peer_group_of_people_sees_its_seance_and_others_do_not(world):
    role = world.roles[0]
    elected = [m.user for team in world.teams for m in team.members.filter(role=role)]
    group = make_group(world, "Élu·es", people=elected, kind=GroupKind.PEERS)
    (group_session,) = series(world, [group])
    session = group_session.session
    assert set(expected_participants(session)) >= set(elected)
    assert sessions_visible_to(elected[0], world.organisation).filter(pk=session.pk).exists()
    someone_else = world.teams[0].members.exclude(role=role).first().user
    assert not sessions_visible_to(someone_else, world.organisation).filter(pk=session.pk).exists()


def test_the_rotation_makes_each_team_client_once(world):
    group = make_group(world, "CODEV 1", teams=world.teams[:4])
    for days in (20, 50, 80, 110):
        series(world, [group], days=days)
    assert sessions.apply_rotation(group=group, acting_user=world.coordinator) == 4
    clients = [gs.client.team for gs in group.group_sessions.order_by("session__starts_at")]
    assert sorted(team.pk for team in clients) == sorted(team.pk for team in world.teams[:4])


def test_the_client_must_belong_to_the_group(world):
    first = make_group(world, "CODEV 1", teams=world.teams[:4])
    second = make_group(world, "CODEV 2", teams=world.teams[4:])
    (group_session,) = series(world, [first])
    outsider = second.memberships.first()
    with pytest.raises(ValidationError) as error:
        sessions.set_roles(
            group_session=group_session, client=outsider, acting_user=world.coordinator
        )
    assert error.value.message_dict["client"] == ["Le client est un membre actuel du groupe."]


# --- The case, the steps, the commitments ----------------------------------------------


@pytest.fixture
def codev(world):
    group = make_group(world, "CODEV 1", teams=world.teams[:4])
    (group_session,) = series(world, [group])
    client = group.memberships.get(team=world.teams[0])
    sessions.set_roles(
        group_session=group_session,
        client=client,
        facilitator=world.trainer,
        acting_user=world.coordinator,
    )
    client_person = world.teams[0].members.first().user
    return group, group_session, client, client_person


def test_only_the_client_writes_its_case(world, codev):
    _group, group_session, _client, client_person = codev
    other_team_person = world.teams[1].members.first().user
    with pytest.raises(ValidationError):
        cases.save_case(
            group_session=group_session,
            acting_user=other_team_person,
            title="Notre cas",
            question="Comment ?",
        )
    case = cases.save_case(
        group_session=group_session,
        acting_user=client_person,
        title="Mobiliser les élu·es",
        question="Comment associer les élu·es communautaires au PAT ?",
        context="Deux réunions désertées.",
    )
    assert case.client.team == world.teams[0]


def test_a_case_document_is_sniffed(world, codev):
    _group, group_session, _client, person = codev
    case = cases.save_case(
        group_session=group_session, acting_user=person, title="Cas", question="Question ?"
    )
    fake = SimpleUploadedFile(
        "note.pdf", b"<html>pas un pdf</html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        cases.add_case_document(case=case, acting_user=person, title="Note", file=fake)
    assert not case.documents.exists()


def test_the_steps_keep_their_time_and_notes(world, codev):
    _group, group_session, _client, person = codev
    case = cases.save_case(
        group_session=group_session, acting_user=person, title="Cas", question="Question ?"
    )
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        cases.start_step(group_session=group_session, step=1)
    with time_machine.travel(start + timedelta(minutes=12), tick=False):
        cases.start_step(group_session=group_session, step=2)
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        cases.finish_session(group_session=group_session)
    notes = {note.step: note.seconds for note in group_session.step_notes.all()}
    assert notes == {1: 12 * 60, 2: 18 * 60}
    cases.save_step_notes(group_session=group_session, step=3, notes="Comment embarquer ?")
    case.refresh_from_db()
    assert case.contract == "Comment embarquer ?"


def test_a_commitment_needs_an_owner_of_the_client_and_a_deadline_after_the_seance(world, codev):
    _group, group_session, _client, person = codev
    case = cases.save_case(
        group_session=group_session, acting_user=person, title="Cas", question="Question ?"
    )
    day = timezone.localtime(group_session.session.starts_at).date()
    with pytest.raises(ValidationError) as error:
        cases.save_commitment(case=case, acting_user=person, what="Réunir", owner=None, due_on=day)
    assert error.value.message_dict["owner"] == ["Choisissez qui porte cet engagement."]
    with pytest.raises(ValidationError) as error:
        cases.save_commitment(
            case=case,
            acting_user=person,
            what="Réunir",
            owner=person,
            due_on=day - timedelta(days=1),
        )
    assert "ne peut pas précéder la séance" in error.value.message_dict["due_on"][0]
    outsider = world.teams[1].members.first().user
    with pytest.raises(ValidationError):
        cases.save_commitment(
            case=case, acting_user=person, what="Réunir", owner=outsider, due_on=day
        )
    assert not Commitment.objects.exists()
    cases.save_commitment(
        case=case, acting_user=person, what="Réunir les élu·es", owner=person, due_on=day
    )
    assert case.commitments.get().what == "Réunir les élu·es"


def test_moving_the_client_away_keeps_its_past_cases(world, codev):
    group, group_session, client, person = codev
    case = cases.save_case(
        group_session=group_session, acting_user=person, title="Cas", question="Question ?"
    )
    other = make_group(world, "CODEV 2", teams=world.teams[4:])
    groups.move_member(membership=client, to_group=other, acting_user=world.coordinator)
    case.refresh_from_db()
    assert case.client.team == world.teams[0]
    assert group.memberships.filter(team=world.teams[0], left_at__isnull=False).exists()


def test_a_commitment_is_corrected_and_removed_with_the_same_rules_and_journalled(world, codev):
    _group, group_session, _client, person = codev
    case = cases.save_case(
        group_session=group_session, acting_user=person, title="Cas", question="Question ?"
    )
    day = timezone.localtime(group_session.session.starts_at).date()
    commitment = cases.save_commitment(
        case=case, acting_user=person, what="Réunir", owner=person, due_on=day
    )
    with pytest.raises(ValidationError) as error:
        cases.update_commitment(
            commitment=commitment,
            acting_user=world.trainer,
            what="Réunir les élu·es",
            owner=None,
            due_on=day - timedelta(days=1),
        )
    assert error.value.message_dict["owner"] == ["Choisissez qui porte cet engagement."]
    assert "ne peut pas précéder la séance" in error.value.message_dict["due_on"][0]
    commitment.refresh_from_db()
    assert (commitment.what, commitment.due_on) == ("Réunir", day)
    cases.update_commitment(
        commitment=commitment,
        acting_user=world.trainer,
        what="Réunir les élu·es",
        owner=person,
        due_on=day + timedelta(days=30),
    )
    commitment.refresh_from_db()
    assert commitment.what == "Réunir les élu·es"
    assert commitment.due_on == day + timedelta(days=30)
    cases.delete_commitment(commitment=commitment, acting_user=person)
    assert not Commitment.objects.exists()
    entries = AuditEntry.objects.filter(action__startswith="codev.commitment.").order_by("pk")
    assert [(e.action, e.target, e.actor) for e in entries] == [
        ("codev.commitment.updated", "Réunir les élu·es", world.trainer),
        ("codev.commitment.deleted", "Réunir les élu·es", person),
    ]
