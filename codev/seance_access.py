"""Who may open a CODEV séance and do what on it.

Anyone who sees the group (``codev.selectors.groups_visible_to``) reads the séance;
only the client (``codev.services.cases.is_client``) writes its case and its
follow-up; the séance's facilitator, the group's facilitators and the coordinators run
the six steps; the client and those who run the séance record, correct and remove the
client's commitments (the action plan of step 5). Another organisation, or a group one does not see,
gets 404; someone who sees the group but may not do the thing gets 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from codev.access import can_manage
from codev.models import GroupSession
from codev.selectors import groups_visible_to
from codev.services.cases import is_client
from organisations.models import Organisation


def get_seance_for_user_or_404(user, organisation: Organisation, group_session_id: int):
    return get_object_or_404(
        GroupSession.objects.filter(
            organisation=organisation,
            group__in=groups_visible_to(user, organisation),
        ).select_related(
            "group__programme",
            "session__kind",
            "client__team",
            "client__user",
            "facilitator",
            "timekeeper",
        ),
        pk=group_session_id,
    )


def can_run(user, organisation: Organisation, group_session: GroupSession) -> bool:
    """The séance's facilitator, a facilitator of its group, or a coordinator."""
    if group_session.facilitator_id == user.pk:
        return True
    if can_manage(user, organisation):
        return True
    return group_session.group.facilitators.filter(pk=user.pk).exists()


def check_client(user, group_session: GroupSession) -> None:
    if not is_client(user, group_session.client):
        raise PermissionDenied


def check_runner(user, organisation: Organisation, group_session: GroupSession) -> None:
    if not can_run(user, organisation, group_session):
        raise PermissionDenied


def can_write_commitments(user, organisation: Organisation, group_session: GroupSession) -> bool:
    """The client, or whoever runs the séance (``can_run``)."""
    return is_client(user, group_session.client) or can_run(user, organisation, group_session)


def check_commitment_writer(user, organisation: Organisation, group_session: GroupSession):
    if not can_write_commitments(user, organisation, group_session):
        raise PermissionDenied
