"""Convocations follow people, not the publication date: whoever becomes expected at a
session of a published programme (scheduled, not over) is convened to it, whenever that
happens — when the programme is published, the session created or confirmed, or later
as they join a team, replace a member, register to an open session or are added to a
session's audience. Each sending is recorded (``Convocation``: who, which session and
version, when, which message), so « who was convened when » is known, and a coordinator
can send a convocation again.

An automatic convocation goes out once per person and version of the session (its iCal
SEQUENCE): several triggers in one transaction (a session created, then a member added)
convene a person once. A person joining several sessions at once (a team of a programme
with eight sessions to come) gets one message: the programme's calendar with all of
them, in one .ics.

These helpers run inside the caller's service transaction; ``resend_convocations`` is
the coordinator's service.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from organisations.services import record
from parcours import notices
from parcours.actions import Action
from parcours.models import Convocation, Programme, Session


def _record(organisation_id: int, convened: list[notices.Convened]) -> list[Convocation]:
    now = timezone.now()
    return Convocation.objects.bulk_create(
        [
            Convocation(
                organisation_id=organisation_id,
                session=session,
                user=item.user,
                kind=item.kind,
                sequence=session.sequence,
                sent_at=now,
                outbox_message_id=item.outbox_message_id,
            )
            for item in convened
            for session in item.sessions
        ]
    )


def _already_convened(sessions: list[Session], user_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(session id, user id) of the people already convened to the current version of
    these sessions."""
    sequences = {session.pk: session.sequence for session in sessions}
    rows = Convocation.objects.filter(
        session_id__in=list(sequences), user_id__in=list(user_ids)
    ).values_list("session_id", "user_id", "sequence")
    return {
        (session_id, user_id)
        for session_id, user_id, sequence in rows
        if sequence == sequences[session_id]
    }


def _relevant(sessions: list[Session]) -> list[Session]:
    return [session for session in sessions if notices.still_relevant(session, "convocation")]


def convene(*, sessions: list[Session], only: set[int] | None = None) -> list[Convocation]:
    """Convene the people expected at ``sessions`` (of one organisation; among ``only``,
    user ids, when given) who were not yet convened to their current version. The
    sessions are read again; the ones no longer relevant are left out."""
    if not sessions:
        return []
    organisation_id = sessions[0].organisation_id
    with scope(organisation=organisation_id):
        loaded = _relevant(notices.load_sessions(session.pk for session in sessions))
        plan: dict[int, tuple] = {}
        for session in loaded:
            for user in notices.recipients(session, only):
                plan.setdefault(user.pk, (user, []))[1].append(session)
        if not plan:
            return []
        done = _already_convened(loaded, plan)
        for user_id in list(plan):
            user, items = plan[user_id]
            items = [session for session in items if (session.pk, user_id) not in done]
            if items:
                plan[user_id] = (user, items)
            else:
                del plan[user_id]
        if not plan:
            return []
        organisation = loaded[0].organisation
        return _record(organisation_id, notices.send_convocations(organisation, plan))


def convene_session(session: Session, *, only: set[int] | None = None) -> list[Convocation]:
    """Convene ``session``'s people (only ``only`` when given) not yet convened."""
    return convene(sessions=[session], only=only)


def convene_newcomer(*, user, programme: Programme) -> list[Convocation]:
    """``user`` just became part of ``programme`` (joined a team): the sessions to come
    where they are now expected."""
    with scope(organisation=programme.organisation_id):
        sessions = list(
            Session.objects.filter(
                programme=programme,
                programme__status=Programme.Status.PUBLISHED,
                status=Session.Status.SCHEDULED,
                ends_at__gt=timezone.now(),
            )
        )
    return convene(sessions=sessions, only={user.pk})


def convene_on_publication(programme: Programme) -> list[Convocation]:
    """The programme's calendar to each of its people, recorded for each scheduled
    session it convenes to."""
    convened = notices.send_programme_calendars(programme)
    with scope(organisation=programme.organisation_id):
        return _record(programme.organisation_id, convened)


@transaction.atomic
def resend_convocations(*, session: Session, acting_user, user=None) -> list[Convocation]:
    """Send ``session``'s convocation again, to every expected person or to ``user``
    (a coordinator's « renvoyer »): whether or not they were convened before."""
    with scope(organisation=session.organisation_id):
        (loaded,) = notices.load_sessions([session.pk]) or [None]
        if loaded is not None and not loaded.is_dated:
            raise ValidationError(
                _(
                    "La date de cette séance reste à confirmer : fixez-la avant de "
                    "convoquer qui que ce soit."
                )
            )
        if loaded is None or not notices.still_relevant(loaded, "convocation"):
            raise ValidationError(
                _(
                    "Seule une séance programmée, à venir, d'un programme publié peut être "
                    "convoquée."
                )
            )
        people = notices.recipients(loaded, None if user is None else {user.pk})
        if user is not None and not people:
            raise ValidationError({"user": _("Cette personne n'est pas attendue à cette séance.")})
        plan = {person.pk: (person, [loaded]) for person in people}
        rows = _record(
            loaded.organisation_id,
            notices.send_convocations(loaded.organisation, plan, resent=True),
        )
        record(
            organisation=loaded.organisation,
            actor=acting_user,
            action=Action.CONVOCATION_RESENT,
            target=loaded.title,
            session=loaded.pk,
            member=user.email if user is not None else "",
            count=len(rows),
        )
        return rows


def resent_message(rows: list[Convocation], user=None) -> str:
    """The coordinator's confirmation, in words."""
    if user is not None:
        if rows:
            return _("Convocation renvoyée à %(name)s.") % {
                "name": user.get_full_name() or user.email
            }
        return _(
            "%(name)s a désactivé les convocations dans ses préférences : rien n'a été envoyé."
        ) % {"name": user.get_full_name() or user.email}
    return ngettext(
        "Convocation renvoyée à %(count)s personne.",
        "Convocation renvoyée à %(count)s personnes.",
        len(rows),
    ) % {"count": len(rows)}
