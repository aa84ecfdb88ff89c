"""The speakers of agenda items who are people: a trainer of the organisation, or an
outside speaker known by a name and an e-mail (an account found, or made without a
password: they may claim it later by signing in with a code sent to the address)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.models import Membership, Role
from organisations.services import record
from parcours.actions import Action
from parcours.models import AgendaItem

User = get_user_model()


def speaker_for(*, email: str, name: str = ""):
    """The account of ``email``, made without a password when there is none."""
    email = (email or "").strip()
    if not email:
        raise ValidationError({"outside_email": _("Indiquez l'adresse e-mail de l'intervenant·e.")})
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    first, _space, last = (name or "").strip().partition(" ")
    return User.objects.create_user(email=email, first_name=first, last_name=last)


@transaction.atomic
def set_item_speakers(
    *, item: AgendaItem, people, acting_user, outside_name: str = "", outside_email: str = ""
) -> list:
    """Link ``item`` to ``people`` (trainers or coordinators of the organisation) and,
    when given, to an outside speaker by e-mail. Returns the people linked."""
    people = list(people)
    ids = {person.pk for person in people}
    before = set(item.speaker_people.values_list("pk", flat=True))
    allowed = before | set(
        Membership.objects.filter(
            organisation=item.organisation,
            user_id__in=ids,
            role__in=[Role.TRAINER, Role.COORDINATOR],
        ).values_list("user_id", flat=True)
    )
    if ids - allowed:
        raise ValidationError(
            {"speaker_people": _("Choisissez des formateur·rices de l'organisation.")}
        )
    if outside_name and not outside_email:
        raise ValidationError({"outside_email": _("Indiquez l'adresse e-mail de l'intervenant·e.")})
    if outside_email:
        people.append(speaker_for(email=outside_email, name=outside_name))
    item.speaker_people.set(people)
    after = {person.pk for person in people}
    if before != after:
        record(
            organisation=item.organisation,
            actor=acting_user,
            action=Action.AGENDA_UPDATED,
            target=item.session.title,
            item=item.title,
            speakers=sorted(after),
        )
    if after - before:
        # Newly linked speakers of a session already announced get their convocation.
        from parcours.services.convocations import convene_session

        convene_session(item.session, only=after - before)
    return people


def speaker_items(session, user) -> list[AgendaItem]:
    """The items of ``session`` where ``user`` speaks, in order."""
    if not getattr(user, "is_authenticated", True) or user.pk is None:
        return []
    return list(AgendaItem.objects.filter(session=session, speaker_people=user))
