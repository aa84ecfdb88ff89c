"""Attestations de participation: one person's PDF (ATTESTATION), or a ZIP of the whole
cohort's (ATTESTATIONS), from the attendance actually recorded (``presences.records``),
over the document's period and counting only sessions ended when it is issued.

A final attestation counts validated sheets only, is registered (``Attestation``: a
number « ATT-2026-000042 » and a verification link with its QR code, printed on it) and
replaces the valid one of the same person and period. A person recorded on a sheet not
validated yet gets a provisional one: « PROVISOIRE » on every page and in its file name,
no number, nothing registered (asked for explicitly for one person; the ZIP decides
person by person and lists them in « Lisez-moi.txt »).

Someone who attended no half-day gets no attestation: the single builder fails with a
message saying so, the batch skips them and lists them in « Lisez-moi.txt ». The batch
loads its data in a constant number of queries, then renders and writes each PDF into
the ZIP (a temporary file) as soon as it is made: memory holds one PDF at a time.
"""

import zipfile

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from documents.builders import BuildError, Built
from documents.filenames import UniqueNames, ascii_filename
from documents.models import Document
from documents.queue import temporary_path
from documents.services import (
    default_period,
    issue_attestation,
    local_today,
    no_attendance_in_period,
    pending_message,
)
from parcours.models import Session, SessionFormat
from presences.records import (
    Period,
    PersonRecord,
    format_duration,
    person_record,
    programme_records,
)
from sillon.formatting import agree, format_day, format_time
from sillon.mail import absolute_url
from sillon.pdf import html_to_pdf
from sillon.qr import qr_svg

TEMPLATE = "documents/pdf/attestation.html"
PDF = "application/pdf"
ZIP = "application/zip"
README_NAME = "Lisez-moi.txt"
# Past this many sessions the detailed table moves after the signature (an annex), so
# that the signatory always stays on page 1.
INLINE_SESSIONS = 5


def person_name(user) -> str:
    return user.get_full_name() or user.email


def attestation_filename(user, *, provisional: bool = False) -> str:
    """« Attestation - Nom Prenom.pdf » (ASCII), « Attestation PROVISOIRE - … »."""
    name = f"{user.last_name} {user.first_name}".strip() or user.email.split("@")[0]
    prefix = "Attestation PROVISOIRE" if provisional else "Attestation"
    return ascii_filename(f"{prefix} - {name}", "pdf", fallback=prefix)


def _identity(found: PersonRecord) -> str:
    """« Chargé·e de mission, PAT du Vimeu, CC du Vimeu »: how the person took part;
    for a collectif of directors, « DGS, Collectif du Vimeu, Mairie de Friville »."""
    parts = []
    if found.role is not None:
        parts.append(found.role.name)
    elif found.function:
        parts.append(found.function)
    if found.team is not None:
        parts.append(found.team.name)
        territory = found.team.territory
        if territory is not None and territory.name not in found.team.name:
            parts.append(territory.name)
    if found.structure and found.structure not in parts:
        parts.append(found.structure)
    return ", ".join(parts)


def holder(user) -> str:
    """« Madame Léa Müller », « Monsieur … », or the name alone (no civility given)."""
    name = person_name(user)
    if user.civility == "madame":
        return _("Madame %(name)s") % {"name": name}
    if user.civility == "monsieur":
        return _("Monsieur %(name)s") % {"name": name}
    return name


def _modality(session: Session) -> str:
    """« Présentiel — 12 rue … », « Visio », « Hybride — … »."""
    label = str(SessionFormat(session.format).label) if session.format else ""
    place = " ".join(session.place.split()) if session.is_in_person else ""
    return " — ".join(part for part in (label, place) if part)


def facilitators_of(sessions) -> dict[int, list[str]]:
    """The trainers' names of each session (one query)."""
    through = Session.facilitators.through
    names: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(session_id__in={s.pk for s in sessions})
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    for row in rows:
        names.setdefault(row.session_id, []).append(person_name(row.user))
    return names


