"""A drawn signature, kept safely: the browser sends the points of each stroke as JSON
integers in a fixed 600 × 200 box (``static/js/signature-pad.js`` scales them); this
module checks them (size, count, range) and draws them back as SVG with our own code.
No SVG, HTML or style from the browser is ever stored or shown."""

import json

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 600, 200
MAX_JSON = 60_000  # characters of the posted JSON
MAX_STROKES = 60
MAX_POINTS = 4_000  # over every stroke


def parse_strokes(raw: str, *, field: str = "strokes") -> list[list[list[int]]]:
    """The strokes of ``raw`` (« [[[x, y], …], …] »), or ValidationError on ``field``.
    An empty value gives an empty list (nothing drawn)."""
    raw = (raw or "").strip()
    if not raw:
        return []
    invalid = ValidationError({field: _("Le tracé de la signature est illisible : recommencez.")})
    if len(raw) > MAX_JSON:
        raise ValidationError(
            {field: _("Le tracé est trop long : effacez et signez plus simplement.")}
        )
    try:
        data = json.loads(raw)
    except ValueError:
        raise invalid from None
    if not isinstance(data, list) or len(data) > MAX_STROKES:
        raise invalid
    strokes, total = [], 0
    for stroke in data:
        if not isinstance(stroke, list) or not stroke:
            raise invalid
        points = []
        for point in stroke:
            if (
                not isinstance(point, list)
                or len(point) != 2
                or not all(type(value) is int for value in point)
            ):
                raise invalid
            x, y = point
            if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
                raise invalid
            points.append([x, y])
        total += len(points)
        if total > MAX_POINTS:
            raise invalid
        strokes.append(points)
    return strokes


def is_drawn(strokes) -> bool:
    """At least a real mark: two points somewhere, not a single tap."""
    return sum(len(stroke) for stroke in strokes or []) >= 2


def strokes_svg(strokes, *, label: str = "", width: int = 180) -> SafeString:
    """The strokes as an inline SVG (integers only, so nothing to escape in the path)."""
    paths = []
    for stroke in strokes or []:
        points = [(int(x), int(y)) for x, y in stroke]
        if len(points) == 1:
            points.append((points[0][0] + 1, points[0][1]))
        d = "M" + " L".join(f"{x} {y}" for x, y in points)
        paths.append(f'<path d="{d}"/>')
    title = format_html("<title>{}</title>", label) if label else ""
    role = 'role="img"' if label else 'aria-hidden="true"'
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{int(width)}" height="{int(width) * HEIGHT // WIDTH}" '
        f'class="signature-drawing" {role} fill="none" stroke="currentColor" '
        f'stroke-width="4" stroke-linecap="round" stroke-linejoin="round">{title}'
        + "".join(paths)
        + "</svg>"
    )
