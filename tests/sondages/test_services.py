"""Date polls, services and results: opening (one session or every team at once), the
refusals, answering, the ranking of the slots, picking one (the session is scheduled
and convened), adding slots, abandoning."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from organisations.models import AuditEntry
from parcours.models import Session
from sondages import notices, services
from sondages.actions import Action
from sondages.models import DatePoll, PollComment, Vote
from sondages.results import poll_results
from tests.factories import MembershipFactory, SessionFactory, build_programme

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(days: int, hour: int = 9, minute: int = 30) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def slot(days: int, hour: int = 9, hours: int = 2, format: str = "visio"):
    return (at(days, hour, 0), at(days, hour, 0) + timedelta(hours=hours), format)


def individual(world, team, **kwargs):
    fields = {
        "programme": world.programme,
        "kind": world.individual_kind,
        "title": f"Accompagnement individuel n°1 — {team.name}",
        "audience": "team",
        "teams": [team],
        "status": "tentative",
        "starts_at": at(40),
        "ends_at": at(40) + timedelta(hours=2),
    }
    fields.update(kwargs)
    return SessionFactory(**fields)


@pytest.fixture
def world():
    """A published programme, three teams of a trinôme (élu·e and chargé·e de mission
    indispensable, responsable de service not), a coordinator, and the first individual
    coaching of each team still to date."""
    with scopes_disabled():
        built = build_programme(teams=3)
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.members = []
        for team in built.teams:
            built.members.append(
                SimpleNamespace(
                    **{
                        key: member.user
                        for key, member in zip(
                            ("elu", "charge", "responsable"),
                            team.members.order_by("pk"),
                            strict=True,
                        )
                    }
                )
            )
        built.sessions = [individual(built, team) for team in built.teams]
    with scope(organisation=built.organisation.pk):
        yield built


def open_poll(world, session=None, slots=None, **kwargs):
    return services.create_date_poll(
        session=session or world.sessions[0],
        acting_user=world.coordinator,
        slots=slots or [slot(10), slot(11), slot(12)],
        closes_at=kwargs.pop("closes_at", at(5, 18, 0)),
        **kwargs,
    )


def answer(poll, user, *answers, comment=""):
    slots = list(poll.slots.order_by("starts_at"))
    services.answer_date_poll(
        poll=poll,
        user=user,
        answers={s.pk: a for s, a in zip(slots, answers, strict=True)},
        comment=comment,
    )


def errors_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- Voters --------------------------------------------------------------------------


def test_voters_are_the_current_members_of_the_team(world):
    poll = open_poll(world)
    members = world.members[0]
    assert set(services.poll_voters(poll)) == {members.elu, members.charge, members.responsable}


def test_a_one_role_session_asks_only_the_expected_role(world):
    session = individual(
        world,
        world.teams[1],
        expected_presence=Session.Presence.ONE_ROLE,
        expected_role=world.roles[1],
    )
    poll = open_poll(world, session=session)
    assert list(services.poll_voters(poll)) == [world.members[1].charge]


def test_a_cohort_session_asks_every_team(world):
    session = SessionFactory(programme=world.programme, kind=world.kind, tentative=True)
    poll = open_poll(world, session=session)
    assert services.poll_voters(poll).count() == 9


# --- Opening -------------------------------------------------------------------------


def record_polls_opened(monkeypatch) -> list:
    """Every call of the services to ``sondages.notices.send_polls_opened``, as (polls,
    acting_user); the e-mails are written all the same."""
    sent = []
    original = notices.send_polls_opened

    def recording(polls, acting_user=None):
        sent.append((polls, acting_user))
        return original(polls, acting_user)

    monkeypatch.setattr(notices, "send_polls_opened", recording)
    return sent


def test_create_date_poll_opens_the_poll_and_tells_the_voters(world, monkeypatch):
    sent = record_polls_opened(monkeypatch)
    poll = open_poll(world, message="Merci de répondre avant vendredi.")
    assert poll.status == DatePoll.Status.OPEN
    assert poll.slots.count() == 3
    assert poll.created_by == world.coordinator
    assert sent == [([poll], world.coordinator)]
    entry = AuditEntry.objects.get(action=Action.DATE_POLL_CREATED)
    assert entry.data["poll"] == poll.pk


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slots": []}, "Proposez au moins un créneau."),
        ({"slots": [slot(-1)]}, "Ce créneau est déjà passé."),
        (
            {"slots": [(at(10, 12, 0), at(10, 10, 0), "visio")]},
            "La fin d'un créneau doit suivre son début.",
        ),
        ({"slots": [slot(10), slot(10)]}, "Ce créneau est proposé deux fois."),
        ({"closes_at": at(-1)}, "Cette date de clôture est déjà passée."),
        ({"closes_at": at(11)}, "Les réponses doivent être closes avant le premier créneau"),
    ],
)
def test_create_date_poll_refuses_bad_slots_and_closings(world, change, message):
    kwargs = {"slots": [slot(10), slot(12)], "closes_at": at(5, 18, 0), **change}
    with pytest.raises(ValidationError) as excinfo:
        services.create_date_poll(
            session=world.sessions[0], acting_user=world.coordinator, **kwargs
        )
    assert message in errors_of(excinfo)
    assert not DatePoll.objects.exists()


def test_create_date_poll_refuses_a_cancelled_or_started_session(world):
    cancelled = individual(world, world.teams[1], status="cancelled")
    started = individual(world, world.teams[2], status="scheduled", starts_at=at(-1), ends_at=at(1))
    with pytest.raises(ValidationError) as excinfo:
        open_poll(world, session=cancelled)
    assert "annulée" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        open_poll(world, session=started)
    assert "déjà commencé" in errors_of(excinfo)


def test_a_session_has_one_open_poll_at_a_time(world):
    open_poll(world)
    with pytest.raises(ValidationError) as excinfo:
        open_poll(world)
    assert "Un sondage est déjà ouvert" in errors_of(excinfo)
    assert DatePoll.objects.count() == 1


def test_launch_team_polls_opens_one_poll_per_team_in_one_batch(world, monkeypatch):
    sent = record_polls_opened(monkeypatch)
    polls = services.launch_team_polls(
        programme=world.programme,
        acting_user=world.coordinator,
        sessions=world.sessions,
        slots=[slot(10), slot(11)],
        closes_at=at(5, 18, 0),
    )
    assert len(polls) == 3
    assert len({poll.batch for poll in polls}) == 1 and polls[0].batch is not None
    assert all(poll.slots.count() == 2 for poll in polls)
    assert [opened for opened, _user in sent] == [polls]
    assert AuditEntry.objects.filter(action=Action.DATE_POLLS_LAUNCHED).count() == 1


def test_launch_team_polls_refuses_everything_when_one_session_cannot_be_polled(world):
    open_poll(world, session=world.sessions[1])
    collective = SessionFactory(programme=world.programme, kind=world.kind, tentative=True)
    with pytest.raises(ValidationError) as excinfo:
        services.launch_team_polls(
            programme=world.programme,
            acting_user=world.coordinator,
            sessions=[world.sessions[0], world.sessions[1], collective],
            slots=[slot(10)],
            closes_at=at(5, 18, 0),
        )
    message = errors_of(excinfo)
    assert world.sessions[1].title in message and "déjà ouvert" in message
    assert "n'est pas une séance individuelle" in message
    assert DatePoll.objects.count() == 1  # nothing half-saved


# --- Answering -----------------------------------------------------------------------


def test_answer_date_poll_records_every_slot_and_the_comment(world):
    poll = open_poll(world)
    elu = world.members[0].elu
    answer(poll, elu, "yes", "if_needed", "no", comment="Plutôt le matin.")
    assert sorted(Vote.objects.filter(user=elu).values_list("answer", flat=True)) == [
        "if_needed",
        "no",
        "yes",
    ]
    assert PollComment.objects.get(user=elu).text == "Plutôt le matin."
    answer(poll, elu, "no", "no", "yes")
    assert Vote.objects.filter(user=elu, answer="no").count() == 2
    assert not PollComment.objects.filter(user=elu).exists()  # emptied


def test_answer_date_poll_wants_every_slot(world):
    poll = open_poll(world)
    first = poll.slots.order_by("starts_at").first()
    with pytest.raises(ValidationError) as excinfo:
        services.answer_date_poll(poll=poll, user=world.members[0].elu, answers={first.pk: "yes"})
    assert "Répondez pour chaque créneau" in errors_of(excinfo)
    assert not Vote.objects.exists()


def test_only_voters_answer(world):
    poll = open_poll(world)
    outsider = world.members[1].elu  # another team
    with pytest.raises(ValidationError):
        answer(poll, outsider, "yes", "yes", "yes")
    with pytest.raises(ValidationError):
        services.vote_on_slot(slot=poll.slots.first(), user=world.coordinator, answer="yes")
    assert not Vote.objects.exists()


def test_no_answer_after_the_closing(world):
    poll = open_poll(world)
    with time_machine.travel(at(6), tick=False), pytest.raises(ValidationError) as excinfo:
        services.vote_on_slot(slot=poll.slots.first(), user=world.members[0].elu, answer="yes")
    assert "Ce sondage est clos : les réponses étaient attendues avant le" in errors_of(excinfo)
    services.cancel_date_poll(poll=poll, acting_user=world.coordinator)
    with pytest.raises(ValidationError) as excinfo:
        answer(poll, world.members[0].elu, "yes", "yes", "yes")
    assert "Ce sondage est clos : abandonné." in errors_of(excinfo)
    assert not Vote.objects.exists()


def test_vote_on_slot_changes_one_answer(world):
    poll = open_poll(world)
    first = poll.slots.order_by("starts_at").first()
    elu = world.members[0].elu
    services.vote_on_slot(slot=first, user=elu, answer="no")
    vote = services.vote_on_slot(slot=first, user=elu, answer="if_needed")
    assert Vote.objects.get(user=elu).answer == "if_needed" == vote.answer
    with pytest.raises(ValidationError):
        services.vote_on_slot(slot=first, user=elu, answer="peut-être")


# --- Results -------------------------------------------------------------------------


def test_results_rank_roles_first_then_yes_then_if_needed_then_earliest(world):
    poll = open_poll(world, slots=[slot(10), slot(11), slot(12), slot(13)])
    people = world.members[0]
    # slot 1: only the responsable (not indispensable) → roles not ok, though 3 yes-ish;
    # slot 2: élu + chargé·e yes; slot 3: élu yes, chargé·e if needed; slot 4: nobody.
    answer(poll, people.elu, "no", "yes", "yes", "no")
    answer(poll, people.charge, "no", "yes", "if_needed", "no")
    answer(poll, people.responsable, "yes", "no", "yes", "no")
    results = poll_results(poll)
    by_day = [r.slot.starts_at.date() for r in results.ranked]
    slots = [r.slot.starts_at.date() for r in results.slots]
    assert by_day == [slots[2], slots[1], slots[0], slots[3]]
    first = results.ranked[0]
    assert (first.yes, first.if_needed, first.no, first.roles_ok) == (2, 1, 0, True)
    assert results.slots[0].roles_ok is False
    assert results.best is first
    assert results.answered_count == 3 == results.expected_count
    assert results.non_respondents == []
    assert results.indispensable_roles == ["Élu·e référent·e", "Chargé·e de mission"]


def test_results_of_a_one_role_session_need_only_that_role(world):
    session = individual(
        world,
        world.teams[1],
        expected_presence=Session.Presence.ONE_ROLE,
        expected_role=world.roles[1],
    )
    poll = open_poll(world, session=session, slots=[slot(10), slot(11)])
    answer(poll, world.members[1].charge, "no", "if_needed")
    results = poll_results(poll)
    assert [r.roles_ok for r in results.slots] == [False, True]
    assert results.best.slot == results.slots[1].slot
    assert [row.user for row in results.voters] == [world.members[1].charge]


def test_a_slot_awaiting_an_indispensable_role_is_not_given_up(world):
    poll = open_poll(world, slots=[slot(10), slot(11)])
    answer(poll, world.members[0].elu, "yes", "no")
    results = poll_results(poll)
    # The chargé·e de mission has not answered: the first slot may still suit.
    assert [(r.roles_ok, r.roles_pending) for r in results.slots] == [(False, True), (False, False)]
    assert results.best is None
    assert not results.nothing_suits


def test_nothing_suits_when_an_indispensable_role_cannot_come(world):
    poll = open_poll(world, slots=[slot(10), slot(11)])
    answer(poll, world.members[0].elu, "yes", "yes")
    answer(poll, world.members[0].charge, "no", "no")
    results = poll_results(poll)
    assert results.best is None
    assert results.nothing_suits
    assert results.non_respondents == [world.members[0].responsable]


# --- Deciding ------------------------------------------------------------------------


def test_close_date_poll_schedules_the_session_and_convenes(world, mailoutbox):
    poll = open_poll(world)
    chosen = poll.slots.order_by("starts_at")[1]
    session = services.close_date_poll(poll=poll, slot=chosen, acting_user=world.coordinator)
    session.refresh_from_db()
    poll.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    assert (session.starts_at, session.ends_at, session.format) == (
        chosen.starts_at,
        chosen.ends_at,
        chosen.format,
    )
    assert session.date_note == ""
    assert poll.status == DatePoll.Status.DECIDED and poll.chosen_slot == chosen
    assert poll.decided_at is not None
    assert AuditEntry.objects.filter(action=Action.DATE_POLL_CLOSED).count() == 1
    people = world.members[0]
    convened = {message.to[0] for message in mailoutbox}
    assert {people.elu.email, people.charge.email, people.responsable.email} <= convened
    assert world.members[1].elu.email not in convened


def test_close_date_poll_is_allowed_after_the_closing_but_not_on_a_past_slot(world):
    poll = open_poll(world, slots=[slot(10), slot(12)])
    first, second = poll.slots.order_by("starts_at")
    with time_machine.travel(at(11), tick=False):
        with pytest.raises(ValidationError) as excinfo:
            services.close_date_poll(poll=poll, slot=first, acting_user=world.coordinator)
        assert "Ce créneau est déjà passé." in errors_of(excinfo)
        services.close_date_poll(poll=poll, slot=second, acting_user=world.coordinator)
    poll.refresh_from_db()
    assert poll.chosen_slot == second


def test_close_date_poll_is_for_organisers_only(world):
    poll = open_poll(world)
    trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
    with pytest.raises(ValidationError):
        services.close_date_poll(
            poll=poll, slot=poll.slots.first(), acting_user=world.members[0].elu
        )
    with pytest.raises(ValidationError):
        services.close_date_poll(poll=poll, slot=poll.slots.first(), acting_user=trainer)
    world.sessions[0].facilitators.add(trainer)
    services.close_date_poll(poll=poll, slot=poll.slots.first(), acting_user=trainer)
    other = open_poll(world, session=world.sessions[1])
    with pytest.raises(ValidationError) as excinfo:
        services.close_date_poll(poll=other, slot=poll.slots.first(), acting_user=world.coordinator)
    assert "n'appartient pas" in errors_of(excinfo)


def test_a_slot_taken_in_the_batch_is_no_longer_offered(world):
    polls = services.launch_team_polls(
        programme=world.programme,
        acting_user=world.coordinator,
        sessions=world.sessions[:2],
        slots=[slot(10), slot(11)],
        closes_at=at(5, 18, 0),
    )
    first_slot = polls[0].slots.order_by("starts_at").first()
    services.close_date_poll(poll=polls[0], slot=first_slot, acting_user=world.coordinator)
    other_first, other_second = polls[1].slots.order_by("starts_at")
    results = poll_results(polls[1])
    assert [r.taken for r in results.slots] == [True, False]
    assert results.ranked[-1].slot == other_first
    with pytest.raises(ValidationError) as excinfo:
        services.close_date_poll(poll=polls[1], slot=other_first, acting_user=world.coordinator)
    assert "déjà retenu pour une autre équipe" in errors_of(excinfo)
    services.close_date_poll(poll=polls[1], slot=other_second, acting_user=world.coordinator)


def test_close_date_poll_says_why_the_session_cannot_take_the_slot(world):
    session = individual(world, world.teams[1], visio_url="")
    poll = open_poll(world, session=session, slots=[slot(10), slot(11, format="presentiel")])
    remote, in_person = poll.slots.order_by("starts_at")
    with pytest.raises(ValidationError) as excinfo:
        services.close_date_poll(poll=poll, slot=remote, acting_user=world.coordinator)
    assert "pas encore de lien de visio" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.close_date_poll(poll=poll, slot=in_person, acting_user=world.coordinator)
    assert "Indiquez l'adresse du lieu" in errors_of(excinfo)
    poll.refresh_from_db()
    session.refresh_from_db()
    assert poll.status == DatePoll.Status.OPEN
    assert session.status == Session.Status.TENTATIVE


# --- More slots, abandon -------------------------------------------------------------


def test_add_poll_slots_tells_those_who_answered(world, monkeypatch):
    poll = open_poll(world, slots=[slot(10)])
    answer(poll, world.members[0].elu, "no")
    told = []
    original = notices.send_slots_added

    def recording(poll, slots, recipients, acting_user=None):
        told.append((slots, recipients))
        return original(poll, slots, recipients, acting_user)

    monkeypatch.setattr(notices, "send_slots_added", recording)
    created = services.add_poll_slots(
        poll=poll,
        acting_user=world.coordinator,
        slots=[slot(14), slot(15)],
        closes_at=at(8, 18, 0),
    )
    assert len(created) == 2
    assert told == [(created, [world.members[0].elu])]
    poll.refresh_from_db()
    assert poll.closes_at == at(8, 18, 0)
    assert poll.slots.count() == 3
    assert AuditEntry.objects.filter(action=Action.DATE_POLL_SLOTS_ADDED).count() == 1


def test_add_poll_slots_checks_the_new_slots(world):
    poll = open_poll(world, slots=[slot(10)])
    for slots, message in [
        ([slot(10)], "Ce créneau est proposé deux fois."),
        ([slot(-2)], "Ce créneau est déjà passé."),
        ([slot(3)], "avancez la clôture"),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            services.add_poll_slots(poll=poll, acting_user=world.coordinator, slots=slots)
        assert message in errors_of(excinfo)
    services.cancel_date_poll(poll=poll, acting_user=world.coordinator)
    with pytest.raises(ValidationError):
        services.add_poll_slots(poll=poll, acting_user=world.coordinator, slots=[slot(20)])
    assert poll.slots.count() == 1


def test_cancel_date_poll(world):
    poll = open_poll(world)
    services.cancel_date_poll(poll=poll, acting_user=world.coordinator)
    poll.refresh_from_db()
    assert poll.status == DatePoll.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.cancel_date_poll(poll=poll, acting_user=world.coordinator)
    open_poll(world)  # a new poll may now be opened
