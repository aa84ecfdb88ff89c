"""The demo's date polls (individual coaching n°1, the J1/J2 training) and attendance
(the launch, the J1/J2 training)."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_scopes import scope

from accounts.models import User
from demo import coaching as demo_coaching
from demo import common as demo
from demo.teams import team_member_login
from organisations.models import Organisation
from parcours.models import Programme, Session
from presences.halfdays import half_days
from presences.models import Attendance, AttendanceSheet, SheetDay
from sondages.models import DatePoll, Vote

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def hdf(db):
    call_command("load_demo", stdout=StringIO())
    organisation = Organisation.objects.get(slug=demo.HDF_SLUG)
    with scope(organisation=organisation.pk):
        yield Programme.objects.get(name=demo.HDF_PROGRAMME)


def test_first_meeting_polls_some_answered_one_decided(hdf):
    polls = DatePoll.objects.filter(session__title__startswith=demo_coaching.FIRST_MEETING)
    assert polls.count() == 3
    assert len({poll.batch for poll in polls}) == 1
    decided = polls.get(status=DatePoll.Status.DECIDED)
    session = decided.session
    assert session.status == Session.Status.SCHEDULED
    assert session.starts_at == datetime(2026, 11, 24, 14, tzinfo=PARIS)
    assert decided.chosen_slot.starts_at == session.starts_at
    open_polls = polls.filter(status=DatePoll.Status.OPEN)
    assert open_polls.count() == 2
    assert all(poll.session.status == Session.Status.TENTATIVE for poll in open_polls)
    # The printed team member has a poll to answer; two of their team already did.
    _name, email, _team = team_member_login()
    login = User.objects.get(email=email)
    mine = open_polls.get(session__teams__members__user=login)
    voters = set(Vote.objects.filter(slot__poll=mine).values_list("user", flat=True))
    assert len(voters) == 2
    assert login.pk not in voters


def test_only_ended_sessions_have_attendance(db):
    """Loaded on 4 December 2026, before the J1/J2 (9–10 December), the training has no
    sheet: attendance is never recorded ahead of time; the launch has its own."""
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=PARIS), tick=False):
        call_command("load_demo", stdout=StringIO())
    organisation = Organisation.objects.get(slug=demo.HDF_SLUG)
    with scope(organisation=organisation.pk):
        programme = Programme.objects.get(name=demo.HDF_PROGRAMME)
        training = Session.objects.get(programme=programme, title__startswith="Formation J1/J2")
        launch = Session.objects.get(programme=programme, title="Lancement du projet")
        assert not AttendanceSheet.objects.filter(session=training).exists()
        assert not Attendance.objects.filter(session=training).exists()
        assert AttendanceSheet.objects.get(session=launch).is_validated


@pytest.fixture
def hdf_after_training(db):
    with time_machine.travel(datetime(2026, 12, 15, 10, tzinfo=PARIS), tick=False):
        call_command("load_demo", stdout=StringIO())
        organisation = Organisation.objects.get(slug=demo.HDF_SLUG)
        with scope(organisation=organisation.pk):
            yield Programme.objects.get(name=demo.HDF_PROGRAMME)


def test_launch_and_training_attendance_validated_with_real_figures(hdf_after_training):
    hdf = hdf_after_training
    launch = Session.objects.get(programme=hdf, title="Lancement du projet")
    training = Session.objects.get(programme=hdf, title__startswith="Formation J1/J2")
    for session, half_day_count in ((launch, 1), (training, 4)):
        sheet = AttendanceSheet.objects.get(session=session)
        assert sheet.is_validated
        assert sheet.validated_by.email == "marc.lefebvre@conseil-territoires.example"
        assert Attendance.objects.filter(session=session).count() == 24 * half_day_count
        # Each day validated with the trainer's drawn paraph.
        days = {half.day for half in half_days(session, PARIS)}
        validated = SheetDay.objects.filter(sheet=sheet, validated_at__isnull=False)
        assert {row.day for row in validated} == days
        assert all(row.trainer_strokes for row in validated)
    # The printed team member attended everything: 3 h of launch, 13 h of training.
    _name, email, _team = team_member_login()
    attended = Attendance.objects.filter(user__email=email, status="present")
    hours = {
        (half.day, half.half_day): half.hours
        for session in (launch, training)
        for half in half_days(session, PARIS)
    }
    assert sum(hours[(row.day, row.half_day)] for row in attended) == 16
    # Somebody missed the whole training.
    absent = Attendance.objects.filter(session=training, status="absent")
    assert absent.values("user").distinct().count() == 2
