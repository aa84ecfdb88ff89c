"""Questionnaire reminders: when a launched campaign opens, each respondent is told
(« Questionnaire à remplir »); N days before it closes (J-3 by default, adjustable per
programme), those who have not answered yet are reminded.

Respondents are the members of the target teams (one response per team), the target
people (one per person) or the assessors (evaluations of teams or people); computed for
all the campaigns due at once with ``evaluation.targets.targets`` (a fixed
number of queries), and non-respondents from the submitted responses and the
participations of anonymous campaigns of all of them (two more queries).

Due moments follow the organisation's wall clock and the quiet hours (nothing between
21:00 and 07:00). Occasions name the moment they are about (``open@<opens_at>``,
``J-3@<closes_at>``): a campaign whose opening or closing moves gets a new reminder, the
ones already sent keep theirs. Each is worth sending until the campaign closes or the
next reminder of the same rule is due. The opening notice is sent once even when it was
missed: a campaign launched hours after its opening moment, or opened while the scans
were down, gets it at the next scan (within ``MAX_CATCH_UP`` of its moment), as long as
none was claimed for that opening. A campaign closing sooner after its opening than
every closing offset gets one closing reminder halfway (``late_moment``).
Cancelled campaigns, drafts and campaigns of programmes not published plan nothing; a
closed one is past its expiry.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from evaluation.models import Campaign, Participation
from evaluation.notices import campaign_email, campaign_path, detail_path
from evaluation.services.opening import record_audience_fallback
from evaluation.targets import answered, follows_sheet, pending_respondents, targets
from notifications.models import Category, ReminderLog
from notifications.reminders import (
    MAX_CATCH_UP,
    MAX_OFFSET,
    Described,
    ReminderRule,
    days_before,
    deadline_schedule,
    planning_together,
    quiet_hours,
    reminder_rules,
    shared,
)
from parcours.models import Programme
from presences.models import Attendance
from sillon.formatting import format_moment

UTC = ZoneInfo("UTC")
# Quiet hours only ever push a reminder later, by less than this (21:00 → 07:00).
QUIET_SPAN = timedelta(hours=12)
LOOKAHEAD = timedelta(days=MAX_OFFSET + 1)


def _launched():
    """Launched campaigns of published programmes (never external ones: nothing is sent
    for them), with the moment their session's attendance was first recorded."""
    first_recorded = Attendance.objects.filter(session=OuterRef("session")).order_by("updated_at")
    # Whether an anonymous answer was sent: none, no participation to read.
    sent = Participation.objects.filter(campaign=OuterRef("pk"), submitted_at__isnull=False)
    return (
        Campaign.objects.filter(
            status=Campaign.Status.LAUNCHED,
            programme__status=Programme.Status.PUBLISHED,
            external=False,
        )
        .select_related("organisation", "programme", "session")
        .annotate(
            sheet_recorded=Subquery(first_recorded.values("updated_at")[:1]),
            anonymous_answered=Exists(sent),
        )
    )


def invitation_moment(campaign, opens_due):
    """When the invitation of ``campaign`` goes: at its opening (``opens_due``), or for a
    campaign waiting for its session's sheet, once the sheet is recorded (attendees) or
    at the end of the wait (the registered), whichever comes first."""
    wait = campaign.sheet_wait_until
    if not follows_sheet(campaign) or wait is None or campaign.audience_fallback:
        return opens_due
    recorded = getattr(campaign, "sheet_recorded", None)
    moment = min(recorded, wait) if recorded is not None else wait
    return max(opens_due, moment)


class _Lazy:
    """A set read on the first membership test (``load()``), or never."""

    def __init__(self, load):
        self._load, self._items = load, None

    def __contains__(self, item) -> bool:
        if self._items is None:
            self._items = self._load()
        return item in self._items


