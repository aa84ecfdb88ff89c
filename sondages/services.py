"""Date polls (« sondages de date »): the organiser proposes slots for a session still to
date, the people expected answer oui / si nécessaire / non per slot, the organiser picks
a slot and the session is scheduled on it (``update_session`` sends the convocations)."""

import uuid
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.services import record
from parcours.models import Programme, Session, SessionFormat, TeamMember
from parcours.services.sessions import update_session
from sillon.formatting import format_day, format_time, local
from sondages import notices
from sondages.actions import Action
from sondages.models import DatePoll, PollComment, Slot, Vote

User = get_user_model()

# (starts_at, ends_at, format) of a proposed slot, aware datetimes.
SlotSpec = tuple[datetime, datetime, str]

ANSWERS = set(Vote.Answer.values)


def poll_voters(poll: DatePoll) -> QuerySet:
    """Users asked to answer: current members of the teams concerned by the session
    (the expected role only when the session expects one role), and the people of a
    group session."""
    session = poll.session
    members = TeamMember.objects.current().filter(organisation=session.organisation_id)
    if session.audience == Session.Audience.COHORT:
        members = members.filter(team__cohort__programme=session.programme_id)
    elif session.audience in Session.TEAM_AUDIENCES:
        members = members.filter(team__sessions=session)
    else:
        members = members.none()
    if session.expected_presence == Session.Presence.ONE_ROLE:
        members = members.filter(role=session.expected_role_id)
    voters = Q(pk__in=members.values("user_id"))
    if session.audience == Session.Audience.GROUP:  # the group's people
        voters |= Q(session_registrations__session=session)
    return User.objects.filter(voters).distinct().order_by("last_name", "first_name", "pk")


# --- Checks shared by the services ---------------------------------------------------


def _check_session(session: Session, *, now: datetime) -> None:
    """A session that may still be dated by a poll (``session`` locked by the caller)."""
    if session.is_cancelled:
        raise ValidationError(_("Cette séance est annulée : on ne peut plus en choisir la date."))
    if session.status == Session.Status.SCHEDULED and session.starts_at <= now:
        raise ValidationError(_("Cette séance a déjà commencé : on ne peut plus la dater."))
    if session.audience not in (*Session.TEAM_AUDIENCES, Session.Audience.COHORT):
        raise ValidationError(
            _("Seules les séances d'équipes ou de la promotion se datent par sondage.")
        )
    if DatePoll.objects.filter(session=session, status=DatePoll.Status.OPEN).exists():
        raise ValidationError(
            _("Un sondage est déjà ouvert pour « %(title)s ».") % {"title": session.title}
        )


def _check_slots(slots: list[SlotSpec], *, now: datetime, existing=()) -> list[SlotSpec]:
    """The slots in chronological order, or a ValidationError on ``slots``."""
    errors = []
    if not slots and not existing:
        errors.append(_("Proposez au moins un créneau."))
    seen = {(slot.starts_at, slot.ends_at, slot.format) for slot in existing}
    for starts_at, ends_at, format in slots:
        if format not in SessionFormat.values:
            errors.append(_("Choisissez le format de chaque créneau."))
        elif ends_at <= starts_at:
            errors.append(_("La fin d'un créneau doit suivre son début."))
        elif starts_at <= now:
            errors.append(_("Ce créneau est déjà passé."))
        elif (starts_at, ends_at, format) in seen:
            errors.append(_("Ce créneau est proposé deux fois."))
        seen.add((starts_at, ends_at, format))
    if errors:
        raise ValidationError({"slots": list(dict.fromkeys(errors))})
    return sorted(slots)


def _check_closes_at(closes_at: datetime, *, first_slot_start: datetime, now: datetime) -> None:
    if closes_at <= now:
        raise ValidationError({"closes_at": _("Cette date de clôture est déjà passée.")})
    if closes_at > first_slot_start:
        raise ValidationError(
            {"closes_at": _("Les réponses doivent être closes avant le premier créneau proposé.")}
        )


