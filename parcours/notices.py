"""What parcours tells people, written to the outbox (``notifications.services``) by the
service that changes things, inside its transaction (delivery starts after commit):

* convocations, change and cancellation notices of a session, and the calendar sent
  when a programme is published or when a person joins several sessions at once (who is
  convened when is decided and recorded by ``parcours.services.convocations``);
* the « relancer les signataires manquants » of a coordinator about the engagement, and
  the e-mail shared with the signatures-pending reminder rule (``parcours.reminders``);
* the invitation to join a team, at the invited address.

Each session notice is one ``services.send`` call: one outbox row and one in-app
notification per person, delivered after commit. The rules decide at announcement time:
nothing for a session already over or a draft programme; a convocation or a change only
for a scheduled session; a cancellation only for a cancelled one. Changes and
cancellations are mandatory (a person must know their session moved or was cancelled);
convocations and the programme calendar follow the "convocations" preference. The team
invitation is mandatory too: no preference stops it, a bounced address does (the row is
written « suppressed » and the coordinator sees it).
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from notifications import services
from notifications.models import Category
from parcours import ical
from parcours.days import times_by_day
from parcours.models import (
    AgendaItem,
    Convocation,
    EngagementText,
    Programme,
    Session,
    SessionFormat,
    TeamInvitation,
    TeamMember,
)
from parcours.selectors import expected_participants
from sillon.formatting import format_day, format_period, format_session_when
from sillon.mail import absolute_url

User = get_user_model()

# What a session's people are told (``parcours.services.common.announce_session``).
CONVOCATION = "convocation"
CHANGE = "change"
CANCELLATION = "cancellation"
NOTICES = (CONVOCATION, CHANGE, CANCELLATION)

CALENDAR_TYPE = "text/calendar; method={method}; charset=utf-8"

KINDS = {
    CONVOCATION: "session.convocation",
    CHANGE: "session.change",
    CANCELLATION: "session.cancellation",
}
PROGRAMME_CALENDAR = "programme.calendar"
ENGAGEMENT_REMINDER_KIND = "engagement.reminder"
TEAM_INVITATION_KIND = "team.invitation"


# --- What a recipient reads ----------------------------------------------------------


def requirement(session: Session) -> str:
    """Who is expected, in words (« Présence de toute l'équipe indispensable. »); empty for
    an open session (people register)."""
    if session.audience == Session.Audience.OPEN:
        return ""
    if session.expected_presence == Session.Presence.ONE_ROLE and session.expected_role:
        return _("Présence attendue : %(role)s.") % {"role": session.expected_role.name}
    if session.expected_presence == Session.Presence.WHOLE_TEAM_REQUIRED:
        return _("Présence de toute l'équipe indispensable.")
    if session.expected_presence == Session.Presence.ANY:
        return _("Présence d'au moins un membre de chaque équipe.")
    return _("Présence de toute l'équipe souhaitable.")


def _presence(session: Session, user, *, facilitator_ids: set[int]) -> str:
    """What concerns the recipient themself, beyond the session's requirement."""
    if user is not None and user.pk in facilitator_ids:
        return _("Vous intervenez à cette séance.")
    if session.audience == Session.Audience.OPEN:
        return _("Vous êtes inscrit·e à cette séance.")
    return ""


def day_lines(session: Session) -> list[str]:
    """One line per day of a session over several days, with the times of its
    half-days as the attendance sheets have them (« jeudi 4 mars 2027 : 9 h 30 –
    12 h 15 · 13 h 45 – 17 h 45 »); empty for a session on one day."""
    days = times_by_day(session)
    if len(days) < 2:
        return []
    return [
        _("%(day)s : %(times)s") % {"day": format_day(day), "times": times} for day, times in days
    ]


def _name(user) -> str:
    return user.get_full_name() or user.email


def session_facts(session: Session, *, facilitators) -> dict:
    """What every message about ``session`` states: when (day by day over several days),
    where (the address or the visio link), who leads it and who is expected."""
    return {
        "session": session,
        "when": format_session_when(session),
        "days": day_lines(session),
        "session_url": ical.session_url(session),
        "requirement": requirement(session),
        "trainers": ", ".join(_name(person) for person in facilitators),
        "place": " ".join(session.place.split()) if session.is_in_person else "",
        "visio_url": session.visio_url if session.is_remote else "",
    }


def _session_context(session: Session, user, *, facilitators) -> dict:
    return {
        **session_facts(session, facilitators=facilitators),
        "recipient": user,
        "presence": _presence(
            session, user, facilitator_ids={person.pk for person in facilitators}
        ),
    }


def _parse_moment(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value)
    return None


def describe_changes(session: Session, details: dict) -> list[dict]:
    """What changed, old → new, in words: [{"label", "before", "after"}]. ``details``
    comes from ``parcours.services.update_session``: the changed field names and the
    previous value of every significant field (dates as ISO strings)."""
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


def _calendar_attachment(content: bytes, *, method: str, filename: str) -> services.Attachment:
    """The .ics, typed ``text/calendar; method=…`` so mail clients offer to add (or
    update, or remove) the event; delivered base64, so its CRLF line ends survive."""
    return services.Attachment(filename, CALENDAR_TYPE.format(method=method), content)


# --- Who, and whether --------------------------------------------------------------


def _load_session(session_id: int) -> Session | None:
    return (
        Session.objects.select_related("organisation", "programme", "kind", "expected_role")
        .prefetch_related("facilitators", "days")
        .filter(pk=session_id)
        .first()
    )


def still_relevant(session: Session | None, notice: str) -> bool:
    """Whether ``notice`` about ``session`` should go out now."""
    if session is None or not session.programme.is_published:
        return False
    if not session.is_dated:
        return False  # no date yet: nobody is convened to a made-up date
    if session.ends_at <= timezone.now():
        return False  # nobody needs a convocation or a notice for what is over
    if notice == CANCELLATION:
        return session.is_cancelled
    # A convocation or a change for a session cancelled (or back to "à confirmer"):
    # the cancellation notice, or the next convocation, says what matters.
    return session.status == Session.Status.SCHEDULED


def recipients(session: Session, only: set[int] | None = None) -> list:
    """The active people expected at ``session`` (among ``only``, user ids, when given).
    People without an e-mail address still get the in-app notification."""
    # The linked speakers of its agenda too (an outside speaker is expected nowhere else).
    people = User.objects.filter(
        Q(pk__in=expected_participants(session).values("pk"))
        | Q(agenda_items_spoken__session=session),
        is_active=True,
    ).distinct()
    if only is not None:
        people = people.filter(pk__in=only)
    return list(people.order_by("pk"))


def _session_path(session: Session) -> str:
    return reverse(
        "parcours:session_detail",
        kwargs={"organisation_slug": session.organisation.slug, "session_id": session.pk},
    )


def _programme_path(programme: Programme) -> str:
    return reverse(
        "parcours:timeline",
        kwargs={"organisation_slug": programme.organisation.slug, "programme_id": programme.pk},
    )


def _subject(session: Session, notice: str) -> str:
    if notice == CONVOCATION:
        zone = ZoneInfo(session.organisation.time_zone)
        return _("Convocation : %(title)s — %(day)s") % {
            "title": session.title,
            "day": format_day(session.starts_at.astimezone(zone).date()),
        }
    if notice == CHANGE:
        return _("Changement : %(title)s") % {"title": session.title}
    return _("Annulation : %(title)s") % {"title": session.title}


def _session_email(
    session: Session,
    user,
    notice: str,
    *,
    changes: list[dict] = (),
    resent: bool = False,
) -> services.Email:
    """The convocation, change or cancellation of ``session`` for ``user``, with its
    .ics (``session`` has its facilitators prefetched)."""
    method = ical.CANCEL if notice == CANCELLATION else ical.REQUEST
    item = _session_context(session, user, facilitators=list(session.facilitators.all()))
    # A linked speaker: their own items, and an .ics at those items' times.
    spoken = list(AgendaItem.objects.filter(session=session, speaker_people=user))
    item["spoken"] = [f"{row.time_label} — {row.title}" for row in spoken]
    if spoken:
        item["presence"] = _("Vous intervenez à cette séance.")
    if spoken and notice != CANCELLATION:
        calendar = ical.speaker_calendar(session, spoken, attendee=user, method=method)
    else:
        calendar = ical.invitation_calendar([session], attendee=user, method=method)
    # A person must know their session moved or was cancelled: no preference stops it.
    mandatory = notice in (CHANGE, CANCELLATION)
    return services.render_email(
        template=f"parcours/email/session_{notice}",
        subject=_subject(session, notice),
        context={
            **item,
            "item": item,
            "changes": list(changes),
            "url": item["session_url"],
            "mandatory": mandatory,
            "resent": resent,
        },
        organisation=session.organisation,
        attachments=[_calendar_attachment(calendar, method=method, filename="invitation.ics")],
    )


# --- Session notices -----------------------------------------------------------------


def send_session_notice(
    session: Session, notice: str, details: dict | None = None, *, only: set[int] | None = None
) -> list:
    """Queue ``notice`` about ``session`` to every expected person (among ``only``, user
    ids, when given), in the caller's transaction. Returns the outbox rows written.
    Convocations that must be recorded go through ``parcours.services.convocations``."""
    if notice not in NOTICES:
        raise ValueError(f"unknown notice {notice!r}")
    with scope(organisation=session.organisation_id):
        # Re-read: the session as it is now, in this transaction (its current SEQUENCE:
        # the newest .ics must win in the client).
        session = _load_session(session.pk)
        if not still_relevant(session, notice):
            return []
        changes = describe_changes(session, details or {}) if notice == CHANGE else []
        return services.send(
            organisation=session.organisation,
            recipients=recipients(session, only),
            kind=KINDS[notice],
            category=Category.CONVOCATIONS,
            build=lambda user: _session_email(session, user, notice, changes=changes),
            url=_session_path(session),
            mandatory=notice in (CHANGE, CANCELLATION),
        )


# --- Convocations --------------------------------------------------------------------


@dataclass
class Convened:
    """``user`` was told of ``sessions`` by one message (``kind``: a
    ``Convocation.Kind``); ``outbox_message_id`` is None when told in the app only."""

    user: object
    sessions: list
    kind: str
    outbox_message_id: int | None


def _send_tracked(organisation, items: list[tuple], *, message_kind: str) -> list[Convened]:
    """Send ``items`` [(user, sessions, convocation kind, build, url)] and say who was
    told: a person whose preference turns convocations off was not (``build`` is only
    called for the others)."""
    told: set[int] = set()
    deliveries = []
    for user, _sessions, _kind, build, url in items:

        def tracked(person, build=build):
            told.add(person.pk)
            return build(person)

        deliveries.append(services.Delivery(user, tracked, url))
    services.send_batch(
        organisation=organisation,
        deliveries=deliveries,
        kind=message_kind,
        category=Category.CONVOCATIONS,
    )
    return [
        Convened(user, sessions, kind, delivery.message.pk if delivery.message else None)
        for (user, sessions, kind, _build, _url), delivery in zip(items, deliveries, strict=True)
        if user.pk in told
    ]


def load_sessions(session_ids) -> list[Session]:
    """Sessions with what their messages need (scoped by the caller)."""
    return list(
        Session.objects.filter(pk__in=list(session_ids))
        .select_related("organisation", "programme__organisation", "kind", "expected_role")
        .prefetch_related("facilitators", "days")
        .order_by("starts_at", "pk")
    )


def send_convocations(organisation, plan: dict, *, resent: bool = False) -> list[Convened]:
    """Convene each person of ``plan`` ({user id: (user, [sessions])}, the sessions loaded
    by ``load_sessions``, all still relevant) in one message: the session's convocation
    and its .ics when there is one session, else the calendar of the programme with all
    of them in one .ics (one per programme, should they span several)."""
    singles, digests = [], []
    for user_id in sorted(plan):
        user, sessions = plan[user_id]
        by_programme: dict[int, list[Session]] = {}
        for session in sorted(sessions, key=lambda s: (s.starts_at is None, s.starts_at, s.pk)):
            by_programme.setdefault(session.programme_id, []).append(session)
        for items in by_programme.values():
            if len(items) == 1:
                session = items[0]
                kind = Convocation.Kind.RESENT if resent else Convocation.Kind.CONVOCATION

                def build(person, session=session):
                    return _session_email(session, person, CONVOCATION, resent=resent)

                singles.append((user, items, kind, build, _session_path(session)))
            else:
                programme = items[0].programme

                def build(person, programme=programme, items=items):
                    return _calendar_email(programme, person, items, [], published=False)

                digests.append(
                    (user, items, Convocation.Kind.DIGEST, build, _programme_path(programme))
                )
    convened = []
    if singles:
        convened += _send_tracked(organisation, singles, message_kind=KINDS[CONVOCATION])
    if digests:
        convened += _send_tracked(organisation, digests, message_kind=PROGRAMME_CALENDAR)
    return convened


# --- Programme publication -----------------------------------------------------------


def _upcoming_sessions(programme: Programme):
    return (
        Session.objects.filter(programme=programme, ends_at__gt=timezone.now())
        .exclude(status=Session.Status.CANCELLED)
        .select_related("organisation", "programme", "kind", "expected_role")
        .prefetch_related("facilitators", "days")
        .order_by("starts_at", "pk")
    )


def _calendar_email(
    programme: Programme, user, scheduled: list, tentative: list, *, published: bool
) -> services.Email:
    """The calendar of ``programme`` for ``user``: the ``scheduled`` sessions in one
    .ics, the ``tentative`` ones listed apart. ``published``: sent as the programme is
    published (else: the person just joined these sessions)."""

    def rows(items) -> list[dict]:
        return [
            _session_context(session, user, facilitators=list(session.facilitators.all()))
            for session in items
        ]

    attachments = []
    if scheduled:
        calendar = ical.invitation_calendar(scheduled, attendee=user)
        attachments.append(
            _calendar_attachment(calendar, method=ical.REQUEST, filename="calendrier.ics")
        )
    return services.render_email(
        template="parcours/email/session_programme_calendar",
        subject=_("Votre calendrier du parcours %(programme)s") % {"programme": programme.name},
        context={
            "programme": programme,
            "recipient": user,
            "scheduled": rows(scheduled),
            "tentative": rows(tentative),
            "published": published,
            "url": absolute_url(_programme_path(programme)),
            "mandatory": False,
        },
        organisation=programme.organisation,
        attachments=attachments,
    )


def send_programme_calendars(programme: Programme) -> list[Convened]:
    """On publication, one message per person with all their upcoming sessions of the
    programme: the scheduled ones in one .ics, the ones still "à confirmer" listed apart
    (their convocation comes when the date is confirmed). Says who was convened to which
    scheduled session."""
    with scope(organisation=programme.organisation_id):
        programme = Programme.objects.select_related("organisation").filter(pk=programme.pk).first()
        if programme is None or not programme.is_published:
            return []
        # One query per session: a one-off, and the same rule as every other notice.
        sessions_by_user: dict[int, list[Session]] = {}
        people: dict[int, object] = {}
        for session in _upcoming_sessions(programme):
            for user in recipients(session):
                people.setdefault(user.pk, user)
                sessions_by_user.setdefault(user.pk, []).append(session)
        items = []
        for user_id in sorted(people):
            sessions = sessions_by_user[user_id]
            scheduled = [s for s in sessions if s.status == Session.Status.SCHEDULED]
            tentative = [s for s in sessions if s.status == Session.Status.TENTATIVE]

            def build(user, scheduled=scheduled, tentative=tentative):
                return _calendar_email(programme, user, scheduled, tentative, published=True)

            items.append(
                (
                    people[user_id],
                    scheduled,
                    Convocation.Kind.DIGEST,
                    build,
                    _programme_path(programme),
                )
            )
        return _send_tracked(programme.organisation, items, message_kind=PROGRAMME_CALENDAR)


# --- The engagement ------------------------------------------------------------------
# Each person lands on their own « Mon engagement » page (the one of their team).


def sign_path(organisation_slug: str, programme_id: int, team_id: int) -> str:
    return reverse(
        "parcours:engagement_sign",
        kwargs={
            "organisation_slug": organisation_slug,
            "programme_id": programme_id,
            "team_id": team_id,
        },
    )


def dashboard_path(organisation_slug: str, programme_id: int) -> str:
    return reverse(
        "parcours:engagement_dashboard",
        kwargs={"organisation_slug": organisation_slug, "programme_id": programme_id},
    )


def engagement_email(
    text: EngagementText,
    organisation,
    *,
    subject: str,
    url: str,
    dates: list[str],
    user=None,
    reminded=False,
):
    """The e-mail asking ``user`` to sign ``text`` (``reminded``: a coordinator's
    « relance » rather than the periodic reminder)."""
    return services.render_email(
        template="parcours/email/engagement_reminder",
        subject=subject,
        organisation=organisation,
        context={
            "text": text,
            "programme": text.programme,
            "recipient": user,
            "unsubscribe_url": "",
            "url": absolute_url(url) if url else "",
            "dates": dates,
            "reminded": reminded,
        },
    )


def teams_and_dates(text: EngagementText, users) -> dict[int, tuple[int, list[str]]]:
    """{user id: (their team's id, the key dates of that team)} for the current members
    of ``text``'s programme among ``users``: each person is sent their own team's dates
    (one query, plus one per team for its dates). Runs in the organisation's scope."""
    teams = dict(
        TeamMember.objects.current()
        .filter(team__cohort__programme=text.programme_id, user__in=[user.pk for user in users])
        .order_by("-pk")
        .values_list("user_id", "team_id")
    )
    dates: dict[int, list[str]] = {}
    for team_id in set(teams.values()):
        dates[team_id] = text.key_dates(team_id)
    return {user_id: (team_id, dates[team_id]) for user_id, team_id in teams.items()}


def send_engagement_reminder(text: EngagementText, recipients, acting_user=None) -> list:
    """« Relancer »: one message per person whose signature is missing, each with the
    link to their team's page (in the caller's transaction)."""
    with scope(organisation=text.organisation_id):
        text = (
            EngagementText.objects.select_related("organisation", "programme")
            .prefetch_related("key_sessions")
            .get(pk=text.pk)
        )
        organisation = text.organisation
        teams = teams_and_dates(text, recipients)
        subject = _("Relance : votre engagement à signer — %(name)s") % {
            "name": text.programme.name
        }
        deliveries = []
        for user in recipients:
            if user.pk not in teams:
                continue
            team_id, dates = teams[user.pk]
            url = sign_path(organisation.slug, text.programme_id, team_id)

            def build(person, url=url, dates=dates):
                return engagement_email(
                    text,
                    organisation,
                    subject=subject,
                    url=url,
                    dates=dates,
                    user=person,
                    reminded=True,
                )

            deliveries.append(services.Delivery(user, build, url))
        return services.send_batch(
            organisation=organisation,
            deliveries=deliveries,
            kind=ENGAGEMENT_REMINDER_KIND,
            category=Category.REQUESTS,
        )


# --- Team invitation ------------------------------------------------------------------


def _name_of(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def send_team_invitation(invitation: TeamInvitation, acting_user=None) -> list:
    """The invitation to join a team with a role, at the invited address."""
    with scope(organisation=invitation.organisation_id):
        invitation = TeamInvitation.objects.select_related(
            "organisation", "team__cohort__programme", "role", "invited_by"
        ).get(pk=invitation.pk)
        organisation, team = invitation.organisation, invitation.team
        programme = team.cohort.programme
        path = reverse("team_invitation_accept", kwargs={"token": invitation.token})
        subject = _("Invitation à rejoindre l’équipe %(team)s — %(programme)s") % {
            "team": team.name,
            "programme": programme.name,
        }
        context = {
            "recipient": {"first_name": invitation.first_name},
            "invitation": invitation,
            "team": team,
            "programme": programme,
            "role": invitation.role,
            "inviter": _name_of(acting_user) or _name_of(invitation.invited_by),
            "url": absolute_url(path),
            "unsubscribe_url": "",
        }

        def build(user) -> services.Email:
            return services.render_email(
                template="parcours/email/team_invitation",
                subject=subject,
                organisation=organisation,
                context=context,
            )

        return services.send_batch(
            organisation=organisation,
            deliveries=[services.Delivery(None, build, path, email=invitation.email)],
            kind=TEAM_INVITATION_KIND,
            category=Category.REQUESTS,
            mandatory=True,
        )
