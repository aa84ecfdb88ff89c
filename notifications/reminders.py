"""The reminder engine's rules: each app above contributes the rules of the objects it
owns through the ``reminder_rules`` extension point, from its ``reminders.py``
(``parcours``: sessions J-7 and J-1, signatures pending; ``sondages``: date polls
closing; ``evaluation``: questionnaires opening and closing).

A rule answers one question in bulk: which reminders fall due between two moments
(``due(start, end)``), each a :class:`PlannedReminder` naming its (rule, object,
recipient, occasion) — the key of the reminder log — and when it is due. The periodic
scan (``notifications.scan``) claims those keys before writing any message; the
coordinator's "rappels à venir" page lists the same plan for the next days.

Times: a rule computes the due moment on the organisation's wall clock (J-1 of a Monday
09:00 session is Sunday 09:00 local, on either side of a daylight saving change), then
applies the quiet hours with :func:`quiet_hours`: nothing between 21:00 and 07:00 local.

Catching up: each reminder says until when it is worth sending (``expires_at``: a
session's start, a poll's or a campaign's closing, or the moment the next reminder of
the same series takes over, see :func:`deadline_schedule`), so a scan that was down
sends what fell due meanwhile and nothing stale. A deadline closer than every offset
(a poll opened 30 hours before it closes, with an H-48 reminder) gets one reminder at
:func:`late_moment`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from notifications.models import Category
from sillon.extensions import ExtensionPoint

# Quiet hours, local time: a reminder falling in [21:00, 07:00) waits until 07:00.
QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(7, 0)
# A reminder whose offsets all fall before its object opened goes once, at least this
# long before the deadline and at least LATE_AFTER_OPENING after the opening message.
LATE_MARGIN = timedelta(hours=2)
LATE_AFTER_OPENING = timedelta(hours=1)
# How far back a scan that was down catches up (and how long an opening notice not sent
# yet, a campaign launched after its opening moment, is still sent).
MAX_CATCH_UP = timedelta(days=7)
# Bounds a coordinator may choose for an offset, and how many offsets per rule.
MAX_OFFSET = 90
MAX_OFFSETS = 5


@dataclass(eq=False)
class PlannedReminder:
    """One reminder to one person, as planned by a rule (not yet claimed)."""

    rule: str
    organisation_id: int
    object_id: int
    recipient: object  # accounts.User
    occasion: str
    due_at: datetime  # aware, UTC
    url: str
    # The moment after which the reminder makes no sense any more (the session's start).
    expires_at: datetime | None = None
    offset: int | None = None
    # What the rule needs to build the e-mail and the pages to describe it.
    subject: object = None  # e.g. the Session
    programme_id: int | None = None

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.rule, self.object_id, self.recipient.pk, self.occasion)


@dataclass
class Described:
    """How the pages name a rule's object: a label and a link (empty when gone)."""

    label: str
    url: str = ""
    extra: dict = field(default_factory=dict)


def quiet_hours(moment: datetime, zone: ZoneInfo, *, limit: datetime | None = None) -> datetime:
    """``moment`` moved out of the quiet hours of ``zone`` (to the next 07:00 local),
    never after ``limit``; returned in UTC."""
    local = moment.astimezone(zone)
    wall = local.time()
    if wall >= QUIET_FROM:
        local = datetime.combine(local.date() + timedelta(days=1), QUIET_UNTIL, zone)
    elif wall < QUIET_UNTIL:
        local = datetime.combine(local.date(), QUIET_UNTIL, zone)
    result = local.astimezone(ZoneInfo("UTC"))
    if limit is not None and result > limit:
        result = limit
    return result


def is_quiet(moment: datetime, zone: ZoneInfo) -> bool:
    """Whether ``moment`` falls in the quiet hours of ``zone``."""
    wall = moment.astimezone(zone).time()
    return wall >= QUIET_FROM or wall < QUIET_UNTIL


def late_moment(opened_at: datetime, closes_at: datetime, zone: ZoneInfo) -> datetime | None:
    """When the one reminder of a deadline closer than its offsets goes: halfway between
    the opening and the close, at the latest ``LATE_MARGIN`` before the close and at the
    earliest ``LATE_AFTER_OPENING`` after the opening; out of the quiet hours (the next
    morning, or when that is too late, the evening before them). None when no moment
    fits (a deadline too close to its opening)."""
    earliest, latest = opened_at + LATE_AFTER_OPENING, closes_at - LATE_MARGIN
    if latest < earliest:
        return None
    moment = max(earliest, min(opened_at + (closes_at - opened_at) / 2, latest))
    held = quiet_hours(moment, zone)
    if held <= latest:
        return held
    local = moment.astimezone(zone)
    day = local.date() if local.time() >= QUIET_FROM else local.date() - timedelta(days=1)
    evening = datetime.combine(day, QUIET_FROM, zone) - LATE_AFTER_OPENING
    evening = evening.astimezone(ZoneInfo("UTC"))
    return evening if earliest <= evening <= latest else None


