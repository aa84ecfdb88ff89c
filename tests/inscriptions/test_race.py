"""Two people for the last place of a workshop, at the same time: one place, one
waiting-list entry (rows locked with select_for_update; PostgreSQL only, SQLite has no
row locks to test)."""

import threading

import pytest
from django.db import connection, connections
from django_scopes import scope, scopes_disabled

from inscriptions import services
from inscriptions.models import WorkshopChoice
from parcours.models import WorkshopRegistration
from tests.inscriptions.conftest import person

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: PostgreSQL only"
)


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_for_the_last_place(request):
    world = request.getfixturevalue("world")
    with scope(organisation=world.organisation.pk):
        pending = []
        for number in (1, 2):
            someone = person(number)
            someone.workshops = {world.first.pk: world.full_1, world.second.pk: world.other_2}
            pending.extend(services.register(event=world.event, people=[someone]))
    barrier = threading.Barrier(2)
    errors = []

    def confirm(registrant):
        try:
            with scope(organisation=world.organisation.pk):
                barrier.wait()
                services.confirm(registrant=registrant)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(r,)) for r in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with scopes_disabled():
        assert WorkshopRegistration.objects.filter(workshop=world.full_1).count() == 1
        assert (
            WorkshopChoice.objects.filter(
                workshop=world.full_1, waiting_since__isnull=False
            ).count()
            == 1
        )
