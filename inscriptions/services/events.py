"""Opening a session to registration (its public page) and writing to its registrants."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inscriptions import notices
from inscriptions.actions import Action
from inscriptions.models import Event, Registrant
from organisations.services import record
from parcours.models import Session


@transaction.atomic
def save_event(*, event: Event, acting_user) -> Event:
    """Create or change an event page: a session of the organisation with « inscription
    libre », an address unique in the organisation."""
    session = event.session
    errors = {}
    if session.organisation_id != event.organisation_id:
        errors["session"] = _("Choisissez une séance de cette organisation.")
    elif session.audience != Session.Audience.OPEN:
        errors["session"] = _("Seule une séance en « Inscription libre » a une page d'inscription.")
    others = Event.objects.filter(organisation_id=event.organisation_id).exclude(pk=event.pk)
    if others.filter(slug=event.slug).exists():
        errors["slug"] = _("Une autre page d'inscription a déjà cette adresse.")
    if others.filter(session=session).exists():
        errors["session"] = _("Cette séance a déjà sa page d'inscription.")
    if session.is_dated and event.deadline > session.starts_at:
        errors["deadline"] = _("La date limite doit précéder le début de la séance.")
    if errors:
        raise ValidationError(errors)
    event.save()
    record(
        organisation=event.organisation,
        actor=acting_user,
        action=Action.EVENT_SAVED,
        target=session.title,
        event=event.pk,
        published=event.published,
    )
    return event


def message_recipients(event: Event, workshop=None):
    """The confirmed registrants (of ``workshop``, holding a place in it, when given)."""
    people = Registrant.objects.filter(event=event, status=Registrant.Status.CONFIRMED)
    if workshop is not None:
        people = people.filter(
            choices__workshop=workshop, choices__waiting_since__isnull=True
        ).distinct()
    return people.select_related("user", "collective")


@transaction.atomic
def send_event_message(*, event: Event, acting_user, subject: str, body: str, workshop=None) -> int:
    """Write to every confirmed registrant, or to those of one workshop."""
    people = list(message_recipients(event, workshop))
    if not people:
        raise ValidationError(_("Personne à qui écrire : aucune inscription confirmée."))
    notices.send_message(event, people, subject=subject, body=body)
    record(
        organisation=event.organisation,
        actor=acting_user,
        action=Action.MESSAGE_SENT,
        target=subject,
        event=event.pk,
        workshop=workshop.title if workshop else "",
        count=len(people),
    )
    return len(people)
