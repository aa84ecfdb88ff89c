"""What every parcours service shares: time-zone helpers, the session notices and the
signal announcing a changed session."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from organisations.models import Organisation
from parcours import notices
from parcours.models import (
    Programme,
    Session,
)
from parcours.services import convocations
from parcours.signals import session_changed


# The session kinds every new programme starts with: they cover the five seeds.
# (name, colour, is_individual)
def zone_of(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.time_zone)


def local_date(moment: datetime, organisation: Organisation) -> date:
    return moment.astimezone(zone_of(organisation)).date()


# --- Notices -------------------------------------------------------------------------


def announce_session(
    session: Session, notice: str, *, only: set[int] | None = None, **details: Any
) -> None:
    """Tell ``session``'s people (only ``only``, user ids, when given;
    ``parcours.notices``): written to the outbox inside the service's transaction, so the
    messages are written with the change, or not at all. Convocations are recorded
    (``parcours.services.convocations``): nobody is convened twice to one version."""
    if notice not in notices.NOTICES:
        raise ValueError(f"unknown notice {notice!r}")
    if notice == notices.CONVOCATION:
        convocations.convene_session(session, only=only)
        return
    details = {key: _jsonable(value) for key, value in details.items()}
    notices.send_session_notice(session, notice, details, only=only)


def announce_session_changed(session: Session) -> None:
    """Tell the apps above that ``session`` was created or changed (inside the
    service's transaction)."""
    session_changed.send(sender=Session, session=session)


def announce_programme_published(programme: Programme) -> None:
    """``programme`` was just published: its people get their calendar
    (``parcours.notices``), written inside the service's transaction and recorded as
    their convocations."""
    convocations.convene_on_publication(programme)


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
