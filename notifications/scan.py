"""The periodic reminder scan, the plan of the days to come, and what was sent to whom.

``scan(now)`` asks every registered rule what is due in ``(now - LOOKBACK, now]``,
claims each (rule, object, recipient, occasion) by inserting its row in the reminder
log (a unique constraint: ``INSERT … ON CONFLICT DO NOTHING``), reads back the rows its
own claim token won, and only then writes the messages, through
``notifications.services.send``. A second scan running at the same time, a retried task
or a second worker finds the rows taken and writes nothing: each reminder is written
once. The lookback lets a scan missed during a restart catch up, while a reminder older
than that (the server was down for a day) is dropped rather than sent late; a reminder
whose object has started (a J-1 of a session under way) is never sent.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from notifications import services
from notifications.models import Channel, Preference, ReminderLog
from notifications.reminders import PlannedReminder, registered_rules
from organisations.models import Organisation

logger = logging.getLogger(__name__)

LOOKBACK = timedelta(hours=6)
UPCOMING_DAYS = 14


@dataclass
class ScanResult:
    planned: int = 0  # due in the window
    claimed: int = 0  # won by this scan
    written: int = 0  # reminders with a message written (queued or held)
    skipped: int = 0  # reminders claimed but not sent (preference "rien", no address…)
    failed_groups: int = 0


def scan(now: datetime | None = None) -> ScanResult:
    """Claim and write every reminder due now. Tenant-free: crosses organisations."""
    now = now or timezone.now()
    result = ScanResult()
    planned: list[PlannedReminder] = []
    for rule in registered_rules().values():
        planned.extend(
            reminder
            for reminder in rule.due(now - LOOKBACK, now)
            if reminder.expires_at is None or reminder.expires_at > now
        )
    result.planned = len(planned)
    if not planned:
        return result
    won = claim(planned)
    mine = [reminder for reminder in planned if reminder.key in won]
    result.claimed = len(mine)
    if not mine:
        return result
    # One batch per (organisation, rule): a fixed number of queries however many
    # sessions and people are due; each batch in its own transaction, so a failure
    # leaves only its rows "claimed" (visible, never sent twice) and the others go on.
    batches: dict[tuple, list[PlannedReminder]] = defaultdict(list)
    for reminder in mine:
        batches[(reminder.organisation_id, reminder.rule)].append(reminder)
    organisations = Organisation.objects.in_bulk({key[0] for key in batches})
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
    return result


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
    organisation: Organisation, *, days: int = UPCOMING_DAYS, now: datetime | None = None
) -> list[UpcomingDay]:
    """What the scans will send for ``organisation`` in the next ``days`` days, grouped
    by local day: the rules' plan minus what is already claimed and minus the people
    who turned the category off."""
    now = now or timezone.now()
    end = now + timedelta(days=days)
    zone = ZoneInfo(organisation.time_zone)
    planned: list[PlannedReminder] = []
    rules = registered_rules()
    for rule in rules.values():
        planned.extend(rule.due(now, end, organisation_id=organisation.pk))
    if not planned:
        return []
    with scopes_disabled():
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
