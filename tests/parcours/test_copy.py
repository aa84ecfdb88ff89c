"""Copies: a programme or one session (« Dupliquer à une nouvelle date ») takes its
agenda, workshops and capacities, and calls ``parcours.programme_copied`` with the map
of its sessions; registrations never follow."""

from datetime import date, time

import pytest
from django.dispatch import receiver
from django_scopes import scopes_disabled

from parcours import services
from parcours.extensions import programme_copied
from parcours.models import Session, SessionRegistration, Workshop, WorkshopRegistration
from tests.factories import UserFactory
from tests.parcours.manage import conftest as manage
from tests.parcours.manage.conftest import PARIS, url

pytestmark = pytest.mark.django_db
coordinator_client = manage.coordinator_client  # the manage tests' fixture
world = manage.world  # the manage tests' fixture


@pytest.fixture
def calls():
    seen = []

    @receiver(programme_copied, dispatch_uid="tests.copy_calls", weak=False)
    def record_call(sender, **kwargs):
        seen.append(kwargs)

    yield seen
    programme_copied.disconnect(dispatch_uid="tests.copy_calls")


def _registered(world):
    with scopes_disabled():
        world.workshop.capacity = 12
        world.workshop.save()
        person = UserFactory()
        SessionRegistration.objects.create(
            organisation=world.organisation, session=world.session, user=person
        )
        WorkshopRegistration.objects.create(
            organisation=world.organisation, round=world.round, workshop=world.workshop, user=person
        )


def test_duplicate_to_a_new_date_keeps_title_times_agenda_and_capacities(
    coordinator_client, world, calls
):
    _registered(world)
    response = coordinator_client.post(
        url("parcours:session_duplicate", world, session_id=world.session.pk),
        {"new_date": "2027-04-14"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        copy = Session.objects.exclude(pk=world.session.pk).get()
        assert copy.title == world.session.title
        assert copy.status == Session.Status.TENTATIVE
        local = copy.starts_at.astimezone(PARIS)
        assert (local.date(), local.time()) == (date(2027, 4, 14), time(9, 30))
        workshop = Workshop.objects.get(round__session=copy)
        assert workshop.capacity == 12
        assert not SessionRegistration.objects.filter(session=copy).exists()
        assert not WorkshopRegistration.objects.filter(workshop=workshop).exists()
    [call] = calls
    assert call["source"] == call["copy"] == world.programme
    assert call["session_map"] == {world.session.pk: copy}
    assert call["by"] == world.coordinator


def test_duplicate_outside_the_programme_is_refused_in_french(coordinator_client, world, calls):
    response = coordinator_client.post(
        url("parcours:session_duplicate", world, session_id=world.session.pk),
        {"new_date": "2031-01-01"},
    )
    assert response.status_code == 200
    assert "pendant le programme" in response.context["form"].errors["new_date"][0]
    with scopes_disabled():
        assert Session.objects.count() == 1
    assert calls == []


def test_duplicate_without_a_date_stays_a_copy(coordinator_client, world, calls):
    coordinator_client.post(url("parcours:session_duplicate", world, session_id=world.session.pk))
    with scopes_disabled():
        copy = Session.objects.exclude(pk=world.session.pk).get()
    assert copy.title.endswith("(copie)")
    assert copy.starts_at == world.session.starts_at


def test_the_duplicate_page_offers_a_new_date(coordinator_client, world):
    page = coordinator_client.get(
        url("parcours:session_duplicate", world, session_id=world.session.pk)
    ).content.decode()
    assert "Nouvelle date (facultative)" in page
    detail = coordinator_client.get(
        url("parcours:session_detail", world, session_id=world.session.pk)
    ).content.decode()
    assert "Dupliquer à une nouvelle date" in detail


def test_copying_a_programme_maps_its_sessions(world, calls):
    _registered(world)
    with scopes_disabled():
        result = services.copy_programme(
            programme=world.programme,
            acting_user=world.coordinator,
            name="Copie 2029",
            start_date=date(2029, 6, 1),
        )
        [call] = calls
        assert call["source"] == world.programme and call["copy"] == result.programme
        new = call["session_map"][world.session.pk]
        assert new.programme == result.programme
        assert Workshop.objects.get(round__session=new).capacity == 12
        assert not SessionRegistration.objects.filter(session=new).exists()
