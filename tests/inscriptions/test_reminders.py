"""J-7 and J-1 reach every confirmed registrant, once, naming their workshops, through
the parcours session rule (nobody reminded twice, pending people not at all)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import time_machine
from django_scopes import scope, scopes_disabled

from inscriptions import services
from notifications.models import OutboxMessage
from notifications.scan import scan
from parcours.reminders import SessionReminderRule
from tests.inscriptions.conftest import person

PARIS = ZoneInfo("Europe/Paris")


def test_j7_and_j1_once_with_the_workshops(world):
    with scope(organisation=world.organisation.pk):
        people = []
        for number in (1, 2, 3):
            someone = person(number)
            someone.workshops = {world.first.pk: world.stories_1, world.second.pk: world.other_2}
            people.append(someone)
        registrants = services.register(
            event=world.event, people=people, collective_name="Collectif du Val"
        )
        confirmed = [services.confirm(registrant=r) for r in registrants[:2]]
    starts_at = world.session.starts_at
    for offset in (7, 1):
        due = SessionReminderRule.due_at(starts_at, offset, PARIS)
        for later in (timedelta(minutes=5), timedelta(minutes=30)):
            with time_machine.travel(due + later, tick=False):
                scan()
    with scopes_disabled():
        rows = list(
            OutboxMessage.objects.filter(kind="session.reminder").values_list(
                "to_email", "body_text"
            )
        )
    addresses = sorted(address for address, _body in rows)
    assert addresses == sorted([r.email for r in confirmed] * 2)
    for _address, body in rows:
        assert "Vos ateliers" in body and "Histoires de territoire" in body
        assert "Santé mentale" in body
