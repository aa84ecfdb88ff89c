"""The reminder rules of parcours, contributed to the reminder engine of notifications
(``notifications.reminders.reminder_rules``): sessions and signatures pending.

The session reminder: J-7 and J-1 before each scheduled session of a published
programme, to every person expected at it (offsets adjustable per programme).

The due moment is the session's local start time N days earlier, on the organisation's
wall clock, moved out of the quiet hours (21:00–07:00 → 07:00) and never after the
session starts. A reminder is worth sending until the session starts or the next
reminder of the session is due (a scan catching up after an outage sends a J-7 a day
late, but not a J-7 and a J-1 together, nor a J-1 once the session has started).
The occasion names the offset and the session's start
(``J-7@2026-10-26T08:00:00+00:00``): a moved session gets new occasions (its new J-7
goes out once due) while the reminders already sent keep theirs; a cancelled session is
no longer scheduled, so it plans nothing.

Recipients are those of ``parcours.selectors.expected_participants`` — team members of
the cohort or of the session's teams (only the expected role when one is), people
registered, facilitators — computed for many sessions at once (four queries), active
accounts only.

Signatures pending: each current team member whose signature is missing on the version
in force is reminded ``FIRST_SIGNATURE_REMINDER`` days (3) after they joined the team
(accepted the invitation) — or after the version was published, when later — then every
N days (7 by default, adjustable per programme), ``MAX_REMINDERS`` (3) times at most,
until they sign or leave the team; none for a draft or archived programme, none once
the programme has ended.

The reminders of a version to a person are numbered: occasions
``v<version>@rappel-<n>`` (``v2@rappel-1`` … ``v2@rappel-3``), so each goes out once; a
new version asking for a new signature starts a new series (and stops the old one: only
the version in force is reminded). A signature on an earlier version counts when the
version in force does not ask for a new one (``parcours.selectors.accepted_versions``).

Due moments follow the organisation's wall clock (the same local time N days later,
across a daylight saving change) and the quiet hours (nothing between 21:00 and 07:00).
Planned in five queries whatever the number of programmes, teams and people.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
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
    ReminderRule,
    days_before,
    deadline_schedule,
    planning_organisation,
    quiet_hours,
    reminder_rules,
    shared,
    shared_by_id,
)
from parcours.engagement_status import accepted_versions
from parcours.models import (
    AgendaItem,
    EngagementText,
    Programme,
    Session,
    SessionRegistration,
    Signature,
    TeamMember,
    WorkshopRegistration,
)
from parcours.notices import (
    dashboard_path,
    engagement_email,
    session_facts,
    sign_path,
    teams_and_dates,
)
from sillon.formatting import format_day, format_session_when

UTC = ZoneInfo("UTC")
# A session is looked at when it starts within this margin after the window's end: the
# largest offset, plus a day for the quiet hours that only ever push a reminder later.
LOOKAHEAD = timedelta(days=MAX_OFFSET + 1)
# A missing signature is first reminded this many days after the person joined the team
# (or the version was published), then every period, at most MAX_REMINDERS times.
FIRST_SIGNATURE_REMINDER = 3
MAX_REMINDERS = 3
SIGNATURE_LOOKBACK = timedelta(days=FIRST_SIGNATURE_REMINDER + MAX_OFFSET * (MAX_REMINDERS - 1) + 1)


def occasion(offset: int, starts_at: datetime) -> str:
    """The occasion of a session reminder (``J-7@2026-10-26T08:00:00+00:00``)."""
    return f"J-{offset}@{starts_at.astimezone(UTC).isoformat()}"


def signature_occasion(version: int, number: int) -> str:
    """The occasion of the ``number``-th signature reminder of a version
    (``v2@rappel-1``)."""
    return f"v{version}@rappel-{number}"


def session_path(session: Session) -> str:
    return reverse(
        "parcours:session_detail",
        kwargs={"organisation_slug": session.organisation.slug, "session_id": session.pk},
    )


class SessionReminderRule(ReminderRule):
    code = "session"
    position = 10
    label = gettext_lazy("Rappel avant une séance")
    kind = "session.reminder"
    default_offsets = (7, 1)
    offset_unit_label = gettext_lazy("jours avant la séance")

    # --- Planning --------------------------------------------------------------------

    def due(self, start, end, *, organisation_id=None):
        with scopes_disabled():
            sessions = Session.objects.filter(
                status=Session.Status.SCHEDULED,
                programme__status=Programme.Status.PUBLISHED,
                starts_at__gt=start,
                starts_at__lte=end + LOOKAHEAD,
            )
            if organisation_id is not None:
                sessions = sessions.filter(organisation_id=organisation_id)
            registered = SessionRegistration.objects.filter(
                session=OuterRef("pk"), user__is_active=True
            )
            speakers = AgendaItem.speaker_people.through.objects.filter(
                agendaitem__session=OuterRef("pk"), user__is_active=True
            )
            sessions = list(
                sessions.select_related(
                    "organisation", "programme", "kind", "expected_role"
                ).annotate(registered=Exists(registered), has_speakers=Exists(speakers))
            )
            if not sessions:
                return []
            settings = self.settings_for(session.programme_id for session in sessions)
            moments = self._due_moments(sessions, settings, start, end)
            if not moments:
                return []
            chosen = [session for session in sessions if session.pk in moments]
            recipients = expected_recipients(chosen)
        planned = []
        for session in chosen:
            path = session_path(session)
            people = recipients.get(session.pk, [])
            for offset, due_at, expires_at in moments[session.pk]:
                planned.extend(
                    self.planned(
                        session,
                        people,
                        occasion=occasion(offset, session.starts_at),
                        due_at=due_at,
                        url=path,
                        programme_id=session.programme_id,
                        expires_at=expires_at,
                        offset=offset,
                    )
                )
        return planned

    @staticmethod
    def due_at(starts_at: datetime, offset: int, zone: ZoneInfo) -> datetime:
        """When the J-``offset`` reminder of a session starting at ``starts_at`` is due."""
        return quiet_hours(days_before(starts_at, offset, zone), zone, limit=starts_at)

    def _due_moments(self, sessions, settings, start, end) -> dict[int, list]:
        """{session id: [(offset, due_at, expires_at)]} of the reminders due in
        ``(start, end]``."""
        zones: dict[str, ZoneInfo] = {}
        moments: dict[int, list] = {}
        for session in sessions:
            enabled, offsets = settings[session.programme_id]
            if not enabled:
                continue
            name = session.organisation.time_zone
            zone = zones.get(name) or zones.setdefault(name, ZoneInfo(name))
            # Due exactly at the start (held past it by the quiet hours): too late.
            schedule = deadline_schedule(
                [(offset, self.due_at(session.starts_at, offset, zone)) for offset in offsets],
                closes_at=session.starts_at,
                zone=zone,
            )
            for offset, due_at, expires_at in schedule:
                if start < due_at <= end:
                    moments.setdefault(session.pk, []).append((offset, due_at, expires_at))
        return moments

    def when(self, subject) -> str:
        return format_session_when(subject) if subject is not None else ""

    # --- Message ---------------------------------------------------------------------

    def prepare(self, reminders):
        # The hours of each day (``SessionDay``), stated in the message.
        sessions = list({r.subject.pk: r.subject for r in reminders}.values())
        prefetch_related_objects(sessions, "days")
        # Each person's workshops (open registration, seed 001), named in their reminder:
        # one query for the whole batch.
        chosen: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for row in (
            WorkshopRegistration.objects.filter(
                round__session__in=sessions, user__in={r.recipient.pk for r in reminders}
            )
            .select_related("round", "workshop")
            .order_by("round__day", "round__start_time", "pk")
        ):
            chosen[row.round.session_id][row.user_id].append(
                {
                    "round": row.round.title,
                    "workshop": row.workshop.title,
                    "room": row.workshop.room,
                }
            )
        # A linked speaker's own items (their times and titles), named in their reminder.
        spoken: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for row in (
            AgendaItem.speaker_people.through.objects.filter(
                agendaitem__session__in=sessions, user__in={r.recipient.pk for r in reminders}
            )
            .select_related("agendaitem")
            .order_by("agendaitem__day", "agendaitem__start_time", "agendaitem__pk")
        ):
            item = row.agendaitem
            spoken[item.session_id][row.user_id].append(f"{item.time_label} — {item.title}")
        for session in sessions:
            session.workshops_by_user = chosen.get(session.pk, {})
            session.spoken_by_user = spoken.get(session.pk, {})

    def build_email(self, organisation, reminders):
        session = reminders[0].subject
        zone = ZoneInfo(organisation.time_zone)
        day = format_day(session.starts_at.astimezone(zone).date())
        subject = _("Rappel : %(title)s — %(day)s") % {"title": session.title, "day": day}
        # What the convocation states: the hours of each day, the place or the visio
        # link, the trainers and who is expected.
        facilitators = getattr(session, "active_facilitators", None)
        if facilitators is None:
            facilitators = list(session.facilitators.order_by("last_name", "first_name"))
        facts = session_facts(session, facilitators=facilitators)
        email = services.render_email(
            template="parcours/email/session_reminder",
            subject=subject,
            organisation=organisation,
            context={
                **facts,
                "url": facts["session_url"],
                "recipient": None,
                "unsubscribe_url": "",
                "offset": reminders[0].offset,
            },
        )
        workshops = getattr(session, "workshops_by_user", {})
        spoken = getattr(session, "spoken_by_user", {})

        def build(user):
            # The same words for every recipient of the group, rendered once, except for
            # the people who chose workshops and the speakers: theirs are named.
            mine = workshops.get(user.pk) if user is not None else None
            items = spoken.get(user.pk) if user is not None else None
            if not mine and not items:
                return email
            return services.render_email(
                template="parcours/email/session_reminder",
                subject=subject,
                organisation=organisation,
                context={
                    **facts,
                    "url": facts["session_url"],
                    "recipient": None,
                    "unsubscribe_url": "",
                    "offset": reminders[0].offset,
                    "workshops": mine,
                    "spoken": items,
                },
            )

        return build

    # --- Pages -----------------------------------------------------------------------

    def describe(self, object_ids):
        with scopes_disabled():
            sessions = Session.objects.filter(pk__in=set(object_ids)).select_related("organisation")
            return {
                session.pk: Described(
                    label=session.title,
                    url=session_path(session),
                    extra={"when": format_session_when(session), "status": session.status},
                )
                for session in sessions
            }


def teams_of_sessions(session_ids) -> dict[int, set[int]]:
    """{session id: {team ids}} of the sessions that name teams (one query; shared by the
    rules planning together, see ``notifications.reminders.shared_by_id``)."""

    def load(ids):
        found: dict[int, set[int]] = defaultdict(set)
        with scopes_disabled():
            for session_id, team_id in Session.teams.through.objects.filter(
                session_id__in=ids
            ).values_list("session_id", "team_id"):
                found[session_id].add(team_id)
        return found

    return defaultdict(set, shared_by_id("parcours.session_teams", session_ids, load))


def registered_at_sessions(session_ids, *, none_at=()) -> dict[int, list]:
    """{session id: [active users registered]} (one query; shared like
    :func:`teams_of_sessions`; none for the sessions ``none_at``, known to have nobody
    registered)."""

    def load(ids):
        found: dict[int, list] = defaultdict(list)
        with scopes_disabled():
            for row in SessionRegistration.objects.filter(
                session_id__in=ids, user__is_active=True
            ).select_related("user"):
                found[row.session_id].append(row.user)
        return found

    return defaultdict(
        list, shared_by_id("parcours.registrations", session_ids, load, empty=none_at)
    )


def programmes_key(organisation_id: int) -> tuple:
    """The key of :func:`organisation_programmes` in a planning's shared loads (the
    coordinator's page gives the programmes it lists under it)."""
    return ("parcours.programmes", organisation_id)


