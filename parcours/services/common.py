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
