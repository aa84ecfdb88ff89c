"""Where people find the engagement: a home section for the team members whose
signature is missing, and the « Engagement » tab of a programme for coordinators."""

from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.home_sections import HomeSection
from parcours.engagement_status import pending_engagements


def engagement_home_section(request, organisation) -> HomeSection | None:
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


def engagement_tab(request, organisation, programme) -> list[tuple[str, str, str]]:
    if not request.user.has_perm("parcours.manage_programme", organisation):
        return []
    url = reverse("parcours:engagement_dashboard", args=[organisation.slug, programme.pk])
    return [(_("Engagement"), url, "engagement")]
