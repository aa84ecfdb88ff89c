"""Who may do what with a date poll, and getting a poll (or its slot) the current user
may see, or 404. One condition per line, as in ``parcours.access``.

- organisers: coordinators (any session) and the trainers who facilitate the session;
- voters: the people asked to answer (``services.poll_voters``);
- observers: read the results;
- anyone else: 404, never 403.
"""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.models import Session
from parcours.selectors import expected_in_teams, is_facilitator, sessions_visible_to
from sondages.models import DatePoll, Slot


def is_poll_organiser(user, session: Session) -> bool:
    """A coordinator of the session's organisation, or a trainer facilitating it."""
    role = role_in(user, session.organisation)
    if role == Role.COORDINATOR:
        return True
    if role == Role.TRAINER:
        return is_facilitator(user, session)
    return False


def is_poll_voter(user, poll: DatePoll) -> bool:
    from sondages.services import poll_voters

    # The session page loaded the teams expected with their members, and whether the
    # person registered: voters are among those (``poll_voters``), no query needed
    # unless the person registered.
    session = poll.session
    teams = getattr(session, "loaded_expected_teams", None)
    if teams is not None:
        if expected_in_teams(user, session, teams):
            return True
        if not getattr(session, "loaded_viewer_registered", True):
            return False
    return poll_voters(poll).filter(pk=user.pk).exists()


@dataclass(frozen=True)
class PollAccess:
    organiser: bool = False
    voter: bool = False
    observer: bool = False

    @property
    def any(self) -> bool:
        return self.organiser or self.voter or self.observer


def poll_access(user, poll: DatePoll) -> PollAccess:
    session = poll.session
    role = role_in(user, session.organisation)
    return PollAccess(
        organiser=is_poll_organiser(user, session),
        voter=is_poll_voter(user, poll),
        observer=role == Role.OBSERVER,
    )


def get_poll_for_user_or_404(
    user, organisation: Organisation, poll_id: int
) -> tuple[DatePoll, PollAccess]:
    """The poll and what ``user`` may do with it; 404 when the session is out of their
    sight or when they are neither organiser, voter nor observer."""
    poll = get_object_or_404(
        DatePoll.objects.select_related(
            "organisation",
            "chosen_slot",
            "session__programme",
            "session__organisation",
            "session__expected_role",
            "session__kind",
        ),
        organisation=organisation,
        pk=poll_id,
    )
    if not sessions_visible_to(user, organisation).filter(pk=poll.session_id).exists():
        raise Http404
    access = poll_access(user, poll)
    if not access.any:
        raise Http404
    return poll, access


def get_slot_or_404(poll: DatePoll, slot_id: int) -> Slot:
    return get_object_or_404(Slot.objects, organisation=poll.organisation_id, poll=poll, pk=slot_id)


def get_session_to_poll_or_404(user, organisation: Organisation, session_id: int) -> Session:
    """A session ``user`` may propose dates for (organisers only), or 404."""
    session = get_object_or_404(sessions_visible_to(user, organisation), pk=session_id)
    if not is_poll_organiser(user, session):
        raise Http404
    return session
