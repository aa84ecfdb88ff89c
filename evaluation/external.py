"""Reading external evaluations' figures, for the programme's figures: they count like
any other campaign (people asked, respondents, satisfaction rate)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from evaluation.models import Campaign


@dataclass
class ExternalFigures:
    """The headline figures of one or several external evaluations. ``satisfaction`` is
    a percentage (one decimal), weighted by respondents over several evaluations, and
    ``rated_on`` the respondents it is computed on."""

    campaigns: int = 0
    invited: int = 0
    respondents: int = 0
    satisfaction: Decimal | None = None
    rated_on: int = 0

    @property
    def rate(self) -> Decimal | None:
        """Response rate (percent, one decimal), None with nobody asked."""
        if not self.invited:
            return None
        return (Decimal(100) * self.respondents / self.invited).quantize(Decimal("0.1"))


def external_figures(programme, *, moments=None) -> ExternalFigures:
    """The figures of ``programme``'s external evaluations (not cancelled; of
    ``moments`` when given), in one query. For the programme's figures: add
    ``invited`` and ``respondents`` to the other campaigns', and weigh
    ``satisfaction`` by ``rated_on``."""
    campaigns = Campaign.objects.filter(
        programme=programme, external=True, status=Campaign.Status.LAUNCHED
    )
    if moments is not None:
        campaigns = campaigns.filter(moment__in=list(moments))
    return figures_of(
        campaigns.values_list("external_invited", "external_respondents", "external_satisfaction")
    )


def figures_of(rows) -> ExternalFigures:
    """``ExternalFigures`` of (invited, respondents, satisfaction) rows."""
    result = ExternalFigures()
    weighted = Decimal(0)
    for invited, respondents, satisfaction in rows:
        result.campaigns += 1
        result.invited += invited or 0
        result.respondents += respondents or 0
        if satisfaction is not None and respondents:
            weighted += Decimal(satisfaction) * respondents
            result.rated_on += respondents
    if result.rated_on:
        result.satisfaction = (weighted / result.rated_on).quantize(Decimal("0.1"))
    return result
