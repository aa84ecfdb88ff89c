"""Reads of electronic émargement: each person's signatures of a session, the days of
its sheet, and how a signature is written (« signé à 9 h 34 (téléphone) »). Two
queries whatever the number of people."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from presences.models import AttendanceSignature, SheetDay
from presences.strokes import strokes_svg
from sillon.formatting import format_time


def signatures_of(session) -> dict[int, dict[tuple[date, str], AttendanceSignature]]:
    found: dict[int, dict] = {}
    for signature in AttendanceSignature.objects.filter(session=session).only(
        "pk", "user_id", "day", "half_day", "signed_at", "method", "strokes", "typed_name"
    ):
        found.setdefault(signature.user_id, {})[(signature.day, signature.half_day)] = signature
    return found


def sheet_days(sheet) -> dict[date, SheetDay]:
    if sheet is None:
        return {}
    return {
        sheet_day.day: sheet_day
        for sheet_day in SheetDay.objects.filter(sheet=sheet).select_related("validated_by")
    }


def signed_text(signature: AttendanceSignature, zone) -> str:
    """« signé à 9 h 34 (tablette) »."""
    moment = signature.signed_at.astimezone(zone)
    return _("signé à %(time)s (%(method)s)") % {
        "time": format_time(moment),
        "method": signature.get_method_display(),
    }


def electronic_text(signature: AttendanceSignature, zone) -> str:
    """« signé électroniquement à 9 h 34 (téléphone) »."""
    moment = signature.signed_at.astimezone(zone)
    return _("signé électroniquement à %(time)s (%(method)s)") % {
        "time": format_time(moment),
        "method": signature.get_method_display(),
    }


@dataclass
class SignatureMark:
    """What a sheet shows for a signature: the drawing, or the typed name."""

    svg: str
    typed_name: str
    text: str


def mark_of(signature: AttendanceSignature, zone, *, label: str = "") -> SignatureMark:
    svg = strokes_svg(signature.strokes, label=label, width=100) if signature.strokes else ""
    return SignatureMark(svg, signature.typed_name, electronic_text(signature, zone))
