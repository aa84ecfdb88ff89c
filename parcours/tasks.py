"""Convocations, change and cancellation notices, and the calendar sent when a
programme is published.

The services dispatch ``send_session_notices`` and ``send_programme_convocations`` on
commit. Each fans out one task per recipient, so a retry (the mail server refused a
message) never sends twice to the people already served. Every task re-reads the
session and drops a notice that no longer makes sense: a session since cancelled gets no
convocation, a draft programme's sessions get nothing.
"""

from datetime import datetime
from email.message import MIMEPart
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation
from organisations.tasks import tenant_task

from . import ical
from .formatting import format_day, format_period, format_session_when
from .models import Programme, Session, SessionFormat
from .selectors import expected_participants

User = get_user_model()

CONVOCATION = "convocation"
CHANGE = "change"
CANCELLATION = "cancellation"
NOTICES = (CONVOCATION, CHANGE, CANCELLATION)

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


# --- Sending -------------------------------------------------------------------------


def _calendar_part(content: bytes, *, method: str, filename: str) -> MIMEPart:
    """The .ics attachment, typed ``text/calendar; method=…`` so mail clients offer to
    add (or update, or remove) the event."""
    part = MIMEPart()
    # As bytes (base64), so the CRLF line endings RFC 5545 requires survive.
    part.set_content(
        content,
        maintype="text",
        subtype="calendar",
        params={"charset": "utf-8", "method": method},
        disposition="attachment",
        filename=filename,
    )
    return part


def send_calendar_mail(
    *,
    organisation: Organisation,
    to: str,
    subject: str,
    template: str,
    context: dict,
    calendar: bytes | None,
    method: str,
    filename: str = "invitation.ics",
) -> None:
    """Like ``sillon.mail.send_templated_mail`` with an .ics attached; replies go to the
    organisation's contact address when it has one."""
    context = {
        "subject": subject,
        "site_url": settings.SITE_URL,
        "organisation": organisation,
        **context,
    }
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[to],
        reply_to=[organisation.contact_email] if organisation.contact_email else None,
    )
    message.attach_alternative(html, "text/html")
    if calendar is not None:
        message.attach(_calendar_part(calendar, method=method, filename=filename))
    message.send()


# --- What a recipient reads ----------------------------------------------------------


def _presence(session: Session, user, *, facilitator_ids: set[int]) -> str:
    if user.pk in facilitator_ids:
        return _("Vous intervenez à cette séance.")
    if session.audience == Session.Audience.OPEN:
        return _("Vous êtes inscrit·e à cette séance.")
    if session.expected_presence == Session.Presence.ONE_ROLE and session.expected_role:
        return _("Présence attendue : %(role)s.") % {"role": session.expected_role.name}
    if session.expected_presence == Session.Presence.WHOLE_TEAM_REQUIRED:
        return _("La présence de toute l'équipe est indispensable.")
    if session.expected_presence == Session.Presence.ANY:
        return _("Au moins un membre de chaque équipe est attendu.")
    return _("La présence de toute l'équipe est souhaitable.")


def _session_context(session: Session, user, *, facilitator_ids: set[int]) -> dict:
    return {
        "session": session,
        "recipient": user,
        "when": format_session_when(session),
        "session_url": ical.session_url(session),
        "presence": _presence(session, user, facilitator_ids=facilitator_ids),
        "place": " ".join(session.place.split()) if session.is_in_person else "",
        "visio_url": session.visio_url if session.is_remote else "",
    }


def _parse_moment(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value)
    return None


def describe_changes(session: Session, details: dict) -> list[dict]:
    """What changed, old → new, in words: [{"label", "before", "after"}]. ``details``
    comes from ``services.update_session``: the changed field names and the previous
    value of every significant field (dates as ISO strings)."""
    changed = set(details.get("changed") or [])
    previous = details.get("previous") or {}
    zone = ZoneInfo(session.organisation.time_zone)
    rows = []
    if changed & {"starts_at", "ends_at", "all_day"}:
        starts_at = _parse_moment(previous.get("starts_at"))
        ends_at = _parse_moment(previous.get("ends_at"))
        before = (
            format_period(starts_at, ends_at, zone, all_day=bool(previous.get("all_day")))
            if starts_at and ends_at
            else ""
        )
        rows.append(
            {
                "label": _("Date et horaire"),
                "before": before,
                "after": format_session_when(session),
            }
        )
    if "format" in changed:
        old = previous.get("format")
        rows.append(
            {
                "label": _("Format"),
                "before": SessionFormat(old).label if old in SessionFormat.values else "",
                "after": session.get_format_display(),
            }
        )
    if "place" in changed:
        rows.append(
            {
                "label": _("Lieu"),
                "before": " ".join((previous.get("place") or "").split()),
                "after": " ".join(session.place.split()),
            }
        )
    if "visio_url" in changed:
        rows.append(
            {
                "label": _("Lien de visio"),
                "before": previous.get("visio_url") or "",
                "after": session.visio_url,
            }
        )
    return rows


# --- Session notices -----------------------------------------------------------------


def _load_session(session_id: int) -> Session | None:
    return (
        Session.objects.select_related("organisation", "programme", "kind", "expected_role")
        .filter(pk=session_id)
        .first()
    )


