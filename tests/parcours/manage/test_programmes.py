"""Coordinator tools: who may use them, what they save, and how bad input is refused."""

from datetime import date, time, timedelta

import pytest
from django_scopes import scopes_disabled

from parcours.models import (
    Phase,
    Programme,
    Session,
    SessionKind,
    Team,
    TeamRole,
)
from tests.factories import (
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
)
from tests.parcours.manage.conftest import (
    PARIS,
    messages_of,
    paris,
    url,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

# --- Programmes ----------------------------------------------------------------------


def test_create_programme_with_the_pat_preset(coordinator_client, world):
    response = coordinator_client.post(
        url("parcours:programme_create", world),
        {
            "name": "Gouvernance des PAT 2026–2028",
            "description": "",
            "objectives": "",
            "start_date": "2026-06-01",
            "end_date": "2028-06-30",
            "cohort_name": "",
            "team_roles": "pat",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        programme = Programme.objects.get(name="Gouvernance des PAT 2026–2028")
        assert programme.status == Programme.Status.DRAFT
        assert programme.cohorts.get().name == "Promotion 2026–2028"
        assert TeamRole.objects.filter(programme=programme).count() == 3
        assert SessionKind.objects.filter(programme=programme, name="Lancement").exists()
    assert response.headers["Location"] == url(
        "parcours:programme_edit", world, programme_id=programme.pk
    )


def test_programme_end_before_start_is_refused_next_to_the_field(coordinator_client, world):
    response = coordinator_client.post(
        url("parcours:programme_create", world),
        {
            "name": "À l'envers",
            "start_date": "2026-06-01",
            "end_date": "2026-05-01",
            "team_roles": "none",
        },
    )
    assert response.status_code == 200
    assert "La fin du programme doit suivre son début." in response.content.decode()
    assert 'id="id_end_date_error"' in response.content.decode()
    with scopes_disabled():
        assert not Programme.objects.filter(name="À l'envers").exists()


def test_programme_edit_refuses_dates_that_leave_sessions_outside(coordinator_client, world):
    response = coordinator_client.post(
        url("parcours:programme_edit", world, programme_id=world.programme.pk),
        {"name": world.programme.name, "start_date": "2027-06-01", "end_date": "2028-06-30"},
    )
    assert response.status_code == 200
    assert "1 séance(s) se trouveraient hors des dates du programme" in response.content.decode()
    with scopes_disabled():
        world.programme.refresh_from_db()
        assert world.programme.start_date == date(2026, 6, 1)


def test_publish_then_archive(coordinator_client, world):
    publish = url("parcours:programme_publish", world, programme_id=world.programme.pk)
    response = coordinator_client.post(publish, follow=False)
    assert response.headers["Location"] == url(
        "parcours:timeline", world, programme_id=world.programme.pk
    )
    with scopes_disabled():
        world.programme.refresh_from_db()
        assert world.programme.status == Programme.Status.PUBLISHED
    # Publishing twice is refused with a message, nothing changes.
    response = coordinator_client.post(publish)
    assert messages_of(response)[-1] == "Seul un programme en brouillon peut être publié."
    coordinator_client.post(
        url("parcours:programme_archive", world, programme_id=world.programme.pk)
    )
    with scopes_disabled():
        world.programme.refresh_from_db()
        assert world.programme.status == Programme.Status.ARCHIVED


def test_copy_shows_the_shift_then_copies_with_dates_shifted(coordinator_client, world):
    with scopes_disabled():
        Phase.objects.create(
            organisation=world.organisation,
            programme=world.programme,
            name="Mise en œuvre",
            start_date=date(2027, 1, 1),
            end_date=date(2027, 6, 30),
        )
        launch = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title="Lancement du projet",
            starts_at=paris(2026, 10, 16, 9, 30),
            ends_at=paris(2026, 10, 16, 12, 30),
        )
        SessionFactory(
            programme=world.programme,
            kind=world.individual_kind,
            audience=Session.Audience.TEAM,
            teams=[world.teams[0]],
            starts_at=paris(2027, 2, 1, 14),
            ends_at=paris(2027, 2, 1, 16),
        )
    copy_url = url("parcours:programme_copy", world, programme_id=world.programme.pk)
    data = {"name": "Gouvernance des PAT 2029", "start_date": "2029-06-01", "cohort_name": ""}
    response = coordinator_client.post(copy_url, data)
    html = response.content.decode()
    assert "décalées de 1096 jours" in html
    with scopes_disabled():
        assert Programme.objects.count() == 1
    response = coordinator_client.post(copy_url, {**data, "shift_days": "1096"})
    [message] = messages_of(response)
    assert "2 séances copiées" in message
    assert "1 séance individuelle ou d'équipe n'est pas copiée" in message
    with scopes_disabled():
        copy = Programme.objects.get(name="Gouvernance des PAT 2029")
        assert response.headers["Location"] == url("parcours:timeline", world, programme_id=copy.pk)
        assert copy.start_date == date(2029, 6, 1)
        copied_launch = Session.objects.get(programme=copy, title="Lancement du projet")
        local = copied_launch.starts_at.astimezone(PARIS)
        assert local.date() == launch.starts_at.astimezone(PARIS).date() + timedelta(days=1096)
        assert local.time() == time(9, 30)
        dated = Phase.objects.get(programme=copy, name="Mise en œuvre")
        assert dated.start_date == date(2027, 1, 1) + timedelta(days=1096)
        by_month = Phase.objects.get(programme=copy, name=world.phase.name)
        assert (by_month.start_month, by_month.end_month) == (0, 5)


def test_copy_with_a_changed_date_shows_the_new_shift_first(coordinator_client, world):
    copy_url = url("parcours:programme_copy", world, programme_id=world.programme.pk)
    response = coordinator_client.post(
        copy_url, {"name": "Copie", "start_date": "2027-06-01", "shift_days": "1096"}
    )
    assert "décalées de 365 jours" in response.content.decode()
    with scopes_disabled():
        assert Programme.objects.count() == 1


# --- Phases, kinds, teams ------------------------------------------------------------


def phase_data(**overrides):
    return {
        "name": "Construction d'une culture commune",
        "order": "1",
        "colour": "#2a6f97",
        "period": "months",
        "start_month": "4",
        "end_month": "9",
        "start_date": "",
        "end_date": "",
        "description": "",
        **overrides,
    }


def test_phase_in_months(coordinator_client, world):
    response = coordinator_client.post(
        url("parcours:phase_list", world, programme_id=world.programme.pk),
        phase_data(start_date="2026-01-01"),  # ignored: the period is in months
    )
    assert response.status_code == 302
    with scopes_disabled():
        phase = Phase.objects.get(name="Construction d'une culture commune")
        assert (phase.start_month, phase.end_month, phase.start_date) == (4, 9, None)
    page = coordinator_client.get(response.headers["Location"]).content.decode()
    assert "mois 4 à 9" in page


def test_phase_bad_periods_are_refused_next_to_the_fields(coordinator_client, world):
    target = url("parcours:phase_list", world, programme_id=world.programme.pk)
    response = coordinator_client.post(target, phase_data(start_month="9", end_month="4"))
    assert "Le mois de fin doit suivre le mois de début." in response.content.decode()
    response = coordinator_client.post(
        target, phase_data(period="dates", start_date="2027-03-01", end_date="")
    )
    assert 'id="id_end_date_error"' in response.content.decode()
    response = coordinator_client.post(target, phase_data(colour="bleu"))
    assert "Indiquez une couleur au format #RRGGBB" in response.content.decode()
    with scopes_disabled():
        assert not Phase.objects.filter(name="Construction d'une culture commune").exists()


def test_phase_edit_in_dates_and_delete(coordinator_client, world):
    target = url(
        "parcours:phase_edit", world, programme_id=world.programme.pk, phase_id=world.phase.pk
    )
    response = coordinator_client.post(
        target, phase_data(period="dates", start_date="2027-01-01", end_date="2027-06-30")
    )
    assert response.status_code == 302
    with scopes_disabled():
        world.phase.refresh_from_db()
        assert world.phase.start_month is None
        assert world.phase.start_date == date(2027, 1, 1)
    coordinator_client.post(
        url(
            "parcours:phase_delete", world, programme_id=world.programme.pk, phase_id=world.phase.pk
        )
    )
    with scopes_disabled():
        assert not Phase.objects.filter(pk=world.phase.pk).exists()


def test_session_kind_add_and_duplicate_name(coordinator_client, world):
    target = url("parcours:kind_list", world, programme_id=world.programme.pk)
    data = {"name": "Voyage apprenant", "colour": "#0f766e", "order": "3"}
    assert coordinator_client.post(target, data).status_code == 302
    response = coordinator_client.post(target, {**data, "name": "voyage apprenant"})
    assert "Ce programme a déjà un type de séance de ce nom." in response.content.decode()
    with scopes_disabled():
        assert SessionKind.objects.filter(name__iexact="voyage apprenant").count() == 1


def test_team_list_creates_teams_and_counts_members(coordinator_client, world):
    target = url("parcours:team_list", world, programme_id=world.programme.pk)
    response = coordinator_client.post(
        target, {"name": "PAT du Pays de Saint-Omer", "cohort": world.cohort.pk}
    )
    assert response.status_code == 302
    response = coordinator_client.post(
        target, {"name": "pat du pays de saint-omer", "cohort": world.cohort.pk}
    )
    assert "Cette promotion a déjà une équipe de ce nom." in response.content.decode()
    with scopes_disabled():
        assert Team.objects.filter(cohort=world.cohort).count() == 3


def test_team_list_runs_a_constant_number_of_queries(coordinator_client, world):
    def add_teams(count):
        with scopes_disabled():
            for _ in range(count):
                team = TeamFactory(cohort=world.cohort)
                TeamMemberFactory(team=team)

    assert_constant_queries(
        coordinator_client,
        url("parcours:team_list", world, programme_id=world.programme.pk),
        add_teams,
    )
