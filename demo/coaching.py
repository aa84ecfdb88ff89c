"""Seed 000's individual coaching n°1 date polls and the attendance of the launch and of
the December training, for the Hauts-de-France demo (``demo.programmes``).

- « Rencontre individuelle n°1 (sondage date) »: the trainer proposed five half-days on
  the territories to three teams whose first meeting was not fixed yet. One team answered
  and the trainer picked the 24 November afternoon; the other two polls are open until
  30 November, partly answered (the printed team member's team among them, so the login
  can answer).
- « Formation J1/J2 — options : 9-10 ou 10-11 décembre »: a cohort poll, decided on the
  9–10 December.
- Attendance of the launch (16 October 2026, visio) and of the J1/J2 training (per
  half-day), each validated day by day by the trainer with their drawn paraph, but only
  for a session that has ended when the demo is loaded: attendance is never recorded
  ahead of time (loaded on 4 December 2026, only the launch has its sheet; the J1/J2 is
  kept on the « Émargement » page on the day).

Past-dated rows are written directly (the services date everything « now », refuse slots
in the past and attendance before a session starts). Idempotent: nothing is done once
the polls (the attendance sheets) exist.
"""

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from demo.common import HDF_PROGRAMME, HDF_SLUG
from demo.organisations import member
from demo.teams import TEAM_MEMBER_LOGIN
from organisations.models import Organisation, Role
from parcours.models import Programme, Session, SessionFormat, Team, TeamMember
from parcours.services.session_days import sync_session_days
from presences.halfdays import half_days
from presences.models import (
    Attendance,
    AttendanceChange,
    AttendanceSheet,
    AttendanceStatus,
    SheetDay,
)
from sondages.models import DatePoll, PollComment, Slot, Vote

YES, IF_NEEDED, NO = Vote.Answer.YES, Vote.Answer.IF_NEEDED, Vote.Answer.NO
PRESENT, ABSENT = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT
# The trainer's drawn paraph on each validated day (points in the 600 × 200 box).
TRAINER_PARAPH = [[[40, 150], [90, 60], [140, 140], [200, 50], [260, 130], [330, 70]]]
EXCUSED, PARTIAL = AttendanceStatus.EXCUSED, AttendanceStatus.PARTIAL

FIRST_MEETING = "Accompagnement individuel n°1"
# The teams (indexes in ``demo.teams.TEAMS``) still choosing their first meeting's date: the
# printed team member's team (open, two of three answered), the Pays de Bray's
# (answered, decided), the last team's (open, one answer).
POLLED_TEAMS = (TEAM_MEMBER_LOGIN[0], 6, 7)
DECIDED_TEAM = 6
POLL_LAUNCHED = datetime(2026, 11, 9, 10, 0)
POLL_CLOSES = datetime(2026, 11, 30, 18, 0)
POLL_DECIDED = datetime(2026, 11, 16, 17, 30)
# Half-days on the territory: (day, start, end).
SLOTS = [
    (date(2026, 11, 24), time(14), time(17)),
    (date(2026, 11, 27), time(9, 30), time(12, 30)),
    (date(2026, 12, 1), time(9, 30), time(12, 30)),
    (date(2026, 12, 3), time(14), time(17)),
    (date(2026, 12, 8), time(9, 30), time(12, 30)),
]
# Answers per polled team, per member (trinôme order), per slot; None: not answered yet.
ANSWERS = {
    TEAM_MEMBER_LOGIN[0]: [
        (YES, NO, YES, IF_NEEDED, NO),
        None,  # the printed login: to answer
        (YES, IF_NEEDED, YES, NO, YES),
    ],
    6: [
        (YES, NO, IF_NEEDED, NO, YES),
        (YES, YES, NO, YES, NO),
        (IF_NEEDED, YES, NO, YES, NO),
    ],
    # The Pays de Laon: its élu answered; its new chargée de mission has not yet.
    7: [(NO, YES, YES, NO, IF_NEEDED), None, None],
}
COMMENTS = {
    (TEAM_MEMBER_LOGIN[0], 0): "Le 1er décembre, je dois partir à 12 h précises.",
    (6, 2): "Je peux me libérer le 24 après-midi si c'est la seule date commune.",
}

# The seat of the Pays de Laon that changes hands on 1 October (``demo.engagement``).
REPLACED = (7, 1)

TRAINING = "Formation J1/J2"
TRAINING_OPTIONS = [
    (date(2026, 12, 9), date(2026, 12, 10)),
    (date(2026, 12, 10), date(2026, 12, 11)),
]
TRAINING_POLL_LAUNCHED = datetime(2026, 10, 20, 9, 0)
TRAINING_POLL_CLOSES = datetime(2026, 11, 6, 18, 0)
TRAINING_POLL_DECIDED = datetime(2026, 11, 9, 9, 0)

