"""Models of the parcours, one module per concept."""

from .agenda import AgendaItem, Workshop, WorkshopRegistration
from .calls import (
    Application,
    ApplicationEvent,
    ApplicationMember,
    Call,
    CallAttachment,
    Review,
    ReviewScore,
    ScoringCriterion,
    TeamInvitation,
)
from .engagement import EngagementText, Signature
from .feeds import CalendarFeed
from .programmes import Cohort, Phase, Programme, SessionKind
from .sessions import Session, SessionDocument, SessionFormat, SessionRegistration
from .teams import Team, TeamMember, TeamRole

__all__ = [
    "AgendaItem",
    "Application",
    "ApplicationEvent",
    "ApplicationMember",
    "CalendarFeed",
    "Call",
    "CallAttachment",
    "Cohort",
    "EngagementText",
    "Phase",
    "Programme",
    "Review",
    "ReviewScore",
    "ScoringCriterion",
    "Session",
    "SessionDocument",
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
