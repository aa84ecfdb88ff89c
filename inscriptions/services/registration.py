"""Registering (alone or as a collectif), confirming, sending the link again.

A registration is written pending and its people each receive a link: it counts once
they click it (``confirm``). Confirming finds or creates the person's account (no
password: the address is verified by the click), registers them to the session
(``parcours``), makes a collectif a team of the programme with the fonctions as team
roles, and gives each chosen workshop a place, or a place on its waiting list when it
is full. The event's row is locked while confirming, the workshop's while taking a
place: two people for the last place give one place and one waiting-list entry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import create_verified_account
from inscriptions import notices
from inscriptions.actions import Action
from inscriptions.models import Collective, Event, Registrant, WorkshopChoice
from inscriptions.services.common import (
    Person,
    check_choices,
    closed_reason,
    confirmed_count,
    normalise,
    touch,
    workshop_rounds,
)
from organisations.services import record
from parcours import services as parcours
from parcours.models import (
    Cohort,
    SessionRegistration,
    Team,
    TeamMember,
    TeamRole,
    Workshop,
    WorkshopRegistration,
)


def _lock_event(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("organisation", "session__organisation", "session__programme")
        .get(pk=event.pk)
    )


def existing_registrant(event: Event, email: str) -> Registrant | None:
    """The registration (not cancelled) of ``email`` for ``event``, if any."""
    return (
        Registrant.objects.filter(event=event, email=normalise(email))
        .exclude(status=Registrant.Status.CANCELLED)
        .first()
    )


@transaction.atomic
def register(
    *,
    event: Event,
    people: list[Person],
    collective_name: str = "",
    territory=None,
    acting_user=None,
    confirm_now: bool = False,
    address_verified: bool = False,
    notify: bool = True,
) -> list[Registrant]:
    """Register ``people`` (a collectif when ``collective_name`` is given). Pending, each
    receives their confirmation link; ``confirm_now`` (a coordinator's manual
    registration) confirms them at once, also after the deadline; ``address_verified``
    (a signed-in person registering themself with their account's verified address,
    which the link would only prove again) confirms them at once, before the deadline.
    ``notify=False`` (the demo, a past event) sends no e-mail."""
    event = _lock_event(event)
    if not people:
        raise ValidationError(_("Indiquez au moins une personne."))
    reason = closed_reason(event, late_ok=confirm_now)
    if reason:
        raise ValidationError(reason)
    emails = [normalise(person.email) for person in people]
    if len(set(emails)) != len(emails):
        raise ValidationError(_("Une même adresse e-mail est indiquée deux fois."))
    taken = set(
        Registrant.objects.filter(event=event, email__in=emails)
        .exclude(status=Registrant.Status.CANCELLED)
        .values_list("email", flat=True)
    )
    if taken:
        raise ValidationError(
            _("%(emails)s : déjà inscrit·e à cet événement.") % {"emails": ", ".join(sorted(taken))}
        )
    places = event.places
    if places is not None and confirmed_count(event) + len(people) > places:
        left = max(0, places - confirmed_count(event))
        raise ValidationError(
            _("Il ne reste que %(count)d place(s) pour cet événement.") % {"count": left}
        )
    rounds = workshop_rounds(event.session)
    checked = [check_choices(rounds, person.workshops) for person in people]
    collective = None
    if collective_name:
        collective = Collective.objects.create(
            organisation=event.organisation,
            event=event,
            name=" ".join(collective_name.split()),
            territory=territory,
        )
    registrants = []
    for person, email, choices in zip(people, emails, checked, strict=True):
        registrant = Registrant.objects.create(
            organisation=event.organisation,
            event=event,
            collective=collective,
            first_name=person.first_name.strip(),
            last_name=person.last_name.strip(),
            email=email,
            structure=person.structure.strip(),
            function=person.function.strip(),
            added_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        WorkshopChoice.objects.bulk_create(
            WorkshopChoice(
                organisation=event.organisation,
                registrant=registrant,
                round_id=round_id,
                workshop=workshop,
            )
            for round_id, workshop in choices.items()
        )
        registrants.append(registrant)
    record(
        organisation=event.organisation,
        actor=acting_user,
        action=Action.REGISTERED,
        target=str(event.session),
        event=event.pk,
        count=len(registrants),
        collective=collective.name if collective else "",
    )
    if confirm_now:
        registrants = [
            confirm(
                registrant=registrant,
                acting_user=acting_user,
                by_coordinator=True,
                notify=notify,
            )
            for registrant in registrants
        ]
    elif address_verified:
        registrants = [confirm(registrant=registrant, notify=notify) for registrant in registrants]
    elif notify:
        notices.send_confirmation_requests(event, registrants)
    return registrants


def find_or_create_user(registrant: Registrant) -> User:
    user = User.objects.filter(email__iexact=registrant.email).first()
    if user is None:
        user = create_verified_account(
            email=registrant.email,
            first_name=registrant.first_name,
            last_name=registrant.last_name,
        )
    return user


def _team_for(collective: Collective, programme) -> Team:
    """The collectif's team in the programme (created, or reused by its name)."""
    if collective.team_id:
        return collective.team
    cohort = Cohort.objects.filter(programme=programme).order_by("pk").first()
    if cohort is None:
        cohort = Cohort.objects.create(
            organisation=programme.organisation, programme=programme, name=_("Inscrit·es")
        )
    team = Team.objects.filter(cohort=cohort, name__iexact=collective.name).first()
    if team is None:
        team = parcours.create_team(
            cohort=cohort, acting_user=None, name=collective.name, territory=collective.territory
        )
    collective.team = team
    collective.save(update_fields=["team"])
    return team


