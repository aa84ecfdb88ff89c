"""Finding a group or a group séance for the person asking, or 404.

Coordinators manage; the staff read the groups of the programmes they see; a member
reads the groups they are in (``codev.selectors.groups_visible_to``); anyone else, and
any other organisation, gets 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from codev.models import Group, GroupSession
from codev.selectors import groups_visible_to
from organisations.models import Organisation


def can_manage(user, organisation: Organisation) -> bool:
    return user.has_perm("parcours.manage_programme", organisation)


def get_group_for_user_or_404(user, organisation: Organisation, group_id: int) -> Group:
    return get_object_or_404(groups_visible_to(user, organisation), pk=group_id)


def get_managed_group_or_404(user, organisation: Organisation, group_id: int) -> Group:
    """A group its coordinator changes: 404 for everyone else."""
    if not can_manage(user, organisation):
        raise Http404
    return get_group_for_user_or_404(user, organisation, group_id)


def get_managed_group_session_or_404(
    user, organisation: Organisation, group_session_id: int
) -> GroupSession:
    if not can_manage(user, organisation):
        raise Http404
    return get_object_or_404(
        GroupSession.objects.select_related("group__programme", "session", "client"),
        organisation=organisation,
        pk=group_session_id,
    )
