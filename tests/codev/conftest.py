from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_scopes import scope

from tests.factories import MembershipFactory, build_programme


@pytest.fixture
def world(db):
    """A published programme of 8 teams of 3 (the trinôme roles), a coordinator and a
    trainer, in the programme's organisation scope."""
    built = build_programme(teams=8)
    coordinator = MembershipFactory(organisation=built.organisation, role="coordinator").user
    trainer = MembershipFactory(organisation=built.organisation, role="trainer").user
    with scope(organisation=built.organisation.pk):
        yield SimpleNamespace(**vars(built), coordinator=coordinator, trainer=trainer)


def in_days(days: int, hour: int = 9):
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)
