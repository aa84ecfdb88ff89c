"""Checking uploaded files by their content, not by the name or type the browser claims."""

import puremagic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP"}


def sniff_mime_type(uploaded) -> str | None:
    head = uploaded.read(2048)
    uploaded.seek(0)
    if not head:
        return None
    try:
        return puremagic.from_string(head, mime=True) or None
    except puremagic.PureError:
        return None


def validate_upload(uploaded, *, allowed: dict[str, str], max_bytes: int) -> None:
    """Refuse a file that is too large or whose content is not one of ``allowed``
    ({mime type: name shown to the user})."""
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("Ce fichier pèse %(size)s ; la limite est de %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)}
        )
    if sniff_mime_type(uploaded) not in allowed:
        raise ValidationError(
            _("Ce fichier n'est pas au bon format. Formats acceptés : %(formats)s.")
            % {"formats": ", ".join(allowed.values())}
        )