# Attendance exceptions: {(team index, trinôme index): status, or {half-day index:
# (status, note)}}; everyone else present at every half-day.
LAUNCH_EXCEPTIONS = {
    (2, 0): (EXCUSED, "Conseil communautaire"),
    (4, 2): (ABSENT, ""),
    (5, 0): (PARTIAL, "Arrivée à 10 h 15"),
    (7, 0): (EXCUSED, ""),
}
TRAINING_EXCEPTIONS = {
    (1, 0): {2: (ABSENT, ""), 3: (ABSENT, "")},  # the élu missed J2: flagged
    (3, 2): {1: (EXCUSED, "Rendez-vous médical")},
    (4, 1): {0: (PARTIAL, "Arrivée à 10 h 30")},
    (6, 0): {0: (ABSENT, ""), 1: (ABSENT, ""), 2: (ABSENT, ""), 3: (ABSENT, "")},
    (7, 2): {3: (PARTIAL, "Départ à 15 h 30")},
}


def _people(programme):
    teams = list(Team.objects.filter(cohort__programme=programme).order_by("pk"))
    members = {
        team.pk: list(TeamMember.objects.current().filter(team=team).select_related("user", "role"))
        for team in teams
    }
    return teams, members


def load_polls(organisation: Organisation) -> None:
    """Add the polls (inside the organisation's scope, in ``demo.loader.load``'s
    transaction), before the engagement is signed: the dates they fix are the ones the
    signed text shows."""
    programme = Programme.objects.filter(name=HDF_PROGRAMME).first()
    if programme is None or DatePoll.objects.filter(session__programme=programme).exists():
        return
    zone = ZoneInfo(organisation.time_zone)
    trainer = member(HDF_SLUG, Role.TRAINER)
    teams, members = _people(programme)
    _first_meeting_polls(organisation, programme, teams, members, trainer, zone)
    _training_poll(organisation, programme, teams, members, trainer, zone)


def load_attendance(organisation: Organisation) -> str:
    """Add the attendance of the launch and the training (after the engagement's demo
    replaced the Pays de Laon's chargée de mission: her successor attended); returns
    the summary line."""
    programme = Programme.objects.filter(name=HDF_PROGRAMME).first()
    if programme is None:
        return ""
    zone = ZoneInfo(organisation.time_zone)
    trainer = member(HDF_SLUG, Role.TRAINER)
    now = timezone.now()
    teams, members = None, None
    recorded = []
    for title, exceptions in (
        ("Lancement du projet", LAUNCH_EXCEPTIONS),
        (TRAINING, TRAINING_EXCEPTIONS),
    ):
        session = Session.objects.get(programme=programme, title__startswith=title)
        # Attendance is the truth: a session that has not ended yet has no sheet (its
        # trainer will keep it on the day, on the « Émargement » page).
        if session.ends_at is None or session.ends_at > now:
            continue
        recorded.append(title)
        if AttendanceSheet.objects.filter(session=session).exists():
            continue
        if teams is None:
            teams, members = _people(programme)
        _attendance(organisation, session, teams, members, trainer, zone, exceptions)
    polls = DatePoll.objects.filter(session__programme=programme)
    attendance = (
        _("présences validées : %(sessions)s") % {"sessions": ", ".join(recorded)}
        if recorded
        else _("aucune séance terminée à émarger")
    )
    return (
        f"{polls.count()} sondages de date ({polls.filter(status=DatePoll.Status.OPEN).count()}"
        f" ouverts), {attendance}"
    )


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, zone)


def _created(row, moment: datetime) -> None:
    """Backdate an ``auto_now_add`` field (the services stamp « now »)."""
    type(row).objects.filter(pk=row.pk).update(created_at=moment)


def _first_meeting_polls(organisation, programme, teams, members, trainer, zone) -> None:
    batch = uuid.uuid4()
    launched = POLL_LAUNCHED.replace(tzinfo=zone)
    for index in POLLED_TEAMS:
        team = teams[index]
        session = Session.objects.get(
            programme=programme, teams=team, title__startswith=FIRST_MEETING
        )
        poll = DatePoll.objects.create(
            organisation=organisation,
            session=session,
            message=(
                "Voici les demi-journées où je peux venir sur votre territoire pour notre "
                "première rencontre. Merci d'indiquer vos disponibilités à tous les trois."
            ),
            closes_at=POLL_CLOSES.replace(tzinfo=zone),
            batch=batch,
            created_by=trainer,
        )
        _created(poll, launched)
        slots = [
            Slot.objects.create(
                organisation=organisation,
                poll=poll,
                starts_at=_at(day, start, zone),
                ends_at=_at(day, end, zone),
                format=SessionFormat.IN_PERSON,
            )
            for day, start, end in SLOTS
        ]
        for position, answers in enumerate(ANSWERS[index]):
            if answers is None:
                continue
            user = members[team.pk][position].user
            Vote.objects.bulk_create(
                Vote(organisation=organisation, slot=slot, user=user, answer=answer)
                for slot, answer in zip(slots, answers, strict=True)
            )
            if comment := COMMENTS.get((index, position)):
                PollComment.objects.create(
                    organisation=organisation, poll=poll, user=user, text=comment
                )
        if index == DECIDED_TEAM:
            chosen = slots[0]
            DatePoll.objects.filter(pk=poll.pk).update(
                status=DatePoll.Status.DECIDED,
                chosen_slot=chosen,
                decided_at=POLL_DECIDED.replace(tzinfo=zone),
            )
            _schedule(session, chosen.starts_at, chosen.ends_at)
        else:
            Session.objects.filter(pk=session.pk).update(
                status=Session.Status.TENTATIVE, date_note="Date choisie par sondage"
            )


