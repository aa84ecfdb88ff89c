"""Date polls (« sondages de date »). SPEC FOR THE IMPLEMENTER — replace the bodies."""

from datetime import datetime

from ..models import DatePoll, Programme, Session, Slot, Vote

# (starts_at, ends_at, format) of a proposed slot, aware datetimes.
SlotSpec = tuple[datetime, datetime, str]


def poll_voters(poll: DatePoll):
    """Users asked to answer: current members of the teams concerned by the session
    (the expected role only when the session expects one role)."""
    raise NotImplementedError


def create_date_poll(
    *, session: Session, acting_user, slots: list[SlotSpec], closes_at: datetime, message=""
) -> DatePoll:
    raise NotImplementedError


def launch_team_polls(
    *,
    programme: Programme,
    acting_user,
    sessions: list[Session],
    slots: list[SlotSpec],
    closes_at: datetime,
    message="",
) -> list[DatePoll]:
    raise NotImplementedError


def add_poll_slots(
    *, poll: DatePoll, acting_user, slots: list[SlotSpec], closes_at: datetime | None = None
) -> list[Slot]:
    raise NotImplementedError


def answer_date_poll(*, poll: DatePoll, user, answers: dict[int, str], comment: str = "") -> None:
    raise NotImplementedError


def vote_on_slot(*, slot: Slot, user, answer: str) -> Vote:
    raise NotImplementedError


def close_date_poll(*, poll: DatePoll, slot: Slot, acting_user) -> Session:
    raise NotImplementedError


def cancel_date_poll(*, poll: DatePoll, acting_user) -> DatePoll:
    raise NotImplementedError
