"""What notifications tells about a person's account, and the outbox it lends to the
organisations below it (``sillon.extensions``)."""

from django.dispatch import receiver

from accounts.extensions import personal_data
from notifications.models import Category
from notifications.personal_data import export_for_user
from notifications.services import Delivery, Email, send_batch
from organisations.extensions import outbox


@receiver(personal_data, dispatch_uid="notifications.personal_data")
def notifications_personal_data(sender, *, user, **kwargs):
    return "notifications", export_for_user(user)


@receiver(outbox, dispatch_uid="notifications.organisation_outbox")
def organisation_outbox(sender, *, organisation, to_email, kind, subject, text, html, url, **kw):
    """An organisation's e-mail to an address (an invitation): one outbox row, delivered
    and retried like every other message, with no in-app notification or preference."""
    email = Email(subject=subject, text=text, html=html)
    messages = send_batch(
        organisation=organisation,
        deliveries=[Delivery(None, lambda _user: email, url, email=to_email)],
        kind=kind,
        category=Category.REQUESTS,
        mandatory=True,
    )
    return messages[0] if messages else None
