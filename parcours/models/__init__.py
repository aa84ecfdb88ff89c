"""Models of the parcours, one module per concept."""

from .agenda import AgendaItem, Workshop, WorkshopRegistration
from .attendance import (
    Attendance,
    AttendanceChange,
    AttendanceSheet,
    AttendanceStatus,
    HalfDay,
    SheetParticipant,
)
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
from .polls import DatePoll, PollComment, Slot, Vote
from .programmes import Cohort, Phase, Programme, SessionKind
from .sessions import Session, SessionDocument, SessionFormat, SessionRegistration
from .teams import Team, TeamMember, TeamRole

__all__ = [
    "AgendaItem",
    "Application",
    "ApplicationEvent",
    "ApplicationMember",
    "Attendance",
    "AttendanceChange",
    "AttendanceSheet",
    "AttendanceStatus",
    "CalendarFeed",
    "Call",
    "CallAttachment",
    "Cohort",
    "DatePoll",
    "EngagementText",
    "HalfDay",
    "Phase",
    "PollComment",
    "Programme",
    "Review",
    "ReviewScore",
    "ScoringCriterion",
    "Session",
    "SessionDocument",
    "SessionFormat",
    "SessionKind",
    "SessionRegistration",
    "SheetParticipant",
    "Signature",
    "Slot",
    "Team",
    "TeamInvitation",
    "TeamMember",
    "TeamRole",
    "Vote",
    "Workshop",
    "WorkshopRegistration",
]
