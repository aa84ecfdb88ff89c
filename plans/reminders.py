"""The reminders of the action plans, for the reminder engine (``notifications.reminders``).

* ``plans_follow_up``: J-7 (adjustable per programme) before a séance marked « suivi des
  plans » (a ``FollowUpSession``), each current member of the séance's teams — every team
  of the programme for a cohort-wide séance — is asked to update their team's plan, with
  the link to it. Occasion ``J-7@<start in UTC>``, as the session reminders: a moved
  séance gets a new one, and each goes once.
* ``plans_action_late``: the owner of an action past its deadline (and still open) is
  reminded once a month while it stays late: the first time N days after the deadline
  (1 by default, adjustable), then on the same day of each following month, at 09:00
  local. Occasion: the month (``retard-2027-03``). Only an owner still in the team, and
  never after the programme has ended.
* ``plans_weekly_digest``: each week, the coordinators of the organisation get, per
  published programme with plans, what changed in the plans the week before (Monday to
  Sunday, local time): actions created and updated, stages submitted and validated.
  Nothing changed, nothing sent. Sent on Monday at 08:00 local (N days later when the
  coordinator sets an offset); occasion: the ISO week reported (``2027-W09``).

Each rule plans in a constant number of queries whatever the number of séances, actions,
updates and people (``tests/plans/test_reminders.py`` counts them).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from notifications import services
from notifications.models import Category
from notifications.reminders import (
    MAX_OFFSET,
    Described,
    PlannedReminder,
    ReminderRule,
    days_before_schedule,
    planning_organisation,
    reminder_rules,
    shared,
)
from organisations.models import Membership, Role
from parcours.models import Programme, Session, TeamMember
from parcours.reminders import organisation_programmes
from sillon.formatting import format_day, format_session_when
from sillon.mail import absolute_url

from .models import Action, ActionPlan, ActionUpdate, FollowUpSession, Stage, StageVersion

UTC = ZoneInfo("UTC")
LOOKAHEAD = timedelta(days=MAX_OFFSET + 1)
LATE_AT = time(9, 0)
DIGEST_AT = time(8, 0)


def team_plan_path(organisation_slug: str, programme_id: int, team_id: int) -> str:
    return reverse("plans:team_plan", args=[organisation_slug, programme_id, team_id])


def action_path(action: Action) -> str:
    return reverse(
        "plans:action_detail",
        args=[action.organisation.slug, action.plan.programme_id, action.plan_id, action.pk],
    )


def overview_path(programme: Programme) -> str:
    return reverse("plans:overview", args=[programme.organisation.slug, programme.pk])


def session_path(session: Session) -> str:
    return reverse(
        "parcours:session_detail",
        kwargs={"organisation_slug": session.organisation.slug, "session_id": session.pk},
    )


def add_months(day: date, months: int) -> date:
    """The same day ``months`` months later (the month's last day when it has fewer)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _plans(start, end):
    return ActionPlan.objects.filter(programme__status=Programme.Status.PUBLISHED)


def _late(start, end):
    return Action.objects.filter(
        status__in=Action.OPEN_STATUSES,
        due_on__lt=(end + timedelta(days=1)).date(),
        owner__isnull=False,
    )


def _follow_ups(start, end):
    return FollowUpSession.objects.filter(
        session__status=Session.Status.SCHEDULED,
        session__starts_at__gt=start,
        session__starts_at__lte=end + LOOKAHEAD,
    )


def plan_programmes(start: datetime, end: datetime, organisation_id: int | None) -> list:
    """The published programmes that may have something to remind about plans in
    ``(start, end]``, each annotated ``has_plans``, ``has_late`` (open actions past their
    deadline, with an owner) and ``has_follow_up`` (a follow-up séance to come): one
    query, shared by the three rules, so that an organisation without plans costs one
    query, not three. When the rules plan together (the coordinator's page), none: the
    rules' probes said whether the organisation has plans, late actions or follow-up
    séances, and the page's programmes (``parcours.reminders.organisation_programmes``)
    stand for the published ones, each flag true (each rule's own query filters)."""
    if organisation_id is not None and organisation_id == planning_organisation():
        programmes = [
            programme
            for programme in organisation_programmes(organisation_id)
            if programme.status == Programme.Status.PUBLISHED
        ]
        for programme in programmes:
            programme.has_plans = programme.has_late = programme.has_follow_up = True
        return sorted(programmes, key=lambda programme: programme.pk)

    def load() -> list:
        with scopes_disabled():
            plans = ActionPlan.objects.filter(programme=OuterRef("pk"))
            late = _late(start, end).filter(plan__programme=OuterRef("pk"))
            follow_ups = _follow_ups(start, end).filter(session__programme=OuterRef("pk"))
            programmes = Programme.objects.filter(status=Programme.Status.PUBLISHED)
            if organisation_id is not None:
                programmes = programmes.filter(organisation_id=organisation_id)
            programmes = programmes.annotate(
                has_plans=Exists(plans), has_late=Exists(late), has_follow_up=Exists(follow_ups)
            ).filter(Q(has_plans=True) | Q(has_follow_up=True))
            return list(programmes.select_related("organisation").order_by("pk"))

    return shared(("plans.programmes", start, end, organisation_id), load)


# --- Before a follow-up séance --------------------------------------------------------


@dataclass(eq=False)
class FollowUpNotice:
    """What the follow-up reminders of one séance say: the séance, and each person's
    teams (a person in two teams of the séance gets one message with both links)."""

    session: Session
    teams: dict[int, list] = field(default_factory=dict)  # user id -> [Team]

    @property
    def pk(self) -> int:
        return self.session.pk

    @property
    def organisation_id(self) -> int:
        return self.session.organisation_id

    @property
    def title(self) -> str:
        return self.session.title


def follow_up_people(sessions: list[Session]) -> dict[int, dict[int, tuple]]:
    """{session id: {user id: (user, [teams])}}: the current members, active accounts
    only, of the séance's teams, or of every team of the programme for a séance of the
    whole cohort (two queries)."""
    chosen = [s for s in sessions if s.audience in Session.TEAM_AUDIENCES]
    session_teams: dict[int, set[int]] = defaultdict(set)
    for session_id, team_id in Session.teams.through.objects.filter(
        session_id__in=[s.pk for s in chosen]
    ).values_list("session_id", "team_id"):
        session_teams[session_id].add(team_id)
    team_ids = set().union(*session_teams.values()) if session_teams else set()
    wide = {s.programme_id for s in sessions if s.audience not in Session.TEAM_AUDIENCES}
    members = (
        TeamMember.objects.current()
        .filter(Q(team_id__in=team_ids) | Q(team__cohort__programme_id__in=wide))
        .filter(user__is_active=True)
        .select_related("user", "team__cohort")
        .order_by("team__name", "pk")
    )
    by_team: dict[int, list] = defaultdict(list)
    by_programme: dict[int, list] = defaultdict(list)
    for member in members:
        by_team[member.team_id].append(member)
        by_programme[member.team.cohort.programme_id].append(member)
    result: dict[int, dict[int, tuple]] = {}
    for session in sessions:
        if session.audience in Session.TEAM_AUDIENCES:
            found = [m for team_id in session_teams[session.pk] for m in by_team[team_id]]
        else:
            found = by_programme[session.programme_id]
        people: dict[int, tuple] = {}
        for member in sorted(found, key=lambda m: (m.team.name, m.pk)):
            _user, teams = people.setdefault(member.user_id, (member.user, []))
            if member.team not in teams:
                teams.append(member.team)
        result[session.pk] = people
    return result


class FollowUpSessionRule(ReminderRule):
    code = "plans_follow_up"
    position = 70
    label = gettext_lazy("Plans d'action : mise à jour avant une séance de suivi")
    kind = "plans.follow_up_reminder"
    category = Category.REMINDERS
    default_offsets = (7,)
    offset_unit_label = gettext_lazy("jours avant la séance")

    def probe(self, start, end, organisation):
        return Exists(
            _follow_ups(start, end).filter(
                organisation_id=organisation,
                session__programme__status=Programme.Status.PUBLISHED,
            )
        )

    def due(self, start, end, *, organisation_id=None):
        programmes = [p.pk for p in plan_programmes(start, end, organisation_id) if p.has_follow_up]
        if not programmes:
            return []
        with scopes_disabled():
            rows = FollowUpSession.objects.filter(
                session__programme_id__in=programmes,
                session__status=Session.Status.SCHEDULED,
                session__programme__status=Programme.Status.PUBLISHED,
                session__starts_at__gt=start,
                session__starts_at__lte=end + LOOKAHEAD,
            )
            if organisation_id is not None:
                rows = rows.filter(organisation_id=organisation_id)
            sessions = [
                row.session for row in rows.select_related("session__organisation").order_by("pk")
            ]
            if not sessions:
                return []
            moments = self.moments(sessions, start, end)
            chosen = [session for session in sessions if session.pk in moments]
            if not chosen:
                return []
            people = follow_up_people(chosen)
        planned = []
        for session in chosen:
            found = people[session.pk]
            notice = FollowUpNotice(
                session=session, teams={pk: teams for pk, (_user, teams) in found.items()}
            )
            slug = session.organisation.slug
            for offset, due_at, expires_at in moments[session.pk]:
                starts = session.starts_at.astimezone(UTC).isoformat()
                for user, teams in found.values():
                    planned.append(
                        PlannedReminder(
                            rule=self.code,
                            organisation_id=session.organisation_id,
                            object_id=session.pk,
                            recipient=user,
                            occasion=f"J-{offset}@{starts}",
                            due_at=due_at,
                            url=team_plan_path(slug, session.programme_id, teams[0].pk),
                            expires_at=expires_at,
                            offset=offset,
                            subject=notice,
                            programme_id=session.programme_id,
                        )
                    )
        return planned

    def moments(self, sessions, start, end) -> dict[int, list]:
        """{session id: [(offset, due_at, expires_at)]} due in ``(start, end]``."""
        settings = self.settings_for(session.programme_id for session in sessions)
        moments: dict[int, list] = {}
        for session in sessions:
            enabled, offsets = settings[session.programme_id]
            if not enabled:
                continue
            zone = ZoneInfo(session.organisation.time_zone)
            starts_at = session.starts_at
            schedule = days_before_schedule(starts_at, offsets, zone)
            for offset, due_at, expires_at in schedule:
                if start < due_at <= end:
                    moments.setdefault(session.pk, []).append((offset, due_at, expires_at))
        return moments

    def when(self, subject) -> str:
        return format_session_when(subject.session) if subject is not None else ""

    def build_email(self, organisation, reminders):
        notice = reminders[0].subject
        session = notice.session
        when = format_session_when(session)
        subject = _("Mettez à jour votre plan d'action avant la séance du %(when)s") % {
            "when": when
        }
        rendered: dict[tuple, services.Email] = {}

        def build(user):
            teams = notice.teams.get(user.pk, [])
            key = tuple(team.pk for team in teams)
            if key not in rendered:
                links = [
                    (
                        team.name,
                        absolute_url(
                            team_plan_path(organisation.slug, session.programme_id, team.pk)
                        ),
                    )
                    for team in teams
                ]
                rendered[key] = services.render_email(
                    template="plans/email/follow_up_reminder",
                    subject=subject,
                    organisation=organisation,
                    context={
                        "session": session,
                        "when": when,
                        "links": links,
                        "recipient": None,
                        "unsubscribe_url": "",
                        "url": links[0][1] if links else "",
                    },
                )
            return rendered[key]

        return build

    def describe(self, object_ids):
        with scopes_disabled():
            sessions = Session.objects.filter(pk__in=set(object_ids)).select_related("organisation")
            return {
                session.pk: Described(
                    label=_("Suivi des plans d'action — %(title)s") % {"title": session.title},
                    url=session_path(session),
                )
                for session in sessions
            }


# --- Actions late ---------------------------------------------------------------------


class LateActionRule(ReminderRule):
    code = "plans_action_late"
    position = 71
    label = gettext_lazy("Plans d'action : action en retard")
    kind = "plans.action_late"
    category = Category.REMINDERS
    default_offsets = (1,)
    offset_unit_label = gettext_lazy("jours de retard avant le premier rappel")
    offset_help = gettext_lazy(
        "Un nombre de jours après l'échéance, de 1 à 90 : le pilote d'une action en "
        "retard reçoit un premier rappel ce jour-là à 9 h, puis un par mois tant que "
        "l'action reste en retard. Avec plusieurs nombres, le plus petit compte."
    )

    def probe(self, start, end, organisation):
        return Exists(
            _late(start, end).filter(
                organisation_id=organisation,
                plan__programme__status=Programme.Status.PUBLISHED,
            )
        )

    def due(self, start, end, *, organisation_id=None):
        programmes = [p.pk for p in plan_programmes(start, end, organisation_id) if p.has_late]
        if not programmes:
            return []
        with scopes_disabled():
            in_team = TeamMember.objects.current().filter(
                team=OuterRef("plan__team"), user=OuterRef("owner")
            )
            actions = Action.objects.filter(
                plan__programme_id__in=programmes,
                status__in=Action.OPEN_STATUSES,
                due_on__lt=(end + timedelta(days=1)).date(),
                owner__isnull=False,
                owner__is_active=True,
                plan__programme__status=Programme.Status.PUBLISHED,
                plan__programme__end_date__gte=(start - timedelta(days=1)).date(),
            ).filter(Q(plan__team__isnull=True) | Exists(in_team))
            if organisation_id is not None:
                actions = actions.filter(organisation_id=organisation_id)
            actions = list(
                actions.select_related("organisation", "owner", "plan__programme").order_by("pk")
            )
            if not actions:
                return []
            settings = self.settings_for(action.plan.programme_id for action in actions)
        planned = []
        for action in actions:
            enabled, offsets = settings[action.plan.programme_id]
            if not enabled or not offsets:
                continue
            zone = ZoneInfo(action.organisation.time_zone)
            first = action.due_on + timedelta(days=max(min(offsets), 1))
            for day, due_at, expires_at in self.monthly(first, start, end, zone):
                if day > action.plan.programme.end_date:
                    continue
                planned.extend(
                    self.planned(
                        action,
                        [action.owner],
                        occasion=f"retard-{day:%Y-%m}",
                        due_at=due_at,
                        url=action_path(action),
                        programme_id=action.plan.programme_id,
                        expires_at=expires_at,
                    )
                )
        return planned

    @staticmethod
    def monthly(first: date, start: datetime, end: datetime, zone: ZoneInfo):
        """[(day, due_at, expires_at)]: the monthly moments from ``first`` (09:00 local)
        falling in ``(start, end]``, each worth sending until the next one."""
        local_start = start.astimezone(zone).date()
        months = max((local_start.year - first.year) * 12 + local_start.month - first.month - 1, 0)
        found = []
        while True:
            day = add_months(first, months)
            due_at = datetime.combine(day, LATE_AT, zone).astimezone(UTC)
            if due_at > end:
                return found
            if due_at > start:
                following = add_months(first, months + 1)
                expires_at = datetime.combine(following, LATE_AT, zone).astimezone(UTC)
                found.append((day, due_at, expires_at))
            months += 1

    def when(self, subject) -> str:
        if subject is None or subject.due_on is None:
            return ""
        return _("Échéance : %(day)s") % {"day": format_day(subject.due_on)}

    def offset_label(self, offset):
        return ""

    def build_email(self, organisation, reminders):
        action = reminders[0].subject
        day = reminders[0].due_at.astimezone(ZoneInfo(organisation.time_zone)).date()
        subject = _("Action en retard : %(title)s") % {"title": action.title}
        email = services.render_email(
            template="plans/email/action_late",
            subject=subject,
            organisation=organisation,
            context={
                "action": action,
                "due_on": format_day(action.due_on),
                "days_late": (day - action.due_on).days,
                "progress": action.progress,
                "status": action.get_status_display().lower(),
                "recipient": None,
                "unsubscribe_url": "",
                "url": absolute_url(action_path(action)),
            },
        )
        return lambda user: email

    def describe(self, object_ids):
        with scopes_disabled():
            actions = Action.objects.filter(pk__in=set(object_ids)).select_related(
                "organisation", "plan"
            )
            return {
                action.pk: Described(
                    label=_("Action en retard — %(title)s") % {"title": action.title},
                    url=action_path(action),
                )
                for action in actions
            }


# --- The coordinators' weekly digest --------------------------------------------------


@dataclass(eq=False)
class WeeklyDigest:
    """What changed in the plans of one programme during one week."""

    programme: Programme
    week: str  # ISO week reported, "2027-W09"
    monday: date  # first day of the week reported (local)
    created: list = field(default_factory=list)  # Action
    updated: list = field(default_factory=list)  # (Action, number of updates)
    submitted: list = field(default_factory=list)  # StageVersion
    validated: list = field(default_factory=list)  # StageVersion
    # On the coordinator's page, whether anything changed (counted, not read).
    changed: bool = False

    @property
    def pk(self) -> int:
        return self.programme.pk

    @property
    def organisation_id(self) -> int:
        return self.programme.organisation_id

    @property
    def title(self) -> str:
        return self.programme.name

    @property
    def is_empty(self) -> bool:
        return not (
            self.changed or self.created or self.updated or self.submitted or self.validated
        )


def plan_name(plan: ActionPlan) -> str:
    return plan.team.name if plan.team_id else str(plan)


class WeeklyDigestRule(ReminderRule):
    code = "plans_weekly_digest"
    position = 72
    label = gettext_lazy("Plans d'action : la semaine des plans (coordination)")
    kind = "plans.weekly_digest"
    category = Category.TEAM_NEWS
    default_offsets = (0,)
    offset_unit_label = gettext_lazy("jours après la fin de la semaine")
    offset_help = gettext_lazy(
        "0 : le récapitulatif de la semaine écoulée part le lundi à 8 h ; 1 : le mardi… "
        "Il n'est envoyé que si un plan a changé. Avec plusieurs nombres, le plus petit "
        "compte."
    )

    def weeks(self, programmes, start, end) -> dict[int, list]:
        """{programme id: [(monday reported, week start, week end, due_at, expires_at)]}:
        the digests of each programme due in ``(start, end]``."""
        settings = self.settings_for(programme.pk for programme in programmes)
        found: dict[int, list] = {}
        for programme in programmes:
            enabled, offsets = settings[programme.pk]
            if not enabled or not offsets:
                continue
            offset = min(offsets)
            zone = ZoneInfo(programme.organisation.time_zone)
            first = start.astimezone(zone).date() - timedelta(days=offset + 7)
            monday = first - timedelta(days=first.weekday())
            last = end.astimezone(zone).date()
            while monday <= last:
                due_at = datetime.combine(monday + timedelta(days=offset), DIGEST_AT, zone)
                due_at = due_at.astimezone(UTC)
                if start < due_at <= end:
                    reported = monday - timedelta(days=7)
                    found.setdefault(programme.pk, []).append(
                        (
                            reported,
                            datetime.combine(reported, time(0), zone).astimezone(UTC),
                            datetime.combine(monday, time(0), zone).astimezone(UTC),
                            due_at,
                            due_at + timedelta(days=7),
                        )
                    )
                monday += timedelta(days=7)
        return found

    def probe(self, start, end, organisation):
        return Exists(_plans(start, end).filter(organisation_id=organisation))

    def due(self, start, end, *, organisation_id=None):
        programmes = [p for p in plan_programmes(start, end, organisation_id) if p.has_plans]
        if not programmes:
            return []
        with scopes_disabled():
            weeks = self.weeks(programmes, start, end)
            if not weeks:
                return []
            digests = self.digests(programmes, weeks)
            if not digests:
                return []
            coordinators: dict[int, list] = defaultdict(list)
            for membership in (
                Membership.objects.filter(
                    organisation_id__in={d.organisation_id for d, *_rest in digests},
                    role=Role.COORDINATOR,
                    user__is_active=True,
                )
                .select_related("user")
                .order_by("user_id")
            ):
                coordinators[membership.organisation_id].append(membership.user)
        planned = []
        for digest, due_at, expires_at in digests:
            planned.extend(
                self.planned(
                    digest,
                    coordinators[digest.organisation_id],
                    occasion=digest.week,
                    due_at=due_at,
                    url=overview_path(digest.programme),
                    programme_id=digest.programme.pk,
                    expires_at=expires_at,
                )
            )
        return planned

    def digests(self, programmes, weeks) -> list[tuple[WeeklyDigest, datetime, datetime]]:
        """The digests that have something to say (two queries for every programme)."""
        by_id = {programme.pk: programme for programme in programmes}
        lowest = min(week[1] for found in weeks.values() for week in found)
        highest = max(week[2] for found in weeks.values() for week in found)
        updates = (
            ActionUpdate.objects.filter(
                action__plan__programme_id__in=list(weeks),
                created_at__gte=lowest,
                created_at__lt=highest,
            )
            .select_related("action__plan__team")
            .order_by("created_at", "pk")
        )
        versions = (
            StageVersion.objects.filter(plan__programme_id__in=list(weeks), number__gt=0)
            .filter(
                Q(submitted_at__gte=lowest, submitted_at__lt=highest)
                | Q(
                    status=StageVersion.Status.VALIDATED,
                    reviewed_at__gte=lowest,
                    reviewed_at__lt=highest,
                )
            )
            .select_related("plan__team")
            .order_by("plan_id", "stage", "number")
        )
        if planning_organisation() is not None:
            return self._changed_weeks(by_id, weeks, updates, versions)
        result = []
        updates, versions = list(updates), list(versions)
        for programme_id, found in weeks.items():
            for reported, week_start, week_end, due_at, expires_at in found:
                iso = reported.isocalendar()
                digest = WeeklyDigest(
                    programme=by_id[programme_id],
                    week=f"{iso.year}-W{iso.week:02d}",
                    monday=reported,
                )
                counted: dict[int, list] = {}
                for update in updates:
                    plan = update.action.plan
                    if plan.programme_id != programme_id:
                        continue
                    if not week_start <= update.created_at < week_end:
                        continue
                    if update.changes.get("created"):
                        digest.created.append(update.action)
                    else:
                        counted.setdefault(update.action_id, [update.action, 0])[1] += 1
                digest.updated = [(action, count) for action, count in counted.values()]
                for version in versions:
                    if version.plan.programme_id != programme_id:
                        continue
                    if version.submitted_at and week_start <= version.submitted_at < week_end:
                        digest.submitted.append(version)
                    if (
                        version.status == StageVersion.Status.VALIDATED
                        and version.reviewed_at
                        and week_start <= version.reviewed_at < week_end
                    ):
                        digest.validated.append(version)
                if not digest.is_empty:
                    result.append((digest, due_at, expires_at))
        return result

    @staticmethod
    def _changed_weeks(by_id, weeks, updates, versions) -> list:
        """The digests of :meth:`digests` when the rules plan together (the coordinator's
        page lists them, it does not write them): whether each week changed, from the
        moments of the same updates and stages, read in one query."""
        validated = StageVersion.Status.VALIDATED
        moments = (
            updates.values_list("action__plan__programme_id", "created_at")
            .order_by()
            .union(
                versions.filter(submitted_at__isnull=False)
                .values_list("plan__programme_id", "submitted_at")
                .order_by(),
                versions.filter(status=validated, reviewed_at__isnull=False)
                .values_list("plan__programme_id", "reviewed_at")
                .order_by(),
                all=True,
            )
            .order_by()
        )
        changed: dict[int, list] = defaultdict(list)
        for programme_id, moment in moments:
            changed[programme_id].append(moment)
        result = []
        for programme_id, found in weeks.items():
            for reported, week_start, week_end, due_at, expires_at in found:
                if any(week_start <= moment < week_end for moment in changed[programme_id]):
                    iso = reported.isocalendar()
                    digest = WeeklyDigest(
                        programme=by_id[programme_id],
                        week=f"{iso.year}-W{iso.week:02d}",
                        monday=reported,
                        changed=True,
                    )
                    result.append((digest, due_at, expires_at))
        return result

    def when(self, subject) -> str:
        if subject is None:
            return ""
        return _("Semaine du %(day)s") % {"day": format_day(subject.monday, weekday=False)}

    def offset_label(self, offset):
        return ""

    def build_email(self, organisation, reminders):
        digest = reminders[0].subject
        week = format_day(digest.monday, weekday=False)
        subject = _("Plans d'action : la semaine du %(day)s — %(programme)s") % {
            "day": week,
            "programme": digest.programme.name,
        }

        def line(action) -> str:
            return f"{plan_name(action.plan)} — {action.title}"

        def stage_line(version) -> str:
            return f"{plan_name(version.plan)} — {Stage(version.stage).label} v{version.number}"

        email = services.render_email(
            template="plans/email/weekly_digest",
            subject=subject,
            organisation=organisation,
            context={
                "programme": digest.programme,
                "week": week,
                "created": [line(action) for action in digest.created],
                "updated": [
                    (line(action), count, action.progress, action.get_status_display().lower())
                    for action, count in digest.updated
                ],
                "submitted": [stage_line(version) for version in digest.submitted],
                "validated": [stage_line(version) for version in digest.validated],
                "recipient": None,
                "unsubscribe_url": "",
                "url": absolute_url(overview_path(digest.programme)),
            },
        )
        return lambda user: email

    def describe(self, object_ids):
        with scopes_disabled():
            programmes = Programme.objects.filter(pk__in=set(object_ids)).select_related(
                "organisation"
            )
            return {
                programme.pk: Described(
                    label=_("La semaine des plans — %(name)s") % {"name": programme.name},
                    url=overview_path(programme),
                )
                for programme in programmes
            }


RULES = (FollowUpSessionRule(), LateActionRule(), WeeklyDigestRule())


@receiver(reminder_rules, dispatch_uid="plans.reminder_rules")
def contribute_reminder_rules(sender, **kwargs):
    """The rules of plans, for the reminder engine."""
    return list(RULES)
