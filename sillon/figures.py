"""Figures written the French way, always with the number they are computed on.

* a rate: one decimal when it is not whole, a decimal comma, a non-breaking space
  before « % » (« 92,7 % », « 100 % »);
* a mean: two decimals (« 3,25 »), out of the scale's maximum when there is one
  (« 3,25 / 5 »);
* with its n: « 92,7 % (n = 41) », « 3,25 / 5 (n = 12) ».

Rounding is half up on the decimal value (never the binary float's accident), and a
rate that is not whole is never shown as whole: 99,96 % is « 99,9 % », 0,04 % is
« 0,1 % ». The template filters are in ``sillon.templatetags.sillon_tags``.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
NONE = "—"


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def percent_value(value) -> str:
    """A percentage already in percent (0–100): « 92,7 % », « 100 % », « — » for None."""
    if value is None:
        return NONE
    exact = _decimal(value)
    rounded = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value() and exact != rounded:
        # Not whole, yet rounded to a whole number: keep the decimal that says so.
        rounding = ROUND_FLOOR if exact < rounded else ROUND_CEILING
        rounded = exact.quantize(Decimal("0.1"), rounding=rounding)
    if rounded == rounded.to_integral_value():
        text = str(int(rounded))
    else:
        text = f"{rounded:.1f}".replace(".", ",")
    return f"{text}{NBSP}%"


def percent(share) -> str:
    """A share of 0–1 as a percentage: ``percent(0.927)`` → « 92,7 % »."""
    if share is None:
        return NONE
    return percent_value(_decimal(share) * 100)


def ratio(part, whole) -> str:
    """``part`` out of ``whole`` as a percentage, « — » when ``whole`` is 0."""
    if not whole:
        return NONE
    return percent(Decimal(part) / Decimal(whole))


def mean(value, scale_max=None) -> str:
    """« 3,25 », or « 3,25 / 5 » with the scale's maximum; « — » for None."""
    if value is None:
        return NONE
    rounded = _decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:.2f}".replace(".", ",").replace("-", "−")
    if scale_max is not None:
        text += f" / {scale_max}"
    return text


def with_n(text: str, n) -> str:
    """« 92,7 % (n = 41) »: a figure and the number it is computed on."""
    return f"{text} (n = {n})"


def rate_with_n(share, n) -> str:
    """« 92,7 % (n = 41) », « — » without a rate."""
    if share is None or not n:
        return NONE
    return with_n(percent(share), n)


def mean_with_n(value, n, scale_max=None) -> str:
    """« 3,25 / 5 (n = 12) », « — » without a mean."""
    if value is None or not n:
        return NONE
    return with_n(mean(value, scale_max), n)