def organisation_programmes(organisation_id: int) -> list[Programme]:
    """Every programme of the organisation (``organisation`` loaded) when the rules plan
    together for it: those the coordinator's page lists, given to the planning, or one
    query."""

    def load():
        with scopes_disabled():
            return list(
                Programme.objects.filter(organisation_id=organisation_id)
                .select_related("organisation")
                .order_by("-start_date", "name")
            )

    return shared(programmes_key(organisation_id), load)


def current_members(
    *, programme_ids=(), team_ids=(), user_ids=(), active_only: bool = True
) -> list[TeamMember]:
    """The current team members (``user`` and ``team__cohort`` loaded, in the model's
    order) of the teams of ``programme_ids``, of the teams ``team_ids`` or who are
    ``user_ids``; active accounts only unless ``active_only`` is false. One query; when
    the rules plan together (the coordinator's page), none after the first: every rule
    picks from the organisation's current members, read once."""
    programme_ids, team_ids, user_ids = set(programme_ids), set(team_ids), set(user_ids)
    organisation_id = planning_organisation()
    if organisation_id is None:
        members = TeamMember.objects.current().filter(
            Q(team__cohort__programme_id__in=programme_ids)
            | Q(team_id__in=team_ids)
            | Q(user_id__in=user_ids)
        )
        if active_only:
            members = members.filter(user__is_active=True)
        return list(members.select_related("user", "team__cohort"))

    def load():
        with scopes_disabled():
            return list(
                TeamMember.objects.current()
                .filter(organisation_id=organisation_id)
                .select_related("user", "team__cohort")
            )

    return [
        member
        for member in shared(("parcours.current_members", organisation_id), load)
        if (not active_only or member.user.is_active)
        and (
            member.team.cohort.programme_id in programme_ids
            or member.team_id in team_ids
            or member.user_id in user_ids
        )
    ]


