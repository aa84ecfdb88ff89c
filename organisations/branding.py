"""Brand colours: WCAG 2 contrast, so an organisation's colour never makes text unreadable."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
# Text on the brand colour (header, buttons) is white; links on white use the colour.
MINIMUM_CONTRAST = 4.5


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_brand_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            _("Indiquez une couleur au format hexadécimal, par exemple #1f5f8b."),
            code="invalid",
        )
    ratio = contrast_ratio(value, WHITE)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _(
                "Cette couleur n'offre qu'un contraste de %(ratio)s:1 avec le texte blanc ; "
                "il faut au moins 4,5:1 (niveau AA du RGAA / WCAG) pour que les menus et "
                "boutons restent lisibles. Choisissez une teinte plus foncée."
            )
            % {"ratio": f"{ratio:.2f}".replace(".", ",")},
            code="low_contrast",
        )