class _CampaignRule(ReminderRule):
    category = Category.REQUESTS
    notice = ""

    def when(self, subject) -> str:
        if subject is None:
            return ""
        return _("Clôture le %(when)s") % {
            "when": format_moment(subject.closes_at, subject.organisation)
        }

    @abstractmethod
    def _moment(self, campaign, offset: int, zone: ZoneInfo):
        """When the reminder of ``offset`` for ``campaign`` is due, or None when it makes
        no sense (after the closing, before the opening)."""

    def _schedule(self, campaign, offsets, zone: ZoneInfo) -> list[tuple]:
        """[(offset, due_at, expires_at)] of the campaign's reminders of this rule."""
        moments = [(offset, self._moment(campaign, offset, zone)) for offset in offsets]
        return deadline_schedule(
            [(offset, due_at) for offset, due_at in moments if due_at is not None],
            closes_at=campaign.closes_at,
            zone=zone,
        )

    def _already_sent(self, campaigns) -> set:
        """What ``_overdue`` needs to know of the log (one query at most)."""
        return set()

    def _overdue(self, campaign, offset, due_at, end, sent) -> bool:
        """Whether a reminder due before the window is still to be sent now."""
        return False

    @abstractmethod
    def _window(self, start, end) -> Q:
        """The launched campaigns this rule looks at for the window ``(start, end]``."""

    def _candidates(self, start, end, organisation_id) -> list:
        """The campaigns of ``_window`` (one query). When the rules plan together (the
        coordinator's page), both rules' candidates are read in one query, each row
        flagged with the windows it falls in."""

        def launched():
            campaigns = _launched()
            if organisation_id is not None:
                campaigns = campaigns.filter(organisation_id=organisation_id)
            return campaigns

        if not planning_together():
            return list(launched().filter(self._window(start, end)))

        def load():
            windows = {rule.code: rule._window(start, end) for rule in RULES}
            either = Q()
            for window in windows.values():
                either |= window
            flags = {
                f"in_{code}": ExpressionWrapper(window, output_field=BooleanField())
                for code, window in windows.items()
            }
            return list(launched().filter(either).annotate(**flags).order_by("pk"))

        rows = shared(("evaluation.campaigns", start, end, organisation_id), load)
        return [campaign for campaign in rows if getattr(campaign, f"in_{self.code}")]

    def _targets(self, chosen, start, end, organisation_id):
        """(targets, submitted keys, anonymous answers) of ``chosen``: when the rules plan
        together, those of every candidate of both rules, read once."""
        if not planning_together():
            return (targets(chosen), *answered(chosen))

        def load():
            rows = shared(("evaluation.campaigns", start, end, organisation_id), list)
            return (targets(rows), *answered(rows))

        return shared(("evaluation.targets", start, end, organisation_id), load)

    def _due_moments(self, campaigns, start, end) -> tuple[list, dict]:
        """The campaigns with a reminder due in ``(start, end]`` (or overdue, see
        ``_overdue``) among the candidate ``campaigns`` (plus the settings' and the
        log's queries), and {campaign id: [(offset, due_at, expires_at)]}."""
        if not campaigns:
            return [], {}
        settings = self.settings_for(campaign.programme_id for campaign in campaigns)
        # Read only when a reminder due before the window may still be owed.
        sent = _Lazy(lambda: self._already_sent(campaigns))
        zones: dict[str, ZoneInfo] = {}
        moments: dict[int, list] = {}
        for campaign in campaigns:
            enabled, offsets = settings[campaign.programme_id]
            if not enabled:
                continue
            zone = self._zone(campaign, zones)
            for offset, due_at, expires_at in self._schedule(campaign, offsets, zone):
                if start < due_at <= end or self._overdue(campaign, offset, due_at, end, sent):
                    moments.setdefault(campaign.pk, []).append((offset, due_at, expires_at))
        return [campaign for campaign in campaigns if campaign.pk in moments], moments

    def _zone(self, campaign, zones: dict) -> ZoneInfo:
        name = campaign.organisation.time_zone
        return zones.get(name) or zones.setdefault(name, ZoneInfo(name))

    def _planned(self, campaign, people, *, occasion, due_at, expires_at, offset=None):
        return self.planned(
            campaign,
            people,
            occasion=occasion,
            due_at=due_at,
            url=campaign_path(campaign),
            programme_id=campaign.programme_id,
            expires_at=expires_at,
            offset=offset,
        )

    def describe(self, object_ids):
        with scopes_disabled():
            campaigns = Campaign.objects.filter(pk__in=set(object_ids)).select_related(
                "organisation"
            )
            return {
                campaign.pk: Described(
                    label=campaign.title,
                    url=detail_path(campaign),
                    extra={"closes_at": campaign.closes_at, "status": campaign.status},
                )
                for campaign in campaigns
            }