def _check_can_answer(poll: DatePoll, user, *, now: datetime) -> None:
    """``poll`` locked by the caller."""
    if poll.status != DatePoll.Status.OPEN:
        raise ValidationError(
            _("Ce sondage est clos : %(state)s.") % {"state": poll.get_status_display().lower()}
        )
    if poll.closes_at <= now:
        raise ValidationError(
            _("Ce sondage est clos : les réponses étaient attendues avant le %(when)s.")
            % {"when": format_moment(poll.closes_at, poll.organisation.time_zone)}
        )
    if not poll_voters(poll).filter(pk=user.pk).exists():
        raise ValidationError(_("Seules les personnes attendues à cette séance répondent."))


def format_moment(moment: datetime, zone: str) -> str:
    """« mardi 1er décembre 2026 à 18 h » on the organisation's clock."""
    at = local(moment, zone)
    return _("%(day)s à %(time)s") % {"day": format_day(at.date()), "time": format_time(at)}


def _lock_poll(poll: DatePoll) -> DatePoll:
    return (
        DatePoll.objects.select_for_update(of=("self",))
        .select_related("session__organisation", "organisation")
        .get(pk=poll.pk)
    )


def _create_slots(poll: DatePoll, slots: list[SlotSpec]) -> list[Slot]:
    return Slot.objects.bulk_create(
        [
            Slot(
                organisation=poll.organisation,
                poll=poll,
                starts_at=starts_at,
                ends_at=ends_at,
                format=format,
            )
            for starts_at, ends_at, format in slots
        ]
    )


# --- Opening polls -------------------------------------------------------------------


@transaction.atomic
def create_date_poll(
    *, session: Session, acting_user, slots: list[SlotSpec], closes_at: datetime, message=""
) -> DatePoll:
    """Open a poll on ``session`` with ``slots``; its voters are asked to answer."""
    now = timezone.now()
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=session.pk)
    )
    _check_session(session, now=now)
    slots = _check_slots(slots, now=now)
    _check_closes_at(closes_at, first_slot_start=slots[0][0], now=now)
    poll = DatePoll.objects.create(
        organisation=session.organisation,
        session=session,
        message=message.strip(),
        closes_at=closes_at,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    _create_slots(poll, slots)
    record(
        organisation=session.organisation,
        actor=acting_user,
        action=Action.DATE_POLL_CREATED,
        target=session.title,
        session=session.pk,
        poll=poll.pk,
        slots=len(slots),
    )
    notices.send_polls_opened([poll], acting_user)
    return poll


@transaction.atomic
def launch_team_polls(
    *,
    programme: Programme,
    acting_user,
    sessions: list[Session],
    slots: list[SlotSpec],
    closes_at: datetime,
    message="",
) -> list[DatePoll]:
    """« Lancer les sondages pour toutes les équipes »: one poll per individual session
    (same slots), sharing a ``batch`` so a slot picked for one team is no longer offered
    to the others."""
    now = timezone.now()
    if not sessions:
        raise ValidationError({"sessions": _("Choisissez au moins une séance.")})
    locked = list(
        Session.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk__in=[session.pk for session in sessions])
        .order_by("starts_at", "pk")
    )
    errors = []
    for session in locked:
        title = {"title": session.title}
        if session.programme_id != programme.pk:
            errors.append(_("« %(title)s » n'est pas une séance de ce programme.") % title)
        elif session.audience != Session.Audience.TEAM:
            errors.append(_("« %(title)s » n'est pas une séance individuelle d'équipe.") % title)
        else:
            try:
                _check_session(session, now=now)
            except ValidationError as error:
                errors.append(f"« {session.title} » : {' '.join(error.messages)}")
    if errors:
        raise ValidationError({"sessions": errors})
    slots = _check_slots(slots, now=now)
    _check_closes_at(closes_at, first_slot_start=slots[0][0], now=now)
    batch = uuid.uuid4()
    polls = []
    for session in locked:
        poll = DatePoll.objects.create(
            organisation=programme.organisation,
            session=session,
            message=message.strip(),
            closes_at=closes_at,
            batch=batch,
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        _create_slots(poll, slots)
        polls.append(poll)
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.DATE_POLLS_LAUNCHED,
        target=programme.name,
        programme=programme.pk,
        batch=str(batch),
        polls=[poll.pk for poll in polls],
        slots=len(slots),
    )
    notices.send_polls_opened(polls, acting_user)
    return polls


