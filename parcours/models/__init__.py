"""Models of the parcours, one module per concept."""

from .agenda import AgendaItem, Workshop, WorkshopRegistration
from .engagement import EngagementText, Signature
from .feeds import CalendarFeed
from .programmes import Cohort, Phase, Programme, SessionKind
from .sessions import Session, SessionDocument, SessionFormat, SessionRegistration
from .teams import Team, TeamMember, TeamRole

__all__ = [
    "AgendaItem",
    "CalendarFeed",
    "Cohort",
    "EngagementText",
    "Phase",
    "Programme",
    "Session",
    "SessionDocument",
    "SessionFormat",
    "SessionKind",
    "SessionRegistration",
    "Signature",
    "Team",
    "TeamMember",
    "TeamRole",
    "Workshop",
    "WorkshopRegistration",
]
