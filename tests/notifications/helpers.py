"""Writing notifications the way the application does: through ``services.send``."""

from django.db import transaction
from django_scopes import scope

from notifications import services


def notify(
    organisation, users, *, title="Rappel : séance demain", url="/", category="reminders", **kwargs
):
    with scope(organisation=organisation.pk), transaction.atomic():
        return services.send(
            organisation=organisation,
            recipients=users,
            kind="test",
            category=category,
            build=lambda user: services.Email(subject=title, text=f"{title}\n"),
            url=url,
            **kwargs,
        )
