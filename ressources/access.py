"""Who adds, changes and deletes resources, and finding one for the person asking, or
404 (see ``ressources.selectors`` for who reads what).

- **Adding**: coordinators and trainers anywhere; a team member to their own team's
  space (visibility team or programme); observers never.
- **Attaching to a session**: coordinators, and the trainers (any trainer, and the
  session's facilitators).
- **Changing and deleting**: coordinators; whoever uploaded it while they may still read
  it; a facilitator of the resource's session.
- **Tags**: coordinators.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.selectors import is_facilitator

from .models import Resource, Tag
from .selectors import member_team_rows, public_resources, resources_visible_to

STAFF_WRITERS = (Role.COORDINATOR, Role.TRAINER)


def is_coordinator(user, organisation: Organisation) -> bool:
    return role_in(user, organisation) == Role.COORDINATOR


def writable_team_ids(user, organisation: Organisation) -> set[int]:
    return {team_id for team_id, _programme_id in member_team_rows(user, organisation)}


def can_add(user, organisation: Organisation) -> bool:
    if role_in(user, organisation) in STAFF_WRITERS:
        return True
    return bool(writable_team_ids(user, organisation))


def can_attach_to_session(user, organisation: Organisation, session) -> bool:
    role = role_in(user, organisation)
    return role in STAFF_WRITERS or is_facilitator(user, session)


def can_change(user, organisation: Organisation, resource: Resource) -> bool:
    role = role_in(user, organisation)
    if role == Role.COORDINATOR:
        return True
    if resource.uploaded_by_id is not None and resource.uploaded_by_id == user.pk:
        return True
    if resource.session_id is not None and role == Role.TRAINER:
        return is_facilitator(user, resource.session)
    return False


def get_resource_for_user_or_404(user, organisation: Organisation, resource_id: int) -> Resource:
    return get_object_or_404(
        resources_visible_to(user, organisation).select_related(
            "programme", "phase", "session", "team", "call", "uploaded_by"
        ),
        pk=resource_id,
    )


def get_changeable_resource_or_404(user, organisation: Organisation, resource_id: int) -> Resource:
    resource = get_resource_for_user_or_404(user, organisation, resource_id)
    if not can_change(user, organisation, resource):
        raise Http404
    return resource


def get_public_resource_or_404(organisation: Organisation, resource_id: int) -> Resource:
    return get_object_or_404(
        public_resources(organisation).select_related("programme", "call"), pk=resource_id
    )


def get_tag_or_404(organisation: Organisation, tag_id: int) -> Tag:
    return get_object_or_404(Tag.objects, organisation=organisation, pk=tag_id)
