"""An open seminar (seed 001 in small): a published programme, a session with
« inscription libre » in 20 days, two rounds of workshops (the same « Histoires de
territoire » offered in both; « Atelier complet » holds one person), its event page
published with a deadline in 15 days, a coordinator and a trainer."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from inscriptions import services
from inscriptions.models import Event
from tests.factories import (
    AgendaItemFactory,
    MembershipFactory,
    SessionFactory,
    TerritoryFactory,
    WorkshopFactory,
    build_programme,
)


def person(number: int, **workshops) -> services.Person:
    return services.Person(
        first_name=f"Prénom{number}",
        last_name=f"Nom{number}",
        email=f"personne{number}@exemple.fr",
        structure=f"Commune {number}",
        function="Directeur·rice général·e des services",
        workshops=workshops,
    )


@pytest.fixture
def world(db):
    with scopes_disabled():
        built = build_programme(teams=0)
        organisation = built.organisation
        start = timezone.now() + timedelta(days=20)
        session = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            title="Séminaire des directions",
            audience="open",
            in_person=True,
            starts_at=start,
            ends_at=start + timedelta(hours=7),
        )
        first = AgendaItemFactory(
            session=session,
            workshops=True,
            title="Premier temps d'ateliers",
            start_time="10:00",
            end_time="11:30",
        )
        second = AgendaItemFactory(
            session=session,
            workshops=True,
            title="Second temps d'ateliers",
            start_time="14:00",
            end_time="15:30",
        )
        AgendaItemFactory(
            session=session, title="Plénière d'ouverture", start_time="09:00", end_time="09:45"
        )
        stories_1 = WorkshopFactory(round=first, title="Histoires de territoire", capacity=10)
        full_1 = WorkshopFactory(round=first, title="Atelier complet", capacity=1)
        stories_2 = WorkshopFactory(round=second, title="Histoires de territoire", capacity=10)
        other_2 = WorkshopFactory(round=second, title="Santé mentale", capacity=None)
        coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        trainer = MembershipFactory(organisation=organisation, trainer=True).user
        territory = TerritoryFactory(name="Communauté de communes du Val", code="200000001")
    with scope(organisation=organisation.pk):
        event = services.save_event(
            event=Event(
                organisation=organisation,
                session=session,
                slug="seminaire-2027",
                deadline=timezone.now() + timedelta(days=15),
                capacity=50,
                published=True,
                audience_text="Directions des collectivités",
                contact="Marie Contact, 01 02 03 04 05",
                action_code="SX2027",
            ),
            acting_user=coordinator,
        )
    return SimpleNamespace(
        organisation=organisation,
        programme=built.programme,
        cohort=built.cohort,
        session=session,
        event=event,
        first=first,
        second=second,
        stories_1=stories_1,
        full_1=full_1,
        stories_2=stories_2,
        other_2=other_2,
        coordinator=coordinator,
        trainer=trainer,
        territory=territory,
    )


@pytest.fixture
def scoped(world):
    with scope(organisation=world.organisation.pk):
        yield world