def days_before_schedule(
    starts_at: datetime, offsets: Iterable[int], zone: ZoneInfo
) -> list[tuple[int, datetime, datetime]]:
    """[(offset, due_at, expires_at)] of the reminders ``offsets`` days before
    ``starts_at`` (a séance), each moved out of the quiet hours: the schedule of the rules
    that remind people before a session starts."""
    return deadline_schedule(
        [
            (offset, quiet_hours(days_before(starts_at, offset, zone), zone, limit=starts_at))
            for offset in offsets
        ],
        closes_at=starts_at,
        zone=zone,
    )


def deadline_schedule(
    moments: Iterable[tuple[int, datetime]],
    *,
    closes_at: datetime,
    zone: ZoneInfo,
    opened_at: datetime | None = None,
) -> list[tuple[int, datetime, datetime]]:
    """[(offset, due_at, expires_at)] of the reminders of one deadline, from each
    offset's due moment: those strictly between the opening (when given) and the close,
    each worth sending until the next one is due (the last until the close), so a scan
    catching up sends the latest, not a burst. When an opening is given and no offset
    fits, one reminder (the smallest offset's) at :func:`late_moment`."""
    moments = list(moments)
    fitting = sorted(
        (
            (offset, due_at)
            for offset, due_at in moments
            if due_at < closes_at and (opened_at is None or opened_at < due_at)
        ),
        key=lambda pair: pair[1],
    )
    if not fitting and moments and opened_at is not None:
        late = late_moment(opened_at, closes_at, zone)
        if late is not None:
            fitting = [(min(offset for offset, _due in moments), late)]
    return [
        (offset, due_at, fitting[index + 1][1] if index + 1 < len(fitting) else closes_at)
        for index, (offset, due_at) in enumerate(fitting)
    ]


