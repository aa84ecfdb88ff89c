"""The training bilan (seed 004's modules), read back from its PDF: per module, its
hours delivered counted on its half-days (a one-day module of 9 h – 17 h makes 7 h, its
lunch left out; a two-day module 14 h, its night left out; a cancelled one nothing),
its attendance, and the completion rate over the people recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from documents.models import Document
from tests.documents.test_synthesis_figures import members
from tests.documents.test_synthesis_pdf import build, pdf_text
from tests.factories import (
    AttendanceFactory,
    MembershipFactory,
    PhaseFactory,
    SessionFactory,
    build_programme,
)

pytestmark = pytest.mark.django_db


def at(days_ago: int, hour: int):
    moment = timezone.localtime() - timedelta(days=days_ago)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_hours_attendance_and_completion_per_module():
    with scopes_disabled():
        built = build_programme(
            teams=1,
            start_date=timezone.localdate() - timedelta(days=60),
            end_date=timezone.localdate() + timedelta(days=60),
        )
        coordinator = MembershipFactory(organisation=built.organisation).user
    world = type("World", (), {})()
    world.organisation, world.programme, world.coordinator = (
        built.organisation,
        built.programme,
        coordinator,
    )
    with scope(organisation=built.organisation.pk):
        first = PhaseFactory(
            programme=built.programme,
            name="Module 1 : coopérer",
            order=1,
            start_month=None,
            end_month=None,
            description="Objectif : s’accorder sur la coopération territoriale.",
            start_date=timezone.localdate() - timedelta(days=50),
            end_date=timezone.localdate() - timedelta(days=25),
        )
        second = PhaseFactory(
            programme=built.programme,
            name="Module 2 : animer",
            order=2,
            start_month=None,
            end_month=None,
            description="Objectif : animer une réunion de partenaires.",
            start_date=timezone.localdate() - timedelta(days=24),
            end_date=timezone.localdate() - timedelta(days=1),
        )
        one_day = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            phase=first,
            title="Journée coopération",
            starts_at=at(40, 9),
            ends_at=at(40, 17),
        )
        SessionFactory(
            programme=built.programme,
            kind=built.kind,
            phase=second,
            title="Deux jours pour animer",
            starts_at=at(20, 9),
            ends_at=at(19, 17),
        )
        SessionFactory(
            programme=built.programme,
            kind=built.kind,
            phase=second,
            title="Séance annulée",
            status="cancelled",
            starts_at=at(10, 9),
            ends_at=at(10, 17),
        )
        # The one-day module: two of three present morning and afternoon, the third absent.
        day = timezone.localtime(one_day.starts_at).date()
        for member, status in zip(
            members(built.teams[0]), ["present", "present", "absent"], strict=True
        ):
            for half_day in ("am", "pm"):
                AttendanceFactory(
                    session=one_day,
                    user=member.user,
                    team=built.teams[0],
                    role=member.role,
                    day=day,
                    half_day=half_day,
                    status=status,
                )
        document = build(world, Document.Kind.TRAINING_BILAN)
        assert document.status == Document.Status.READY, document.error
        with document.file.open("rb") as handle:
            text = pdf_text(handle.read())
    assert "Module 1 : coopérer" in text and "Module 2 : animer" in text
    assert "animer une réunion de partenaires" in text
    # Each session's hours on its half-days, and the hours delivered: 7 h + 14 h.
    assert "Journée coopération" in text and "7 h" in text
    assert "Deux jours pour animer" in text and "14 h" in text
    assert "21 h" in text
    assert "40 h" not in text and "32 h" not in text  # nights and lunch never counted
    # Attendance 4 of 6 half-days; completion 2 people of 3 (at least 80 % attended).
    assert "66,7 %" in text
    assert "Taux d’achèvement" in text
