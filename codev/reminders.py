"""The reminders of CODEV séances, for the reminder engine (``notifications.reminders``).

* ``codev_case``: J-7 (adjustable per programme) before a CODEV séance whose client is
  named, the client's people (the client person, or the client team's current members)
  are asked to prepare their case, only while there is none.
* ``codev_follow_up``: J-7 (adjustable) before a séance of a CODEV group, each former
  client of the group whose case has commitments is asked what became of them: once per
  case (``Case.follow_up_asked_at`` is set in the transaction that writes the messages,
  and the occasion is the same whatever the séance), never again once answered.

Both are planned in a constant number of queries whatever the number of séances and
people, and each is worth sending until the séance starts (or the next reminder)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from codev.models import Case, GroupKind, GroupSession
from codev.services.cases import mark_follow_up_asked
from notifications import services
from notifications.models import Category
from notifications.reminders import (
    MAX_OFFSET,
    Described,
    ReminderRule,
    days_before_schedule,
    reminder_rules,
    shared,
)
from parcours.models import Programme, Session, TeamMember
from sillon.formatting import format_session_when
from sillon.mail import absolute_url

UTC = ZoneInfo("UTC")
LOOKAHEAD = timedelta(days=MAX_OFFSET + 1)
FOLLOW_UP = "suivi"


def seance_path(group_session, name: str = "codev:seance") -> str:
    return reverse(
        name,
        kwargs={
            "organisation_slug": group_session.organisation.slug,
            "group_session_id": group_session.pk,
        },
    )


def client_people(memberships) -> dict[int, list]:
    """{membership id: [active users speaking for it]}: the person, or the team's
    current members (one query)."""
    team_ids = {m.team_id for m in memberships if m.team_id}
    by_team: dict[int, list] = {}
    for member in (
        TeamMember.objects.current()
        .filter(team_id__in=team_ids, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ):
        by_team.setdefault(member.team_id, []).append(member.user)
    result = {}
    for membership in memberships:
        if membership.user_id:
            result[membership.pk] = [membership.user] if membership.user.is_active else []
        else:
            result[membership.pk] = by_team.get(membership.team_id, [])
    return result


class SeanceRule(ReminderRule):
    """What both rules share: the CODEV séances to come of published programmes, and
    their J-n moments."""

    default_offsets = (7,)
    offset_unit_label = gettext_lazy("jours avant la séance")
    category = Category.REMINDERS

    def seances(self, start, end, organisation_id):
        # Both CODEV rules read the same séances: once when they plan together (the page).
        return shared(
            ("codev.seances", start, end, organisation_id),
            lambda: self._load_seances(start, end, organisation_id),
        )

    @staticmethod
    def candidates(start, end):
        """The CODEV séances to come of published programmes, soon enough to be reminded
        of in ``(start, end]``."""
        return GroupSession.objects.filter(
            group__kind=GroupKind.CODEV,
            session__status=Session.Status.SCHEDULED,
            session__programme__status=Programme.Status.PUBLISHED,
            session__starts_at__gt=start,
            session__starts_at__lte=end + LOOKAHEAD,
        )

    def probe(self, start, end, organisation):
        return Exists(self.candidates(start, end).filter(organisation_id=organisation))

    def _load_seances(self, start, end, organisation_id):
        seances = self.candidates(start, end)
        if organisation_id is not None:
            seances = seances.filter(organisation_id=organisation_id)
        return list(
            seances.select_related("organisation", "session", "group", "client__user").order_by(
                "pk"
            )
        )

    def moments(self, seances, start, end) -> dict[int, list]:
        settings = self.settings_for(gs.session.programme_id for gs in seances)
        moments: dict[int, list] = {}
        for gs in seances:
            enabled, offsets = settings[gs.session.programme_id]
            if not enabled:
                continue
            zone = ZoneInfo(gs.organisation.time_zone)
            starts_at = gs.session.starts_at
            schedule = days_before_schedule(starts_at, offsets, zone)
            for offset, due_at, expires_at in schedule:
                if start < due_at <= end:
                    moments.setdefault(gs.pk, []).append((offset, due_at, expires_at))
        return moments

    def when(self, subject) -> str:
        return format_session_when(subject.session) if subject is not None else ""


class CaseToPrepareRule(SeanceRule):
    code = "codev_case"
    position = 60
    label = gettext_lazy("CODEV : préparer son cas")
    kind = "codev.case_reminder"

    def due(self, start, end, *, organisation_id=None):
        with scopes_disabled():
            seances = [gs for gs in self.seances(start, end, organisation_id) if gs.client_id]
            moments = self.moments(seances, start, end) if seances else {}
            prepared = set(
                Case.objects.filter(group_session__in=list(moments)).values_list(
                    "group_session_id", flat=True
                )
            )
            chosen = [gs for gs in seances if gs.pk in moments and gs.pk not in prepared]
            if not chosen:
                return []
            people = client_people([gs.client for gs in chosen])
        planned = []
        for gs in chosen:
            for offset, due_at, expires_at in moments[gs.pk]:
                planned.extend(
                    self.planned(
                        gs,
                        people[gs.client_id],
                        occasion=f"J-{offset}@{gs.session.starts_at.astimezone(UTC).isoformat()}",
                        due_at=due_at,
                        url=seance_path(gs, "codev:seance_case"),
                        programme_id=gs.session.programme_id,
                        expires_at=expires_at,
                        offset=offset,
                    )
                )
        return planned

    def build_email(self, organisation, reminders):
        gs = reminders[0].subject
        when = format_session_when(gs.session)
        subject = _("CODEV : préparez votre cas pour le %(when)s") % {"when": when}
        email = services.render_email(
            template="codev/email/case_reminder",
            subject=subject,
            organisation=organisation,
            context={
                "group_session": gs,
                "session": gs.session,
                "group": gs.group,
                "when": when,
                "recipient": None,
                "unsubscribe_url": "",
                "url": absolute_url(seance_path(gs, "codev:seance_case")),
            },
        )
        return lambda user: email

    def describe(self, object_ids):
        with scopes_disabled():
            seances = GroupSession.objects.filter(pk__in=set(object_ids)).select_related(
                "organisation", "session", "group"
            )
            return {
                gs.pk: Described(
                    label=_("Cas de CODEV — %(title)s") % {"title": gs.session.title},
                    url=seance_path(gs),
                )
                for gs in seances
            }


class FollowUpRule(SeanceRule):
    code = "codev_follow_up"
    position = 61
    label = gettext_lazy("CODEV : suivi des engagements")
    kind = "codev.follow_up"

    def due(self, start, end, *, organisation_id=None):
        with scopes_disabled():
            seances = self.seances(start, end, organisation_id)
            moments = self.moments(seances, start, end) if seances else {}
            by_group: dict[int, list] = {}
            for gs in seances:
                if gs.pk in moments:
                    by_group.setdefault(gs.group_id, []).append(gs)
            if not by_group:
                return []
            cases = list(
                Case.objects.filter(
                    group_session__group_id__in=list(by_group),
                    commitments__isnull=False,
                    follow_up_asked_at__isnull=True,
                    follow_up_at__isnull=True,
                )
                .distinct()
                .select_related("organisation", "group_session__session", "client__user")
                .order_by("pk")
            )
            people = client_people([case.client for case in cases])
        planned = []
        for case in cases:
            held_at = case.group_session.session.starts_at
            # The first séance of the group after the one of the case.
            later = [
                gs
                for gs in by_group[case.group_session.group_id]
                if held_at is not None and gs.session.starts_at > held_at
            ]
            if not later:
                continue
            gs = min(later, key=lambda row: row.session.starts_at)
            offset, due_at, expires_at = moments[gs.pk][0]
            planned.extend(
                self.planned(
                    case,
                    people[case.client_id],
                    occasion=FOLLOW_UP,
                    due_at=due_at,
                    url=seance_path(case.group_session, "codev:seance_follow_up"),
                    programme_id=gs.session.programme_id,
                    expires_at=expires_at,
                    offset=offset,
                )
            )
        return planned

    def when(self, subject) -> str:
        return format_session_when(subject.group_session.session) if subject is not None else ""

    def prepare(self, reminders):
        mark_follow_up_asked(case_ids={reminder.object_id for reminder in reminders})

    def build_email(self, organisation, reminders):
        case = reminders[0].subject
        subject = _("CODEV : que sont devenus vos engagements ? — %(title)s") % {
            "title": case.title
        }
        email = services.render_email(
            template="codev/email/follow_up_request",
            subject=subject,
            organisation=organisation,
            context={
                "case": case,
                "commitments": list(case.commitments.select_related("owner")),
                "recipient": None,
                "unsubscribe_url": "",
                "url": absolute_url(seance_path(case.group_session, "codev:seance_follow_up")),
            },
        )
        return lambda user: email

    def describe(self, object_ids):
        with scopes_disabled():
            cases = Case.objects.filter(pk__in=set(object_ids)).select_related(
                "organisation", "group_session"
            )
            return {
                case.pk: Described(
                    label=_("Suivi du cas « %(title)s »") % {"title": case.title},
                    url=seance_path(case.group_session),
                )
                for case in cases
            }


RULES = (CaseToPrepareRule(), FollowUpRule())


@receiver(reminder_rules, dispatch_uid="codev.reminder_rules")
def contribute_reminder_rules(sender, **kwargs):
    """The rules of codev, for the reminder engine."""
    return list(RULES)
