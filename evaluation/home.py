"""Evaluation's section of an organisation's home page: "Questionnaires à remplir"."""

from django.utils import timezone

from evaluation import selectors
from organisations.home_sections import HomeSection

SHOWN = 5


def questionnaires_section(request, organisation) -> HomeSection | None:
    """The open campaigns the user answers and has not sent yet (at most five, the
    nearest deadline first); None when there is none."""
    from evaluation.views.answering import describe_campaigns

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    now = timezone.now()
    campaigns = list(
        selectors.campaigns_to_answer(user, organisation)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
    )
    if not campaigns:
        return None
    rows = [row for row in describe_campaigns(user, organisation, campaigns) if not row["sent"]]
    if not rows:
        return None
    return HomeSection(
        "evaluation/answer/home_section.html",
        {"rows": rows[:SHOWN], "more": len(rows) > SHOWN},
    )
