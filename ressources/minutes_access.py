"""Who writes and who reads the minutes of a session, and finding them or 404.

- **Writers**: the coordinators, the trainers of the organisation and the session's
  facilitators. They see every version, drafts included.
- **Readers** of an individual coaching's minutes (audience « une équipe »): only that
  team's current members, besides the writers; observers and other teams get 404.
- **Readers** of any other session's minutes: the people expected at it, its
  attendees, the observers, besides the writers.
- Readers see the validated versions; while a version is shared for comments, its
  attendees (and the readers) read it and comment on it. A draft is the writers' only.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.models import Session, TeamMember
from parcours.selectors import expected_participants, is_facilitator, sessions_visible_to

from .models import Minutes, MinutesAttendee, MinutesVersion

WRITER_ROLES = (Role.COORDINATOR, Role.TRAINER)
STAFF_READERS = (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER)


def can_write(user, organisation: Organisation, session: Session, role=None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    role = role if role is not None else role_in(user, organisation)
    return role in WRITER_ROLES or is_facilitator(user, session)


def _attended(user, minutes: Minutes | None) -> bool:
    if minutes is None:
        return False
    return MinutesAttendee.objects.filter(version__minutes=minutes, user=user).exists()


def can_read(user, organisation: Organisation, session: Session, minutes=None, role=None) -> bool:
    """Whether ``user`` may read the minutes of ``session`` (their readable versions)."""
    if not getattr(user, "is_authenticated", False):
        return False
    role = role if role is not None else role_in(user, organisation)
    if can_write(user, organisation, session, role):
        return True
    if session.audience == Session.Audience.TEAM:
        return TeamMember.objects.current().filter(team__sessions=session, user=user).exists()
    if role == Role.OBSERVER:
        return True
    if expected_participants(session).filter(pk=user.pk).exists():
        return True
    return _attended(user, minutes)


def readable_versions(minutes: Minutes, *, writer: bool):
    """The versions a writer (all) or a reader (validated, and the one in review) sees."""
    versions = MinutesVersion.objects.filter(minutes=minutes).order_by("number")
    if writer:
        return versions
    return versions.filter(
        status__in=(MinutesVersion.Status.VALIDATED, MinutesVersion.Status.SHARED)
    )


def get_minutes_for_user_or_404(user, organisation: Organisation, minutes_id: int) -> Minutes:
    """Minutes of a session the user sees and may read, with ``minutes.writable`` set;
    404 for anyone else and for a reader while nothing is readable yet."""
    minutes = get_object_or_404(
        Minutes.objects.select_related("session__programme", "session__kind"),
        organisation=organisation,
        pk=minutes_id,
    )
    session = get_object_or_404(sessions_visible_to(user, organisation), pk=minutes.session_id)
    session.organisation = organisation
    minutes.session = session
    role = role_in(user, organisation)
    minutes.writable = can_write(user, organisation, session, role)
    if not minutes.writable:
        if not can_read(user, organisation, session, minutes, role):
            raise Http404
        if not readable_versions(minutes, writer=False).exists():
            raise Http404
    return minutes


def get_writable_minutes_or_404(user, organisation: Organisation, minutes_id: int) -> Minutes:
    minutes = get_minutes_for_user_or_404(user, organisation, minutes_id)
    if not minutes.writable:
        raise Http404
    return minutes


def get_version_or_404(minutes: Minutes, number: int) -> MinutesVersion:
    version = get_object_or_404(readable_versions(minutes, writer=minutes.writable), number=number)
    version.minutes = minutes
    return version
