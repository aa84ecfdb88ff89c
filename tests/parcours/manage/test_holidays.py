"""Calendar sense: a session or a poll slot on a French public holiday gets a warning,
never a refusal."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django_scopes import scopes_disabled

from parcours.holidays import holiday_name, holiday_warnings, subdivision_of
from parcours.models import Session
from tests.factories import OrganisationFactory
from tests.parcours.manage.conftest import paris, url
from tests.parcours.manage.test_sessions import create, edit_data

pytestmark = pytest.mark.django_db


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_fourteenth_of_july_is_named():
    assert holiday_warnings([date(2027, 7, 14)]) == [
        "Le 14 juillet 2027 est un jour férié (Fête nationale)."
    ]
    assert holiday_warnings([date(2027, 5, 1), date(2027, 5, 3)]) == [
        "Le 1er mai 2027 est un jour férié (Fête du Travail)."
    ]
    assert holiday_warnings([date(2027, 7, 13)]) == []


def test_alsace_moselle_has_its_own_holidays():
    metz = OrganisationFactory.build(address="1 place d'Armes\n57000 Metz")
    lille = OrganisationFactory.build(address="151 avenue du Président Hoover\n59555 Lille")
    assert subdivision_of(metz) == "57"
    assert subdivision_of(lille) is None
    assert holiday_name(date(2027, 12, 26), organisation=metz) == "Saint-Étienne"
    assert holiday_name(date(2027, 12, 26), organisation=lille) is None
    assert holiday_name(date(2027, 3, 26), organisation=metz) == "Vendredi saint"


def test_a_session_on_a_holiday_is_saved_with_a_warning(coordinator_client, world):
    response = create(
        coordinator_client,
        world,
        start_date="2027-07-14",
        end_date="2027-07-14",
        start_time="09:00",
        end_time="12:00",
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Session.objects.filter(title="Formation J1/J2").exists()
    messages = shown_messages(response)
    assert "Le 14 juillet 2027 est un jour férié (Fête nationale)." in messages


def test_a_two_day_session_warns_for_each_holiday_it_covers(coordinator_client, world):
    response = create(coordinator_client, world, start_date="2027-05-07", end_date="2027-05-08")
    assert response.status_code == 302
    assert shown_messages(response) == [
        "Séance « Formation J1/J2 » créée.",
        "Le 8 mai 2027 est un jour férié (Fête de la Victoire).",
    ]


def test_moving_a_session_onto_a_holiday_warns(coordinator_client, world):
    target = url("parcours:session_edit", world, session_id=world.session.pk)
    response = coordinator_client.post(
        target, edit_data(world, world.session, start_date="2027-05-06"), follow=True
    )
    assert response.status_code == 200
    assert "Le 6 mai 2027 est un jour férié (Ascension)." in response.content.decode()
    with scopes_disabled():
        world.session.refresh_from_db()
        assert world.session.starts_at == paris(2027, 5, 6, 9, 30)


def test_an_ordinary_day_has_no_warning(coordinator_client, world):
    target = url("parcours:session_edit", world, session_id=world.session.pk)
    response = coordinator_client.post(target, edit_data(world, world.session))
    assert shown_messages(response) == [f"Séance « {world.session.title} » enregistrée."]
