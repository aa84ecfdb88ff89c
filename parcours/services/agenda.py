"""The day agenda of a session (plenaries, workshop rounds). Its documents are resources
of the library (``ressources``)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.services import record
from parcours.actions import Action
from parcours.models import (
    AgendaItem,
    Workshop,
)
from parcours.services.common import local_date, zone_of
from parcours.services.session_days import sync_session_days

# --- Agenda --------------------------------------------------------------------------


def _validate_agenda_item(item: AgendaItem) -> None:
    session = item.session
    if not session.is_dated:
        raise ValidationError(
            {"day": _("Fixez d'abord la date de la séance : elle est encore à confirmer.")}
        )
    zone = zone_of(session.organisation)
    days = (
        local_date(session.ends_at - timedelta(microseconds=1), session.organisation)
        - session.starts_at.astimezone(zone).date()
    ).days + 1
    if item.day < 1 or item.day > days:
        raise ValidationError(
            {
                "day": _(
                    "La séance dure %(days)s jour(s) : choisissez un jour entre 1 et %(days)s."
                )
                % {"days": days}
            }
        )
    if item.all_day:
        if item.is_workshop_round:
            raise ValidationError(
                {"all_day": _("Un temps d'ateliers en parallèle a une heure de début.")}
            )
        if item.start_time or item.end_time:
            raise ValidationError(
                {"all_day": _("Un temps « toute la journée » n'a pas d'heures : videz-les.")}
            )
        return
    if item.start_time is None:
        raise ValidationError(
            {"start_time": _("Indiquez l'heure de début, ou cochez « Toute la journée ».")}
        )
    if item.end_time and item.end_time <= item.start_time:
        raise ValidationError({"end_time": _("La fin doit suivre le début.")})


@transaction.atomic
def save_agenda_item(*, item: AgendaItem, acting_user) -> AgendaItem:
    item.organisation = item.session.organisation
    _validate_agenda_item(item)
    if item.pk and not item.is_workshop_round and item.workshops.exists():
        raise ValidationError(
            {"kind": _("Retirez d'abord les ateliers de ce créneau pour en changer la nature.")}
        )
    item.save()
    sync_session_days(item.session)
    record(
        organisation=item.organisation,
        actor=acting_user,
        action=Action.AGENDA_UPDATED,
        target=item.session.title,
        item=item.title,
    )
    return item


@transaction.atomic
def delete_agenda_item(*, item: AgendaItem, acting_user) -> None:
    record(
        organisation=item.organisation,
        actor=acting_user,
        action=Action.AGENDA_UPDATED,
        target=item.session.title,
        removed=item.title,
    )
    session = item.session
    item.delete()
    sync_session_days(session)


@transaction.atomic
def save_workshop(*, workshop: Workshop, acting_user) -> Workshop:
    if not workshop.round.is_workshop_round:
        raise ValidationError(_("Ce créneau n'est pas un temps d'ateliers en parallèle."))
    workshop.organisation = workshop.round.organisation
    workshop.save()
    record(
        organisation=workshop.organisation,
        actor=acting_user,
        action=Action.AGENDA_UPDATED,
        target=workshop.round.session.title,
        workshop=workshop.title,
    )
    return workshop


@transaction.atomic
def delete_workshop(*, workshop: Workshop, acting_user) -> None:
    record(
        organisation=workshop.organisation,
        actor=acting_user,
        action=Action.AGENDA_UPDATED,
        target=workshop.round.session.title,
        removed=workshop.title,
    )
    workshop.delete()
