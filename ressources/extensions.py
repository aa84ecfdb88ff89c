"""What ressources adds to the pages below it (``sillon.extensions``):

- the main navigation: « Ressources »;
- a session's page: its documents and outputs, and the way to attach one for the
  coordinators, the trainers and the session's facilitators;
- a team's page: the team's productions, and « Ajouter une production » for its members;
- a programme's tabs: « Ressources »;
- a copied programme or duplicated session: the documents of its sessions follow;
- a call's management page: the call's documents (public with the call), and the way
  to add and remove one; the call's public page: its public documents;
- the organisation's home page: two public resources, for capitalisation.

The personal data (``ressources.personal_data``) connects by being imported here."""

from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from candidatures.extensions import call_panels, call_public_panels
from organisations.extensions import home_panels, navigation
from organisations.home_sections import HomeSection
from parcours.extensions import programme_copied, programme_tabs, session_panels, team_panels

from . import personal_data  # noqa: F401 (its receivers connect)
from .access import can_attach_to_session
from .minutes_extensions import minutes_tab  # noqa: F401 (the minutes' receivers connect)
from .models import Resource, Visibility
from .selectors import public_resources, resources_visible_to, session_resources

TEAM_PANEL_SIZE = 10
HOME_PUBLIC = 2


@receiver(navigation, dispatch_uid="ressources.navigation")
def library_navigation(sender, *, organisation, role, **kwargs):
    return [(_("Ressources"), reverse("ressources:library", args=[organisation.slug]), "library")]


@receiver(session_panels, dispatch_uid="ressources.session_documents")
def session_documents_panel(sender, *, request, organisation, session, **kwargs):
    resources = session_resources(request.user, organisation, session)
    can_attach = can_attach_to_session(request.user, organisation, session)
    if not resources and not can_attach:
        return None
    return HomeSection(
        "ressources/library/partials/session_panel.html",
        {
            "resources": resources,
            "can_attach": can_attach,
            "add_url": reverse("ressources:session_add", args=[organisation.slug, session.pk]),
        },
    )


@receiver(programme_copied, dispatch_uid="ressources.copy_session_documents")
def copy_session_documents(sender, *, source, copy, session_map, by, **kwargs):
    """The documents of a copied session follow it (new rows and new stored files), as
    the session documents did before they moved into the library."""
    from .services import copy_session_resources

    copy_session_resources(session_map, by)


@receiver(team_panels, dispatch_uid="ressources.team_productions")
def team_productions_panel(sender, *, request, organisation, team, members, **kwargs):
    visible = resources_visible_to(request.user, organisation).filter(team=team)
    resources = list(visible.order_by("-date", "-pk")[:TEAM_PANEL_SIZE])
    # A current member adds to their team's space (``writable_team_ids``, asked of the
    # rows the page has).
    can_add = request.user.has_perm("parcours.manage_programme", organisation) or any(
        member.user_id == request.user.pk and member.left_at is None for member in members
    )
    return HomeSection(
        "ressources/library/partials/team_panel.html",
        {
            "team": team,
            "resources": resources,
            "can_add": can_add,
            "add_url": reverse("ressources:team_add", args=[organisation.slug, team.pk]),
        },
    )


@receiver(programme_tabs, dispatch_uid="ressources.programme_resources")
def programme_resources_tab(sender, *, request, organisation, programme, **kwargs):
    url = reverse("ressources:programme_resources", args=[organisation.slug, programme.pk])
    return [(_("Ressources"), url, "ressources")]


@receiver(call_panels, dispatch_uid="ressources.call_documents")
def call_documents_panel(sender, *, request, organisation, call, **kwargs):
    resources = list(
        Resource.objects.filter(organisation=organisation, call=call)
        .defer("search_text", "search_vector")
        .order_by("pk")
    )
    return HomeSection(
        "ressources/library/partials/call_panel.html",
        {
            "resources": resources,
            "add_url": reverse("ressources:call_add", args=[organisation.slug, call.pk]),
        },
    )


@receiver(call_public_panels, dispatch_uid="ressources.call_public_documents")
def call_public_documents_panel(sender, *, request, organisation, call, **kwargs):
    """The call's documents on its public page. A call's documents are the AMI's rules,
    meant for anyone: the page lists the call's resources of visibility « public » (what
    ``call_add`` and the migrated attachments give), downloadable without an account once
    the call is published (``public_download``); before that only its coordinators preview
    the page, with the library's own download. A resource of the call with a narrower
    visibility (a reviewers' guide) stays in the library and is not listed here."""
    resources = list(
        Resource.objects.filter(organisation=organisation, call=call, visibility=Visibility.PUBLIC)
        .defer("search_text", "search_vector")
        .order_by("pk")
    )
    if not resources:
        return None
    return HomeSection(
        "ressources/library/partials/call_public_panel.html",
        {"resources": resources, "published": call.is_published},
    )


@receiver(home_panels, dispatch_uid="ressources.public_resources")
def public_resources_home_panel(sender, *, request, organisation, **kwargs):
    resources = list(
        public_resources(organisation)
        .filter(Q(call__isnull=True))
        .exclude(visibility=Visibility.TEAM)
        .order_by("-date", "-pk")[:HOME_PUBLIC]
    )
    if not resources:
        return None
    return HomeSection(
        "ressources/library/partials/home_panel.html",
        {
            "resources": resources,
            "all_url": reverse("ressources:public_library", args=[organisation.slug]),
        },
    )
