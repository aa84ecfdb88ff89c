"""``manage.py load_demo``: seed 000's parcours and seed 001's seminar, loaded twice."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import User
from demo import common as demo
from demo.teams import team_member_login
from organisations.models import AuditEntry, Organisation
from parcours.models import (
    AgendaItem,
    Phase,
    Programme,
    Session,
    SessionFormat,
    Team,
    TeamMember,
    Workshop,
)
from sondages.models import DatePoll
from territoires.models import Territory

PARIS = ZoneInfo("Europe/Paris")


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (
                User,
                Organisation,
                Territory,
                Programme,
                Phase,
                Team,
                TeamMember,
                Session,
                AgendaItem,
                Workshop,
                AuditEntry,
            )
        }


def hdf_programme() -> Programme:
    return Programme.objects.get(name=demo.HDF_PROGRAMME)


@pytest.mark.django_db
def test_a_second_load_changes_nothing_and_sends_nothing():
    output = load()
    first = counts()
    assert load() == output
    assert counts() == first
    assert mail.outbox == []
    # The printed logins: coordinator, trainer, observer and a team member.
    for email in (
        "claire.dubois@hautsdefrance.example",
        "marc.lefebvre@conseil-territoires.example",
        "nadia.benali@draaf-hdf.example",
        team_member_login()[1],
        "julien.moreau@cnfpt.example",
    ):
        assert email in output
    assert demo.HDF_PROGRAMME in output and demo.CNFPT_PROGRAMME in output


@pytest.mark.django_db
def test_hauts_de_france_parcours_has_the_seed_dates():
    load()
    organisation = Organisation.objects.get(slug=demo.HDF_SLUG)
    with scope(organisation=organisation.pk):
        programme = hdf_programme()
        assert programme.is_published
        assert (programme.start_date, programme.end_date) == (date(2026, 6, 1), date(2028, 6, 30))
        assert programme.cohorts.get().name == "Promotion 2026–2028"
        phases = list(programme.phases.all())
        assert [phase.name for phase in phases][:2] == [
            "Sélection des participants",
            "Construction d'une culture commune",
        ]
        assert phases[-1].ends_on == date(2028, 6, 30)

        launch = Session.objects.get(programme=programme, title="Lancement du projet")
        assert launch.starts_at == datetime(2026, 10, 16, 9, 30, tzinfo=PARIS)
        assert launch.duration.total_seconds() == 3 * 3600
        assert launch.format == SessionFormat.REMOTE
        assert launch.phase.name == "Construction d'une culture commune"

        training = Session.objects.get(programme=programme, title__startswith="Formation J1/J2")
        assert training.starts_at.astimezone(PARIS).date() == date(2026, 12, 9)
        assert training.ends_at.astimezone(PARIS).date() == date(2026, 12, 10)
        # « options : 9-10 ou 10-11 »: decided by the cohort's date poll.
        assert training.status == Session.Status.SCHEDULED
        poll = training.date_polls.get()
        assert poll.status == DatePoll.Status.DECIDED
        assert [slot.starts_at.astimezone(PARIS).date() for slot in poll.slots.all()] == [
            date(2026, 12, 9),
            date(2026, 12, 10),
        ]
        assert training.expected_presence == Session.Presence.WHOLE_TEAM_REQUIRED
        assert "Lille" in training.place
        assert {item.day for item in training.agenda_items.all()} == {1, 2}

        method = Session.objects.get(programme=programme, title__contains="Méthode et posture")
        assert method.expected_presence == Session.Presence.ONE_ROLE
        assert method.expected_role.name == "Chargé·e de mission"

        restitution = Session.objects.get(programme=programme, kind__name="Restitution")
        assert restitution.starts_at.astimezone(PARIS).date().replace(day=1) == date(2028, 6, 1)
        trainer = User.objects.get(email="marc.lefebvre@conseil-territoires.example")
        assert all(
            trainer in session.facilitators.all()
            for session in Session.objects.filter(programme=programme)
        )


@pytest.mark.django_db
def test_eight_trinomes_with_four_individual_coachings_each():
    load()
    organisation = Organisation.objects.get(slug=demo.HDF_SLUG)
    with scope(organisation=organisation.pk):
        teams = list(Team.objects.filter(cohort__programme=hdf_programme()))
        assert len(teams) == 8
        for team in teams:
            members = team.members.current().select_related("role", "user")
            assert sorted(member.role.name for member in members) == [
                "Chargé·e de mission",
                "Responsable de service",
                "Élu·e référent·e",
            ]
            assert all(member.user.emailaddress_set.get().verified for member in members)
            assert team.territory.kind in {"epci", "pnr", "pays"}
            assert team.territory.parent.kind == "departement"
            individual = Session.objects.filter(teams=team, audience=Session.Audience.TEAM)
            assert individual.count() == 4
            assert individual.filter(title__startswith="Accompagnement individuel n°1").get()
        # The coachings are spread over the month, not all at the same time.
        first_visits = Session.objects.filter(title__startswith="Accompagnement individuel n°1")
        assert len({session.starts_at for session in first_visits}) == 8


@pytest.mark.django_db
def test_cnfpt_seminar_has_two_rounds_of_workshops_in_rooms():
    load()
    organisation = Organisation.objects.get(slug=demo.CNFPT_SLUG)
    with scope(organisation=organisation.pk):
        programme = Programme.objects.get(name=demo.CNFPT_PROGRAMME)
        assert programme.is_published
        seminar = Session.objects.get(programme=programme)
        assert seminar.audience == Session.Audience.OPEN
        assert seminar.starts_at == datetime(2019, 11, 15, 9, tzinfo=PARIS)
        assert seminar.ends_at == datetime(2019, 11, 15, 17, 45, tzinfo=PARIS)
        assert "CIDGI 006" in seminar.date_note
        assert "Angers" in seminar.place
        rounds = [item for item in seminar.agenda_items.all() if item.is_workshop_round]
        assert len(rounds) == 2
        for workshop_round in rounds:
            workshops = list(workshop_round.workshops.all())
            assert len(workshops) == 4
            assert all(workshop.room for workshop in workshops)
        conference = seminar.agenda_items.get(title__startswith="Conférence en dialogue")
        assert "Locatelli" in conference.speakers and "Jung" in conference.speakers


@pytest.mark.django_db
def test_the_printed_team_member_sees_the_programme(client):
    load()
    organisation = Organisation.objects.get(slug=demo.HDF_SLUG)
    with scope(organisation=organisation.pk):
        programme = hdf_programme()
    client.force_login(User.objects.get(email=team_member_login()[1]))
    response = client.get(
        reverse(
            "parcours:timeline",
            kwargs={"organisation_slug": organisation.slug, "programme_id": programme.pk},
        )
    )
    assert response.status_code == 200
    assert demo.HDF_PROGRAMME in response.content.decode()
