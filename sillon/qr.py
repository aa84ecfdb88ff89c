"""QR codes as inline SVG, drawn from ``qrcode``'s module matrix.

One ``<path>`` with a rectangle per horizontal run of dark modules: a few hundred
characters where ``qrcode``'s own SVG image factories emit one sub-path per module and
take about six times as long (each attestation carries one, so it counts in a cohort's
ZIP). Nothing is fetched: WeasyPrint and browsers draw the markup as it is.
"""

import qrcode
from django.utils.safestring import SafeString, mark_safe


def _runs(row: list[bool]):
    """``(start, length)`` of each run of dark modules in ``row``."""
    start = None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            yield start, x - start
            start = None


def qr_svg(data: str, *, size: str = "40mm", border: int = 4) -> SafeString:
    """The QR code of ``data`` (error correction M, the best mask), ``size`` wide and
    high, with a quiet zone of ``border`` modules."""
    code = qrcode.QRCode(border=border)
    code.add_data(data)
    matrix = code.get_matrix()
    count = len(matrix)
    path = "".join(
        f"M{x} {y}h{length}v1h-{length}z"
        for y, row in enumerate(matrix)
        for x, length in _runs(row)
    )
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {count} {count}" '
        f'width="{size}" height="{size}" shape-rendering="crispEdges">'
        f'<rect width="{count}" height="{count}" fill="#fff"/>'
        f'<path fill="#000" d="{path}"/></svg>'
    )
