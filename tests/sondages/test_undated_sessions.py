"""A date poll dates an individual session created « date à confirmer »."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from parcours import services
from parcours.models import Session, SessionDay
from sondages.services import close_date_poll, create_date_poll
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    _aware,
    build_programme,
)

pytestmark = pytest.mark.django_db


def test_a_poll_dates_an_undated_individual_session():
    organisation = OrganisationFactory()
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    with scope(organisation=organisation.pk):
        parcours = build_programme(organisation=organisation, teams=1)
        phase = PhaseFactory(programme=parcours.programme)
        (session,) = services.generate_individual_sessions(
            programme=parcours.programme,
            acting_user=coordinator,
            kind=parcours.individual_kind,
            title="Accompagnement n°1",
            format="presentiel",
            phase=phase,
        )
        assert session.starts_at is None
        day = timezone.localdate() + timedelta(days=20)
        poll = create_date_poll(
            session=session,
            acting_user=coordinator,
            slots=[(_aware(day, 9, 30), _aware(day, 17), "presentiel")],
            closes_at=_aware(day - timedelta(days=5), 12),
        )
        with scopes_disabled():
            slot = poll.slots.get()
        dated = close_date_poll(poll=poll, slot=slot, acting_user=coordinator)
        assert dated.status == Session.Status.SCHEDULED
        assert dated.starts_at == _aware(day, 9, 30)
        row = SessionDay.objects.get(session=dated)
    assert (row.morning_ends.hour, row.afternoon_ends.hour) == (12, 17)
