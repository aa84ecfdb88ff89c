from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from organisations.models import AuditEntry
from parcours import services
from parcours.models import (
    AgendaItem,
    Phase,
    Programme,
    Session,
    SessionKind,
    TeamRole,
    Workshop,
    WorkshopRegistration,
)
from parcours.months import add_months, shift_datetime
from ressources.services import create_resource
from tests.factories import (
    AgendaItemFactory,
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    SessionFactory,
    WorkshopFactory,
    build_programme,
)

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def membership():
    return MembershipFactory(coordinator=True)


@pytest.fixture
def coordinator(membership):
    return membership.user


@pytest.fixture
def world(membership):
    organisation = membership.organisation
    with scope(organisation=organisation.pk):
        built = build_programme(
            organisation=organisation,
            teams=2,
            start_date=date(2026, 6, 1),
            end_date=date(2028, 6, 30),
        )
        yield built


def session_fields(world, **overrides):
    fields = {
        "title": "Lancement du projet",
        "kind": world.kind,
        "format": "visio",
        "visio_url": "https://visio.exemple.fr/lancement",
        "starts_at": paris(2026, 10, 16, 9, 30),
        "ends_at": paris(2026, 10, 16, 12, 30),
    }
    fields.update(overrides)
    return fields


def test_add_months_clamps_to_the_end_of_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 10, 1), 20) == date(2028, 6, 1)
    assert add_months(date(2026, 6, 15), -6) == date(2025, 12, 15)


def test_shift_keeps_the_local_time_across_dst():
    summer = paris(2026, 10, 16, 9, 30)  # UTC+2
    shifted = shift_datetime(summer, 30, PARIS)  # 15 November, UTC+1
    assert shifted.astimezone(PARIS).hour == 9
    assert shifted.astimezone(PARIS).minute == 30
    assert shifted.astimezone(ZoneInfo("UTC")).hour == 8


def test_create_programme_brings_a_cohort_the_default_kinds_and_roles(membership, coordinator):
    organisation = membership.organisation
    with scope(organisation=organisation.pk):
        programme = services.create_programme(
            organisation=organisation,
            acting_user=coordinator,
            name="Gouvernance des PAT",
            start_date=date(2026, 6, 1),
            end_date=date(2028, 6, 30),
            team_roles="pat",
        )
        assert programme.status == Programme.Status.DRAFT
        assert programme.cohorts.get().name == "Promotion 2026–2028"
        kinds = set(SessionKind.objects.filter(programme=programme).values_list("name", flat=True))
        assert {"Lancement", "Formation", "Accompagnement individuel", "CODEV", "COPIL"} <= kinds
        assert SessionKind.objects.get(programme=programme, is_individual=True).name == (
            "Accompagnement individuel"
        )
        assert list(
            TeamRole.objects.filter(programme=programme).values_list("name", "required")
        ) == [
            ("Élu·e référent·e", True),
            ("Chargé·e de mission", True),
            ("Responsable de service", True),
        ]
        assert programme.team_label == Programme.TeamLabel.TRINOME
        assert AuditEntry.objects.filter(action=services.Action.PROGRAMME_CREATED).exists()


def test_programme_end_before_start_is_refused(membership, coordinator):
    organisation = membership.organisation
    with scope(organisation=organisation.pk), pytest.raises(ValidationError) as error:
        services.create_programme(
            organisation=organisation,
            acting_user=coordinator,
            name="À l'envers",
            start_date=date(2026, 6, 1),
            end_date=date(2026, 1, 1),
        )
    assert "end_date" in error.value.message_dict
    with scope(organisation=organisation.pk):
        assert not Programme.objects.exists()


