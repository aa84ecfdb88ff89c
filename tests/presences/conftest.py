"""A two-day seminar for the émargement tests: J1/J2, two teams of three, a trainer,
a coordinator, an observer; the clock stopped on J1 at 10 h (Paris)."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_scopes import scope

from presences.halfdays import half_days
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
    build_programme,
)

PARIS = ZoneInfo("Europe/Paris")
J1, J2 = date(2026, 12, 10), date(2026, 12, 11)
# A drawn signature: two strokes in the 600 × 200 box.
STROKES = "[[[10, 20], [50, 80], [90, 40]], [[100, 100], [140, 150]]]"


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def seminar(db):
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        organisation = OrganisationFactory(slug="hdf")
        coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        trainer = MembershipFactory(
            organisation=organisation,
            trainer=True,
            user__first_name="Paule",
            user__last_name="Formatrice",
        ).user
        other_trainer = MembershipFactory(organisation=organisation, trainer=True).user
        observer = MembershipFactory(organisation=organisation, observer=True).user
        with scope(organisation=organisation.pk):
            parcours = build_programme(organisation=organisation, teams=2)
            session = SessionFactory(
                programme=parcours.programme,
                kind=parcours.kind,
                title="Séminaire J1/J2",
                starts_at=paris(2026, 12, 10, 9, 30),
                ends_at=paris(2026, 12, 11, 17),
                in_person=True,
                facilitators=[trainer],
            )
            other = SessionFactory(
                programme=parcours.programme,
                kind=parcours.kind,
                title="Autre séance",
                starts_at=paris(2026, 12, 10, 9, 30),
                ends_at=paris(2026, 12, 10, 17),
                in_person=True,
                facilitators=[trainer],
            )
            people = [
                member.user
                for team in parcours.teams
                for member in team.members.select_related("user").order_by("role__order")
            ]
            slots = {slot.key: slot for slot in half_days(session, PARIS)}
        yield SimpleNamespace(
            organisation=organisation,
            coordinator=coordinator,
            trainer=trainer,
            other_trainer=other_trainer,
            observer=observer,
            parcours=parcours,
            session=session,
            other=other,
            people=people,
            stranger=UserFactory(),
            slots=slots,
        )


def in_scope(world):
    return scope(organisation=world.organisation.pk)
