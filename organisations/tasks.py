"""Celery tasks of organisations. Tasks take ids, never objects, and enter the scope."""

from functools import wraps

from celery import shared_task
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from sillon.mail import absolute_url, send_templated_mail

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


@tenant_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(organisation: Organisation, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return
    send_templated_mail(
        to=[invitation.email],
        subject=_("Invitation à rejoindre %(organisation)s sur Sillon")
        % {"organisation": organisation.name},
        template="organisations/email/invitation",
        context={
            "organisation": organisation,
            "invitation": invitation,
            "accept_url": absolute_url(reverse("invitation_accept", args=[invitation.token])),
        },
    )
