"""A programme with one team of four and a session on 12 January 2027 (9 h – 17 h 45,
Paris), built on a fixed date so the attendance sheet, the scans and the waits can be
placed in time; shared by the tests of audiences that follow attendance."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django_scopes import scopes_disabled

from notifications.models import OutboxMessage
from notifications.scan import scan
from tests.factories import (
    AttendanceFactory,
    CampaignFactory,
    MembershipFactory,
    SessionFactory,
    build_programme,
    build_satisfaction_questionnaire,
)

PARIS = ZoneInfo("Europe/Paris")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def build_world() -> SimpleNamespace:
    with scopes_disabled(), time_machine.travel(at(2027, 1, 5, 12), tick=False):
        built = build_programme(
            teams=1, members_per_team=4, start_date=date(2026, 9, 1), end_date=date(2027, 12, 31)
        )
        organisation = built.organisation
        built.people = [member.user for member in built.teams[0].members.order_by("pk")]
        built.coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        built.trainer = MembershipFactory(organisation=organisation, trainer=True).user
        built.observer = MembershipFactory(organisation=organisation, observer=True).user
        built.form = build_satisfaction_questionnaire(organisation=organisation)
        built.session = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            starts_at=at(2027, 1, 12, 9),
            ends_at=at(2027, 1, 12, 17, 45),
            facilitators=[built.trainer],
        )
    return built


def hot_campaign(world, **kwargs):
    """An « à chaud » for the session's participants, opening at its end."""
    values = {
        "programme": world.programme,
        "version": world.form.version,
        "title": "À chaud",
        "moment": "hot",
        "audience": "session",
        "session": world.session,
        "opens_at": world.session.ends_at,
        "closes_at": at(2027, 1, 26, 18),
        "sheet_wait_until": at(2027, 1, 13, 9),
        **kwargs,
    }
    with scopes_disabled():
        return CampaignFactory(**values)


def record_sheet(world, moment, statuses=("present", "partial", "present", "absent")):
    """The sheet recorded at ``moment``: one status per person of the team (morning)."""
    with scopes_disabled(), time_machine.travel(moment, tick=False):
        for person, status in zip(world.people, statuses, strict=False):
            AttendanceFactory(
                session=world.session, user=person, day=date(2027, 1, 12), status=status
            )


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return scan()


def invited(kind="evaluation.open") -> list[int]:
    with scopes_disabled():
        return sorted(
            OutboxMessage.objects.filter(kind=kind).values_list("recipient_id", flat=True)
        )


def mail_count() -> int:
    return len(mail.outbox)