@transaction.atomic
def add_poll_slots(
    *, poll: DatePoll, acting_user, slots: list[SlotSpec], closes_at: datetime | None = None
) -> list[Slot]:
    """More slots on an open poll (« aucun créneau ne convient »), optionally a later
    closing; those who had answered are told."""
    now = timezone.now()
    poll = _lock_poll(poll)
    if poll.status != DatePoll.Status.OPEN:
        raise ValidationError(
            _("Ce sondage n'est plus ouvert : on ne peut plus y ajouter de créneaux.")
        )
    if not slots:
        raise ValidationError({"slots": _("Proposez au moins un créneau.")})
    existing = list(poll.slots.all())
    slots = _check_slots(slots, now=now, existing=existing)
    if closes_at is not None:
        _check_closes_at(closes_at, first_slot_start=slots[0][0], now=now)
    elif poll.closes_at > slots[0][0]:
        raise ValidationError(
            {
                "slots": _(
                    "Un nouveau créneau commence avant la clôture des réponses : "
                    "avancez la clôture."
                )
            }
        )
    created = _create_slots(poll, slots)
    if closes_at is not None and closes_at != poll.closes_at:
        poll.closes_at = closes_at
        poll.save(update_fields=["closes_at"])
    recipients = list(User.objects.filter(poll_votes__slot__poll=poll).distinct().order_by("pk"))
    record(
        organisation=poll.organisation,
        actor=acting_user,
        action=Action.DATE_POLL_SLOTS_ADDED,
        target=poll.session.title,
        poll=poll.pk,
        slots=len(created),
        closes_at=poll.closes_at.isoformat(),
    )
    notices.send_slots_added(poll, created, recipients, acting_user)
    return created


# --- Answering -----------------------------------------------------------------------


@transaction.atomic
def answer_date_poll(*, poll: DatePoll, user, answers: dict[int, str], comment: str = "") -> None:
    """A voter's whole answer: oui / si nécessaire / non for every slot, and a comment
    (an empty comment removes the previous one)."""
    now = timezone.now()
    poll = _lock_poll(poll)
    _check_can_answer(poll, user, now=now)
    slots = list(poll.slots.all())
    slot_ids = {slot.pk for slot in slots}
    answers = {int(slot_id): answer for slot_id, answer in answers.items()}
    errors = {}
    if set(answers) - slot_ids:
        errors["answers"] = _("Un des créneaux n'appartient pas à ce sondage.")
    elif slot_ids - set(answers):
        errors["answers"] = _("Répondez pour chaque créneau : oui, si nécessaire ou non.")
    elif set(answers.values()) - ANSWERS:
        errors["answers"] = _("Répondez par oui, si nécessaire ou non.")
    if len(comment) > 1000:
        errors["comment"] = _("Le commentaire est limité à 1 000 caractères.")
    if errors:
        raise ValidationError(errors)
    existing = {vote.slot_id: vote for vote in Vote.objects.filter(slot__poll=poll, user=user)}
    changed = []
    for slot in slots:
        vote = existing.get(slot.pk)
        if vote is None:
            Vote.objects.create(
                organisation=poll.organisation, slot=slot, user=user, answer=answers[slot.pk]
            )
        elif vote.answer != answers[slot.pk]:
            vote.answer = answers[slot.pk]
            changed.append(vote)
    for vote in changed:
        vote.save(update_fields=["answer", "updated_at"])
    comment = comment.strip()
    current = PollComment.objects.filter(poll=poll, user=user).first()
    if not comment:
        if current is not None:
            current.delete()
    elif current is None:
        PollComment.objects.create(
            organisation=poll.organisation, poll=poll, user=user, text=comment
        )
    elif current.text != comment:
        current.text = comment
        current.save(update_fields=["text", "updated_at"])


