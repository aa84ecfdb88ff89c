"""Date polls closing: N hours before an open poll closes (48 by default, adjustable per
programme; this rule's offsets are in HOURS), the voters who have not answered any slot
yet are reminded.

Voters are those of ``sondages.notices.voters_by_poll`` (current members of
the teams concerned by the poll's session, the expected role only for one-role
sessions). Only open polls of published programmes whose session is not cancelled: a
decided or cancelled poll plans nothing; a poll past its closing is past its expiry.

The due moment is the closing's wall-clock time N hours earlier in the organisation's
time zone (H-48 of a Tuesday 18:00 closing is Sunday 18:00 local, across a daylight
saving change too), moved out of the quiet hours (21:00–07:00 → 07:00), strictly
between the poll's creation (the opening message says it all) and its closing; each is
worth sending until the poll closes or the next reminder is due. A poll opened closer
to its closing than every offset (created 30 hours before it closes, with H-48) gets one
reminder halfway, at least 2 hours before the closing
(``notifications.reminders.late_moment``). The
occasion names the offset and the closing (``H-48@2026-12-01T17:00:00+00:00``): moving
the closing makes a new reminder, those already sent keep theirs. Planned in six
queries whatever the number of polls and people.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, prefetch_related_objects
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from notifications.models import Category
from notifications.reminders import (
    MAX_OFFSET,
    Described,
    ReminderRule,
    deadline_schedule,
    planning_organisation,
    quiet_hours,
    reminder_rules,
)
from parcours.models import Programme, Session
from parcours.reminders import current_members, teams_of_sessions
from sillon.formatting import format_moment
from sondages.models import DatePoll, Vote
from sondages.notices import poll_email, poll_path, voters_by_poll

UTC = ZoneInfo("UTC")
# A poll is looked at when it closes within this margin after the window's end: the
# largest offset, plus a day for the quiet hours (which only push a reminder later) and
# the wall-clock arithmetic across a daylight saving change.
LOOKAHEAD = timedelta(hours=MAX_OFFSET, days=1)


def hours_before(moment: datetime, hours: int, zone: ZoneInfo) -> datetime:
    """The wall-clock time ``hours`` hours before ``moment`` in ``zone``."""
    local = moment.astimezone(zone)
    wall = local.replace(tzinfo=None) - timedelta(hours=hours)
    return wall.replace(tzinfo=zone)


def occasion(offset: int, closes_at: datetime) -> str:
    return f"H-{offset}@{closes_at.astimezone(UTC).isoformat()}"


def shared_voters(polls) -> dict[int, list]:
    """``voters_by_poll`` when the rules plan together (the coordinator's page): the
    same people, the current members (active accounts) of the teams of each poll's
    session (every team of the programme for the whole cohort; only the expected role
    for a one-role session), picked from what the rules read once: the organisation's
    current members and the teams of the sessions."""
    sessions = [poll.session for poll in polls]
    teams_by_session = teams_of_sessions(
        session.pk for session in sessions if session.audience in Session.TEAM_AUDIENCES
    )
    cohort = {s.programme_id for s in sessions if s.audience == Session.Audience.COHORT}
    team_ids = {team_id for teams in teams_by_session.values() for team_id in teams}
    members = current_members(programme_ids=cohort, team_ids=team_ids)
    result: dict[int, list] = {}
    for poll in polls:
        session = poll.session
        one_role = session.expected_presence == Session.Presence.ONE_ROLE
        if session.audience == Session.Audience.COHORT:
            concerned = [m for m in members if m.team.cohort.programme_id == session.programme_id]
        elif session.audience in Session.TEAM_AUDIENCES:
            teams = teams_by_session.get(session.pk, set())
            concerned = [m for m in members if m.team_id in teams]
        else:
            concerned = []
        users = {
            member.user_id: member.user
            for member in concerned
            if not one_role or member.role_id == session.expected_role_id
        }
        result[poll.pk] = sorted(users.values(), key=lambda user: user.pk)
    return result


class DatePollClosingRule(ReminderRule):
    code = "date_poll_closing"
    position = 50
    label = gettext_lazy("Sondage de date bientôt clos")
    category = Category.REQUESTS
    kind = "poll.closing"
    default_offsets = (48,)
    offset_unit_label = gettext_lazy("heures avant la clôture")
    offset_help = gettext_lazy(
        "Des nombres d'heures séparés par des virgules, de 1 à 90 : « 48 » relance deux "
        "jours avant la clôture du sondage ceux qui n'ont pas encore donné leurs "
        "disponibilités ; « 48, 6 » relance aussi six heures avant."
    )

    @staticmethod
    def due_at(closes_at: datetime, offset: int, zone: ZoneInfo) -> datetime:
        return quiet_hours(hours_before(closes_at, offset, zone), zone, limit=closes_at)

    @staticmethod
    def candidates(start, end):
        """The open polls of published programmes closing soon enough to be reminded of
        in ``(start, end]``."""
        return DatePoll.objects.filter(
            status=DatePoll.Status.OPEN,
            session__programme__status=Programme.Status.PUBLISHED,
            closes_at__gt=start,
            closes_at__lte=end + LOOKAHEAD,
        ).exclude(session__status=Session.Status.CANCELLED)

    def probe(self, start, end, organisation):
        return Exists(self.candidates(start, end).filter(organisation_id=organisation))

    def due(self, start, end, *, organisation_id=None):
        with scopes_disabled():
            polls = self.candidates(start, end)
            if organisation_id is not None:
                polls = polls.filter(organisation_id=organisation_id)
            polls = list(polls.select_related("organisation", "session").order_by("pk"))
            if not polls:
                return []
            settings = self.settings_for(poll.session.programme_id for poll in polls)
            moments = self._due_moments(polls, settings, start, end)
            if not moments:
                return []
            chosen = [poll for poll in polls if poll.pk in moments]
            if organisation_id is not None and organisation_id == planning_organisation():
                voters = shared_voters(chosen)
            else:
                voters = voters_by_poll(chosen)
            answered = set(
                Vote.objects.filter(slot__poll__in=[poll.pk for poll in chosen])
                .values_list("slot__poll_id", "user_id")
                .distinct()
            )
        planned = []
        for poll in chosen:
            path = poll_path(poll)
            people = [user for user in voters[poll.pk] if (poll.pk, user.pk) not in answered]
            for offset, due_at, expires_at in moments[poll.pk]:
                planned.extend(
                    self.planned(
                        poll,
                        people,
                        occasion=occasion(offset, poll.closes_at),
                        due_at=due_at,
                        url=path,
                        programme_id=poll.session.programme_id,
                        expires_at=expires_at,
                        offset=offset,
                    )
                )
        return planned

    def _due_moments(self, polls, settings, start, end) -> dict[int, list]:
        """{poll id: [(offset, due_at, expires_at)]} of the reminders due in
        ``(start, end]``."""
        zones: dict[str, ZoneInfo] = {}
        moments: dict[int, list] = {}
        for poll in polls:
            enabled, offsets = settings[poll.session.programme_id]
            if not enabled:
                continue
            name = poll.organisation.time_zone
            zone = zones.get(name) or zones.setdefault(name, ZoneInfo(name))
            schedule = deadline_schedule(
                [(offset, self.due_at(poll.closes_at, offset, zone)) for offset in offsets],
                opened_at=poll.created_at,
                closes_at=poll.closes_at,
                zone=zone,
            )
            for offset, due_at, expires_at in schedule:
                if start < due_at <= end:
                    moments.setdefault(poll.pk, []).append((offset, due_at, expires_at))
        return moments

    def offset_label(self, offset):
        return f"H-{offset}" if offset is not None else ""

    def when(self, subject) -> str:
        if subject is None:
            return ""
        return _("Clôture le %(when)s") % {
            "when": format_moment(subject.closes_at, subject.organisation)
        }

    def prepare(self, reminders):
        # What the e-mail lists, read once for the batch rather than per poll.
        prefetch_related_objects(
            list({r.subject.pk: r.subject for r in reminders}.values()), "slots"
        )

    def build_email(self, organisation, reminders):
        poll = reminders[0].subject
        subject = _("Rappel : choisissez vos disponibilités avant le %(deadline)s — %(title)s") % {
            "deadline": format_moment(poll.closes_at, organisation),
            "title": poll.session.title,
        }
        email = poll_email(
            poll, organisation, notice="closing", subject=subject, slots=poll.slots.all()
        )
        # The same words for every recipient of the group: rendered once.
        return lambda user: email

    def describe(self, object_ids):
        with scopes_disabled():
            polls = DatePoll.objects.filter(pk__in=set(object_ids)).select_related(
                "organisation", "session"
            )
            return {
                poll.pk: Described(
                    label=poll.session.title,
                    url=poll_path(poll),
                    extra={"closes_at": poll.closes_at, "status": poll.status},
                )
                for poll in polls
            }


RULES = (DatePollClosingRule(),)


@receiver(reminder_rules, dispatch_uid="sondages.reminder_rules")
def contribute_reminder_rules(sender, **kwargs):
    """The rules of sondages, for the reminder engine."""
    return list(RULES)
