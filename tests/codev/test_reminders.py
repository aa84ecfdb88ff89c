"""The reminders of CODEV séances: J-7, the client prepares its case (while there is
none); before the group's next séance, each former client with commitments is asked,
once, what became of them. Each sent once, to the client's people only."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_scopes import scopes_disabled

from codev.models import Case, Commitment
from codev.reminders import RULES
from codev.services import cases
from notifications.models import OutboxMessage
from notifications.reminders import registered_rules
from notifications.scan import scan
from tests.codev.test_seance_pages import make_group, make_seances, member_of, name_client

pytestmark = pytest.mark.django_db


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return scan()


def sent(kind):
    with scopes_disabled():
        return sorted(
            OutboxMessage.objects.filter(kind=kind).values_list("recipient_id", flat=True)
        )


def people_of(team):
    with scopes_disabled():
        return sorted(team.members.values_list("user_id", flat=True))


def test_the_rules_are_registered():
    assert {"codev_case", "codev_follow_up"} <= set(registered_rules())
    assert {rule.code for rule in RULES} == {"codev_case", "codev_follow_up"}


def test_the_client_is_asked_for_its_case_at_j_minus_7_once(world):
    group = make_group(world, teams=world.teams[:4])
    (seance,) = make_seances(world, group, days=(20,))
    name_client(world, seance, world.teams[0])
    due = seance.session.starts_at - timedelta(days=7)
    scan_at(due - timedelta(minutes=5))
    assert sent("codev.case_reminder") == []
    scan_at(due + timedelta(minutes=1))
    assert sent("codev.case_reminder") == people_of(world.teams[0])
    scan_at(due + timedelta(minutes=30))
    scan_at(due + timedelta(days=1))
    assert sent("codev.case_reminder") == people_of(world.teams[0])
    with scopes_disabled():
        message = OutboxMessage.objects.filter(kind="codev.case_reminder").first()
    assert "préparez votre cas" in message.subject
    assert "Préparer notre cas" in message.body_text


def test_no_case_reminder_once_the_case_is_written(world):
    group = make_group(world, teams=world.teams[:4])
    (seance,) = make_seances(world, group, days=(20,))
    name_client(world, seance, world.teams[0])
    cases.save_case(
        group_session=seance, acting_user=member_of(world.teams[0]), title="Cas", question="Q ?"
    )
    scan_at(seance.session.starts_at - timedelta(days=7) + timedelta(minutes=1))
    assert sent("codev.case_reminder") == []


def test_the_former_client_is_asked_once_before_the_next_seance(world):
    group = make_group(world, teams=world.teams[:4])
    first, second, third = make_seances(world, group, days=(-10, 20, 50))
    name_client(world, first, world.teams[1])
    person = member_of(world.teams[1])
    case = cases.save_case(group_session=first, acting_user=person, title="Cas", question="Q ?")
    Commitment.objects.create(
        organisation=world.organisation,
        case=case,
        what="Réunir le COPIL",
        owner=person,
        due_on=timezone.localdate(),
    )
    # A former client without commitments is not asked.
    name_client(world, second, world.teams[2])
    cases.save_case(
        group_session=second, acting_user=member_of(world.teams[2]), title="B", question="Q ?"
    )
    due = second.session.starts_at - timedelta(days=7)
    scan_at(due + timedelta(minutes=1))
    assert sent("codev.follow_up") == people_of(world.teams[1])
    case.refresh_from_db()
    assert case.follow_up_asked_at is not None
    with scopes_disabled():
        message = OutboxMessage.objects.filter(kind="codev.follow_up").first()
    assert "Réunir le COPIL" in message.body_text
    assert f"/groupes/seances/{first.pk}/suivi/" in message.body_text
    scan_at(due + timedelta(days=1))
    scan_at(third.session.starts_at - timedelta(days=7) + timedelta(minutes=1))
    assert sent("codev.follow_up") == people_of(world.teams[1])
    assert Case.objects.filter(follow_up_asked_at__isnull=False).count() == 1
