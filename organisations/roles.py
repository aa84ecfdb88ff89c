"""Who holds which role where, cached on the user object for the length of a request."""

from django.db.models import CharField, Value
from django_scopes import scopes_disabled

from .extensions import participations
from .models import Access, Membership, Organisation

_CACHE_ATTR = "_sillon_roles"


def roles_by_organisation(user) -> dict[int, str]:
    """{organisation_id: access} for ``user``: their membership role, or "participant"
    where they only belong to a team. Computed once per request.

    Reading the user's own memberships across organisations is legitimate cross-tenant
    access: the filter is on the user, so nothing of anyone else leaks.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        with scopes_disabled():
            rows = Membership.objects.filter(user=user).values_list("organisation_id", "role")
            # Where they take part without a membership (parcours: "member of a team"),
            # in the same query.
            participant = Value(Access.PARTICIPANT.value, output_field=CharField())
            for elsewhere in participations.collect(user=user):
                rows = rows.union(
                    elsewhere.order_by()
                    .annotate(sillon_access=participant)
                    .values_list("organisation_id", "sillon_access")
                )
            rows = list(rows)
        cached = {pk: role for pk, role in rows if role != Access.PARTICIPANT.value}
        for pk, role in rows:
            cached.setdefault(pk, role)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def role_in(user, organisation: Organisation | None) -> str | None:
    if organisation is None:
        return None
    return roles_by_organisation(user).get(organisation.pk)


def forget_roles(user) -> None:
    """Drop the cache after a membership change made during the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def organisations_for_user(
    user, known: Organisation | None = None
) -> list[tuple[Organisation, Access]]:
    """The organisations of ``user`` with their access, by name. ``known``: an
    organisation already loaded (the page's): when it is the only one, no query."""
    roles = roles_by_organisation(user)
    if not roles:
        return []
    if known is not None and set(roles) == {known.pk}:
        return [(known, Access(roles[known.pk]))]
    organisations = Organisation.objects.filter(pk__in=roles).order_by("name")
    return [(organisation, Access(roles[organisation.pk])) for organisation in organisations]
