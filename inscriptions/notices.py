"""The messages of open registration (outbox, in the caller's transaction): the link to
confirm a registration, the confirmation with its .ics and personal link, the link sent
again, a place freed from a waiting list, a coordinator's message to the registrants.

Every message goes to the address typed at registration (``Delivery.email``), with the
account when the person has one (confirmed), so the bell shows it too."""

from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _

from inscriptions.ical import registration_calendar
from notifications import services
from notifications.models import Category
from sillon.formatting import format_day, format_session_when
from sillon.mail import absolute_url

CALENDAR_TYPE = "text/calendar; method=PUBLISH; charset=utf-8"


def public_url(event) -> str:
    return absolute_url(reverse("inscriptions:event", args=[event.organisation.slug, event.slug]))


def confirm_url(registrant) -> str:
    event = registrant.event
    return absolute_url(
        reverse(
            "inscriptions:confirm", args=[event.organisation.slug, event.slug, registrant.token]
        )
    )


def personal_url(registrant) -> str:
    event = registrant.event
    return absolute_url(
        reverse(
            "inscriptions:personal", args=[event.organisation.slug, event.slug, registrant.token]
        )
    )


def _facts(event, registrant) -> dict:
    session = event.session
    zone = event.organisation.time_zone
    return {
        "event": event,
        "session": session,
        "when": format_session_when(session),
        "deadline": format_day(event.deadline.astimezone(ZoneInfo(zone)).date()),
        "recipient": registrant,
        "unsubscribe_url": "",
        "event_url": public_url(event),
    }


def _send(event, deliveries, kind, *, category=Category.CONVOCATIONS):
    return services.send_batch(
        organisation=event.organisation,
        deliveries=deliveries,
        kind=kind,
        category=category,
        mandatory=True,
    )


def send_confirmation_requests(event, registrants) -> list:
    """« Confirmez votre inscription »: the link that makes each registration count."""

    def build_for(registrant):
        def build(user):
            url = confirm_url(registrant)
            return services.render_email(
                template="inscriptions/emails/confirm_request",
                subject=_("Confirmez votre inscription : %(title)s") % {"title": event.session},
                organisation=event.organisation,
                context={**_facts(event, registrant), "url": url},
            )

        return build

    deliveries = [
        services.Delivery(None, build_for(person), confirm_url(person), email=person.email)
        for person in registrants
    ]
    return _send(event, deliveries, "inscriptions.confirm_request")


def _choices(registrant):
    return list(
        registrant.choices.select_related("round", "workshop").order_by(
            "round__day", "round__start_time"
        )
    )


def send_confirmed(event, registrant, *, resent: bool = False) -> list:
    """The registration confirmed: what, when, the person's workshops (and waiting
    lists), the .ics, and the personal link to see, change or cancel it."""
    choices = _choices(registrant)

    def build(user):
        url = personal_url(registrant)
        content = registration_calendar(event.session, choices)
        return services.render_email(
            template="inscriptions/emails/confirmed",
            subject=_("Inscription confirmée : %(title)s") % {"title": event.session},
            organisation=event.organisation,
            context={
                **_facts(event, registrant),
                "url": url,
                "choices": choices,
                "resent": resent,
            },
            attachments=[services.Attachment("inscription.ics", CALENDAR_TYPE, content)],
        )

    delivery = services.Delivery(
        registrant.user, build, personal_url(registrant), email=registrant.email
    )
    return _send(event, [delivery], "inscriptions.confirmed")


def send_link(event, registrant) -> list:
    """« Renvoyer mon lien »: the confirmation link again, or the personal link."""
    if registrant.is_confirmed:
        return send_confirmed(event, registrant, resent=True)
    return send_confirmation_requests(event, [registrant])


def send_promoted(event, registrant, workshop) -> list:
    """A place freed in a workshop the person waited for: it is theirs."""

    def build(user):
        return services.render_email(
            template="inscriptions/emails/promoted",
            subject=_("Une place s'est libérée : %(title)s") % {"title": workshop.title},
            organisation=event.organisation,
            context={
                **_facts(event, registrant),
                "url": personal_url(registrant),
                "workshop": workshop,
            },
        )

    delivery = services.Delivery(
        registrant.user, build, personal_url(registrant), email=registrant.email
    )
    return _send(event, [delivery], "inscriptions.promoted")


def send_message(event, registrants, *, subject: str, body: str) -> list:
    """A coordinator's message to registrants (all of them, or one workshop's)."""

    def build_for(registrant):
        def build(user):
            return services.render_email(
                template="inscriptions/emails/message",
                subject=subject,
                organisation=event.organisation,
                context={
                    **_facts(event, registrant),
                    "url": personal_url(registrant),
                    "body": body,
                },
            )

        return build

    deliveries = [
        services.Delivery(person.user, build_for(person), personal_url(person), email=person.email)
        for person in registrants
    ]
    return _send(event, deliveries, "inscriptions.message", category=Category.TEAM_NEWS)