def expected_recipients(sessions: list[Session]) -> dict[int, list]:
    """{session id: [active users expected]} for many sessions in four queries (five with
    linked speakers): the rule of ``parcours.notices.recipients``, the people
    ``parcours.selectors.expected_participants`` names and the agenda's linked speakers."""
    ids = [session.pk for session in sessions]
    with scopes_disabled():
        # Only the sessions of some teams name theirs.
        teams_by_session = teams_of_sessions(
            session.pk for session in sessions if session.audience in Session.TEAM_AUDIENCES
        )
        cohort_programmes = {
            session.programme_id
            for session in sessions
            if session.audience == Session.Audience.COHORT
        }
        team_ids = {team_id for teams in teams_by_session.values() for team_id in teams}
        members = current_members(programme_ids=cohort_programmes, team_ids=team_ids)
        users: dict[int, object] = {}
        by_programme: dict[int, list] = defaultdict(list)
        by_team: dict[int, list] = defaultdict(list)
        for member in members:
            user = users.setdefault(member.user_id, member.user)
            row = (member.organisation_id, member.role_id, user)
            by_programme[member.team.cohort.programme_id].append(row)
            by_team[member.team_id].append(row)
        extra: dict[int, list] = defaultdict(list)
        facilitators: dict[int, list] = defaultdict(list)
        # ``due`` annotates whether anybody is registered: nothing to read when not.
        nobody = [session.pk for session in sessions if not getattr(session, "registered", True)]
        for session_id, registered in registered_at_sessions(ids, none_at=nobody).items():
            extra[session_id].extend(users.setdefault(user.pk, user) for user in registered)
        for row in Session.facilitators.through.objects.filter(
            session_id__in=ids, user__is_active=True
        ).select_related("user"):
            extra[row.session_id].append(users.setdefault(row.user_id, row.user))
            facilitators[row.session_id].append(row.user)
        # The linked speakers of the agenda (``parcours.notices.recipients`` convenes them):
        # read only when ``due`` saw some.
        speaking = [session.pk for session in sessions if getattr(session, "has_speakers", True)]
        if speaking:
            for row in AgendaItem.speaker_people.through.objects.filter(
                agendaitem__session_id__in=speaking, user__is_active=True
            ).select_related("user", "agendaitem"):
                user = users.setdefault(row.user_id, row.user)
                extra[row.agendaitem.session_id].append(user)
    result: dict[int, list] = {}
    for session in sessions:
        # Named in the reminder (``SessionReminderRule.build_email``), without a query.
        session.active_facilitators = sorted(
            facilitators.get(session.pk, ()), key=lambda user: (user.last_name, user.first_name)
        )
        if session.audience == Session.Audience.COHORT:
            rows = by_programme.get(session.programme_id, [])
        elif session.audience in Session.TEAM_AUDIENCES:
            rows = [row for team in teams_by_session.get(session.pk, ()) for row in by_team[team]]
        else:
            rows = []
        role_only = session.expected_presence == Session.Presence.ONE_ROLE
        chosen: dict[int, object] = {}
        for organisation_id, role_id, user in rows:
            if organisation_id != session.organisation_id:
                continue
            if role_only and role_id != session.expected_role_id:
                continue
            chosen[user.pk] = user
        for user in extra.get(session.pk, ()):
            chosen[user.pk] = user
        result[session.pk] = sorted(chosen.values(), key=lambda user: user.pk)
    return result