def test_programme_dates_cannot_leave_sessions_outside(world, coordinator):
    SessionFactory(programme=world.programme, kind=world.kind, starts_at=paris(2028, 6, 1, 9))
    world.programme.end_date = date(2028, 3, 31)
    with pytest.raises(ValidationError) as error:
        services.update_programme(
            programme=world.programme, acting_user=coordinator, changed_fields=["end_date"]
        )
    assert "hors des dates du programme" in error.value.message_dict["start_date"][0]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"ends_at": paris(2026, 10, 16, 8, 0)},
            "ends_at",
            "La fin doit suivre le début.",
        ),
        (
            {"starts_at": paris(2029, 1, 10, 9), "ends_at": paris(2029, 1, 10, 12)},
            "starts_at",
            "La séance doit se tenir pendant le programme",
        ),
        (
            {"visio_url": "http://visio.exemple.fr/salle"},
            "visio_url",
            "https://",
        ),
        (
            {"format": "presentiel", "visio_url": "", "place": "  "},
            "place",
            "Indiquez l'adresse du lieu",
        ),
        (
            {"expected_presence": "role"},
            "expected_role",
            "Choisissez le rôle attendu",
        ),
    ],
)
def test_bad_session_input_is_refused_with_a_french_message(
    world, coordinator, overrides, field, message
):
    with pytest.raises(ValidationError) as error:
        services.create_session(
            programme=world.programme, acting_user=coordinator, **session_fields(world, **overrides)
        )
    assert any(message in text for text in error.value.message_dict[field])
    assert not Session.objects.exists()


def test_individual_session_needs_exactly_one_team(world, coordinator):
    with pytest.raises(ValidationError) as error:
        services.create_session(
            programme=world.programme,
            acting_user=coordinator,
            teams=world.teams,
            **session_fields(world, audience="team"),
        )
    assert "exactement une équipe" in error.value.message_dict["teams"][0]


def test_facilitators_must_belong_to_the_organisation(world, coordinator):
    stranger = MembershipFactory(trainer=True).user  # another organisation's trainer
    with pytest.raises(ValidationError) as error:
        services.create_session(
            programme=world.programme,
            acting_user=coordinator,
            facilitators=[stranger],
            **session_fields(world),
        )
    assert "facilitators" in error.value.message_dict


def test_overlapping_sessions_share_a_team_or_the_cohort(world, coordinator):
    team_a, team_b = world.teams
    cohort_session = SessionFactory(
        programme=world.programme,
        kind=world.kind,
        starts_at=paris(2026, 10, 16, 9),
        ends_at=paris(2026, 10, 16, 12),
    )
    individual_a = SessionFactory(
        programme=world.programme,
        kind=world.individual_kind,
        audience="team",
        teams=[team_a],
        starts_at=paris(2026, 11, 5, 14),
        ends_at=paris(2026, 11, 5, 16),
    )
    candidate = Session(
        programme=world.programme,
        organisation=world.organisation,
        audience="team",
        starts_at=paris(2026, 10, 16, 11),
        ends_at=paris(2026, 10, 16, 13),
    )
    assert list(services.overlapping_sessions(candidate, teams=[team_b])) == [cohort_session]
    candidate.starts_at, candidate.ends_at = paris(2026, 11, 5, 15), paris(2026, 11, 5, 17)
    assert list(services.overlapping_sessions(candidate, teams=[team_a])) == [individual_a]
    assert list(services.overlapping_sessions(candidate, teams=[team_b])) == []


def test_moving_a_session_increments_its_sequence_and_keeps_its_uid(world, coordinator):
    session = services.create_session(
        programme=world.programme, acting_user=coordinator, **session_fields(world)
    )
    uid = session.uid
    services.update_session(session=session, acting_user=coordinator, objectives="Se connaître")
    session.refresh_from_db()
    assert session.sequence == 0
    services.update_session(
        session=session,
        acting_user=coordinator,
        starts_at=paris(2026, 10, 16, 14),
        ends_at=paris(2026, 10, 16, 17),
    )
    session.refresh_from_db()
    assert (session.uid, session.sequence) == (uid, 1)
    assert AuditEntry.objects.filter(action=services.Action.SESSION_MOVED).count() == 1