def _role_for(programme, function: str) -> TeamRole | None:
    name = " ".join(function.split())[:100]
    if not name:
        return None
    role = TeamRole.objects.filter(programme=programme, name__iexact=name).first()
    if role is None:
        role = TeamRole.objects.create(
            organisation=programme.organisation,
            programme=programme,
            name=name,
            required=False,
            max_per_team=None,
            order=100,
        )
    return role


def _join_team(registrant: Registrant, user, programme) -> None:
    team = _team_for(registrant.collective, programme)
    if TeamMember.objects.current().filter(team=team, user=user).exists():
        return
    role = _role_for(programme, registrant.function)
    if role is not None and role.max_per_team is not None:
        holders = role.members.filter(team=team, left_at__isnull=True).count()
        if not role.has_room_for(holders + 1):
            role = None
    member = parcours.add_team_member(
        team=team, acting_user=None, user=user, role=role, notify=False
    )
    TeamMember.objects.filter(pk=member.pk).update(structure=registrant.structure)


def take_place(choice: WorkshopChoice, user) -> bool:
    """A place in the choice's workshop (the workshop's row locked), or its waiting
    list when full. Returns whether a place was taken."""
    workshop = Workshop.objects.select_for_update().get(pk=choice.workshop_id)
    taken = WorkshopRegistration.objects.filter(workshop=workshop).exclude(user=user).count()
    if workshop.capacity is not None and taken >= workshop.capacity:
        if choice.waiting_since is None:
            choice.waiting_since = timezone.now()
            choice.save(update_fields=["waiting_since"])
        return False
    parcours.register_to_workshop(workshop=workshop, user=user)
    if choice.waiting_since is not None:
        choice.waiting_since = None
        choice.save(update_fields=["waiting_since"])
    return True


@transaction.atomic
def confirm(
    *, registrant: Registrant, acting_user=None, by_coordinator: bool = False, notify: bool = True
) -> Registrant:
    """The person clicked their link (or a coordinator registered them): the
    registration counts. Idempotent. Their « Inscription confirmée » (the date, the place,
    their workshops, the .ics and their personal link) is their convocation: the session's
    own convocation is not sent on top of it."""
    registrant = Registrant.objects.select_for_update().get(pk=registrant.pk)
    if registrant.is_confirmed:
        return registrant
    if registrant.is_cancelled:
        raise ValidationError(_("Cette inscription a été annulée : inscrivez-vous à nouveau."))
    event = _lock_event(registrant.event)
    registrant.event = event
    # The places were counted when the person registered; the deadline still holds for
    # a confirmation (not for a coordinator's registration).
    reason = closed_reason(event, late_ok=by_coordinator)
    if reason:
        raise ValidationError(reason)
    session = event.session
    user = find_or_create_user(registrant)
    parcours.register_to_session(session=session, user=user, convene=False)
    SessionRegistration.objects.filter(session=session, user=user).update(
        structure=registrant.structure, function=registrant.function
    )
    if registrant.collective_id:
        _join_team(registrant, user, session.programme)
    choices = registrant.choices.select_related("workshop", "round")
    for choice in choices.order_by("round__day", "round__start_time"):
        take_place(choice, user)
    registrant.user = user
    registrant.status = Registrant.Status.CONFIRMED
    registrant.confirmed_at = timezone.now()
    registrant.save(update_fields=["user", "status", "confirmed_at"])
    touch(event)
    record(
        organisation=event.organisation,
        actor=acting_user or user,
        action=Action.CONFIRMED,
        target=registrant.full_name,
        event=event.pk,
    )
    if notify:
        notices.send_confirmed(event, registrant)
    return registrant


@transaction.atomic
def resend_link(*, event: Event, email: str) -> bool:
    """« Renvoyer mon lien »: the confirmation or personal link again, to the address
    registered (nothing said about an address not registered)."""
    registrant = existing_registrant(event, email)
    if registrant is None:
        return False
    notices.send_link(event, registrant)
    return True