class CampaignOpenRule(_CampaignRule):
    """At the opening (offset 0), to every respondent; later offsets (days after the
    opening, « 0, 7 ») remind those who have not answered yet."""

    code = "campaign_open"
    position = 20
    label = gettext_lazy("Ouverture d'un questionnaire")
    kind = "evaluation.open"
    notice = "open"
    default_offsets = (0,)
    offset_unit_label = gettext_lazy("jours après l'ouverture")
    offset_help = gettext_lazy(
        "Des nombres de jours séparés par des virgules, de 0 à 90 : « 0 » prévient à "
        "l'ouverture ; « 0, 7 » relance aussi une semaine après ceux qui n'ont pas répondu."
    )

    @staticmethod
    def due_at(opens_at, offset: int, zone: ZoneInfo, *, closes_at=None):
        return quiet_hours(days_before(opens_at, -offset, zone), zone, limit=closes_at)

    def _moment(self, campaign, offset, zone):
        due_at = self.due_at(campaign.opens_at, offset, zone, closes_at=campaign.closes_at)
        if offset == 0:
            moment = invitation_moment(campaign, due_at)
            if moment != due_at:
                due_at = quiet_hours(moment, zone, limit=campaign.closes_at)
        return due_at if due_at < campaign.closes_at else None

    @staticmethod
    def occasion(opens_at, offset: int) -> str:
        moment = opens_at.astimezone(UTC).isoformat()
        return f"open@{moment}" if offset == 0 else f"J+{offset}@{moment}"

    def _already_sent(self, campaigns) -> set:
        """(campaign id, occasion) of the opening notices already claimed."""
        return set(
            ReminderLog.objects.filter(
                rule=self.code,
                object_id__in=[campaign.pk for campaign in campaigns],
                occasion__startswith="open@",
            )
            .values_list("object_id", "occasion")
            .distinct()
        )

    def _overdue(self, campaign, offset, due_at, end, sent) -> bool:
        # An opening notice missed (launched after its moment, scans down): sent late.
        return (
            offset == 0
            and end - MAX_CATCH_UP < due_at <= end
            and (campaign.pk, self.occasion(campaign.opens_at, 0)) not in sent
        )

    def _window(self, start, end):
        since = min(start, end - MAX_CATCH_UP) - QUIET_SPAN - LOOKAHEAD
        return Q(opens_at__gt=since, opens_at__lte=end, closes_at__gt=start)

    def due(self, start, end, *, organisation_id=None):
        with scopes_disabled():
            campaigns = self._candidates(start, end, organisation_id)
            chosen, moments = self._due_moments(campaigns, start, end)
            if not chosen:
                return []
            if planning_together():
                found, keys, anonymous_done = self._targets(chosen, start, end, organisation_id)
            else:
                found = targets(chosen)
                later = [c for c in chosen if any(offset for offset, *_rest in moments[c.pk])]
                keys, anonymous_done = answered(later)
        planned = []
        for campaign in chosen:
            if campaign.pk in found.waiting:
                continue  # nobody is invited (nor reminded) before the sheet
            for offset, due_at, expires_at in moments[campaign.pk]:
                if offset == 0:
                    people = found.respondents(campaign)
                else:
                    people = pending_respondents(
                        campaign,
                        found,
                        keys.get(campaign.pk, set()),
                        anonymous_done.get(campaign.pk, set()),
                    )
                planned.extend(
                    self._planned(
                        campaign,
                        people,
                        occasion=self.occasion(campaign.opens_at, offset),
                        due_at=due_at,
                        expires_at=expires_at,
                        offset=offset,
                    )
                )
        return planned

    def offset_label(self, offset):
        if not offset:
            return _("Ouverture")
        return f"J+{offset}"

    def build_email(self, organisation, reminders):
        campaign = reminders[0].subject
        if reminders[0].offset:
            subject = _("Rappel : questionnaire à remplir — %(title)s") % {"title": campaign.title}
            notice = "closing"
        else:
            subject = _("Questionnaire à remplir : %(title)s") % {"title": campaign.title}
            notice = "open"
            # The wait for the sheet ended without one: this invitation goes to the
            # registered, and the campaign keeps that audience.
            record_audience_fallback(campaign=campaign)
        email = campaign_email(campaign, organisation, notice=notice, subject=subject)
        return lambda user: email


