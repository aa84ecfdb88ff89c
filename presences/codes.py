"""The short code of a half-day, shown in the room (with its QR) so that people sign on
their own phone.

A code is six characters of an unambiguous alphabet (no 0/O, 1/I/L), derived from the
secret key, the session and the half-day: nothing is stored, a code is bound to one
session and one half-day, and it cannot be guessed from another. It is accepted only
during its half-day's signing window: from ``OPENS_BEFORE`` (15 minutes) before the
half-day starts to the moment it ends, the same window as signing on the tablet.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.models import Session
from parcours.services.common import zone_of
from presences.halfdays import HalfDaySlot, half_days
from sillon.formatting import format_day, format_time

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
# Signing opens this long before a half-day starts (people arrive early) and closes
# when it ends.
OPENS_BEFORE = timedelta(minutes=15)


def signing_code(session: Session, slot: HalfDaySlot) -> str:
    message = f"emargement:{session.organisation_id}:{session.pk}:{slot.day}:{slot.half_day}"
    digest = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _index in range(LENGTH):
        number, rest = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[rest])
    return "".join(chars)


def normalise_code(raw: str) -> str:
    """What was typed, as a code: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:20]


def window(slot: HalfDaySlot) -> tuple[datetime, datetime]:
    return slot.starts_at - OPENS_BEFORE, slot.ends_at


def window_error(slot: HalfDaySlot, now: datetime | None = None) -> str:
    """Why ``slot`` cannot be signed now (« La signature ouvre à 13 h 45 »), or ""."""
    now = now or timezone.now()
    opens, closes = window(slot)
    if now < opens:
        opens_local = opens.astimezone(slot.starts_at.tzinfo)
        if opens_local.date() != now.astimezone(slot.starts_at.tzinfo).date():
            return _("La signature ouvre le %(day)s à %(time)s.") % {
                "day": format_day(opens_local.date()),
                "time": format_time(opens_local),
            }
        return _("La signature ouvre à %(time)s.") % {"time": format_time(opens_local)}
    if now >= closes:
        return _("La signature de cette demi-journée est close depuis %(time)s.") % {
            "time": format_time(closes.astimezone(slot.starts_at.tzinfo))
        }
    return ""


def current_slot(session: Session, now: datetime | None = None) -> HalfDaySlot | None:
    """The half-day whose signing window is open now, if any."""
    now = now or timezone.now()
    for slot in half_days(session, zone_of(session.organisation)):
        opens, closes = window(slot)
        if opens <= now < closes:
            return slot
    return None


@dataclass(frozen=True)
class CodeMatch:
    session: Session
    slot: HalfDaySlot


def find_code(organisation, code: str, *, session: Session | None = None) -> CodeMatch | None:
    """The session and half-day of ``code`` among today's sessions of ``organisation``
    (or only ``session``'s half-days when given). A code of another day is not found:
    it has expired."""
    code = normalise_code(code)
    if len(code) != LENGTH:
        return None
    zone = zone_of(organisation)
    now = timezone.now().astimezone(zone)
    start = datetime.combine(now.date(), time.min, zone) - OPENS_BEFORE
    end = datetime.combine(now.date() + timedelta(days=1), time.min, zone) + OPENS_BEFORE
    if session is not None:
        sessions = [session]
    else:
        sessions = Session.objects.filter(
            organisation=organisation, starts_at__lt=end, ends_at__gt=start
        ).select_related("organisation", "programme")
    for candidate in sessions:
        if candidate.starts_at is None or candidate.is_cancelled:
            continue
        for slot in half_days(candidate, zone):
            if slot.day != now.date():
                continue
            if hmac.compare_digest(signing_code(candidate, slot), code):
                return CodeMatch(candidate, slot)
    return None