@transaction.atomic
def vote_on_slot(*, slot: Slot, user, answer: str) -> Vote:
    """One slot's answer (the phone page saves each choice as it is made)."""
    now = timezone.now()
    poll = _lock_poll(slot.poll)
    _check_can_answer(poll, user, now=now)
    if answer not in ANSWERS:
        raise ValidationError({"answer": _("Répondez par oui, si nécessaire ou non.")})
    vote = Vote.objects.filter(slot=slot, user=user).first()
    if vote is None:
        return Vote.objects.create(
            organisation=poll.organisation, slot=slot, user=user, answer=answer
        )
    if vote.answer != answer:
        vote.answer = answer
        vote.save(update_fields=["answer", "updated_at"])
    return vote


# --- Deciding ------------------------------------------------------------------------


@transaction.atomic
def close_date_poll(*, poll: DatePoll, slot: Slot, acting_user) -> Session:
    """Pick ``slot``: the session is scheduled on it (convocations, or a change notice for
    a session already scheduled), the poll is decided. Allowed after the closing."""
    from sondages.access import is_poll_organiser
    from sondages.results import taken_by_batch

    now = timezone.now()
    poll = _lock_poll(poll)
    if poll.batch:
        # Lock the whole batch: two polls of it cannot take overlapping slots at once.
        list(DatePoll.objects.select_for_update(of=("self",)).filter(batch=poll.batch).values("pk"))
    if poll.status != DatePoll.Status.OPEN:
        raise ValidationError(
            _("Ce sondage est clos : %(state)s.") % {"state": poll.get_status_display().lower()}
        )
    session = poll.session
    if not is_poll_organiser(acting_user, session):
        raise ValidationError(
            _(
                "Seul·es les coordinateur·rices et les intervenant·es de la séance "
                "retiennent une date."
            )
        )
    if slot.poll_id != poll.pk:
        raise ValidationError(_("Ce créneau n'appartient pas à ce sondage."))
    if slot.starts_at <= now:
        raise ValidationError(_("Ce créneau est déjà passé."))
    if any(
        other.starts_at < slot.ends_at and other.ends_at > slot.starts_at
        for other in taken_by_batch([poll]).get(poll.pk, [])
    ):
        raise ValidationError(
            _("Ce créneau est déjà retenu pour une autre équipe du même lancement.")
        )
    if slot.format in (SessionFormat.REMOTE, SessionFormat.HYBRID) and not session.visio_url:
        raise ValidationError(
            _(
                "Ce créneau est en visio mais la séance n'a pas encore de lien de visio : "
                "ajoutez-le en modifiant la séance, puis retenez ce créneau."
            )
        )
    try:
        session = update_session(
            session=session,
            acting_user=acting_user,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            format=slot.format,
            all_day=False,
            status=Session.Status.SCHEDULED,
            date_note="",
        )
    except ValidationError as error:
        raise ValidationError(
            _("La séance ne peut pas être programmée sur ce créneau : %(reasons)s")
            % {"reasons": " ".join(error.messages)}
        ) from error
    poll.status = DatePoll.Status.DECIDED
    poll.chosen_slot = slot
    poll.decided_at = now
    poll.save(update_fields=["status", "chosen_slot", "decided_at"])
    record(
        organisation=poll.organisation,
        actor=acting_user,
        action=Action.DATE_POLL_CLOSED,
        target=session.title,
        poll=poll.pk,
        session=session.pk,
        slot=slot.pk,
        starts_at=slot.starts_at.isoformat(),
    )
    return session


@transaction.atomic
def cancel_date_poll(*, poll: DatePoll, acting_user) -> DatePoll:
    poll = _lock_poll(poll)
    if poll.status != DatePoll.Status.OPEN:
        raise ValidationError(
            _("Ce sondage est déjà clos : %(state)s.")
            % {"state": poll.get_status_display().lower()}
        )
    poll.status = DatePoll.Status.CANCELLED
    poll.save(update_fields=["status"])
    record(
        organisation=poll.organisation,
        actor=acting_user,
        action=Action.DATE_POLL_CANCELLED,
        target=poll.session.title,
        poll=poll.pk,
    )
    return poll
