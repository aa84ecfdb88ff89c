"""What every parcours service shares: the audited action names, time-zone helpers
and the dispatch of notices after commit."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from organisations.models import Organisation

from ..models import (
    Programme,
    Session,
)


class Action:
    """Names of the audited actions, shown in the organisation's journal."""

    PROGRAMME_CREATED = "programme créé"
    PROGRAMME_UPDATED = "programme modifié"
    PROGRAMME_PUBLISHED = "programme publié"
    PROGRAMME_ARCHIVED = "programme archivé"
    PROGRAMME_COPIED = "programme copié"
    PHASE_SAVED = "phase enregistrée"
    PHASE_DELETED = "phase supprimée"
    SESSION_KIND_SAVED = "type de séance enregistré"
    SESSION_CREATED = "séance créée"
    SESSION_UPDATED = "séance modifiée"
    SESSION_MOVED = "séance déplacée"
    SESSION_CANCELLED = "séance annulée"
    SESSION_DUPLICATED = "séance dupliquée"
    INDIVIDUAL_SESSIONS_GENERATED = "séances individuelles générées"
    AGENDA_UPDATED = "programme de la journée modifié"
    DOCUMENT_ADDED = "document ajouté"
    DOCUMENT_REMOVED = "document retiré"
    TEAM_CREATED = "équipe créée"
    TEAM_MEMBER_ADDED = "membre d'équipe ajouté"


# The session kinds every new programme starts with: they cover the five seeds.
# (name, colour, is_individual)
DEFAULT_SESSION_KINDS = [
    ("Lancement", "#8e3b46", False),
    ("Formation", "#2a6f97", False),
    ("Accompagnement individuel", "#4d7c0f", True),
    ("Webinaire", "#7b4fa0", False),
    ("CODEV", "#b45309", False),
    ("COPIL", "#475569", False),
    ("Voyage apprenant", "#0f766e", False),
    ("Table ronde", "#9d174d", False),
    ("Restitution", "#1e40af", False),
    ("Séminaire", "#a16207", False),
    ("Atelier", "#15803d", False),
    ("Groupe de travail", "#6d28d9", False),
    ("Rencontre", "#be123c", False),
]

# Team role presets offered when creating a programme: (name, description, required).
TEAM_ROLE_PRESETS = {
    "pat": [
        ("Élu·e référent·e", "L'élu·e qui porte le projet pour la collectivité.", True),
        ("Chargé·e de mission", "La personne qui anime le projet au quotidien.", True),
        ("Responsable de service", "Le ou la responsable du service concerné.", False),
    ],
    "none": [],
}

# Fields whose change makes a session's convocation out of date (a change notice goes out
# and the iCal SEQUENCE grows).
SIGNIFICANT_FIELDS = ("starts_at", "ends_at", "all_day", "format", "place", "visio_url")

SESSION_FIELDS = (
    "title",
    "kind",
    "phase",
    "format",
    "starts_at",
    "ends_at",
    "all_day",
    "date_note",
    "place",
    "visio_url",
    "capacity",
    "objectives",
    "content",
    "audience",
    "expected_presence",
    "expected_role",
    "status",
)

DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint (.pptx)"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument texte (.odt)",
}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def zone_of(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.time_zone)


def local_date(moment: datetime, organisation: Organisation) -> date:
    return moment.astimezone(zone_of(organisation)).date()


# --- Notices -------------------------------------------------------------------------


def notify_on_commit(session: Session, notice: str, **details: Any) -> None:
    from ..tasks import send_session_notices

    organisation_id, session_id, sequence = session.organisation_id, session.pk, session.sequence
    details = {key: _jsonable(value) for key, value in details.items()}
    transaction.on_commit(
        lambda: send_session_notices.delay(
            organisation_id, session_id, notice, sequence=sequence, details=details
        )
    )


def send_programme_convocations_on_commit(programme: Programme) -> None:
    from ..tasks import send_programme_convocations

    organisation_id, programme_id = programme.organisation_id, programme.pk
    transaction.on_commit(lambda: send_programme_convocations.delay(organisation_id, programme_id))


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
