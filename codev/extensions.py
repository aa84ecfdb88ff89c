"""What codev adds to the parcours' pages (``sillon.extensions``): the programme's
« Groupes » tab, a team's groups and its CODEV cases with their commitments (followed as
actions of the team's plan), and the group of a group séance."""

from django.db.models import Exists, OuterRef, Prefetch
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from codev.models import Case, Commitment, GroupMembership, GroupSession
from codev.selectors import groups_visible_to
from organisations.home_sections import HomeSection
from organisations.models import Role
from organisations.roles import role_in
from parcours.extensions import programme_tabs, session_panels, team_panels


@receiver(programme_tabs, dispatch_uid="codev.groups")
def groups_tab(sender, *, request, organisation, programme, **kwargs):
    """« Groupes »: for the staff, and for a member in one of the programme's groups."""
    user = request.user
    if role_in(user, organisation) not in Role.values and not (
        groups_visible_to(user, organisation).filter(programme=programme).exists()
    ):
        return []
    url = reverse("codev:group_list", args=[organisation.slug, programme.pk])
    return [(_("Groupes"), url, "groups")]


@receiver(team_panels, dispatch_uid="codev.team_groups")
def team_groups_panel(sender, *, request, organisation, team, **kwargs) -> HomeSection | None:
    """The team's current groups (those the viewer may open are links) and the cases it
    brought, with their commitments; nothing when it never was in a group."""
    memberships = list(
        GroupMembership.objects.filter(team=team)
        .select_related("group")
        .annotate(
            visible=Exists(
                groups_visible_to(request.user, organisation).filter(pk=OuterRef("group"))
            )
        )
        .order_by("-joined_at", "pk")
    )
    if not memberships:
        return None
    groups = [
        {
            "group": m.group,
            "url": reverse("codev:group_detail", args=[organisation.slug, m.group_id])
            if m.visible
            else None,
        }
        for m in memberships
        if m.left_at is None
    ]
    cases = list(
        Case.objects.filter(client__team=team)
        .select_related("group_session__session", "group_session__group")
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.select_related("owner"))
        )
        .order_by("-created_at", "pk")
    )
    for case in cases:
        case.group_session.session.organisation = organisation
    # Each commitment is an action of the team's plan (codev.services.plan_actions).
    has_commitments = any(case.commitments.all() for case in cases)
    plan_url = (
        reverse("plans:team_plan", args=[organisation.slug, team.cohort.programme_id, team.pk])
        if has_commitments
        else None
    )
    return HomeSection(
        "codev/team_section.html", {"groups": groups, "cases": cases, "plan_url": plan_url}
    )


@receiver(session_panels, dispatch_uid="codev.session_group")
def session_group_panel(sender, *, request, organisation, session, **kwargs) -> HomeSection | None:
    """On a group séance's page: its group, a link to it for those who may open it."""
    group_session = GroupSession.objects.filter(session=session).select_related("group").first()
    if group_session is None:
        return None
    group = group_session.group
    visible = groups_visible_to(request.user, organisation).filter(pk=group.pk).exists()
    from codev.views.common import seance_url_maker

    return HomeSection(
        "codev/session_section.html",
        {
            "group": group,
            "group_session": group_session,
            "url": reverse("codev:group_detail", args=[organisation.slug, group.pk])
            if visible
            else None,
            "seance_url": seance_url_maker(organisation)(group_session.pk) if visible else None,
        },
    )
