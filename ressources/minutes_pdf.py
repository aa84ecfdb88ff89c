"""The PDF of a version of minutes (``sillon.pdf.render_pdf``, A4): the organisation,
the session, its date, the attendees, the agenda with each item's text, the decisions
and the actions. Markdown goes through ``sillon.richtext`` (no image, no script, no
``javascript:`` link), and ``sillon.pdf`` fetches nothing outside our own files."""

from django.utils.text import slugify

from sillon.formatting import format_moment
from sillon.pdf import render_pdf

from .models import MinutesVersion


def minutes_filename(version: MinutesVersion) -> str:
    session = version.minutes.session
    name = slugify(session.title)[:60] or "seance"
    return f"compte-rendu-{name}-v{version.number}.pdf"


def minutes_pdf(version: MinutesVersion, organisation) -> bytes:
    """``version`` with its content prefetched (``minutes_selectors.with_content``)."""
    session = version.minutes.session
    return render_pdf(
        "pdf/minutes.html",
        {
            "organisation": organisation,
            "version": version,
            "session": session,
            "when": format_moment(session.starts_at, organisation) if session.starts_at else "",
            "validated_on": format_moment(version.validated_at, organisation)
            if version.validated_at
            else "",
        },
    )
