"""The parcours' section of an organisation's home page: the next sessions."""

from django.utils import timezone

from organisations.home_sections import HomeSection
from parcours.selectors import programmes_visible_to, sessions_visible_to

UPCOMING = 5


def upcoming_sessions_section(request, organisation) -> HomeSection:
    sessions = (
        sessions_visible_to(request.user, organisation)
        .active()
        .filter(ends_at__gte=timezone.now(), programme__status="published")
        .order_by("starts_at")[:UPCOMING]
    )
    programmes = programmes_visible_to(request.user, organisation).order_by("-start_date")[:5]
    return HomeSection(
        "parcours/partials/home_section.html",
        {"sessions": list(sessions), "programmes": list(programmes)},
    )