def _session_rows(found: PersonRecord, trainers: dict[int, list[str]]) -> list[dict]:
    rows = []
    for attended in found.sessions:
        session = attended.session
        days = [
            {
                "day": format_day(day),
                "hours": ", ".join(
                    f"{format_time(slot.starts_at)} – {format_time(slot.ends_at)}" for slot in slots
                ),
            }
            for day, slots in attended.days
        ]
        rows.append(
            {
                "title": session.title,
                "kind": session.kind.name,
                "days": days,
                "modality": _modality(session),
                "trainers": ", ".join(trainers.get(session.pk, [])),
                "duration": format_duration(attended.duration),
                "partial": attended.partial,
                "workshops": ", ".join(attended.workshops),
            }
        )
    return rows


def _nature(found: PersonRecord) -> str:
    kinds = []
    for attended in found.sessions:
        if attended.session.kind.name not in kinds:
            kinds.append(attended.session.kind.name)
    return ", ".join(kinds)


def verification_url(organisation, attestation) -> str:
    return absolute_url(
        reverse("documents:verify_token", args=[organisation.slug, attestation.token])
    )


def attestation_context(
    *,
    organisation,
    programme,
    record: PersonRecord,
    today,
    period: Period | None = None,
    trainers: dict[int, list[str]] | None = None,
    attestation=None,
) -> dict:
    """What the template prints. ``attestation`` is the registered one (final), or
    ``None`` for a provisional attestation; ``period`` defaults to the programme's start
    to ``today``."""
    if period is None:
        period = Period(programme.start_date, max(today, programme.start_date))
    sessions = _session_rows(record, trainers or {})
    context = {
        "organisation": organisation,
        "organisme": organisation.legal_name or organisation.name,
        "programme": programme,
        "person_name": person_name(record.user),
        "holder": holder(record.user),
        "present_word": agree("présent", record.user.civility),
        "identity": _identity(record),
        "sessions": sessions,
        "inline_sessions": len(sessions) <= INLINE_SESSIONS,
        "session_count": len(sessions),
        "total": format_duration(record.duration),
        "nature": _nature(record),
        "period_start": format_day(period.starts_on, weekday=False),
        "period_end": format_day(period.ends_on, weekday=False),
        "made_on": format_day(today, weekday=False),
        "provisional": attestation is None,
        "attestation": attestation,
    }
    if attestation is not None:
        url = verification_url(organisation, attestation)
        context["verification_url"] = url
        context["verification_page"] = absolute_url(
            reverse("documents:verify", args=[organisation.slug])
        )
        # Drawn inline: the PDF's URL fetcher refuses data: URIs.
        context["qr_code"] = qr_svg(url, size="22mm", border=1)
    return context


def render_attestation(**kwargs) -> bytes:
    return html_to_pdf(render_to_string(TEMPLATE, attestation_context(**kwargs)))


def no_attendance_message(user) -> str:
    return _(
        "%(name)s n'a assisté à aucune séance de ce programme : aucune attestation n'est délivrée."
    ) % {"name": person_name(user)}


def _programme_of(document: Document):
    programme = document.programme
    if programme is None and document.cohort is not None:
        programme = document.cohort.programme
    if programme is None:
        raise BuildError(_("Ce document ne désigne aucun programme."))
    return programme


def period_of(document: Document, programme) -> Period:
    default = default_period(programme, document.organisation)
    return Period(
        document.period_start or default.starts_on, document.period_end or default.ends_on
    )


def _render_one(*, document, programme, found, period, today, trainers, final) -> bytes:
    """The PDF of ``found``; a final one is registered in the same transaction, so a
    failed render (or a superseded build) leaves no number behind."""
    common = {
        "organisation": document.organisation,
        "programme": programme,
        "record": found,
        "today": today,
        "period": period,
        "trainers": trainers,
    }
    if not final:
        return render_attestation(**common)
    with transaction.atomic():
        attestation = issue_attestation(
            organisation=document.organisation,
            programme=programme,
            found=found,
            period=period,
            acting_user=document.requested_by,
            document=document,
        )
        return render_attestation(attestation=attestation, **common)


