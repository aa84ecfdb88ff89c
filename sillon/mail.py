"""Links for e-mails, and the one rule that keeps stored values from breaking an
e-mail's headers. Every e-mail of an organisation goes through the outbox
(``notifications.services``); allauth sends its own (``accounts.adapters``)."""

import re
import unicodedata

from django.conf import settings


def absolute_url(path: str) -> str:
    """A link for an e-mail or a task, where there is no request to build it from."""
    return f"{settings.SITE_URL}{path}"


# Runs of whitespace, including line and paragraph separators.
_SPACES = re.compile(r"\s+")


def one_line(value) -> str:
    """``value`` as one header-safe line: control characters (line breaks, tabs, NUL…),
    line and paragraph separators and runs of whitespace become one space, and the ends
    are trimmed. Every e-mail subject goes through it (``notifications.services.send_batch``,
    and delivery for rows written before), so no stored title
    or name can break a header (« Header values may not contain linefeed… »)."""
    text = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in str(value or "")
    )
    return _SPACES.sub(" ", text).strip()
