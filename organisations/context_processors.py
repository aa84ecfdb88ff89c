from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .extensions import navigation
from .models import Access, Role
from .roles import organisations_for_user, role_in


def _navigation(organisation, role):
    """Main navigation of an organisation's pages, by role. Later apps add their entries."""
    if organisation is None or role is None:
        return []
    slug = organisation.slug
    items = [(_("Accueil"), reverse("organisations:home", args=[slug]), "home")]
    items.extend(navigation.collect(organisation=organisation, role=role))
    if role in Role.values:
        items.append((_("Membres"), reverse("organisations:members", args=[slug]), "members"))
    if role == Role.COORDINATOR:
        items.append((_("Journal"), reverse("organisations:audit_log", args=[slug]), "audit"))
        items.append((_("Paramètres"), reverse("organisations:settings", args=[slug]), "settings"))
    return items


def organisation(request):
    current = request_organisation = getattr(request, "organisation", None)
    user = getattr(request, "user", None)
    role = role_in(user, current) if current is not None and user is not None else None
    match = getattr(request, "resolver_match", None)
    is_public_page = getattr(getattr(match, "func", None), "sillon_public", False)
    if role is None and not is_public_page:
        # A 404 answered to a stranger must not show whose page it was.
        current = None
    return {
        "current_organisation": current,
        "current_role": role,
        "current_role_label": Access(role).label if role else "",
        "navigation": SimpleLazyObject(lambda: _navigation(current, role)),
        "my_organisations": SimpleLazyObject(
            lambda: (
                organisations_for_user(user, known=request_organisation) if user is not None else []
            )
        ),
    }