def build_attestation(document: Document, progress) -> Built:
    """One person's attestation for the document's programme and period."""
    organisation = document.organisation
    programme = _programme_of(document)
    if document.person is None:
        raise BuildError(_("Ce document ne désigne aucune personne."))
    period = period_of(document, programme)
    progress(0, 2)
    found = person_record(programme=programme, user=document.person, period=period)
    if not found.attended:
        raise BuildError(no_attendance_in_period(document.person, period))
    if found.provisional and not document.provisional:
        raise BuildError(pending_message(found.pending))
    progress(1, 2)
    trainers = facilitators_of([a.session for a in found.sessions])
    final = not document.provisional
    with transaction.atomic():
        content = _render_one(
            document=document,
            programme=programme,
            found=found,
            period=period,
            today=local_today(organisation),
            trainers=trainers,
            final=final,
        )
        # The last report before the file exists: a superseded build stops here, and
        # takes its registration back with it.
        progress(2, 2)
    path = temporary_path(document, ".pdf")
    path.write_bytes(content)
    filename = attestation_filename(document.person, provisional=not final)
    return Built(path=path, filename=filename, content_type=PDF)


def _readme(
    *,
    programme,
    cohort,
    period: Period,
    delivered: list[tuple[str, str]],
    provisional: list[str],
    absent: list[str],
) -> str:
    lines = [
        _("Attestations de participation — %(programme)s") % {"programme": programme.name},
    ]
    if cohort is not None:
        lines.append(_("Promotion : %(cohort)s") % {"cohort": cohort.name})
    lines.append(
        _("Période : du %(start)s au %(end)s")
        % {
            "start": format_day(period.starts_on, weekday=False),
            "end": format_day(period.ends_on, weekday=False),
        }
    )
    lines += ["", _("%(count)d attestation(s) dans cette archive :") % {"count": len(delivered)}]
    lines += [f"- {name} : {filename}" for name, filename in delivered]
    lines.append("")
    if provisional:
        lines.append(
            _(
                "Attestations PROVISOIRES (sans numéro, non valables comme attestations "
                "définitives) pour les %(count)d personne(s) suivante(s), dont une feuille "
                "d'émargement n'est pas encore validée :"
            )
            % {"count": len(provisional)}
        )
        lines += [f"- {name}" for name in provisional]
        lines.append("")
    if absent:
        lines.append(
            _(
                "Aucune attestation pour les %(count)d personne(s) suivante(s), qui n'ont "
                "assisté à aucune séance :"
            )
            % {"count": len(absent)}
        )
        lines += [f"- {name}" for name in absent]
    else:
        lines.append(_("Toutes les personnes de la promotion ont assisté à au moins une séance."))
    # A byte order mark: Windows' Notepad then reads the accents right.
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


def build_attestations(document: Document, progress) -> Built:
    """A ZIP of the attestations of the document's cohort (or of the whole programme),
    one PDF per person who attended something (final, or provisional while one of
    their sheets is not validated), and « Lisez-moi.txt »."""
    organisation = document.organisation
    programme = _programme_of(document)
    cohort = document.cohort
    period = period_of(document, programme)
    records = programme_records(programme=programme, cohort=cohort, period=period)
    attendees = [r for r in records if r.attended]
    if not attendees:
        raise BuildError(
            _(
                "Personne n'a assisté à une séance de ce programme : aucune attestation "
                "n'est délivrée."
            )
        )
    today = local_today(organisation)
    trainers = facilitators_of({a.session for r in attendees for a in r.sessions})
    total = len(attendees)
    progress(0, total)
    unique = UniqueNames()
    delivered, provisional = [], []
    path = temporary_path(document, ".zip")
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, found in enumerate(attendees, start=1):
                final = not found.provisional
                content = _render_one(
                    document=document,
                    programme=programme,
                    found=found,
                    period=period,
                    today=today,
                    trainers=trainers,
                    final=final,
                )
                filename = unique(attestation_filename(found.user, provisional=not final))
                archive.writestr(filename, content)
                del content
                delivered.append((person_name(found.user), filename))
                if not final:
                    provisional.append(person_name(found.user))
                progress(done, total)
            absent = [person_name(r.user) for r in records if not r.attended]
            readme = _readme(
                programme=programme,
                cohort=cohort,
                period=period,
                delivered=delivered,
                provisional=provisional,
                absent=absent,
            )
            archive.writestr(README_NAME, readme.encode("utf-8"))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    name = cohort.name if cohort is not None else programme.name
    filename = ascii_filename(f"Attestations - {name}", "zip", fallback="Attestations")
    return Built(path=path, filename=filename, content_type=ZIP)