def _training_poll(organisation, programme, teams, members, trainer, zone) -> None:
    session = Session.objects.get(programme=programme, title__startswith=TRAINING)
    local_start = session.starts_at.astimezone(zone).time()
    local_end = session.ends_at.astimezone(zone).time()
    poll = DatePoll.objects.create(
        organisation=organisation,
        session=session,
        message="Deux options pour les deux journées de formation à Lille.",
        closes_at=TRAINING_POLL_CLOSES.replace(tzinfo=zone),
        created_by=trainer,
    )
    _created(poll, TRAINING_POLL_LAUNCHED.replace(tzinfo=zone))
    slots = [
        Slot.objects.create(
            organisation=organisation,
            poll=poll,
            starts_at=_at(first, local_start, zone),
            ends_at=_at(last, local_end, zone),
            format=SessionFormat.IN_PERSON,
        )
        for first, last in TRAINING_OPTIONS
    ]
    votes = []
    for team_index, team in enumerate(teams):
        for position, team_member in enumerate(members[team.pk]):
            if (team_index + position) % 7 == 6 or (team_index, position) == REPLACED:
                continue  # a few never answered; the Pays de Laon's seat changes hands
            second = NO if (team_index * 3 + position) % 4 == 0 else IF_NEEDED
            for slot, answer in zip(slots, (YES, second), strict=True):
                votes.append(
                    Vote(
                        organisation=organisation,
                        slot=slot,
                        user=team_member.user,
                        answer=answer,
                    )
                )
    Vote.objects.bulk_create(votes)
    DatePoll.objects.filter(pk=poll.pk).update(
        status=DatePoll.Status.DECIDED,
        chosen_slot=slots[0],
        decided_at=TRAINING_POLL_DECIDED.replace(tzinfo=zone),
    )
    _schedule(session, slots[0].starts_at, slots[0].ends_at)


def _schedule(session: Session, starts_at: datetime, ends_at: datetime) -> None:
    Session.objects.filter(pk=session.pk).update(
        starts_at=starts_at,
        ends_at=ends_at,
        status=Session.Status.SCHEDULED,
        date_note="",
        sequence=session.sequence + 1,
    )
    session.refresh_from_db()
    sync_session_days(session)


def _attendance(organisation, session, teams, members, trainer, zone, exceptions) -> None:
    session.refresh_from_db()
    halves = half_days(session, zone)
    validated_at = session.ends_at + timedelta(minutes=20)
    sheet = AttendanceSheet.objects.create(
        organisation=organisation,
        session=session,
        status=AttendanceSheet.Status.VALIDATED,
        validated_at=validated_at,
        validated_by=trainer,
    )
    rows = []
    for team_index, team in enumerate(teams):
        for position, team_member in enumerate(members[team.pk]):
            exception = exceptions.get((team_index, position))
            for half_index, half in enumerate(halves):
                status, note = PRESENT, ""
                if isinstance(exception, dict):
                    status, note = exception.get(half_index, (PRESENT, ""))
                elif exception is not None:
                    status, note = exception
                rows.append(
                    Attendance(
                        organisation=organisation,
                        session=session,
                        user=team_member.user,
                        team=team,
                        role=team_member.role,
                        day=half.day,
                        half_day=half.half_day,
                        status=status,
                        note=note,
                        recorded_by=trainer,
                    )
                )
    Attendance.objects.bulk_create(rows)
    # The trainer signed and validated each day at its end (a simple drawn paraph).
    for day in sorted({half.day for half in halves}):
        end = max(half.ends_at for half in halves if half.day == day)
        SheetDay.objects.create(
            organisation=organisation,
            sheet=sheet,
            day=day,
            validated_at=end + timedelta(minutes=15),
            validated_by=trainer,
            trainer_strokes=TRAINER_PARAPH,
            trainer_signed_at=end + timedelta(minutes=15),
        )
    change = AttendanceChange.objects.create(
        organisation=organisation,
        session=session,
        kind=AttendanceChange.Kind.VALIDATED,
        actor=trainer,
    )
    AttendanceChange.objects.filter(pk=change.pk).update(at=validated_at)
    AttendanceSheet.objects.filter(pk=sheet.pk).update(created_at=session.starts_at)
