"""Models of the parcours, one module per concept."""

from parcours.models.agenda import AgendaItem, Workshop, WorkshopRegistration
from parcours.models.catalogue import CatalogueSheet, CatalogueVersion
from parcours.models.convocations import Convocation
from parcours.models.engagement import EngagementText, Signature
from parcours.models.feeds import CalendarFeed
from parcours.models.programmes import Cohort, Phase, Programme, SessionKind
from parcours.models.session_days import SessionDay
from parcours.models.sessions import Session, SessionFormat, SessionRegistration
from parcours.models.teams import Team, TeamInvitation, TeamMember, TeamRole

__all__ = [
    "AgendaItem",
    "CalendarFeed",
    "CatalogueSheet",
    "CatalogueVersion",
    "Cohort",
    "Convocation",
    "EngagementText",
    "Phase",
    "Programme",
    "Session",
    "SessionDay",
    "SessionFormat",
    "SessionKind",
    "SessionRegistration",
    "Signature",
    "Team",
    "TeamInvitation",
    "TeamMember",
    "TeamRole",
    "Workshop",
    "WorkshopRegistration",
]