class CampaignClosingRule(_CampaignRule):
    code = "campaign_closing"
    position = 30
    label = gettext_lazy("Questionnaire bientôt clos")
    kind = "evaluation.closing"
    notice = "closing"
    default_offsets = (3,)
    offset_unit_label = gettext_lazy("jours avant la clôture")
    offset_help = gettext_lazy(
        "Des nombres de jours séparés par des virgules, de 0 à 90 : « 3 » relance trois "
        "jours avant la clôture ceux qui n'ont pas encore répondu."
    )

    @staticmethod
    def due_at(closes_at, offset: int, zone: ZoneInfo):
        return quiet_hours(days_before(closes_at, offset, zone), zone, limit=closes_at)

    def _moment(self, campaign, offset, zone):
        return self.due_at(campaign.closes_at, offset, zone)

    def _schedule(self, campaign, offsets, zone):
        # Before the invitation the « open » notice says it all; a campaign shorter than
        # every offset gets one reminder halfway.
        return deadline_schedule(
            [(offset, self._moment(campaign, offset, zone)) for offset in offsets],
            opened_at=invitation_moment(campaign, campaign.opens_at),
            closes_at=campaign.closes_at,
            zone=zone,
        )

    def _window(self, start, end):
        return Q(closes_at__gt=start, closes_at__lte=end + LOOKAHEAD)

    def due(self, start, end, *, organisation_id=None):
        with scopes_disabled():
            campaigns = self._candidates(start, end, organisation_id)
            chosen, moments = self._due_moments(campaigns, start, end)
            if not chosen:
                return []
            found, keys, anonymous_done = self._targets(chosen, start, end, organisation_id)
        planned = []
        for campaign in chosen:
            if campaign.pk in found.waiting:
                continue
            people = pending_respondents(
                campaign,
                found,
                keys.get(campaign.pk, set()),
                anonymous_done.get(campaign.pk, set()),
            )
            for offset, due_at, expires_at in moments[campaign.pk]:
                occasion = f"J-{offset}@{campaign.closes_at.astimezone(UTC).isoformat()}"
                planned.extend(
                    self._planned(
                        campaign,
                        people,
                        occasion=occasion,
                        due_at=due_at,
                        expires_at=expires_at,
                        offset=offset,
                    )
                )
        return planned

    def build_email(self, organisation, reminders):
        campaign = reminders[0].subject
        subject = _("Plus que quelques jours : %(title)s (jusqu'au %(deadline)s)") % {
            "title": campaign.title,
            "deadline": format_moment(campaign.closes_at, organisation),
        }
        email = campaign_email(campaign, organisation, notice="closing", subject=subject)
        return lambda user: email


RULES = (CampaignOpenRule(), CampaignClosingRule())


@receiver(reminder_rules, dispatch_uid="evaluation.reminder_rules")
def contribute_reminder_rules(sender, **kwargs):
    """The rules of evaluation, for the reminder engine."""
    return list(RULES)
