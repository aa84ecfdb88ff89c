"""Permission predicates on an organisation. Views declare the permission they need;
anything outside the user's reach answers 404 (see ``organisations.access``)."""

import rules

from .models import Role
from .roles import role_in


@rules.predicate
def is_member(user, organisation) -> bool:
    return role_in(user, organisation) is not None


@rules.predicate
def is_coordinator(user, organisation) -> bool:
    return role_in(user, organisation) == Role.COORDINATOR


@rules.predicate
def is_trainer(user, organisation) -> bool:
    return role_in(user, organisation) == Role.TRAINER


@rules.predicate
def is_observer(user, organisation) -> bool:
    return role_in(user, organisation) == Role.OBSERVER


rules.add_perm("organisations.view_organisation", is_member)
rules.add_perm("organisations.view_members", is_member)
rules.add_perm("organisations.manage_members", is_coordinator)
rules.add_perm("organisations.change_organisation", is_coordinator)
rules.add_perm("organisations.view_audit", is_coordinator)
