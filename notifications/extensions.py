"""What notifications tells about a person's account (``sillon.extensions``)."""

from django.dispatch import receiver

from accounts.extensions import personal_data
from notifications.personal_data import export_for_user


@receiver(personal_data, dispatch_uid="notifications.personal_data")
def notifications_personal_data(sender, *, user, **kwargs):
    return "notifications", export_for_user(user)
