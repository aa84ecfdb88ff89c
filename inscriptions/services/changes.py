"""After registering: changing one's workshops or details, cancelling (the person with
their link until the deadline, a coordinator at any time: « changement tardif »), and
the waiting lists moving up, first come, when a place frees up."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inscriptions import notices
from inscriptions.actions import Action
from inscriptions.models import Registrant, WorkshopChoice
from inscriptions.services.common import check_choices, touch, workshop_rounds
from inscriptions.services.registration import _lock_event, take_place
from organisations.services import record
from parcours import services as parcours
from parcours.models import SessionRegistration, TeamMember, Workshop, WorkshopRegistration


def _lock(registrant: Registrant, *, by_coordinator: bool) -> Registrant:
    registrant = Registrant.objects.select_for_update().get(pk=registrant.pk)
    if registrant.is_cancelled:
        raise ValidationError(_("Cette inscription est annulée."))
    registrant.event = _lock_event(registrant.event)
    if not by_coordinator and timezone.now() >= registrant.event.deadline:
        raise ValidationError(
            _(
                "La date limite est passée : écrivez aux contacts de l'événement pour "
                "tout changement."
            )
        )
    return registrant


def _mark_changed(registrant: Registrant) -> None:
    now = timezone.now()
    registrant.changed_at = now
    registrant.changed_late = now >= registrant.event.deadline
    registrant.save(update_fields=["changed_at", "changed_late"])
    touch(registrant.event)


def promote(workshop: Workshop) -> list[Registrant]:
    """Give the places free in ``workshop`` to its waiting list, first come (in the
    caller's transaction; the workshop's row locked)."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    promoted = []
    while True:
        taken = WorkshopRegistration.objects.filter(workshop=workshop).count()
        if workshop.capacity is not None and taken >= workshop.capacity:
            break
        choice = (
            WorkshopChoice.objects.filter(
                workshop=workshop,
                waiting_since__isnull=False,
                registrant__status=Registrant.Status.CONFIRMED,
            )
            .select_related("registrant__event__organisation", "registrant__event__session")
            .order_by("waiting_since", "pk")
            .first()
        )
        if choice is None:
            break
        registrant = choice.registrant
        take_place(choice, registrant.user)
        record(
            organisation=workshop.organisation,
            actor=None,
            action=Action.PROMOTED,
            target=registrant.full_name,
            workshop=workshop.title,
        )
        notices.send_promoted(registrant.event, registrant, workshop)
        promoted.append(registrant)
    return promoted


def _release(registrant: Registrant, round_id: int) -> Workshop | None:
    """Free the person's place in a round; returns the workshop freed."""
    held = (
        WorkshopRegistration.objects.filter(round_id=round_id, user=registrant.user)
        .select_related("workshop")
        .first()
    )
    if held is None:
        return None
    workshop = held.workshop
    held.delete()
    return workshop


@transaction.atomic
def change_workshops(
    *, registrant: Registrant, workshops: dict, acting_user=None, by_coordinator: bool = False
) -> Registrant:
    """Choose other workshops (``{round id: Workshop}``): the old places go to their
    waiting lists, a full new workshop puts the person on its list."""
    registrant = _lock(registrant, by_coordinator=by_coordinator)
    rounds = workshop_rounds(registrant.event.session)
    chosen = check_choices(rounds, workshops)
    current = {choice.round_id: choice for choice in registrant.choices.all()}
    freed = []
    changed = False
    for round_id, workshop in chosen.items():
        choice = current.get(round_id)
        if choice is not None and choice.workshop_id == workshop.pk:
            continue
        changed = True
        if choice is None:
            choice = WorkshopChoice(
                organisation=registrant.organisation, registrant=registrant, round_id=round_id
            )
        if registrant.is_confirmed:
            old = _release(registrant, round_id)
            if old is not None:
                freed.append(old)
        choice.workshop = workshop
        choice.waiting_since = None
        choice.save()
        if registrant.is_confirmed:
            take_place(choice, registrant.user)
    if not changed:
        return registrant
    _mark_changed(registrant)
    for workshop in freed:
        promote(workshop)
    record(
        organisation=registrant.organisation,
        actor=acting_user,
        action=Action.CHANGED,
        target=registrant.full_name,
        fields=["workshops"],
        late=registrant.changed_late,
    )
    return registrant


@transaction.atomic
def update_details(
    *, registrant: Registrant, acting_user, structure: str, function: str
) -> Registrant:
    """A coordinator corrects a person's structure or fonction (also on the session's
    registration, printed on the sheet)."""
    registrant = _lock(registrant, by_coordinator=True)
    registrant.structure = structure.strip()
    registrant.function = function.strip()
    registrant.save(update_fields=["structure", "function"])
    if registrant.is_confirmed:
        SessionRegistration.objects.filter(
            session=registrant.event.session, user=registrant.user
        ).update(structure=registrant.structure, function=registrant.function)
    _mark_changed(registrant)
    record(
        organisation=registrant.organisation,
        actor=acting_user,
        action=Action.CHANGED,
        target=registrant.full_name,
        fields=["structure", "function"],
    )
    return registrant


@transaction.atomic
def cancel(*, registrant: Registrant, acting_user=None, by_coordinator: bool = False) -> Registrant:
    """The person withdraws: their places go to the waiting lists."""
    registrant = _lock(registrant, by_coordinator=by_coordinator)
    freed = []
    if registrant.is_confirmed and registrant.user_id:
        session = registrant.event.session
        freed = list(
            Workshop.objects.filter(
                registrations__user=registrant.user, round__session=session
            ).distinct()
        )
        parcours.unregister_from_session(session=session, user=registrant.user)
        team_id = registrant.collective.team_id if registrant.collective_id else None
        member = (
            TeamMember.objects.current().filter(team_id=team_id, user=registrant.user).first()
            if team_id
            else None
        )
        if member is not None:
            parcours.remove_team_member(member=member, acting_user=acting_user)
    registrant.choices.all().delete()
    registrant.status = Registrant.Status.CANCELLED
    registrant.cancelled_at = timezone.now()
    registrant.save(update_fields=["status", "cancelled_at"])
    _mark_changed(registrant)
    for workshop in freed:
        promote(workshop)
    record(
        organisation=registrant.organisation,
        actor=acting_user,
        action=Action.CANCELLED,
        target=registrant.full_name,
        late=registrant.changed_late,
    )
    return registrant
