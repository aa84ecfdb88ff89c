"""The places of the parcours' pages that the apps above fill (``sillon.extensions``),
and what the parcours adds to the organisation's pages and to a person's account.

* ``session_panels``: panels of a session's page (sondages adds the date poll,
  evaluation the session's questionnaires, documents the attendance sheets). Receivers
  take ``request, organisation, session`` and return a ``HomeSection`` or ``None``.
* ``team_panels``: panels of a team's page (presences adds the team's attendance,
  evaluation its progression, documents « Mon attestation »). Receivers take
  ``request, organisation, team``; they are called only for people allowed to see the
  team's page, and each decides what its panel shows them.
* ``programme_tabs``: tabs of a programme's pages after « Frise », « Mois » and
  « Liste » (candidatures adds « Appel à candidatures », evaluation « Évaluations »…).
  Receivers take ``request, organisation, programme`` and return
  ``[(label, url, key), …]``.
* ``programme_copied``: what the apps above copy with a programme or a session
  (evaluation the campaigns, ressources the session documents). Receivers take
  ``source, copy, session_map, by``: ``session_map`` is ``{old session id: new
  session}``; ``source is copy`` (the same programme) when one session was duplicated to
  a new date, and then only what belongs to ``session_map``'s sessions is copied. Called
  inside the copy's transaction; registrations, attendance and answers are never copied.
* ``catalogue_figures``: figures of a programme's catalogue sheet computed above
  (evaluation adds the satisfaction rate with its n). Receivers take ``programme`` and
  return ``(label, value)`` or ``None``.
* ``registration_panels``: how anyone registers to a session, for a public page naming
  it (inscriptions adds its public event page; candidatures shows it for a call's
  webinar). Receivers take ``request, organisation, session`` and ``place``: « public »
  (the default) or « session », the open session's own page for a signed-in person,
  where the panel shows the person's registration. They return a ``HomeSection`` or
  ``None``. An open session with a contribution is registered to through it only: its
  page shows the panel instead of « Je m'inscris » (and its numbers), and
  ``session_register`` and ``workshop_choose`` register nobody around it.
* ``next_steps``: what a person who just joined a team has to do next, after signing the
  engagement (sondages adds « answer the team's open date poll »). Receivers take
  ``user, team`` (its programme published) and return a URL or ``None``; the first
  contribution wins, else the team's page.
"""

from django.db.models.functions import Lower
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.extensions import pending_invitations, personal_data
from notifications.audiences import message_audiences
from organisations.extensions import home_panels, navigation, participations
from organisations.home_sections import HomeSection
from parcours.engagement_status import pending_engagements
from parcours.models import TeamMember
from parcours.personal_data import export_for_user
from parcours.selectors import (
    programmes_visible_to,
    sessions_visible_to,
)
from sillon.extensions import ExtensionPoint

session_panels = ExtensionPoint(
    "parcours.session_panels",
    "A panel of a session's page: (request, organisation, session) -> HomeSection | None.",
)

team_panels = ExtensionPoint(
    "parcours.team_panels",
    "A panel of a team's page: (request, organisation, team, members) -> HomeSection | None; "
    "``members`` is the team's TeamMember rows, current and former, with their users: a "
    "panel asks it who belongs to the team rather than the database.",
)

programme_tabs = ExtensionPoint(
    "parcours.programme_tabs",
    "Tabs of a programme's pages: (request, organisation, programme) -> [(label, url, key)].",
    many=True,
)

# A registration panel's context may say ``"direct": True``: the person holds a place
# taken on the session page before the event opened, which « Me désinscrire » may still
# give up there.
registration_panels = ExtensionPoint(
    "parcours.registration_panels",
    "How anyone registers to a session, on a public page or (place='session') its own "
    "page, where it replaces the direct registration: "
    "(request, organisation, session, place) -> HomeSection | None.",
)

next_steps = ExtensionPoint(
    "parcours.next_steps",
    "The next thing to do for someone who just joined a team: (user, team) -> URL | None.",
)

programme_copied = ExtensionPoint(
    "parcours.programme_copied",
    "Copy what belongs to a copied programme or session: "
    "(source, copy, session_map {old id: new session}, by) -> None.",
)

