"""Celery tasks of organisations. Tasks take ids, never objects, and enter the scope."""

from functools import wraps

from celery import shared_task
from django.db import transaction
from django_scopes import scope

from .models import Invitation, Organisation


def tenant_task(**options):
    """A Celery task whose first argument is ``organisation_id``: the task looks the
    organisation up, enters its scope and calls the function with the organisation
    (after the task itself when ``bind=True``, for ``self.retry``)."""

    def decorator(func):
        def run(bound, organisation_id, args, kwargs):
            organisation = Organisation.objects.get(pk=organisation_id)
            with scope(organisation=organisation.pk):
                return func(*bound, organisation, *args, **kwargs)

        if options.get("bind"):

            @wraps(func)
            def task(self, organisation_id: int, *args, **kwargs):
                return run((self,), organisation_id, args, kwargs)

        else:

            @wraps(func)
            def task(organisation_id: int, *args, **kwargs):
                return run((), organisation_id, args, kwargs)

        return shared_task(name=f"{func.__module__}.{func.__name__}", **options)(task)

    return decorator


@tenant_task()
def send_invitation_email(organisation: Organisation, invitation_id: int) -> None:
    """Kept for the tasks queued before invitations went through the outbox: the
    e-mail is written in the outbox, which delivers it."""
    from .notices import queue_invitation_email

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
        )
        if invitation is not None and invitation.status == Invitation.Status.PENDING:
            queue_invitation_email(invitation)
