"""Figures the French way: rates with one decimal when not whole, means with two, and
the n they are computed on (``sillon.figures`` and its template filters)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from sillon import figures

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (0.927, "92,7"),
        (1, "100"),
        (0.5, "50"),
        (2 / 3, "66,7"),
        (0, "0"),
        (0.12345, "12,3"),
        (0.9996, "99,9"),  # not whole: never shown as 100 %
        (0.0004, "0,1"),  # not nothing: never shown as 0 %
        (0.0005, "0,1"),
        (0.12349, "12,3"),
    ],
)
def test_a_rate_has_one_decimal_when_not_whole(share, text):
    assert figures.percent(share) == f"{text}{NBSP}%"


def test_a_percentage_already_in_percent_and_a_ratio():
    assert figures.percent_value(Decimal("92.7")) == f"92,7{NBSP}%"
    assert figures.percent_value(100) == f"100{NBSP}%"
    assert figures.ratio(41, 41) == f"100{NBSP}%"
    assert figures.ratio(1, 3) == f"33,3{NBSP}%"
    assert figures.ratio(3, 0) == "—"
    assert figures.percent(None) == "—"


@pytest.mark.parametrize(
    ("value", "scale", "text"),
    [
        (3.25, None, "3,25"),
        (3.249999, None, "3,25"),
        (3, None, "3,00"),
        (2.125, 5, "2,13 / 5"),
        (13 / 4, 5, "3,25 / 5"),
        (-1.5, None, "−1,50"),
        (None, 5, "—"),
    ],
)
def test_a_mean_has_two_decimals(value, scale, text):
    assert figures.mean(value, scale) == text


def test_figures_come_with_their_n():
    assert figures.rate_with_n(0.927, 41) == f"92,7{NBSP}% (n = 41)"
    assert figures.mean_with_n(3.25, 12, 5) == "3,25 / 5 (n = 12)"
    assert figures.rate_with_n(None, 0) == "—"
    assert figures.mean_with_n(3.2, 0) == "—"


def test_the_template_filters_and_tags():
    template = Template(
        "{% load sillon_tags %}{{ share|percent }}|{{ value|mean }}|{{ value|mean:5 }}|"
        "{% rate_n share 41 %}|{% mean_n value 12 5 %}|{% ratio 1 3 %}"
    )
    rendered = template.render(Context({"share": 0.927, "value": 3.25}))
    assert rendered == (
        f"92,7{NBSP}%|3,25|3,25 / 5|92,7{NBSP}% (n = 41)|3,25 / 5 (n = 12)|33,3{NBSP}%"
    )
