"""Which resources a person sees (``resources_visible_to``), the public ones of an
organisation, and the resources of a session, a team, a call or a programme.

Visibility:

- **organisation**: every member (coordinators, trainers, observers, team members);
- **programme**: the staff and the current members of the programme's teams;
- **team**: the team's current members, the coordinators and the trainers (not the
  observers, not the other teams);
- **public**: anyone, without an account; a resource of a call only once it is published.

A document of a session with the visibility « programme » (what attaching one to a
session gives, and what the session documents became) is read by whoever may read the
session (``parcours.selectors.sessions_visible_to``), as the session documents were: a
team's individual coaching stays with that team, a person registered to a group session
without being in a team reads its documents. Resources of a session held for the
facilitation team only (« Interne ») stay with the staff.

The choices of the library's filters (themes, work streams, programmes, phases, sessions,
teams) are read once per organisation and kept in the cache (``filter_choices``) under a
version that every save or deletion of one of those rows changes (the receivers at the
end of this module, connected at start-up: ``extensions.py`` imports this module)."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save

from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.models import Cohort, Phase, Programme, Session, Team, TeamMember
from parcours.selectors import sessions_visible_to

from .models import Resource, Tag, Visibility

__all__ = [
    "filter_choices",
    "member_team_rows",
    "public_resources",
    "public_visibility",
    "resources_visible_to",
    "session_resources",
]

FULL_READERS = (Role.COORDINATOR, Role.TRAINER)


def public_visibility() -> Q:
    return Q(visibility=Visibility.PUBLIC) & (Q(call__isnull=True) | Q(call__status="published"))


def public_resources(organisation: Organisation) -> QuerySet:
    return Resource.objects.filter(organisation=organisation).filter(public_visibility())


def member_team_rows(user, organisation: Organisation) -> list[tuple[int, int]]:
    """[(team id, programme id)] of the user's current teams in ``organisation``."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        TeamMember.objects.current()
        .filter(organisation=organisation, user=user)
        .values_list("team_id", "team__cohort__programme_id")
    )


def resources_visible_to(user, organisation: Organisation, role=None) -> QuerySet:
    role = role if role is not None else role_in(user, organisation)
    resources = Resource.objects.filter(organisation=organisation)
    if role in FULL_READERS:
        return resources
    if role == Role.OBSERVER:
        return resources.exclude(visibility=Visibility.TEAM).exclude(session__audience="internal")
    if role is None:
        return resources.filter(public_visibility())
    # Subqueries, not a query of their own: the pages listing resources stay in budget.
    memberships = TeamMember.objects.current().filter(organisation=organisation, user=user)
    team_ids = memberships.values("team_id")
    programme_ids = memberships.values("team__cohort__programme_id")
    return resources.filter(
        Q(visibility=Visibility.ORGANISATION)
        | public_visibility()
        | Q(visibility=Visibility.PROGRAMME, programme_id__in=programme_ids, session=None)
        | Q(visibility=Visibility.TEAM, team_id__in=team_ids)
        | Q(
            visibility=Visibility.PROGRAMME,
            session__in=sessions_visible_to(user, organisation).values("pk"),
        )
    ).exclude(session__audience="internal")


def session_resources(user, organisation: Organisation, session) -> list[Resource]:
    return list(
        resources_visible_to(user, organisation)
        .filter(session=session)
        .select_related("uploaded_by")
        .order_by("title", "pk")
    )


# --- The filters' choices, cached per organisation ----------------------------------------

# At most this long without a signal (a queryset ``update()`` bypasses them).
FILTER_CHOICES_SECONDS = 600
# The models whose rows are the filters' choices (a team's programme is its cohort's).
FILTER_MODELS = (Tag, Programme, Cohort, Phase, Session, Team)
# A save touching none of these fields (``update_fields``) leaves the choices as they are.
FILTER_FIELDS = frozenset(
    (
        "organisation",
        "name",
        "category",
        "title",
        "order",
        "programme",
        "cohort",
        "starts_at",
        "audience",
    )
)


def _version_key(organisation_id: int) -> str:
    return f"ressources:filter-choices-version:{organisation_id}"


def filter_choices(organisation: Organisation) -> dict[str, list[tuple]]:
    """Every choice of the library's filters in ``organisation``, in the order of the
    selects: ``themes`` and ``work_streams`` [(id, name)], ``programmes`` [(id, name)],
    ``phases`` [(id, programme id, name)], ``sessions`` [(id, programme id, audience,
    title)], ``teams`` [(id, programme id, name)]. The form keeps those a person may
    choose."""
    version = cache.get(_version_key(organisation.pk))
    if version is None:
        version = _bump_filter_choices(organisation.pk)
    # With the organisation's creation time: a test database gives the same id again.
    key = (
        f"ressources:filter-choices:{organisation.pk}:"
        f"{organisation.created_at.timestamp()}:{version}"
    )
    choices = cache.get(key)
    if choices is None:
        choices = _read_filter_choices(organisation)
        cache.set(key, choices, FILTER_CHOICES_SECONDS)
    return choices


def _read_filter_choices(organisation: Organisation) -> dict[str, list[tuple]]:
    tags = list(
        Tag.objects.filter(organisation=organisation)
        .order_by("name", "pk")
        .values_list("pk", "category", "name")
    )
    return {
        "themes": [(pk, name) for pk, category, name in tags if category == Tag.Category.THEME],
        "work_streams": [
            (pk, name) for pk, category, name in tags if category == Tag.Category.WORK_STREAM
        ],
        "programmes": list(
            Programme.objects.filter(organisation=organisation)
            .order_by("name", "pk")
            .values_list("pk", "name")
        ),
        "phases": list(
            Phase.objects.filter(organisation=organisation)
            .order_by("programme__name", "order", "pk")
            .values_list("pk", "programme_id", "name")
        ),
        "sessions": list(
            Session.objects.filter(organisation=organisation)
            .order_by("-starts_at", "pk")
            .values_list("pk", "programme_id", "audience", "title")
        ),
        "teams": list(
            Team.objects.filter(organisation=organisation)
            .order_by("name", "pk")
            .values_list("pk", "cohort__programme_id", "name")
        ),
    }


def _bump_filter_choices(organisation_id: int) -> str:
    version = uuid.uuid4().hex
    cache.set(_version_key(organisation_id), version, None)
    return version


def _filter_rows_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """A theme, a programme, a phase, a session, a team… saved or deleted: its
    organisation's filters are read again, now and once the transaction commits (a page
    read in between may have cached the rows as they were)."""
    organisation_id = getattr(instance, "organisation_id", None)
    if organisation_id is None:
        return
    if update_fields is not None and not FILTER_FIELDS.intersection(update_fields):
        return
    _bump_filter_choices(organisation_id)
    transaction.on_commit(lambda: _bump_filter_choices(organisation_id))


for _model in FILTER_MODELS:
    for _event, _signal in (("saved", post_save), ("deleted", post_delete)):
        _signal.connect(
            _filter_rows_changed,
            sender=_model,
            dispatch_uid=f"ressources.filter_choices.{_model.__name__}.{_event}",
        )
