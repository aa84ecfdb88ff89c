"""A cohort whose attestations are built for real (read back with pypdf): a J1/J2
training 9 h 30 – 17 h, a 2-hour visio, a session someone was excused from, all past
at ``NOW``. Léa attended J1 whole, J2 morning (absent in the afternoon), the visio
(late), and was excused from the third; every sheet is validated."""

import io
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_scopes import scope
from pypdf import PdfReader

from documents.models import Document
from presences.models import AttendanceSheet
from tests.factories import (
    AttendanceFactory,
    DocumentFactory,
    SessionFactory,
    SessionKindFactory,
    build_programme,
)

PARIS = ZoneInfo("Europe/Paris")
J1, J2 = date(2026, 12, 9), date(2026, 12, 10)
VISIO_DAY, EXCUSED_DAY = date(2027, 1, 14), date(2027, 2, 3)
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=PARIS)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def pages_of(content: bytes) -> list[str]:
    """Each page's text with its whitespace collapsed."""
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def text_of(content: bytes) -> str:
    return " ".join(pages_of(content))


class Progress:
    def __init__(self):
        self.calls = []

    def __call__(self, done, total):
        self.calls.append((done, total))


def validate(session, *, validated=True):
    status = AttendanceSheet.Status.VALIDATED if validated else AttendanceSheet.Status.OPEN
    AttendanceSheet.objects.update_or_create(
        session=session, defaults={"organisation": session.organisation, "status": status}
    )


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(validated=True)


def build_world(*, validated: bool) -> SimpleNamespace:
    """The cohort, its three sessions and Léa's attendance; each sheet validated when
    ``validated``, else left open."""
    w = build_programme(
        teams=2,
        members_per_team=3,
        objectives="Structurer la gouvernance.",
        start_date=date(2026, 11, 2),
    )
    with scope(organisation=w.organisation.pk):
        lea_member = w.teams[0].members.select_related("user", "role").order_by("pk").first()
        lea = lea_member.user
        lea.first_name, lea.last_name = "Léa", "Müller"
        lea.save(update_fields=["first_name", "last_name"])
        coaching = SessionKindFactory(programme=w.programme, name="Accompagnement collectif")
        training = SessionFactory(
            programme=w.programme,
            kind=w.kind,
            title="Formation J1/J2 : la gouvernance",
            in_person=True,
            starts_at=at(J1, 9, 30),
            ends_at=at(J2, 17),
        )
        visio = SessionFactory(
            programme=w.programme,
            kind=coaching,
            title="Webinaire de suivi",
            starts_at=at(VISIO_DAY, 10),
            ends_at=at(VISIO_DAY, 12),
        )
        excused = SessionFactory(
            programme=w.programme,
            kind=coaching,
            title="Séance excusée",
            starts_at=at(EXCUSED_DAY, 14),
            ends_at=at(EXCUSED_DAY, 16),
        )

        def attend(session, user, day, half, status="present", **kwargs):
            member = user.team_memberships.select_related("team", "role").first()
            return AttendanceFactory(
                session=session,
                user=user,
                team=member.team if member else None,
                role=member.role if member else None,
                day=day,
                half_day=half,
                status=status,
                **kwargs,
            )

        attend(training, lea, J1, "am")
        attend(training, lea, J1, "pm")
        attend(training, lea, J2, "am")
        attend(training, lea, J2, "pm", "absent")
        attend(visio, lea, VISIO_DAY, "am", "partial", note="Arrivée à 10 h 30")
        attend(excused, lea, EXCUSED_DAY, "pm", "excused")
        others = list(w.teams[0].members.select_related("user").exclude(user=lea).order_by("pk"))
        attend(training, others[0].user, J1, "am")
        attend(training, others[1].user, J1, "am", "absent")
        if validated:
            for session in (training, visio, excused):
                validate(session)
    return SimpleNamespace(
        **vars(w),
        lea=lea,
        present_once=others[0].user,
        absentee=others[1].user,
        training=training,
        visio=visio,
        excused=excused,
        coaching=coaching,
        attend=attend,
    )


def build(kind, world, *, builder=None, **subject):
    from documents.builders import get_builder

    document = DocumentFactory(
        organisation=world.organisation, kind=kind, title="Document", **subject
    )
    progress = Progress()
    with scope(organisation=world.organisation.pk):
        built = (builder or get_builder(kind))(document, progress)
    return built, progress, document


def build_bytes(kind, world, **subject):
    built, _progress, document = build(kind, world, **subject)
    try:
        return built.path.read_bytes(), built.filename, document
    finally:
        built.path.unlink()


__all__ = ["Document"]