class SignaturePendingRule(ReminderRule):
    code = "engagement_pending"
    position = 40
    label = gettext_lazy("Engagement à signer")
    category = Category.REQUESTS
    kind = "engagement.pending"
    default_offsets = (7,)
    offset_unit_label = gettext_lazy("jours entre deux rappels")
    offset_help = gettext_lazy(
        "Un nombre de jours, de 1 à 90. Le premier rappel part 3 jours après l'arrivée "
        "dans l'équipe (ou la publication de l'engagement), puis tous les N jours : trois "
        "rappels au plus, jusqu'à la signature. Avec plusieurs nombres, le plus petit compte."
    )

    @staticmethod
    def due_at(since: datetime, days: int, zone: ZoneInfo) -> datetime:
        """``days`` days after ``since`` on the wall clock of ``zone``, out of the quiet
        hours."""
        return quiet_hours(days_before(since, -days, zone), zone)

    @staticmethod
    def schedule(period: int) -> list[tuple[int, int]]:
        """[(number, days after joining)]: J+3, then every ``period`` days, three times."""
        return [
            (number, FIRST_SIGNATURE_REMINDER + (number - 1) * period)
            for number in range(1, MAX_REMINDERS + 1)
        ]

    def _period(self, offsets) -> int | None:
        positive = [offset for offset in offsets if offset > 0]
        return min(positive) if positive else None

    def due(self, start, end, *, organisation_id=None):
        cutoff = start - SIGNATURE_LOOKBACK
        versions = None
        with scopes_disabled():
            if organisation_id is not None and organisation_id == planning_organisation():
                texts, versions = self._texts_in_force(organisation_id, cutoff, end)
            else:
                later = EngagementText.objects.filter(
                    programme=OuterRef("programme"), version__gt=OuterRef("version")
                )
                newcomers = TeamMember.objects.current().filter(
                    team__cohort__programme=OuterRef("programme"), joined_at__gt=cutoff
                )
                texts = EngagementText.objects.filter(
                    Q(published_at__gt=cutoff) | Exists(newcomers),
                    programme__status=Programme.Status.PUBLISHED,
                    published_at__lte=end,
                ).filter(~Exists(later))
                if organisation_id is not None:
                    texts = texts.filter(organisation_id=organisation_id)
                texts = list(texts.select_related("organisation", "programme"))
            if not texts:
                return []
            settings = self.settings_for(text.programme_id for text in texts)
            periods = {}
            for text in texts:
                enabled, offsets = settings[text.programme_id]
                period = self._period(offsets)
                if enabled and period is not None:
                    periods[text.pk] = period
            chosen = [text for text in texts if text.pk in periods]
            if not chosen:
                return []
            pending = pending_signatories(chosen, versions=versions)
        zones: dict[str, ZoneInfo] = {}
        planned = []
        for text in chosen:
            name = text.organisation.time_zone
            zone = zones.get(name) or zones.setdefault(name, ZoneInfo(name))
            schedule = self.schedule(periods[text.pk])
            # The series stops with the programme: nothing is worth sending after it.
            ends = datetime.combine(text.programme.end_date + timedelta(days=1), time(0), zone)
            for user, team_id, joined_at in pending.get(text.pk, []):
                since = max(joined_at, text.published_at)
                moments = [(number, self.due_at(since, days, zone)) for number, days in schedule]
                for index, (number, due_at) in enumerate(moments):
                    if due_at > end or due_at.astimezone(zone).date() > text.programme.end_date:
                        break
                    if due_at <= start:
                        continue
                    # Worth sending until the next one of the series takes over.
                    expires_at = moments[index + 1][1] if index + 1 < len(moments) else ends
                    planned.extend(
                        self.planned(
                            text,
                            [user],
                            occasion=signature_occasion(text.version, number),
                            due_at=due_at,
                            url=sign_path(text.organisation.slug, text.programme_id, team_id),
                            programme_id=text.programme_id,
                            expires_at=expires_at,
                            offset=schedule[index][1],
                        )
                    )
        return planned

    @staticmethod
    def _texts_in_force(organisation_id, cutoff, end) -> tuple[list, list]:
        """(the texts in force that ``due`` looks at, every version of their programmes)
        when the rules plan together for one organisation: the same texts as ``due``'s
        query, picked from every version of the organisation's published programmes
        (one query) and its current members (read once for every rule)."""
        every = list(
            EngagementText.objects.filter(
                organisation_id=organisation_id, programme__status=Programme.Status.PUBLISHED
            ).select_related("organisation", "programme")
        )
        latest: dict[int, EngagementText] = {}
        for text in every:
            if text.programme_id not in latest or text.version > latest[text.programme_id].version:
                latest[text.programme_id] = text
        newcomers = {
            member.team.cohort.programme_id
            for member in current_members(programme_ids=latest, active_only=False)
            if member.joined_at > cutoff
        }
        texts = [
            text
            for text in every
            if text is latest[text.programme_id]
            and text.published_at is not None
            and text.published_at <= end
            and (text.published_at > cutoff or text.programme_id in newcomers)
        ]
        return texts, every

    def when(self, subject) -> str:
        if subject is None:
            return ""
        return _("Version %(version)s") % {"version": subject.version}

    def offset_label(self, offset):
        return f"J+{offset}" if offset is not None else ""

    def build_email(self, organisation, reminders):
        text = reminders[0].subject
        subject = _("Rappel : votre engagement à signer — %(name)s") % {"name": text.programme.name}
        urls = {reminder.recipient.pk: reminder.url for reminder in reminders}
        with scopes_disabled():
            # Each person's own team's dates, computed once per team of the group.
            teams = teams_and_dates(text, [reminder.recipient for reminder in reminders])

        def build(user):
            return engagement_email(
                text,
                organisation,
                subject=subject,
                url=urls.get(user.pk, ""),
                dates=teams.get(user.pk, (None, []))[1],
                user=user,
            )

        return build

    def describe(self, object_ids):
        with scopes_disabled():
            texts = EngagementText.objects.filter(pk__in=set(object_ids)).select_related(
                "organisation", "programme"
            )
            return {
                text.pk: Described(
                    label=_("Engagement — %(name)s (version %(version)s)")
                    % {"name": text.programme.name, "version": text.version},
                    url=dashboard_path(text.organisation.slug, text.programme_id),
                    extra={"version": text.version},
                )
                for text in texts
            }


