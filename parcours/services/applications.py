"""An application's life: the explicit state machine every transition goes through.

draft → submitted → under review → decided, and withdrawn from any state before the
decision. A coordinator may send a submitted application back to draft (reopening it),
or reconsider a decision before it is announced (decided → under review). Each change
writes an ``ApplicationEvent`` (who, when, from, to, note) and an audit entry.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.services import record

from ..models import Application, ApplicationEvent
from .common import Action

Status = Application.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {Status.UNDER_REVIEW, Status.DRAFT, Status.WITHDRAWN},
    Status.UNDER_REVIEW: {Status.DECIDED, Status.WITHDRAWN},
    Status.DECIDED: {Status.UNDER_REVIEW},
    Status.WITHDRAWN: set(),
}


def lock_application(application: Application) -> Application:
    """``application`` read again under a row lock, so two people changing it at once
    are serialised (the second one sees the first one's state)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )


def transition(
    application: Application, *, to: str, acting_user, note: str = "", fields=()
) -> Application:
    """Move ``application`` (already locked by the caller, inside its transaction) to
    ``to``, or refuse with a French message if its current state does not allow it.
    ``fields`` are other fields the caller changed, saved with the status."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside the caller's transaction")
    current = application.status
    if to not in TRANSITIONS[current]:
        raise ValidationError(
            _("Une candidature « %(current)s » ne peut pas passer à « %(to)s ».")
            % {"current": Status(current).label, "to": Status(to).label}
        )
    application.status = to
    application.save(update_fields=["status", "updated_at", *fields])
    ApplicationEvent.objects.create(
        organisation=application.organisation,
        application=application,
        from_status=current,
        to_status=to,
        actor=acting_user,
        at=timezone.now(),
        note=note,
    )
    record(
        organisation=application.organisation,
        actor=acting_user,
        action=Action.APPLICATION_STATUS_CHANGED,
        target=str(application),
        application=application.pk,
        before=current,
        after=to,
    )
    return application