def days_before(moment: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The same wall-clock time ``days`` days before ``moment`` in ``zone`` (so J-1 of a
    Monday 09:00 is Sunday 09:00 local, whatever the UTC offsets of the two days)."""
    local = moment.astimezone(zone)
    wall = local.replace(tzinfo=None) - timedelta(days=days)
    return wall.replace(tzinfo=zone)


class ReminderRule(ABC):
    """A kind of reminder. Subclasses set the class attributes and implement ``due`` and
    ``build_email`` (and ``describe`` for the pages)."""

    code: str = ""
    label = ""
    category = Category.REMINDERS
    kind = ""  # OutboxMessage.kind / Notification.kind of what it sends
    default_offsets: tuple[int, ...] = ()
    offset_unit_label = _("jours avant")
    # Where the rule comes on the coordinator's pages (reminder settings, upcoming).
    position = 100

    @abstractmethod
    def due(
        self, start: datetime, end: datetime, *, organisation_id: int | None = None
    ) -> list[PlannedReminder]:
        """Every reminder due in ``(start, end]`` (of one organisation, or all), computed
        with a constant number of queries whatever the data. Called outside any tenant
        scope; it must filter on ``organisation_id`` itself when given."""

    @abstractmethod
    def build_email(self, organisation, reminders: list[PlannedReminder]):
        """``build(user) -> services.Email`` for a group of reminders of one object and
        occasion (the same message for every recipient of the group)."""

    def prepare(self, reminders: list[PlannedReminder]) -> None:
        """Load, in a constant number of queries, what ``build_email`` reads of the
        subjects of ``reminders`` beyond what ``due`` loaded (called in the tenant's
        scope before the groups are built). Nothing by default."""
        return None

    def planned(
        self,
        subject,
        people,
        *,
        occasion: str,
        due_at: datetime,
        url: str,
        programme_id: int | None,
        expires_at: datetime | None = None,
        offset: int | None = None,
    ) -> list[PlannedReminder]:
        """This rule's reminder about ``subject`` (a tenant row: a session, a poll…) to
        each person of ``people``, for one occasion."""
        return [
            PlannedReminder(
                rule=self.code,
                organisation_id=subject.organisation_id,
                object_id=subject.pk,
                recipient=user,
                occasion=occasion,
                due_at=due_at,
                url=url,
                expires_at=expires_at,
                offset=offset,
                subject=subject,
                programme_id=programme_id,
            )
            for user in people
        ]

    def describe(self, object_ids: Iterable[int]) -> dict[int, Described]:
        """How the pages name the objects of the reminder log (one query)."""
        return {}

    def probe(self, start: datetime, end: datetime, organisation):
        """An ``Exists`` over the rule's candidate rows of the organisation
        ``organisation`` (an ``OuterRef`` to its id), false only when ``due(start,
        end)`` surely plans nothing for it; None (the default) when the rule always
        plans. The coordinator's page reads every rule's probe with the reminder
        settings, in one query, and skips the rules with nothing to look at (see
        :func:`settings_preloaded`)."""
        return None

    def settings_for(self, programme_ids: Iterable[int]) -> dict[int, tuple[bool, list[int]]]:
        """{programme id: (enabled, offsets)} for this rule (one query; the defaults for
        a programme without a setting). Called inside or outside a tenant scope."""
        from django_scopes import scopes_disabled

        from notifications.models import ReminderSetting

        ids = set(programme_ids)
        preloaded = _preloaded_settings.get()
        if preloaded is not None:
            chosen = {
                programme_id: preloaded[self.code, programme_id]
                for programme_id in ids
                if (self.code, programme_id) in preloaded
            }
        else:
            with scopes_disabled():
                chosen = {
                    setting.programme_id: _setting_value(setting)
                    for setting in ReminderSetting.objects.filter(
                        rule=self.code, programme_id__in=ids
                    )
                }
        defaults = (True, list(self.default_offsets))
        return {pk: chosen.get(pk, defaults) for pk in ids}

    def when(self, subject) -> str:
        """The date that matters about ``subject``, in words, for the pages (a session's
        date, a questionnaire's closing)."""
        return ""

    offset_help = _(
        "Des nombres de jours séparés par des virgules, de 0 à 90, cinq au plus : "
        "« 7, 1 » envoie un rappel une semaine avant, puis la veille."
    )

    def offset_label(self, offset: int | None) -> str:
        return f"J-{offset}" if offset is not None else ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


# {(rule code, programme id): (enabled, offsets)} while ``settings_preloaded`` runs.
_preloaded_settings: ContextVar[dict | None] = ContextVar("reminder_settings", default=None)
# What the rules planning together share while ``settings_preloaded`` runs: {key: value}.
_shared_loads: ContextVar[dict | None] = ContextVar("reminder_shared_loads", default=None)
_planning_organisation: ContextVar[int | None] = ContextVar("reminder_organisation", default=None)


def planning_together() -> bool:
    """Whether the rules plan together (within ``settings_preloaded``), sharing what they
    load through :func:`shared`."""
    return _shared_loads.get() is not None


def shared[T](key, load: Callable[[], T]) -> T:
    """``load()``, computed once per planning for ``key`` when several rules plan together
    (within ``settings_preloaded``: the coordinator's page), so that rules needing the
    same rows (two rules of one app reading the same candidates, two apps reading the
    teams of the same sessions) read them once; outside, simply ``load()``. ``key``
    names what is loaded and everything it depends on (the window, the organisation)."""
    table = _shared_loads.get()
    if table is None:
        return load()
    if key not in table:
        table[key] = load()
    return table[key]


def shared_by_id(
    name: str, ids: Iterable[int], load: Callable[[set[int]], dict], *, empty: Iterable[int] = ()
) -> dict:
    """{id: value} for ``ids``, where ``load(missing ids)`` returns {id: value} (an id
    without a value is absent): within one planning, the ids already loaded under
    ``name`` by another rule are not loaded again (one query for the others, none when
    every id is known); outside, simply ``load(ids)``. ``empty``: ids of ``ids`` the
    caller knows to have no value (an annotation said so), never loaded, and remembered
    as such for the other rules."""
    empty = set(empty)
    ids = set(ids) - empty
    table = _shared_loads.get()
    if table is None:
        return load(ids) if ids else {}
    known = table.setdefault(("by_id", name), {})
    for pk in empty:
        known.setdefault(pk, _ABSENT)
    missing = ids - known.keys()
    if missing:
        found = load(missing)
        for pk in missing:
            known[pk] = found.get(pk, _ABSENT)
    return {pk: known[pk] for pk in ids if known[pk] is not _ABSENT}


_ABSENT = object()


def _setting_value(setting) -> tuple[bool, list[int]]:
    return setting.enabled, sorted(set(setting.offsets), reverse=True)


@dataclass
class Preloaded:
    """What :func:`settings_preloaded` read: whether each probe found something, and the
    rows of the host queryset it was given (annotated)."""

    probes: dict[str, bool] = field(default_factory=dict)
    rows: list = field(default_factory=list)

    def found(self, name: str) -> bool:
        """False only when the probe ``name`` was read and found nothing."""
        return self.probes.get(name, True)


def planning_organisation() -> int | None:
    """The organisation the rules plan for together (within ``settings_preloaded``), so
    that a rule may load that organisation's rows once (its current team members…) and
    pick from them; None outside."""
    return _planning_organisation.get()


def _read_settings(organisation_id: int, probes: dict, host) -> tuple[dict, Preloaded]:
    """({(rule, programme id): (enabled, offsets)}, what was read) in one query: the
    probes and the settings as annotations of ``host`` (the organisation's programmes,
    read for a page anyway: a subquery per rule and field), or of the organisation (one
    row per setting, or one with empty columns when there is none)."""
    from django.db.models import OuterRef, Subquery

    from notifications.models import ReminderSetting
    from organisations.models import Organisation

    preloaded = Preloaded()
    outer = OuterRef("organisation_id" if host is not None else "pk")
    expressions = {name: probe(outer) for name, probe in probes.items()}
    expressions = {name: value for name, value in expressions.items() if value is not None}
    names = {f"probe_{index}": name for index, name in enumerate(expressions)}
    table = {}
    if host is not None:
        codes = {f"setting_{index}": code for index, code in enumerate(registered_rules())}
        annotations = {alias: expressions[name] for alias, name in names.items()}
        for alias, code in codes.items():
            chosen = ReminderSetting.objects.filter(programme=OuterRef("pk"), rule=code)
            annotations[f"{alias}_enabled"] = Subquery(chosen.values("enabled")[:1])
            annotations[f"{alias}_offsets"] = Subquery(chosen.values("offsets")[:1])
        rows = preloaded.rows = list(host.annotate(**annotations))
        for row in rows:
            for alias, code in codes.items():
                enabled = getattr(row, f"{alias}_enabled")
                if enabled is not None:
                    offsets = getattr(row, f"{alias}_offsets")
                    table[code, row.pk] = (enabled, sorted(set(offsets), reverse=True))
        if rows:
            preloaded.probes = {
                name: bool(getattr(rows[0], alias)) for alias, name in names.items()
            }
        return table, preloaded
    setting = ReminderSetting._meta.model_name
    fields = [f"{setting}__{name}" for name in ("rule", "programme_id", "enabled")]
    rows = list(
        Organisation.objects.filter(pk=organisation_id)
        .annotate(**{alias: expressions[name] for alias, name in names.items()})
        .values(*names, *fields, f"{setting}__offsets")
    )
    for row in rows:
        rule, programme_id, enabled = (row[name] for name in fields)
        if rule is not None:
            offsets = row[f"{setting}__offsets"]
            table[rule, programme_id] = (enabled, sorted(set(offsets), reverse=True))
    if rows:
        preloaded.probes = {name: bool(rows[0][alias]) for alias, name in names.items()}
    return table, preloaded


@contextmanager
def settings_preloaded(
    organisation_id: int,
    *,
    probes: dict | None = None,
    host=None,
    host_key=None,
) -> Iterator[Preloaded]:
    """Within the block, every rule's ``settings_for`` reads the reminder settings of
    ``organisation_id``'s programmes loaded here in one query, instead of one query per
    rule (the coordinator's page plans every rule of one organisation), and the rules
    share what they load through :func:`shared` and :func:`shared_by_id`. ``probes``
    ({name: a function of the organisation's ``OuterRef`` returning an ``Exists``, see
    :meth:`ReminderRule.probe`) are read by the same query, as annotations of ``host``
    (a queryset of the organisation's programmes the page lists) when given; the block
    gets their answers and the host's rows (:class:`Preloaded`), shared with the rules
    under ``host_key`` (see :func:`shared`). A programme of another organisation gets
    the defaults: use it only around rules planning for ``organisation_id``."""
    from django_scopes import scopes_disabled

    from notifications.models import ReminderSetting

    with scopes_disabled():
        if probes or host is not None:
            table, preloaded = _read_settings(organisation_id, probes or {}, host)
        else:
            preloaded = Preloaded()
            table = {
                (setting.rule, setting.programme_id): _setting_value(setting)
                for setting in ReminderSetting.objects.filter(organisation_id=organisation_id)
            }
    token = _preloaded_settings.set(table)
    loads = _shared_loads.set({host_key: preloaded.rows} if host_key is not None else {})
    organisation = _planning_organisation.set(organisation_id)
    try:
        yield preloaded
    finally:
        _planning_organisation.reset(organisation)
        _shared_loads.reset(loads)
        _preloaded_settings.reset(token)


reminder_rules = ExtensionPoint(
    "notifications.reminder_rules",
    "The reminder rules the periodic scan runs and the coordinator's pages list: each "
    "receiver returns a list of ReminderRule instances (one per code, the code unique "
    "across apps).",
    many=True,
)


def registered_rules() -> dict[str, ReminderRule]:
    """Every contributed rule, by code, in the order the pages list them (``position``)."""
    rules = sorted(reminder_rules.collect(), key=lambda rule: rule.position)
    return {rule.code: rule for rule in rules}


def get_rule(code: str) -> ReminderRule | None:
    return registered_rules().get(code)
