"""The record of a CODEV séance (CODEV_RECORD), on one page: the group and the séance,
the roles, the case and the question put to the group, the question as the group
reformulated it, the advice received and the client's commitments.

It reads codev (the layer below); codev knows nothing of it: the séance page's
« Compte rendu (PDF) » button asks ``documents:codev_record_request``."""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from codev.models import Advice, Case, Commitment, GroupMembership
from documents.builders import BuildError, Built
from documents.filenames import ascii_filename
from documents.models import Document
from documents.queue import temporary_path
from sillon.formatting import format_day, format_session_when
from sillon.pdf import html_to_pdf

TEMPLATE = "documents/pdf/codev_record.html"
PDF = "application/pdf"


def _person(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def record_context(session) -> dict:
    case = (
        Case.objects.filter(group_session__session=session)
        .select_related(
            "group_session__group__programme",
            "group_session__facilitator",
            "group_session__timekeeper",
            "client__team",
            "client__user",
        )
        .prefetch_related(
            Prefetch(
                "advice",
                queryset=Advice.objects.select_related("consultant__team", "consultant__user"),
            ),
            Prefetch("commitments", queryset=Commitment.objects.select_related("owner")),
        )
        .first()
    )
    if case is None:
        raise BuildError(_("Cette séance n'a pas encore de cas : pas de compte rendu."))
    group_session = case.group_session
    consultants = (
        GroupMembership.objects.current()
        .filter(group=group_session.group)
        .exclude(pk=case.client_id)
        .select_related("team", "user")
    )
    return {
        "organisation": session.organisation,
        "session": session,
        "when": format_session_when(session),
        "group": group_session.group,
        "programme": group_session.group.programme,
        "case": case,
        "client": case.client.label,
        "consultants": [m.label for m in consultants],
        "facilitator": _person(group_session.facilitator),
        "timekeeper": _person(group_session.timekeeper),
        "advice": [
            (item.text, item.consultant.label if item.consultant_id else "")
            for item in case.advice.all()
        ],
        "commitments": [
            (c.what, _person(c.owner), format_day(c.due_on, weekday=False), c.get_status_display())
            for c in case.commitments.all()
        ],
    }


def build_codev_record(document: Document, progress) -> Built:
    if document.session is None:
        raise BuildError(_("Ce document ne désigne aucune séance."))
    progress(0, 2)
    context = record_context(document.session)
    progress(1, 2)
    content = html_to_pdf(render_to_string(TEMPLATE, context))
    progress(2, 2)
    path = temporary_path(document, ".pdf")
    path.write_bytes(content)
    prefix = _("Compte rendu CODEV")
    filename = ascii_filename(f"{prefix} - {context['session'].title}", "pdf", fallback=prefix)
    return Built(path=path, filename=filename, content_type=PDF)
