"""Reading date polls: per slot who answered what, whether every indispensable role of
every team can come, which slots another poll of the same launch already took, the best
slots first. A fixed number of queries for one poll or a page of them."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from organisations.models import Role
from organisations.roles import role_in
from parcours.models import Session, Team, TeamMember, TeamRole
from parcours.selectors import _team_conditions, sessions_visible_to
from sondages.models import DatePoll, PollComment, Slot, Vote

AVAILABLE = (Vote.Answer.YES, Vote.Answer.IF_NEEDED)


class TakenSlot(NamedTuple):
    poll_id: int
    starts_at: object
    ends_at: object


@dataclass
class SlotResult:
    slot: Slot
    yes: int = 0
    if_needed: int = 0
    no: int = 0
    roles_ok: bool = False
    # Not every indispensable role can come yet, but each missing one has a holder who
    # has not answered for this slot: the slot may still suit.
    roles_pending: bool = False
    taken: bool = False
    answers: dict[int, str] = field(default_factory=dict)  # user id → answer

    @property
    def available(self) -> int:
        return self.yes + self.if_needed

    @property
    def suits(self) -> bool:
        """A slot worth picking: not taken, every indispensable role can come, and
        someone said oui or si nécessaire."""
        return not self.taken and self.roles_ok and self.available > 0

    def sort_key(self):
        return (self.taken, not self.roles_ok, -self.yes, -self.available, self.slot.starts_at)


@dataclass
class VoterRow:
    """One person asked, their team(s) and role(s), their answer per slot (in the order
    of the slots, None when not answered) and their comment."""

    user: object
    teams: list[str]
    roles: list[str]
    answers: list[str | None] = field(default_factory=list)
    comment: str = ""

    @property
    def answered(self) -> bool:
        return any(answer is not None for answer in self.answers)


@dataclass
class PollResults:
    poll: DatePoll
    slots: list[SlotResult]  # chronological
    voters: list[VoterRow]
    indispensable_roles: list[str]

    @property
    def ranked(self) -> list[SlotResult]:
        """Best first: every indispensable role available, then most oui, then most oui +
        si nécessaire, then earliest; slots taken by another team last."""
        return sorted(self.slots, key=SlotResult.sort_key)

    @property
    def best(self) -> SlotResult | None:
        ranked = self.ranked
        return ranked[0] if ranked and ranked[0].suits else None

    @property
    def expected_count(self) -> int:
        return len(self.voters)

    @property
    def answered_count(self) -> int:
        return sum(1 for row in self.voters if row.answered)

    @property
    def non_respondents(self) -> list:
        return [row.user for row in self.voters if not row.answered]

    @property
    def nothing_suits(self) -> bool:
        """« Aucun créneau ne convient »: people answered, no slot suits, and no answer
        still awaited could make one suit."""
        return (
            self.answered_count > 0
            and self.best is None
            and not any(result.roles_pending and not result.taken for result in self.slots)
        )

    def answers_of(self, user) -> dict[int, str]:
        return {
            result.slot.pk: result.answers[user.pk]
            for result in self.slots
            if user.pk in result.answers
        }


def taken_by_batch(polls) -> dict[int, list[TakenSlot]]:
    """Per poll: the slots chosen by the other decided polls of its batch (one query)."""
    batches = {poll.batch for poll in polls if poll.batch}
    if not batches:
        return {}
    chosen = defaultdict(list)
    rows = Slot.objects.filter(
        poll__batch__in=batches, poll__status=DatePoll.Status.DECIDED, poll__chosen_slot=F("pk")
    ).values_list("poll_id", "poll__batch", "starts_at", "ends_at")
    for poll_id, batch, starts_at, ends_at in rows:
        chosen[batch].append(TakenSlot(poll_id, starts_at, ends_at))
    return {
        poll.pk: [taken for taken in chosen.get(poll.batch, []) if taken.poll_id != poll.pk]
        for poll in polls
        if poll.batch
    }


def _teams_by_session(sessions) -> dict[int, set[int]]:
    by_session: dict[int, set[int]] = defaultdict(set)
    team_sessions = [s.pk for s in sessions if s.audience in Session.TEAM_AUDIENCES]
    if team_sessions:
        rows = Session.teams.through.objects.filter(session_id__in=team_sessions).values_list(
            "session_id", "team_id"
        )
        for session_id, team_id in rows:
            by_session[session_id].add(team_id)
    cohort = [s for s in sessions if s.audience == Session.Audience.COHORT]
    if cohort:
        by_programme: dict[int, set[int]] = defaultdict(set)
        rows = Team.objects.filter(
            cohort__programme__in={s.programme_id for s in cohort}
        ).values_list("pk", "cohort__programme_id")
        for team_id, programme_id in rows:
            by_programme[programme_id].add(team_id)
        for session in cohort:
            by_session[session.pk] = by_programme[session.programme_id]
    return by_session


def concerned_members(polls) -> dict[int, dict[int, list[TeamMember]]]:
    """{poll id: {team id: [current members asked to answer]}} for ``polls`` (each with
    its session loaded), in a constant number of queries: the members of the teams
    concerned by the poll's session, only the expected role for a one-role session.
    Members come with their user, role and team, by team then role order."""
    sessions = {poll.session_id: poll.session for poll in polls}
    teams_by_session = _teams_by_session(sessions.values())
    team_ids = set().union(*teams_by_session.values()) if teams_by_session else set()
    members_by_team: dict[int, list[TeamMember]] = defaultdict(list)
    if team_ids:
        members = (
            TeamMember.objects.current()
            .filter(team_id__in=team_ids)
            .select_related("user", "role", "team")
            .order_by("team__name", "role__order", "user__last_name", "user__first_name", "pk")
        )
        for member in members:
            members_by_team[member.team_id].append(member)
    result = {}
    for poll in polls:
        session = sessions[poll.session_id]
        one_role = session.expected_presence == Session.Presence.ONE_ROLE
        result[poll.pk] = {
            team_id: [
                member
                for member in members_by_team[team_id]
                if not one_role or member.role_id == session.expected_role_id
            ]
            for team_id in sorted(teams_by_session.get(session.pk, set()))
        }
    return result


def results_for(polls, *, with_comments: bool = False) -> dict[int, PollResults]:
    """Results of ``polls`` (each with its session and the session's expected role
    selected), by poll id."""
    polls = list(polls)
    if not polls:
        return {}
    sessions = {poll.session_id: poll.session for poll in polls}
    concerned = concerned_members(polls)
    required: dict[int, list[TeamRole]] = defaultdict(list)
    for role in TeamRole.objects.filter(
        programme__in={session.programme_id for session in sessions.values()}, required=True
    ):
        required[role.programme_id].append(role)
    slots_by_poll: dict[int, list[Slot]] = defaultdict(list)
    slot_poll = {}
    for slot in Slot.objects.filter(poll__in=[poll.pk for poll in polls]).order_by(
        "starts_at", "ends_at", "pk"
    ):
        slots_by_poll[slot.poll_id].append(slot)
        slot_poll[slot.pk] = slot.poll_id
    votes: dict[int, dict[int, str]] = defaultdict(dict)  # slot → user → answer
    for slot_id, user_id, answer in Vote.objects.filter(slot_id__in=list(slot_poll)).values_list(
        "slot_id", "user_id", "answer"
    ):
        votes[slot_id][user_id] = answer
    comments: dict[tuple[int, int], str] = {}
    if with_comments:
        for poll_id, user_id, text in PollComment.objects.filter(
            poll__in=[poll.pk for poll in polls]
        ).values_list("poll_id", "user_id", "text"):
            comments[(poll_id, user_id)] = text
    taken = taken_by_batch(polls)

    results = {}
    for poll in polls:
        session = poll.session
        one_role = session.expected_presence == Session.Presence.ONE_ROLE
        if one_role:
            indispensable = [session.expected_role] if session.expected_role_id else []
        else:
            indispensable = required[session.programme_id]
        team_members = concerned[poll.pk]
        teams = list(team_members)
        # The people asked, once each, with their team(s) and role(s).
        rows: dict[int, VoterRow] = {}
        for members in team_members.values():
            for member in members:
                row = rows.setdefault(member.user_id, VoterRow(member.user, [], []))
                if member.team.name not in row.teams:
                    row.teams.append(member.team.name)
                if member.role and member.role.name not in row.roles:
                    row.roles.append(member.role.name)
        voter_ids = set(rows)
        slot_results = []
        for slot in slots_by_poll[poll.pk]:
            answers = {
                user_id: answer
                for user_id, answer in votes[slot.pk].items()
                if user_id in voter_ids
            }
            result = SlotResult(slot=slot, answers=answers)
            for answer in answers.values():
                if answer == Vote.Answer.YES:
                    result.yes += 1
                elif answer == Vote.Answer.IF_NEEDED:
                    result.if_needed += 1
                else:
                    result.no += 1
            result.roles_ok = bool(teams) and all(
                any(
                    member.role_id == role.pk and answers.get(member.user_id) in AVAILABLE
                    for member in team_members[team_id]
                )
                for team_id in teams
                for role in indispensable
            )
            result.roles_pending = (
                bool(teams)
                and not result.roles_ok
                and all(
                    any(
                        member.role_id == role.pk
                        and (
                            answers.get(member.user_id) in AVAILABLE
                            or member.user_id not in answers
                        )
                        for member in team_members[team_id]
                    )
                    for team_id in teams
                    for role in indispensable
                )
            )
            result.taken = any(
                other.starts_at < slot.ends_at and other.ends_at > slot.starts_at
                for other in taken.get(poll.pk, [])
            )
            slot_results.append(result)
        voters = sorted(
            rows.values(),
            key=lambda row: (row.teams, row.user.last_name, row.user.first_name, row.user.pk),
        )
        for row in voters:
            row.answers = [result.answers.get(row.user.pk) for result in slot_results]
            row.comment = comments.get((poll.pk, row.user.pk), "")
        results[poll.pk] = PollResults(
            poll=poll,
            slots=slot_results,
            voters=voters,
            indispensable_roles=[role.name for role in indispensable],
        )
    return results


def poll_results(poll: DatePoll) -> PollResults:
    return results_for([poll], with_comments=True)[poll.pk]


# --- Lists ---------------------------------------------------------------------------


def _open_first(polls: QuerySet) -> QuerySet:
    return polls.annotate(
        open_rank=Case(
            When(status=DatePoll.Status.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("open_rank", "closes_at", "pk")


def _with_relations(polls: QuerySet) -> QuerySet:
    return polls.select_related(
        "organisation",
        "chosen_slot",
        "session__programme",
        "session__organisation",
        "session__expected_role",
    )


def programme_polls(user, organisation, programme) -> QuerySet:
    """The polls of ``programme`` a staff member follows: all of them for coordinators
    and observers, those of the sessions they facilitate for trainers. Open first."""
    role = role_in(user, organisation)
    polls = DatePoll.objects.filter(organisation=organisation, session__programme=programme)
    if role == Role.TRAINER:
        polls = polls.filter(session__facilitators=user)
    elif role not in (Role.COORDINATOR, Role.OBSERVER):
        polls = polls.none()
    return _with_relations(_open_first(polls))


def polls_to_answer(user, organisation) -> QuerySet:
    """Polls where ``user`` is asked to answer (sessions of published programmes where
    they are expected as a team member)."""
    _visible, expected = _team_conditions(user)
    sessions = sessions_visible_to(user, organisation).filter(expected)
    return DatePoll.objects.filter(organisation=organisation, session__in=sessions.values("pk"))


def polls_organised_by(user, organisation) -> QuerySet:
    """Polls ``user`` organises and created, or of sessions they facilitate."""
    role = role_in(user, organisation)
    if role not in (Role.COORDINATOR, Role.TRAINER):
        return DatePoll.objects.none()
    return DatePoll.objects.filter(organisation=organisation).filter(
        Q(created_by=user) | Q(session__facilitators=user)
    )


def my_polls(user, organisation) -> QuerySet:
    """« Mes sondages »: to answer or organised, open first."""
    polls = DatePoll.objects.filter(organisation=organisation).filter(
        Q(pk__in=polls_to_answer(user, organisation).values("pk"))
        | Q(pk__in=polls_organised_by(user, organisation).values("pk"))
    )
    return _with_relations(_open_first(polls))
