"""Signatures pending: every N days after a version of a programme's engagement is
published (7 by default, adjustable per programme), each current team member whose
signature is missing on it is reminded, until they sign or leave the team.

The reminders of a version are numbered by the days since its publication: occasions
``v<version>@<days>`` (``v2@7``, ``v2@14``…), so each goes out once; a new version
starts a new series (and stops the old one: only the version in force is reminded). A
signature on an earlier version counts when the version in force does not ask for a new
one (``parcours.selectors.accepted_versions``). At most ``MAX_REMINDERS`` per version,
and none once the programme has ended.

Due moments follow the organisation's wall clock (the publication's local time, N days
later) and the quiet hours (nothing between 21:00 and 07:00). Planned in five queries
whatever the number of programmes, teams and people.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from notifications.engagement_notices import (
    dashboard_path,
    engagement_email,
    sign_path,
    teams_and_dates,
)
from notifications.models import Category
from notifications.reminders import (
    MAX_OFFSET,
    Described,
    PlannedReminder,
    ReminderRule,
    days_before,
    quiet_hours,
)
from parcours.engagement_status import accepted_versions
from parcours.models import EngagementText, Programme, Signature, TeamMember

# A version is reminded at most this many times (12 weeks at the default period).
MAX_REMINDERS = 12
LOOKBACK = timedelta(days=MAX_OFFSET * MAX_REMINDERS + 1)


def occasion(version: int, days: int) -> str:
    return f"v{version}@{days}"


class SignaturePendingRule(ReminderRule):
    code = "engagement_pending"
    label = gettext_lazy("Engagement à signer")
    category = Category.REQUESTS
    kind = "engagement.pending"
    default_offsets = (7,)
    offset_unit_label = gettext_lazy("jours entre deux rappels")
    offset_help = gettext_lazy(
        "Un nombre de jours, de 1 à 90 : « 7 » rappelle chaque semaine après la "
        "publication de l'engagement, jusqu'à la signature, à ceux qui n'ont pas signé. "
        "Avec plusieurs nombres, le plus petit compte."
    )

    @staticmethod
    def due_at(published_at: datetime, days: int, zone: ZoneInfo) -> datetime:
        return quiet_hours(days_before(published_at, -days, zone), zone)

    def _period(self, offsets) -> int | None:
        positive = [offset for offset in offsets if offset > 0]
        return min(positive) if positive else None

    def due(self, start, end, *, organisation_id=None):
        with scopes_disabled():
            later = EngagementText.objects.filter(
                programme=OuterRef("programme"), version__gt=OuterRef("version")
            )
            texts = EngagementText.objects.filter(
                programme__status=Programme.Status.PUBLISHED,
                published_at__gt=start - LOOKBACK,
                published_at__lte=end,
            ).filter(~Exists(later))
            if organisation_id is not None:
                texts = texts.filter(organisation_id=organisation_id)
            texts = list(texts.select_related("organisation", "programme"))
            if not texts:
                return []
            settings = self.settings_for(text.programme_id for text in texts)
            moments = self._due_moments(texts, settings, start, end)
            if not moments:
                return []
            chosen = [text for text in texts if text.pk in moments]
            pending = pending_signatories(chosen)
        planned = []
        for text in chosen:
            for days, due_at in moments[text.pk]:
                for user, team_id in pending.get(text.pk, []):
                    planned.append(
                        PlannedReminder(
                            rule=self.code,
                            organisation_id=text.organisation_id,
                            object_id=text.pk,
                            recipient=user,
                            occasion=occasion(text.version, days),
                            due_at=due_at,
                            url=sign_path(text.organisation.slug, text.programme_id, team_id),
                            offset=days,
                            subject=text,
                            programme_id=text.programme_id,
                        )
                    )
        return planned

    def _due_moments(self, texts, settings, start, end) -> dict[int, list]:
        """{text id: [(days since publication, due_at)]} of the reminders due in
        ``(start, end]``, before the programme's end."""
        zones: dict[str, ZoneInfo] = {}
        moments: dict[int, list] = {}
        for text in texts:
            enabled, offsets = settings[text.programme_id]
            period = self._period(offsets)
            if not enabled or period is None:
                continue
            name = text.organisation.time_zone
            zone = zones.get(name) or zones.setdefault(name, ZoneInfo(name))
            for number in range(1, MAX_REMINDERS + 1):
                days = number * period
                due_at = self.due_at(text.published_at, days, zone)
                if due_at > end or due_at.astimezone(zone).date() > text.programme.end_date:
                    break
                if due_at > start:
                    moments.setdefault(text.pk, []).append((days, due_at))
        return moments

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


def pending_signatories(texts: list[EngagementText]) -> dict[int, list[tuple]]:
    """{text id: [(user, team id)]}: the active current team members of each text's
    programme whose signature counting for it is missing (three queries)."""
    programme_ids = {text.programme_id for text in texts}
    by_programme: dict[int, list] = {}
    for version in EngagementText.objects.filter(programme_id__in=programme_ids).only(
        "pk", "programme_id", "version", "requires_resignature"
    ):
        by_programme.setdefault(version.programme_id, []).append(version)
    accepted = {
        text.pk: accepted_versions(
            [v for v in by_programme[text.programme_id] if v.version <= text.version]
        )
        for text in texts
    }
    members = list(
        TeamMember.objects.current()
        .filter(team__cohort__programme_id__in=programme_ids, user__is_active=True)
        .select_related("user", "team__cohort")
        .order_by("pk")
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
            result.setdefault(text.pk, []).append((member.user, member.team_id))
    return result
