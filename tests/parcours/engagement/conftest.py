"""Shared world and helpers of the engagement tests: one module per group of behaviours."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scope, scopes_disabled

from parcours import engagement_status as selectors
from parcours import services
from parcours.models import Signature
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    build_programme,
)

PARIS = ZoneInfo("Europe/Paris")
BODY = (
    "En signant ce parcours, je m'engage à noter/bloquer dans mon agenda ces dates clés du projet."
)
AGENT = "Mozilla/5.0 (Linux; Android 14) Firefox/140.0 " + "x" * 400


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def world():
    """Seed 000: a published programme, two teams of a trinôme (élu·e and chargé·e de
    mission required, responsable de service not), its coordinator, three key sessions:
    the launch (16/10), the individual meeting n°1 (date by poll), training n°1."""
    with scopes_disabled():
        built = build_programme(start_date=date(2026, 6, 1), end_date=date(2028, 6, 30))
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.team = built.teams[0]
        built.elu, built.charge, built.responsable = built.team.members.select_related(
            "user", "role"
        ).order_by("pk")
        for member, (first, last) in zip(
            (built.elu, built.charge, built.responsable),
            [("Élise", "Dupont-Moreau"), ("Karim", "Benali"), ("Anne", "Leroy")],
            strict=True,
        ):
            member.user.first_name, member.user.last_name = first, last
            member.user.save()
        built.launch = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            title="Lancement",
            starts_at=paris(2026, 10, 16, 9, 30),
            ends_at=paris(2026, 10, 16, 12, 30),
        )
        built.meeting = SessionFactory(
            programme=built.programme,
            kind=built.individual_kind,
            title="Rencontre individuelle n°1",
            starts_at=paris(2026, 11, 5, 14),
            ends_at=paris(2026, 11, 5, 16),
            date_note="sondage date",
        )
        built.training = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            title="Formation n°1",
            starts_at=paris(2026, 12, 9),
            ends_at=paris(2026, 12, 12),
            all_day=True,
        )
    return built


def publish(world, body=BODY, sessions=None, requires_resignature=True):
    with scope(organisation=world.organisation.pk):
        return services.publish_engagement_text(
            programme=world.programme,
            acting_user=world.coordinator,
            body=body,
            key_sessions=[world.launch, world.meeting, world.training]
            if sessions is None
            else sessions,
            requires_resignature=requires_resignature,
        )


def current_text(world):
    with scope(organisation=world.organisation.pk):
        return selectors.current_engagement_text(world.programme)


def sign(world, member, *, user=None, name=None, consent=True, text=None, digest=None):
    with scope(organisation=world.organisation.pk):
        text = text or selectors.current_engagement_text(world.programme)
        return services.sign_engagement(
            member=member,
            acting_user=user or member.user,
            typed_name=member.user.get_full_name() if name is None else name,
            consent=consent,
            ip_address="203.0.113.7",
            user_agent=AGENT,
            text_id=text.pk,
            text_hash=text.digest(member.team_id) if digest is None else digest,
        )


def digest(text) -> str:
    with scopes_disabled():
        return text.digest()


def rendered(text) -> str:
    with scopes_disabled():
        return text.rendered()


def signatures():
    with scopes_disabled():
        return Signature.objects.count()


def status(world, team=None):
    with scope(organisation=world.organisation.pk):
        return selectors.engagement_status(team or world.team)


def error_messages(raised) -> dict:
    return raised.value.message_dict if hasattr(raised.value, "error_dict") else raised.value
