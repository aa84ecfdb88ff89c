"""What every parcours service shares: the audited action names, time-zone helpers
and the signals announcing notices."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from organisations.models import Organisation
from parcours.models import (
    Programme,
    Session,
)
from parcours.signals import NOTICES, programme_published, session_changed, session_notice


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
    TEAM_MEMBER_REPLACED = "membre d'équipe remplacé"
    TEAM_MEMBER_REMOVED = "membre d'équipe retiré"
    ENGAGEMENT_PUBLISHED = "engagement publié"
    ENGAGEMENT_SIGNED = "engagement signé"
    ENGAGEMENT_REMINDED = "signataires de l'engagement relancés"
    CALL_SAVED = "appel à candidatures enregistré"
    CALL_PUBLISHED = "appel à candidatures publié"
    CALL_ATTACHMENT_ADDED = "pièce jointe de l'appel ajoutée"
    CALL_ATTACHMENT_REMOVED = "pièce jointe de l'appel retirée"
    SCORING_GRID_CHANGED = "grille de notation modifiée"
    APPLICATION_STATUS_CHANGED = "statut de candidature modifié"
    APPLICATION_MEMBER_INVITED = "membre invité à compléter une candidature"
    APPLICATION_CREATED = "candidature créée"
    APPLICATION_UPDATED = "candidature modifiée"
    APPLICATION_MEMBER_UPDATED = "membre d'une candidature modifié"
    APPLICATION_MEMBER_REMOVED = "membre retiré d'une candidature"
    APPLICATION_JOINED = "candidature rejointe"
    APPLICATION_MEMBER_CONFIRMED = "partie d'une candidature confirmée"
    APPLICATION_REVIEWED = "candidature notée"
    APPLICATION_DECIDED = "décision sur une candidature"
    APPLICATION_REOPENED = "candidature rouverte"
    DECISIONS_ANNOUNCED = "décisions annoncées"
    TEAM_INVITATION_SENT = "invitation à rejoindre une équipe envoyée"
    TEAM_INVITATION_ACCEPTED = "invitation à rejoindre une équipe acceptée"
    TEAM_INVITATION_REVOKED = "invitation à rejoindre une équipe annulée"
    DATE_POLL_CREATED = "sondage de date lancé"
    DATE_POLLS_LAUNCHED = "sondages de date lancés pour les équipes"
    DATE_POLL_SLOTS_ADDED = "créneaux ajoutés à un sondage de date"
    DATE_POLL_CLOSED = "date retenue par sondage"
    DATE_POLL_CANCELLED = "sondage de date abandonné"
    ATTENDANCE_RECORDED = "présence enregistrée"
    ATTENDANCE_ALL_PRESENT = "tous présents enregistrés"
    ATTENDANCE_UNDONE = "présence rétablie"
    ATTENDANCE_PARTICIPANT_ADDED = "participant·e ajouté·e à la feuille d'émargement"
    ATTENDANCE_VALIDATED = "feuille d'émargement validée"
    ATTENDANCE_REOPENED = "feuille d'émargement rouverte"


# The session kinds every new programme starts with: they cover the five seeds.
# (name, colour, is_individual)
def zone_of(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.time_zone)


def local_date(moment: datetime, organisation: Organisation) -> date:
    return moment.astimezone(zone_of(organisation)).date()


# --- Notices -------------------------------------------------------------------------


def announce_session(session: Session, notice: str, **details: Any) -> None:
    """Tell the apps above (notifications) that ``session``'s people must hear about
    it. Sent synchronously, inside the service's transaction: the messages are written
    with the change, or not at all."""
    if notice not in NOTICES:
        raise ValueError(f"unknown notice {notice!r}")
    details = {key: _jsonable(value) for key, value in details.items()}
    session_notice.send(sender=Session, session=session, notice=notice, details=details)


def announce_session_changed(session: Session) -> None:
    """Tell the apps above that ``session`` was created or changed (inside the
    service's transaction)."""
    session_changed.send(sender=Session, session=session)


def announce_programme_published(programme: Programme) -> None:
    """Tell the apps above that ``programme`` was just published (its people get their
    calendar), inside the service's transaction."""
    programme_published.send(sender=Programme, programme=programme)


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
