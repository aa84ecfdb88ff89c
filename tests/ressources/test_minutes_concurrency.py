"""Two writers validating the same minutes at the same moment: the minutes go out once
(the row is locked with ``select_for_update``; the second validation is refused).
PostgreSQL only: SQLite serialises writers by itself."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scope

from notifications.models import OutboxMessage
from ressources.models import Minutes
from ressources.services import minutes as services
from tests.ressources.factories import minutes_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks"),
]


def test_validating_twice_at_once_sends_once():
    world = minutes_world()
    organisation = world.organisation
    with scope(organisation=organisation.pk):
        minutes = services.start_minutes(session=world.copil, acting_user=world.trainer)
        services.save_version(minutes=minutes, acting_user=world.trainer, decisions=["Une"])
    barrier = threading.Barrier(2)
    outcomes = []

    def validate(user):
        try:
            with scope(organisation=organisation.pk):
                current = Minutes.objects.get(pk=minutes.pk)
                barrier.wait()
                services.validate_minutes(minutes=current, acting_user=user)
            outcomes.append("validated")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=validate, args=(user,))
        for user in (world.trainer, world.coordinator)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "validated"]
    with scope(organisation=organisation.pk):
        assert OutboxMessage.objects.filter(kind="minutes.validated").count() == 2
