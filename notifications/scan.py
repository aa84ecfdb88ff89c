"""The periodic reminder scan, the plan of the days to come, and what was sent to whom.

``scan(now)`` asks every registered rule what is due since the scan last ran (its
high-water mark, a ``ScanMark`` row: ``(mark, now]``; ``(now - LOOKBACK, now]`` the very
first time, never further back than ``MAX_CATCH_UP``), keeps what is still worth sending
(each reminder's ``expires_at``: a J-1 of a session under way is dropped, a J-7 sent a
day late is not), claims each (rule, object, recipient, occasion) by inserting its row
in the reminder log (a unique constraint: ``INSERT … ON CONFLICT DO NOTHING``), reads
back the rows its own claim token won, and only then writes the messages, through
``notifications.services.send``. A second scan running at the same time, a retried task
or a second worker finds the rows taken and writes nothing: each reminder is written
once. A reminder caught up late while its organisation is in its quiet hours waits for
the morning: the mark stays before it, so the next scans see it again. The mark moves
forward once the scan has written its messages, never backwards.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from notifications import services
from notifications.models import Channel, Preference, ReminderLog, ScanMark
from notifications.reminders import (
    MAX_CATCH_UP,
    PlannedReminder,
    is_quiet,
    registered_rules,
    settings_preloaded,
)
from organisations.models import Organisation

logger = logging.getLogger(__name__)

# The window of the very first scan (no mark yet), or after the clock went back.
LOOKBACK = timedelta(hours=6)
MARK = "reminders"
# A reminder found in the quiet hours less late than this (due at 20:58, scanned at
# 21:00) goes at once; a later one waits for the morning.
QUIET_GRACE = timedelta(minutes=15)
UPCOMING_DAYS = 14
# The probe of the reminder log on the coordinator's page (not a rule's code).
CLAIMED = "reminder_log.claimed"


@dataclass
class ScanResult:
    planned: int = 0  # due in the window
    claimed: int = 0  # won by this scan
    written: int = 0  # reminders with a message written (queued or held)
    skipped: int = 0  # reminders claimed but not sent (preference "rien", no address…)
    failed_groups: int = 0
    expired: int = 0  # due in the window but no longer worth sending
    deferred: int = 0  # caught up during the quiet hours: left for the morning
    start: datetime | None = None  # the window looked at: (start, now]


def window_start(now: datetime, mark: datetime | None) -> datetime:
    """Where the scan at ``now`` starts looking, from the mark the last scan left."""
    if mark is None or mark >= now:  # the first scan, or the clock went back
        return now - LOOKBACK
    return max(mark, now - MAX_CATCH_UP)


def _read_mark() -> datetime | None:
    return ScanMark.objects.filter(name=MARK).values_list("reached_at", flat=True).first()


def _advance_mark(current: datetime | None, reached: datetime) -> None:
    """Move the mark to ``reached``, never backwards (one query either way: a second
    scan may have moved it further meanwhile)."""
    if current is None:
        ScanMark.objects.bulk_create(
            [ScanMark(name=MARK, reached_at=reached)], ignore_conflicts=True
        )
    else:
        ScanMark.objects.filter(name=MARK, reached_at__lt=reached).update(reached_at=reached)


def scan(now: datetime | None = None) -> ScanResult:
    """Claim and write every reminder due since the last scan and still worth sending.
    Tenant-free: crosses organisations."""
    now = now or timezone.now()
    mark = _read_mark()
    start = window_start(now, mark)
    result = ScanResult(start=start)
    due: list[PlannedReminder] = []
    for rule in registered_rules().values():
        due.extend(rule.due(start, now))
    planned = [r for r in due if r.expires_at is None or r.expires_at > now]
    result.expired = len(due) - len(planned)
    organisations = Organisation.objects.in_bulk({r.organisation_id for r in planned})
    # Nothing is due in the quiet hours: what is found then was missed, and waits for
    # the morning (the mark stays before it so that the next scans see it again).
    quiet = {
        pk
        for pk, organisation in organisations.items()
        if is_quiet(now, ZoneInfo(organisation.time_zone))
    }
    held = {id(r) for r in planned if r.organisation_id in quiet and r.due_at < now - QUIET_GRACE}
    waiting = [r for r in planned if id(r) in held]
    planned = [r for r in planned if id(r) not in held]
    result.planned, result.deferred = len(planned), len(waiting)
    reached = min([now] + [r.due_at - timedelta(microseconds=1) for r in waiting])
    if planned:
        _claim_and_write(planned, organisations, result)
    _advance_mark(mark, reached)
    if result.expired or result.deferred or start < now - LOOKBACK:
        logger.info(
            "reminder scan from %s: %s planned, %s expired, %s deferred",
            start,
            result.planned,
            result.expired,
            result.deferred,
        )
    return result


def _claim_and_write(planned: list[PlannedReminder], organisations, result: ScanResult) -> None:
    won = claim(planned)
    mine = [reminder for reminder in planned if reminder.key in won]
    result.claimed = len(mine)
    if not mine:
        return
    # One batch per (organisation, rule): a fixed number of queries however many
    # sessions and people are due; each batch in its own transaction, so a failure
    # leaves only its rows "claimed" (visible, never sent twice) and the others go on.
    batches: dict[tuple, list[PlannedReminder]] = defaultdict(list)
    for reminder in mine:
        batches[(reminder.organisation_id, reminder.rule)].append(reminder)
    rules = registered_rules()
    for (organisation_id, rule_code), reminders in batches.items():
        try:
            written = _write(organisations[organisation_id], rules[rule_code], reminders, won)
        except Exception:
            logger.exception(
                "reminders of %s for organisation %s failed", rule_code, organisation_id
            )
            result.failed_groups += 1
            continue
        result.written += written
        result.skipped += len(reminders) - written


def claim(planned: list[PlannedReminder]) -> dict[tuple, int]:
    """Insert a log row per planned reminder, ignoring the keys already there; return
    {key: log id} of the rows this call inserted (those carrying its fresh token)."""
    token = uuid.uuid4().hex
    with scopes_disabled():
        ReminderLog.objects.bulk_create(
            [
                ReminderLog(
                    organisation_id=reminder.organisation_id,
                    rule=reminder.rule,
                    object_id=reminder.object_id,
                    recipient_id=reminder.recipient.pk,
                    occasion=reminder.occasion,
                    due_at=reminder.due_at,
                    claim_token=token,
                )
                for reminder in planned
            ],
            ignore_conflicts=True,
        )
        rows = ReminderLog.objects.filter(claim_token=token).values_list(
            "pk", "rule", "object_id", "recipient_id", "occasion"
        )
        return {
            (rule, object_id, recipient_id, occasion): pk
            for pk, rule, object_id, recipient_id, occasion in rows
        }


def _write(organisation: Organisation, rule, reminders: list[PlannedReminder], won) -> int:
    """Write the messages of one organisation's reminders of one rule and mark their log
    rows, in one transaction. Returns how many reminders got a message."""
    groups: dict[tuple, list[PlannedReminder]] = defaultdict(list)
    for reminder in reminders:
        groups[(reminder.object_id, reminder.occasion)].append(reminder)
    deliveries: list[tuple[PlannedReminder, services.Delivery]] = []
    with scope(organisation=organisation.pk), transaction.atomic():
        rule.prepare(reminders)
        for group in groups.values():
            build = rule.build_email(organisation, group)
            deliveries.extend(
                (reminder, services.Delivery(reminder.recipient, build, reminder.url))
                for reminder in group
            )
        services.send_batch(
            organisation=organisation,
            deliveries=[delivery for _reminder, delivery in deliveries],
            kind=rule.kind,
            category=rule.category,
            unsubscribe=True,
        )
        logs = [
            ReminderLog(
                pk=won[reminder.key],
                status=ReminderLog.Status.QUEUED
                if delivery.message
                else ReminderLog.Status.SKIPPED,
                message=delivery.message,
            )
            for reminder, delivery in deliveries
        ]
        ReminderLog.objects.bulk_update(logs, ["status", "message"])
    return sum(1 for _reminder, delivery in deliveries if delivery.message)


# --- The coordinator's pages -----------------------------------------------------------


@dataclass
class UpcomingItem:
    due_at: datetime  # local time of the organisation
    rule: object
    object_id: int
    occasion: str
    offset_label: str
    url: str
    title: str
    when: str
    recipients: list = field(default_factory=list)


@dataclass
class UpcomingDay:
    day: date
    items: list[UpcomingItem]


def upcoming(
    organisation: Organisation,
    *,
    days: int = UPCOMING_DAYS,
    now: datetime | None = None,
) -> list[UpcomingDay]:
    """What the scans will send for ``organisation`` in the next ``days`` days, grouped
    by local day: the rules' plan minus what is already claimed and minus the people
    who turned the category off."""
    return _upcoming(organisation, days=days, now=now)[0]


def upcoming_listing(
    organisation: Organisation, programmes, *, key, days: int = UPCOMING_DAYS
) -> tuple[list[UpcomingDay], list]:
    """(:func:`upcoming`, the rows of ``programmes``): ``programmes`` is the page's
    queryset of the organisation's programmes, read in the same query as the reminder
    settings and the rules' probes (as its annotations), and shared with the rules
    under ``key``."""
    return _upcoming(organisation, days=days, host=programmes, host_key=key)


def _upcoming(
    organisation, *, days, now=None, host=None, host_key=None
) -> tuple[list[UpcomingDay], list]:
    now = now or timezone.now()
    end = now + timedelta(days=days)
    zone = ZoneInfo(organisation.time_zone)
    planned: list[PlannedReminder] = []
    rules = registered_rules()

    def claims(outer):
        return Exists(
            ReminderLog.objects.filter(organisation_id=outer, due_at__gt=now, due_at__lte=end)
        )

    # Read with the settings, in one query: which rules have anything to look at, and
    # whether anything of the window is claimed already.
    probes = {CLAIMED: claims}
    for code, rule in rules.items():
        probes[code] = partial(rule.probe, now, end)
    with settings_preloaded(
        organisation.pk, probes=probes, host=host, host_key=host_key
    ) as preloaded:
        for code, rule in rules.items():
            if preloaded.found(code):
                planned.extend(rule.due(now, end, organisation_id=organisation.pk))
    return _grouped(organisation, planned, preloaded, rules, now, end, zone), preloaded.rows


def _grouped(organisation, planned, preloaded, rules, now, end, zone) -> list[UpcomingDay]:
    """The plan minus what is claimed and who turned the category off, by local day."""
    if not planned:
        return []
    with scopes_disabled():
        claimed = set()
        if preloaded.found(CLAIMED):
            claimed = set(
                ReminderLog.objects.filter(
                    organisation_id=organisation.pk, due_at__gt=now, due_at__lte=end
                ).values_list("rule", "object_id", "recipient_id", "occasion")
            )
        silenced = set(
            Preference.objects.filter(
                user_id__in={reminder.recipient.pk for reminder in planned},
                channel=Channel.OFF,
            ).values_list("user_id", "category")
        )
    items: dict[tuple, UpcomingItem] = {}
    for reminder in planned:
        rule = rules[reminder.rule]
        if reminder.key in claimed or (reminder.recipient.pk, rule.category) in silenced:
            continue
        key = (reminder.rule, reminder.object_id, reminder.occasion, reminder.due_at)
        item = items.get(key)
        if item is None:
            subject = reminder.subject
            item = items[key] = UpcomingItem(
                due_at=reminder.due_at.astimezone(zone),
                rule=rule,
                object_id=reminder.object_id,
                occasion=reminder.occasion,
                offset_label=rule.offset_label(reminder.offset),
                url=reminder.url,
                title=str(getattr(subject, "title", subject or "")),
                when=rule.when(subject),
            )
        item.recipients.append(reminder.recipient)
    by_day: dict[date, list[UpcomingItem]] = defaultdict(list)
    for item in sorted(items.values(), key=lambda item: (item.due_at, item.title)):
        item.recipients.sort(key=lambda user: (user.last_name, user.first_name, user.email))
        by_day[item.due_at.date()].append(item)
    return [UpcomingDay(day=day, items=day_items) for day, day_items in by_day.items()]


@dataclass
class HistoryRow:
    log: ReminderLog
    rule_label: str
    offset_label: str
    title: str
    url: str


def history(organisation: Organisation, user, *, limit: int = 200) -> list[HistoryRow]:
    """The reminders claimed for ``user`` in ``organisation``, newest first, with their
    message (and its delivery status)."""
    logs = list(
        ReminderLog.objects.filter(organisation=organisation, recipient=user)
        .select_related("message")
        .order_by("-due_at", "-pk")[:limit]
    )
    rules = registered_rules()
    by_rule: dict[str, set[int]] = defaultdict(set)
    for log in logs:
        by_rule[log.rule].add(log.object_id)
    described = {
        code: rules[code].describe(ids) if code in rules else {} for code, ids in by_rule.items()
    }
    rows = []
    for log in logs:
        rule = rules.get(log.rule)
        found = described.get(log.rule, {}).get(log.object_id)
        rows.append(
            HistoryRow(
                log=log,
                rule_label=str(rule.label) if rule else log.rule,
                offset_label=log.occasion.split("@", 1)[0],
                title=found.label if found else "—",
                url=found.url if found else "",
            )
        )
    return rows