def pending_signatories(texts: list[EngagementText], *, versions=None) -> dict[int, list[tuple]]:
    """{text id: [(user, team id, joined at)]}: the active current team members of each
    text's programme whose signature counting for it is missing, a person once (their
    earliest place) (three queries; one less when ``versions``, every version of the
    texts' programmes, is given)."""
    programme_ids = {text.programme_id for text in texts}
    by_programme: dict[int, list] = {}
    if versions is None:
        versions = EngagementText.objects.filter(programme_id__in=programme_ids).only(
            "pk", "programme_id", "version", "requires_resignature"
        )
    for version in versions:
        if version.programme_id not in programme_ids:
            continue
        by_programme.setdefault(version.programme_id, []).append(version)
    accepted = {
        text.pk: accepted_versions(
            [v for v in by_programme[text.programme_id] if v.version <= text.version]
        )
        for text in texts
    }
    members = sorted(
        current_members(programme_ids=programme_ids),
        key=lambda member: (member.joined_at, member.pk),
    )
    signed = set(
        Signature.objects.filter(
            text__programme_id__in=programme_ids, member__left_at__isnull=True
        ).values_list("member_id", "text_id")
    )
    result: dict[int, list[tuple]] = {}
    for text in texts:
        seen: set[int] = set()
        for member in members:
            if member.team.cohort.programme_id != text.programme_id:
                continue
            if any((member.pk, pk) in signed for pk in accepted[text.pk]):
                continue
            if member.user_id in seen:
                continue
            seen.add(member.user_id)
            result.setdefault(text.pk, []).append((member.user, member.team_id, member.joined_at))
    return result


RULES = (SessionReminderRule(), SignaturePendingRule())


@receiver(reminder_rules, dispatch_uid="parcours.reminder_rules")
def contribute_reminder_rules(sender, **kwargs):
    """The rules of parcours, for the reminder engine."""
    return list(RULES)
