"""The headline figures of external evaluations as their page shows them (response
rate, satisfaction weighted by respondents). In the programme's satisfaction they count
like any other campaign, through ``evaluation.results.external_rate``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


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