catalogue_figures = ExtensionPoint(
    "parcours.catalogue_figures",
    "A figure of a programme's catalogue sheet: (programme) -> (label, value) | None.",
)

UPCOMING = 5


# --- The organisation's pages ----------------------------------------------------------


@receiver(participations, dispatch_uid="parcours.team_members")
def team_members(sender, *, user, **kwargs):
    """A member of a team takes part in the team's organisation (their current places,
    read by ``organisations.roles`` with the memberships)."""
    return TeamMember.objects.current().filter(user=user)


@receiver(navigation, dispatch_uid="parcours.navigation")
def programmes_navigation(sender, *, organisation, role, **kwargs):
    slug = organisation.slug
    return [
        (_("Programmes"), reverse("parcours:programme_list", args=[slug]), "programme_list"),
    ]


# « Rappels » (the reminders' pages, parcours/views/reminders.py, moved from notifications)
# came after every other app's entries when notifications was the last app: order=1 keeps
# it there. Whoever moves that entry again keeps the order.
@receiver(navigation, dispatch_uid="parcours.reminders_navigation", order=1)
def reminders_navigation(sender, *, organisation, role, **kwargs):
    # Imported when the navigation is drawn: a view module importing this one (as
    # parcours.views.calendar does) must not be imported back while it loads.
    from parcours.views.reminders import navigation as entries

    return entries(organisation, role)


@receiver(home_panels, dispatch_uid="parcours.engagement")
def engagement_home_panel(sender, *, request, organisation, **kwargs) -> HomeSection | None:
    """« Engagement à signer », only while the person's signature is missing."""
    pending = pending_engagements(request.user, organisation)
    if not pending:
        return None
    links = [
        {
            "programme": member.team.cohort.programme.name,
            "team": member.team.name,
            "url": reverse(
                "parcours:engagement_sign",
                args=[organisation.slug, member.team.cohort.programme_id, member.team_id],
            ),
        }
        for member in pending
    ]
    return HomeSection("parcours/engagement/home_section.html", {"links": links})


@receiver(home_panels, dispatch_uid="parcours.upcoming_sessions")
def upcoming_sessions_home_panel(sender, *, request, organisation, **kwargs) -> HomeSection:
    """The next sessions and the latest programmes the person sees."""
    sessions = (
        sessions_visible_to(request.user, organisation)
        .active()
        .filter(ends_at__gte=timezone.now(), programme__status="published")
        .prefetch_related("days")
        .order_by("starts_at")[:UPCOMING]
    )
    sessions = list(sessions)
    for session in sessions:
        session.organisation = organisation  # their dates are written in its time zone
    programmes = programmes_visible_to(request.user, organisation).order_by("-start_date")[:5]
    return HomeSection(
        "parcours/partials/home_section.html",
        {"sessions": sessions, "programmes": list(programmes)},
    )


# --- The parcours' own pages -------------------------------------------------------------


@receiver(programme_tabs, dispatch_uid="parcours.engagement")
def engagement_tab(sender, *, request, organisation, programme, **kwargs):
    """« Engagement », for the programme's managers."""
    if not request.user.has_perm("parcours.manage_programme", organisation):
        return []
    url = reverse("parcours:engagement_dashboard", args=[organisation.slug, programme.pk])
    return [(_("Engagement"), url, "engagement")]


# --- The messages page of notifications ------------------------------------------------


@receiver(message_audiences, dispatch_uid="parcours.team_member_addresses")
def team_member_addresses(sender, *, organisation, **kwargs):
    """The members of the organisation's teams are its people: their bounced addresses
    show on the coordinators' messages page (a subquery of lower-cased addresses)."""
    return (
        TeamMember.objects.filter(organisation=organisation)
        .annotate(address=Lower("user__email"))
        .values("address")
    )


# --- A person's account ----------------------------------------------------------------


@receiver(personal_data, dispatch_uid="parcours.personal_data")
def parcours_personal_data(sender, *, user, **kwargs):
    return "parcours", export_for_user(user)


@receiver(pending_invitations, dispatch_uid="parcours.pending_team_invitations")
def resend_pending_team_invitations(sender, *, email, **kwargs) -> bool:
    """Asking for a login code with an address invited to a team re-sends the invitation."""
    from parcours.services import resend_team_invitations_waiting_for

    return resend_team_invitations_waiting_for(email=email)
