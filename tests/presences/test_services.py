"""Attendance per half-day: who is on the sheet, recording, « tous présents », undo,
unexpected participants, validation and reopening, and every refusal."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django_scopes import scope

from organisations.models import AuditEntry
from parcours import services as parcours_services
from presences import services
from presences.actions import Action
from presences.grid import attendance_grid
from presences.models import Attendance, AttendanceChange, AttendanceSheet, SheetParticipant
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
    build_programme,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
J1, J2 = date(2026, 12, 10), date(2026, 12, 11)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def during_j1():
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        yield


@pytest.fixture
def after_the_session(world):
    """Every half-day has started and ended: all of them may be recorded and validated."""
    with time_machine.travel(paris(2026, 12, 11, 18), tick=False):
        yield


@pytest.fixture
def world(during_j1):
    organisation = OrganisationFactory(slug="hdf")
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    trainer = MembershipFactory(organisation=organisation, trainer=True).user
    with scope(organisation=organisation.pk):
        parcours = build_programme(organisation=organisation, teams=2)
        session = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            title="Formation J1/J2",
            starts_at=paris(2026, 12, 10, 9, 30),
            ends_at=paris(2026, 12, 11, 17),
            in_person=True,
            facilitators=[trainer],
        )
        members = {
            team.pk: list(team.members.select_related("user", "role").order_by("role__order"))
            for team in parcours.teams
        }
    return {
        "organisation": organisation,
        "coordinator": coordinator,
        "trainer": trainer,
        "parcours": parcours,
        "session": session,
        "members": members,
        "team_a": parcours.teams[0],
        "team_b": parcours.teams[1],
    }


def _member(world, team="team_a", index=0):
    return world["members"][world[team].pk][index]


def _record(world, user, status="present", day=J1, half_day="am", **kwargs):
    return services.record_attendance(
        session=world["session"],
        acting_user=world["trainer"],
        user=user,
        day=day,
        half_day=half_day,
        status=status,
        **kwargs,
    )


def _in_scope(world):
    return scope(organisation=world["organisation"].pk)


def test_grid_lists_teams_roles_and_half_days(world):
    with _in_scope(world):
        grid = attendance_grid(world["session"], world["organisation"])
    assert [c.short_label for c in grid.columns] == [
        "J1 matin",
        "J1 après-midi",
        "J2 matin",
        "J2 après-midi",
    ]
    assert [block.team for block in grid.blocks] == [world["team_a"], world["team_b"]]
    first = grid.blocks[0]
    assert [row.role.name for row in first.people] == [
        "Élu·e référent·e",
        "Chargé·e de mission",
        "Responsable de service",
    ]
    # Indispensable by default: the roles marked required.
    assert [role.name for role in first.indispensable] == [
        "Élu·e référent·e",
        "Chargé·e de mission",
    ]
    assert grid.missing_count() == 6 * 4
    assert grid.default_column(paris(2026, 12, 10, 14)).short_label == "J1 après-midi"
    assert grid.default_column(paris(2026, 12, 11, 9)).short_label == "J2 matin"
    assert grid.default_column(paris(2026, 12, 20, 9)).short_label == "J1 matin"


def test_grid_one_role_session_and_whole_team_required(world):
    parcours = world["parcours"]
    with _in_scope(world):
        session = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            expected_presence="role",
            expected_role=parcours.roles[2],
            starts_at=paris(2026, 12, 10, 9, 30),
            ends_at=paris(2026, 12, 10, 12),
        )
        grid = attendance_grid(session, world["organisation"])
        assert [len(block.people) for block in grid.blocks] == [1, 1]
        assert grid.blocks[0].people[0].role == parcours.roles[2]
        assert grid.blocks[0].indispensable == [parcours.roles[2]]
        assert [c.short_label for c in grid.columns] == ["Matin"]
        session.expected_presence = "required"
        session.expected_role = None
        grid = attendance_grid(session, world["organisation"])
        assert grid.blocks[0].indispensable == parcours.roles


def test_grid_open_session_lists_registered_people(world):
    parcours = world["parcours"]
    registered = UserFactory(first_name="Inès", last_name="Inscrite")
    with _in_scope(world):
        session = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            audience="open",
            starts_at=paris(2026, 12, 10, 9, 30),
            ends_at=paris(2026, 12, 10, 12),
        )
        parcours_services.register_to_session(session=session, user=registered)
        grid = attendance_grid(session, world["organisation"])
    assert [(block.key, [row.user for row in block.people]) for block in grid.blocks] == [
        ("inscrits", [registered])
    ]


def test_record_stores_snapshot_change_and_audit(world, after_the_session):
    member = _member(world, index=1)
    with _in_scope(world):
        change = _record(world, member.user, "partial", note=" arrivée 10 h 15 ")
        attendance = Attendance.objects.get(session=world["session"], user=member.user)
        assert attendance.team == world["team_a"]
        assert attendance.role == member.role
        assert attendance.note == "arrivée 10 h 15"
        assert attendance.recorded_by == world["trainer"]
        assert (change.before, change.after, change.actor) == ("", "partial", world["trainer"])
        assert change.note == "arrivée 10 h 15"
        # The same again changes nothing; another status is a new history line.
        assert _record(world, member.user, "partial", note="arrivée 10 h 15") is None
        second = _record(world, member.user, "present", note="ignored")
        assert (second.before, second.after) == ("partial", "present")
        attendance.refresh_from_db()
        assert attendance.note == ""
        assert AuditEntry.objects.filter(action=Action.ATTENDANCE_RECORDED).count() == 2
        # The snapshot stays when the person leaves the team: their next half-day is
        # still recorded under the team and role they held.
        parcours_services.remove_team_member(member=member, acting_user=world["coordinator"])
        _record(world, member.user, "absent", half_day="pm")
        later = Attendance.objects.get(user=member.user, half_day="pm")
        assert (later.team, later.role) == (world["team_a"], world["parcours"].roles[1])


def test_record_refusals(world):
    member = _member(world)
    stranger = UserFactory()
    with _in_scope(world):
        with pytest.raises(ValidationError, match="ne fait pas partie de la séance"):
            _record(world, member.user, day=date(2026, 12, 12))
        with pytest.raises(ValidationError, match="n'est pas sur la feuille"):
            _record(world, stranger)
        with pytest.raises(ValidationError, match="Choisissez une présence"):
            _record(world, member.user, "maybe")
        with (
            time_machine.travel(paris(2026, 12, 10, 9), tick=False),
            pytest.raises(ValidationError, match="La séance n'a pas encore commencé"),
        ):
            _record(world, member.user)
        world["session"] = parcours_services.cancel_session(
            session=world["session"], acting_user=world["coordinator"]
        )
        with pytest.raises(ValidationError, match="annulée"):
            _record(world, member.user)
    assert not Attendance.objects.exists()


def test_mark_all_present_never_overwrites(world):
    absent = _member(world)
    with _in_scope(world):
        _record(world, absent.user, "absent")
        count = services.mark_all_present(
            session=world["session"], acting_user=world["trainer"], day=J1, half_day="am"
        )
        assert count == 5
        statuses = dict(
            Attendance.objects.filter(day=J1, half_day="am").values_list("user", "status")
        )
        assert statuses[absent.user.pk] == "absent"
        assert sorted(statuses.values()) == ["absent"] + ["present"] * 5
        assert (
            Attendance.objects.get(user=_member(world, "team_b", 1).user).team == (world["team_b"])
        )
        assert AttendanceChange.objects.filter(after="present").count() == 5
        assert AuditEntry.objects.filter(action=Action.ATTENDANCE_ALL_PRESENT).count() == 1
        again = services.mark_all_present(
            session=world["session"], acting_user=world["trainer"], day=J1, half_day="am"
        )
        assert again == 0
        assert AuditEntry.objects.filter(action=Action.ATTENDANCE_ALL_PRESENT).count() == 1


def test_undo_restores_before_and_only_the_latest(world):
    user = _member(world).user
    with _in_scope(world):
        first = _record(world, user, "partial", note="départ 16 h")
        second = _record(world, user, "absent")
        with pytest.raises(ValidationError, match="modifiée depuis"):
            services.undo_attendance_change(change=first, acting_user=world["trainer"])
        undone = services.undo_attendance_change(change=second, acting_user=world["trainer"])
        attendance = Attendance.objects.get(user=user)
        assert (attendance.status, attendance.note) == ("partial", "départ 16 h")
        assert (undone.before, undone.after, undone.kind) == ("absent", "partial", "recorded")
        assert AuditEntry.objects.filter(action=Action.ATTENDANCE_UNDONE).count() == 1
        # Undoing the first recording removes the row (there was nothing before).
        other = _member(world, index=1).user
        change = _record(world, other, "present")
        services.undo_attendance_change(change=change, acting_user=world["trainer"])
        assert not Attendance.objects.filter(user=other).exists()


def test_undo_refused_on_a_validated_sheet(world, after_the_session):
    with _in_scope(world):
        change = _record(world, _member(world).user, "present")
        for column in attendance_grid(world["session"], world["organisation"]).columns:
            services.mark_all_present(
                session=world["session"],
                acting_user=world["trainer"],
                day=column.day,
                half_day=column.half_day,
            )
        services.validate_attendance_sheet(session=world["session"], acting_user=world["trainer"])
        with pytest.raises(ValidationError, match="La feuille est validée"):
            services.undo_attendance_change(change=change, acting_user=world["trainer"])


def test_add_participant_existing_or_new_account(world):
    existing = UserFactory(email="claire.dupont@exemple.fr")
    with _in_scope(world):
        guest = services.add_sheet_participant(
            session=world["session"],
            acting_user=world["trainer"],
            email="Claire.DUPONT@exemple.fr",
            first_name="",
            last_name="",
            team=world["team_b"],
        )
        assert guest.user == existing
        assert guest.team == world["team_b"]
        new = services.add_sheet_participant(
            session=world["session"],
            acting_user=world["trainer"],
            email="Nouveau.Venu@exemple.fr",
            first_name="Noé",
            last_name="Venu",
        )
        assert new.user.email == "nouveau.venu@exemple.fr"
        assert not new.user.has_usable_password()
        assert new.user.get_full_name() == "Noé Venu"
        grid = attendance_grid(world["session"], world["organisation"])
        assert [row.user for row in grid.blocks[-1].people] == [existing, new.user]
        assert grid.missing_count() == 8 * 4
        assert AttendanceChange.objects.filter(kind="guest_added").count() == 2
        # Once on the sheet, their attendance is recorded with their team.
        _record(world, existing, "present")
        assert Attendance.objects.get(user=existing).team == world["team_b"]


def test_add_participant_refusals(world):
    other_programme = build_programme(organisation=world["organisation"], teams=1)
    with _in_scope(world):

        def add(**kwargs):
            values = {"email": "x@exemple.fr", "first_name": "X", "last_name": "Y", **kwargs}
            return services.add_sheet_participant(
                session=world["session"], acting_user=world["trainer"], **values
            )

        with pytest.raises(ValidationError) as error:
            add(email=_member(world).user.email.upper())
        assert "déjà sur la feuille" in str(error.value)
        with pytest.raises(ValidationError) as error:
            add(team=other_programme.teams[0])
        assert error.value.message_dict == {
            "team": ["Choisissez une équipe concernée par la séance."]
        }
        with pytest.raises(ValidationError) as error:
            add(first_name=" ", last_name="")
        assert set(error.value.message_dict) == {"first_name", "last_name"}
        with pytest.raises(ValidationError) as error:
            add(email="pas une adresse")
        assert set(error.value.message_dict) == {"email"}
        add()
        with pytest.raises(ValidationError, match="déjà sur la feuille"):
            add(email="X@exemple.fr")
        assert SheetParticipant.objects.count() == 1


def test_validate_needs_every_status_then_locks(world, after_the_session):
    session = world["session"]
    with _in_scope(world):
        columns = attendance_grid(session, world["organisation"]).columns
        for column in columns[:3]:
            services.mark_all_present(
                session=session,
                acting_user=world["trainer"],
                day=column.day,
                half_day=column.half_day,
            )
        _record(world, _member(world).user, "excused", day=J2, half_day="pm")
        with pytest.raises(ValidationError, match=r"Il reste 5 présences à renseigner\."):
            services.validate_attendance_sheet(session=session, acting_user=world["trainer"])
        services.mark_all_present(
            session=session, acting_user=world["trainer"], day=J2, half_day="pm"
        )
        sheet = services.validate_attendance_sheet(session=session, acting_user=world["trainer"])
        assert sheet.is_validated
        assert sheet.validated_by == world["trainer"]
        assert sheet.validated_at is not None
        with pytest.raises(ValidationError, match="La feuille est validée : un·e coordinateur"):
            _record(world, _member(world).user, "absent", day=J2, half_day="pm")
        with pytest.raises(ValidationError, match="La feuille est validée"):
            services.mark_all_present(
                session=session, acting_user=world["trainer"], day=J1, half_day="am"
            )
        with pytest.raises(ValidationError, match="La feuille est validée"):
            services.add_sheet_participant(
                session=session,
                acting_user=world["trainer"],
                email="z@exemple.fr",
                first_name="Z",
                last_name="Z",
            )
        with pytest.raises(ValidationError, match="La feuille est validée"):
            services.validate_attendance_sheet(session=session, acting_user=world["trainer"])
        assert AuditEntry.objects.filter(action=Action.ATTENDANCE_VALIDATED).count() == 1


def test_validate_refused_before_the_start(world):
    with (
        _in_scope(world),
        time_machine.travel(paris(2026, 12, 9, 9), tick=False),
        pytest.raises(ValidationError, match="pas encore commencé"),
    ):
        services.validate_attendance_sheet(session=world["session"], acting_user=world["trainer"])


def test_reopen_by_a_coordinator_with_a_reason(world, after_the_session):
    single = UserFactory()
    parcours = world["parcours"]
    with _in_scope(world):
        session = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            audience="team",
            teams=[world["team_a"]],
            starts_at=paris(2026, 12, 10, 9, 30),
            ends_at=paris(2026, 12, 10, 12),
        )
        services.add_sheet_participant(
            session=session,
            acting_user=world["trainer"],
            email=single.email,
            first_name="",
            last_name="",
        )
        services.mark_all_present(
            session=session, acting_user=world["trainer"], day=J1, half_day="am"
        )
        services.validate_attendance_sheet(session=session, acting_user=world["trainer"])
        with pytest.raises(ValidationError, match="Seul·e un·e coordinateur·rice"):
            services.reopen_attendance_sheet(
                session=session, acting_user=world["trainer"], reason="Erreur"
            )
        with pytest.raises(ValidationError) as error:
            services.reopen_attendance_sheet(
                session=session, acting_user=world["coordinator"], reason="  "
            )
        assert set(error.value.message_dict) == {"reason"}
        sheet = services.reopen_attendance_sheet(
            session=session, acting_user=world["coordinator"], reason="Oubli d'une absence"
        )
        assert not sheet.is_validated
        assert sheet.validated_by is None
        reopened = AttendanceChange.objects.get(session=session, kind="reopened")
        assert (reopened.note, reopened.actor) == ("Oubli d'une absence", world["coordinator"])
        assert AuditEntry.objects.get(action=Action.ATTENDANCE_REOPENED).data["reason"] == (
            "Oubli d'une absence"
        )
        # Open again: changes are accepted.
        services.record_attendance(
            session=session,
            acting_user=world["trainer"],
            user=single,
            day=J1,
            half_day="am",
            status="absent",
        )
        with pytest.raises(ValidationError, match="n'est pas validée"):
            services.reopen_attendance_sheet(
                session=session, acting_user=world["coordinator"], reason="Encore"
            )
        assert AttendanceSheet.objects.get(session=session).status == "open"


def test_flags_when_an_indispensable_role_is_absent(world):
    elue = _member(world, index=0)
    service = _member(world, index=2)
    with _in_scope(world):
        _record(world, elue.user, "excused")
        _record(world, service.user, "absent")  # not an indispensable role
        _record(world, _member(world, "team_b", 0).user, "present")
        grid = attendance_grid(world["session"], world["organisation"])
    flags = {block.team: [r.name for r in block.flags[0].roles] for block in grid.blocks}
    assert flags == {world["team_a"]: ["Élu·e référent·e"], world["team_b"]: []}
    assert grid.blocks[0].flags[1].roles == []


def test_former_member_with_records_stays_visible(world):
    leaving = _member(world)
    with _in_scope(world):
        _record(world, leaving.user, "present")
        replacement = UserFactory()
        parcours_services.replace_team_member(
            member=leaving, acting_user=world["coordinator"], user=replacement
        )
        grid = attendance_grid(world["session"], world["organisation"])
        others = grid.blocks[-1]
        assert others.key == "autres"
        assert [row.user for row in others.people] == [leaving.user]
        assert replacement in [row.user for row in grid.blocks[0].people]
        # The former member's empty half-days do not block validation.
        assert grid.missing_count() == 6 * 4
        _record(world, leaving.user, "partial", note="parti·e à 11 h")
