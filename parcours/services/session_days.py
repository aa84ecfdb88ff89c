"""The times of each day of a session (``SessionDay``): kept in step with the session's
dates and day agenda, and changed by a coordinator on the « Horaires » page."""

from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.services import record
from parcours.actions import Action
from parcours.days import DayTimes, daily_hours, default_days
from parcours.models import Session, SessionDay
from parcours.services.common import zone_of
from sillon.formatting import format_day, format_time

TIME_FIELDS = ("morning_starts", "morning_ends", "afternoon_starts", "afternoon_ends")


def _row_times(row) -> DayTimes:
    return DayTimes(row.day, *(getattr(row, name) for name in TIME_FIELDS))


def _fits(times: DayTimes, opens: time, closes: time, *, first: bool, last: bool) -> bool:
    slots = times.slots
    if not slots:
        return False
    return (not first or slots[0][1] >= opens) and (not last or slots[-1][2] <= closes)


def sync_session_days(session: Session, *, keep_edited: bool = True) -> list[SessionDay]:
    """Create, move or drop ``session``'s day rows so there is one per local day of the
    session, with the default times (organisation, day agenda). Days a coordinator
    edited are kept while they still fit the session. Used inside a service's
    transaction."""
    organisation = session.organisation
    existing = {row.day: row for row in SessionDay.objects.filter(session=session)}
    if not session.is_dated:
        SessionDay.objects.filter(session=session).delete()
        return []
    agenda = list(session.agenda_items.all()) if session.pk else []
    defaults = default_days(session, organisation, agenda)
    hours = daily_hours(session, zone_of(organisation), organisation)
    wanted = {times.day for times in defaults}
    SessionDay.objects.filter(session=session).exclude(day__in=wanted).delete()
    rows = []
    for index, times in enumerate(defaults):
        row = existing.get(times.day)
        _day, opens, closes = hours[index]
        first, last = index == 0, index == len(defaults) - 1
        if (
            row is not None
            and row.edited
            and keep_edited
            and _fits(_row_times(row), opens, closes, first=first, last=last)
        ):
            rows.append(row)
            continue
        if row is None:
            row = SessionDay(organisation=organisation, session=session, day=times.day)
        for name in TIME_FIELDS:
            setattr(row, name, getattr(times, name))
        row.edited = False
        row.save()
        rows.append(row)
    return rows


@dataclass
class DayChange:
    """What the « Horaires » form sends for one day: its times, a half left empty when
    the day has no morning or no afternoon."""

    day: object  # date
    morning_starts: time | None = None
    morning_ends: time | None = None
    afternoon_starts: time | None = None
    afternoon_ends: time | None = None


def validate_day(session: Session, change: DayChange, *, first: bool, last: bool) -> dict:
    """Errors for one day, keyed by field name (French messages)."""
    errors: dict[str, list[str]] = {}
    for half, label in (("morning", _("la matinée")), ("afternoon", _("l'après-midi"))):
        starts, ends = getattr(change, f"{half}_starts"), getattr(change, f"{half}_ends")
        if (starts is None) != (ends is None):
            missing = f"{half}_ends" if ends is None else f"{half}_starts"
            errors.setdefault(missing, []).append(
                _("Indiquez le début et la fin de %(half)s, ou aucun des deux.") % {"half": label}
            )
        elif starts is not None and ends <= starts:
            errors.setdefault(f"{half}_ends", []).append(
                _("La fin de %(half)s doit suivre son début.") % {"half": label}
            )
    if errors:
        return errors
    times = DayTimes(change.day, *(getattr(change, name) for name in TIME_FIELDS))
    if not times.slots:
        errors.setdefault("morning_starts", []).append(
            _("Indiquez au moins une demi-journée pour ce jour.")
        )
        return errors
    if (
        change.morning_ends is not None
        and change.afternoon_starts is not None
        and change.afternoon_starts < change.morning_ends
    ):
        errors.setdefault("afternoon_starts", []).append(
            _("L'après-midi commence avant la fin de la matinée (%(end)s).")
            % {"end": format_time(change.morning_ends)}
        )
    zone = zone_of(session.organisation)
    start = session.starts_at.astimezone(zone)
    end = session.ends_at.astimezone(zone)
    first_field = times.slots[0][0] + "_starts"
    last_field = times.slots[-1][0] + "_ends"
    if first and not session.all_day and times.slots[0][1] < start.time():
        errors.setdefault(first_field, []).append(
            _("La séance commence à %(time)s ce jour-là.") % {"time": format_time(start)}
        )
    if last and not session.all_day and times.slots[-1][2] > end.time() and end.time() != time(0):
        errors.setdefault(last_field, []).append(
            _("La séance finit à %(time)s ce jour-là.") % {"time": format_time(end)}
        )
    return errors


@transaction.atomic
def save_session_days(*, session: Session, acting_user, changes: list[DayChange]) -> None:
    """Set the times of the session's days. Refused as a whole, with errors per day
    (``ValidationError`` whose dict maps ``"<index>-<field>"`` to messages)."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("Une séance annulée ne peut plus être modifiée."))
    rows = {row.day: row for row in sync_session_days(session)}
    ordered = sorted(rows)
    errors: dict[str, list[str]] = {}
    for index, change in enumerate(changes):
        if change.day not in rows:
            errors.setdefault(f"{index}-morning_starts", []).append(
                _("Le %(day)s ne fait pas partie de la séance.") % {"day": format_day(change.day)}
            )
            continue
        day_errors = validate_day(
            session, change, first=change.day == ordered[0], last=change.day == ordered[-1]
        )
        for name, messages in day_errors.items():
            errors.setdefault(f"{index}-{name}", []).extend(messages)
    if errors:
        raise ValidationError(errors)
    changed = []
    for change in changes:
        row = rows[change.day]
        values = {name: getattr(change, name) for name in TIME_FIELDS}
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.edited = True
            row.save()
            changed.append(change.day.isoformat())
    if changed:
        record(
            organisation=session.organisation,
            actor=acting_user,
            action=Action.SESSION_TIMES_UPDATED,
            target=session.title,
            session=session.pk,
            days=changed,
        )