def _still_relevant(session: Session | None, notice: str) -> bool:
    """Whether ``notice`` about ``session`` should still go out now."""
    if session is None or not session.programme.is_published:
        return False
    if session.ends_at <= timezone.now():
        return False  # nobody needs a convocation or a notice for what is over
    if notice == CANCELLATION:
        return session.is_cancelled
    # A convocation or a change for a session cancelled (or back to "à confirmer")
    # since: the cancellation notice, or the next convocation, says what matters.
    return session.status == Session.Status.SCHEDULED


def _recipient_ids(session: Session) -> list[int]:
    return list(
        expected_participants(session)
        .filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@tenant_task(**RETRY)
def send_session_notices(
    organisation: Organisation,
    session_id: int,
    notice: str,
    *,
    sequence: int | None = None,
    details: dict | None = None,
) -> int:
    """Fan a convocation, change or cancellation notice out to every expected person.
    Returns how many messages were queued."""
    if notice not in NOTICES:
        raise ValueError(f"unknown notice {notice!r}")
    session = _load_session(session_id)
    if not _still_relevant(session, notice):
        return 0
    recipients = _recipient_ids(session)
    for user_id in recipients:
        send_session_notice_to.delay(
            organisation.pk, session_id, notice, user_id, sequence=sequence, details=details
        )
    return len(recipients)


@tenant_task(**RETRY)
def send_session_notice_to(
    organisation: Organisation,
    session_id: int,
    notice: str,
    user_id: int,
    *,
    sequence: int | None = None,
    details: dict | None = None,
) -> bool:
    """One notice to one person, with the session as it is now (its current SEQUENCE:
    a later change already bumped it, and the newest .ics must win in the client)."""
    session = _load_session(session_id)
    if not _still_relevant(session, notice):
        return False
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    facilitator_ids = set(session.facilitators.values_list("pk", flat=True))
    item = _session_context(session, user, facilitator_ids=facilitator_ids)
    context = {**item, "item": item}
    day = format_day(session.starts_at.astimezone(ZoneInfo(organisation.time_zone)).date())
    method = ical.REQUEST
    if notice == CONVOCATION:
        subject = _("Convocation : %(title)s — %(day)s") % {"title": session.title, "day": day}
    elif notice == CHANGE:
        subject = _("Changement : %(title)s") % {"title": session.title}
        context["changes"] = describe_changes(session, details or {})
    else:
        subject = _("Annulation : %(title)s") % {"title": session.title}
        method = ical.CANCEL
    send_calendar_mail(
        organisation=organisation,
        to=user.email,
        subject=subject,
        template=f"parcours/email/{notice}",
        context=context,
        calendar=ical.invitation_calendar([session], attendee=user, method=method),
        method=method,
    )
    return True


# --- Programme publication -----------------------------------------------------------


def _upcoming_sessions(programme: Programme):
    return (
        Session.objects.filter(programme=programme, ends_at__gt=timezone.now())
        .exclude(status=Session.Status.CANCELLED)
        .select_related("organisation", "programme", "kind", "expected_role")
        .order_by("starts_at", "pk")
    )


@tenant_task(**RETRY)
def send_programme_convocations(organisation: Organisation, programme_id: int) -> int:
    """On publication, one e-mail per person with all their upcoming sessions of the
    programme and one .ics holding them (rather than a message per session)."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None or not programme.is_published:
        return 0
    # One query per session: a one-off task, and the same rule as every other notice.
    sessions_by_user: dict[int, list[int]] = {}
    for session in _upcoming_sessions(programme):
        for user_id in _recipient_ids(session):
            sessions_by_user.setdefault(user_id, []).append(session.pk)
    for user_id, session_ids in sorted(sessions_by_user.items()):
        send_programme_calendar_to.delay(organisation.pk, programme_id, user_id, session_ids)
    return len(sessions_by_user)


@tenant_task(**RETRY)
def send_programme_calendar_to(
    organisation: Organisation, programme_id: int, user_id: int, session_ids: list[int]
) -> bool:
    """The calendar of one person: scheduled sessions in the .ics, the ones still "à
    confirmer" listed apart (their convocation comes when the date is confirmed)."""
    programme = Programme.objects.filter(pk=programme_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if programme is None or not programme.is_published or user is None:
        return False
    sessions = list(
        _upcoming_sessions(programme).filter(pk__in=session_ids).prefetch_related("facilitators")
    )
    scheduled = [s for s in sessions if s.status == Session.Status.SCHEDULED]
    tentative = [s for s in sessions if s.status == Session.Status.TENTATIVE]
    if not sessions:
        return False

    def rows(items):
        return [
            _session_context(
                session,
                user,
                facilitator_ids={person.pk for person in session.facilitators.all()},
            )
            for session in items
        ]

    subject = _("Votre calendrier du parcours %(programme)s") % {"programme": programme.name}
    send_calendar_mail(
        organisation=organisation,
        to=user.email,
        subject=subject,
        template="parcours/email/programme_calendar",
        context={
            "programme": programme,
            "recipient": user,
            "scheduled": rows(scheduled),
            "tentative": rows(tentative),
        },
        calendar=ical.invitation_calendar(scheduled, attendee=user) if scheduled else None,
        method=ical.REQUEST,
        filename="calendrier.ics",
    )
    return True