def test_a_cancelled_session_cannot_be_edited_nor_cancelled_twice(world, coordinator):
    session = SessionFactory(programme=world.programme, kind=world.kind)
    services.cancel_session(session=session, acting_user=coordinator, reason="Grève")
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert session.sequence == 1
    with pytest.raises(ValidationError):
        services.cancel_session(session=session, acting_user=coordinator)
    with pytest.raises(ValidationError):
        services.update_session(session=session, acting_user=coordinator, title="Autre")


def test_duplicate_copies_agenda_and_people_as_tentative(world, coordinator):
    trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
    session = SessionFactory(programme=world.programme, kind=world.kind, facilitators=[trainer])
    workshop = WorkshopFactory(round__session=session)
    copy = services.duplicate_session(session=session, acting_user=coordinator)
    assert copy.status == Session.Status.TENTATIVE
    assert copy.uid != session.uid
    assert list(copy.facilitators.all()) == [trainer]
    assert Workshop.objects.get(round__session=copy).title == workshop.title


def test_generate_individual_sessions_for_every_team(world, coordinator):
    created = services.generate_individual_sessions(
        programme=world.programme,
        acting_user=coordinator,
        kind=world.individual_kind,
        title="Accompagnement individuel n°2",
        format="visio",
        visio_url="https://visio.exemple.fr/ai2",
        starts_at=paris(2027, 2, 10, 10),
        ends_at=paris(2027, 2, 10, 12),
    )
    assert len(created) == 2
    for session, team in zip(created, world.teams, strict=True):
        assert list(session.teams.all()) == [team]
        assert session.audience == Session.Audience.TEAM
        assert session.status == Session.Status.TENTATIVE
        assert session.title == f"Accompagnement individuel n°2 — {team.name}"


def test_copy_programme_shifts_every_date_consistently(world, coordinator):
    programme = world.programme
    month_phase = PhaseFactory(programme=programme, start_month=4, end_month=9)
    dated_phase = PhaseFactory(
        programme=programme,
        start_month=None,
        end_month=None,
        start_date=date(2026, 6, 3),
        end_date=date(2026, 9, 15),
    )
    launch = SessionFactory(
        programme=programme,
        kind=world.kind,
        phase=month_phase,
        starts_at=paris(2026, 10, 16, 9, 30),
        ends_at=paris(2026, 10, 16, 12, 30),
    )
    AgendaItemFactory(session=launch, title="Accueil")
    SessionFactory(
        programme=programme, kind=world.individual_kind, audience="team", teams=[world.teams[0]]
    )
    SessionFactory(programme=programme, kind=world.kind, cancelled=True)

    result = services.copy_programme(
        programme=programme,
        acting_user=coordinator,
        name="Gouvernance des PAT 2029–2031",
        start_date=date(2029, 6, 1),
    )
    days = (date(2029, 6, 1) - date(2026, 6, 1)).days
    copy = result.programme
    assert (result.sessions_copied, result.team_sessions_skipped) == (1, 1)
    assert copy.status == Programme.Status.DRAFT
    assert copy.end_date == date(2028, 6, 30) + timedelta(days=days)
    new_launch = Session.objects.get(programme=copy)
    assert new_launch.starts_at.astimezone(PARIS).date() == date(2026, 10, 16) + timedelta(days)
    assert (new_launch.starts_at.astimezone(PARIS).hour, new_launch.starts_at.minute) == (9, 30)
    assert new_launch.phase.start_month == 4
    assert new_launch.phase.starts_on == date(2029, 10, 1)
    new_dated = Phase.objects.get(programme=copy, start_date__isnull=False)
    assert new_dated.start_date == dated_phase.start_date + timedelta(days=days)
    assert AgendaItem.objects.get(session=new_launch).title == "Accueil"
    assert new_launch.uid != launch.uid


