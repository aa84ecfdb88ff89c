"""Permission predicates on an organisation. Views declare the permission they need;
anything outside the user's reach answers 404 (see ``organisations.access``)."""

import rules

from .models import Access, Role
from .roles import role_in


@rules.predicate
def is_member(user, organisation) -> bool:
    """Anyone who reaches the organisation: a membership or a place in a team."""
    return role_in(user, organisation) is not None


@rules.predicate
def is_staff_member(user, organisation) -> bool:
    """Holds a membership (coordinator, trainer or observer), not only a team place."""
    return role_in(user, organisation) in Role.values


@rules.predicate
def is_coordinator(user, organisation) -> bool:
    return role_in(user, organisation) == Role.COORDINATOR


@rules.predicate
def is_trainer(user, organisation) -> bool:
    return role_in(user, organisation) == Role.TRAINER


@rules.predicate
def is_observer(user, organisation) -> bool:
    return role_in(user, organisation) == Role.OBSERVER


@rules.predicate
def is_participant(user, organisation) -> bool:
    return role_in(user, organisation) == Access.PARTICIPANT


rules.add_perm("organisations.view_organisation", is_member)
rules.add_perm("organisations.view_members", is_staff_member)
rules.add_perm("organisations.manage_members", is_coordinator)
rules.add_perm("organisations.change_organisation", is_coordinator)
rules.add_perm("organisations.view_audit", is_coordinator)