def test_phase_period_is_months_or_dates(world, coordinator):
    phase = Phase(programme=world.programme, name="Mi-parcours", start_month=6, end_month=3)
    with pytest.raises(ValidationError) as error:
        services.save_phase(phase=phase, acting_user=coordinator)
    assert "Le mois de fin doit suivre" in error.value.message_dict["end_month"][0]
    phase = Phase(programme=world.programme, name="Sans période")
    with pytest.raises(ValidationError):
        services.save_phase(phase=phase, acting_user=coordinator)
    phase = Phase(programme=world.programme, name="Lancement", start_month=4, end_month=9)
    services.save_phase(phase=phase, acting_user=coordinator)
    assert phase.starts_on == date(2026, 10, 1)
    assert phase.ends_on == date(2027, 3, 31)


def test_workshop_choice_is_one_per_round_and_respects_capacity(world):
    member = world.teams[0].members.first().user
    other = world.teams[1].members.first().user
    session = SessionFactory(programme=world.programme, kind=world.kind)
    first_round = AgendaItemFactory(session=session, workshops=True)
    small = WorkshopFactory(round=first_round, capacity=1)
    large = WorkshopFactory(round=first_round)
    services.register_to_workshop(workshop=small, user=member)
    services.register_to_workshop(workshop=large, user=member)  # changes their mind
    assert list(
        WorkshopRegistration.objects.filter(user=member).values_list("workshop", flat=True)
    ) == [large.pk]
    services.register_to_workshop(workshop=small, user=other)
    with pytest.raises(ValidationError, match="complet"):
        services.register_to_workshop(workshop=small, user=member)


def test_open_session_registration_respects_capacity(world):
    session = SessionFactory(
        programme=world.programme, kind=world.kind, audience="open", capacity=1
    )
    first, second = (team.members.first().user for team in world.teams)
    services.register_to_session(session=session, user=first)
    services.register_to_session(session=session, user=first)  # idempotent
    with pytest.raises(ValidationError, match="complète"):
        services.register_to_session(session=session, user=second)
    closed = SessionFactory(programme=world.programme, kind=world.kind)
    with pytest.raises(ValidationError, match="pas ouverte"):
        services.register_to_session(session=closed, user=second)


def test_agenda_item_day_must_fall_within_the_session(world, coordinator):
    session = SessionFactory(programme=world.programme, kind=world.kind)
    item = AgendaItem(session=session, day=2, start_time="09:00", title="Jour 2")
    with pytest.raises(ValidationError) as error:
        services.save_agenda_item(item=item, acting_user=coordinator)
    assert "entre 1 et 1" in error.value.message_dict["day"][0]


def test_uploaded_document_is_sniffed(world, coordinator):
    """A session's document is a resource of the library: its type read on its content."""
    session = SessionFactory(programme=world.programme, kind=world.kind)
    fake = SimpleUploadedFile("support.pdf", b"juste du texte", "application/pdf")
    with pytest.raises(ValidationError) as error:
        create_resource(
            organisation=world.organisation,
            acting_user=coordinator,
            title="Support",
            file=fake,
            session=session,
        )
    assert "pas au bon format" in error.value.message_dict["file"][0]
    assert not session.resources.exists()


def test_renewing_the_feed_revokes_the_old_token(coordinator):
    old = services.calendar_feed_for(coordinator).token
    new = services.renew_calendar_feed(user=coordinator).token
    assert old != new


def test_team_member_added_once(world, coordinator):
    member = world.teams[0].members.first()
    with pytest.raises(ValidationError, match="déjà partie"):
        services.add_team_member(
            team=world.teams[0], acting_user=coordinator, user=member.user, role=None
        )


def test_other_organisation_programme_cannot_be_seen_in_scope():
    other = OrganisationFactory()
    with scope(organisation=other.pk):
        build_programme(organisation=other, teams=1)
    mine = OrganisationFactory()
    with scope(organisation=mine.pk):
        assert not Programme.objects.exists()
