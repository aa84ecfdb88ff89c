"""Date poll pages: who sees what (voter, organiser, observer; 404 for anyone else), the
phone page's htmx answers and their plain-form twin, the organiser's forms and decisions,
the lists and panels, and constant query counts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from parcours.holidays import holiday_name, holiday_warnings
from parcours.models import Session
from sondages import services
from sondages.models import DatePoll, Vote
from tests.factories import (
    DatePollFactory,
    MembershipFactory,
    SessionFactory,
    SlotFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    VoteFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def day(days: int):
    return timezone.localdate() + timedelta(days=days)


def at(days: int, hour: int = 9, minute: int = 0) -> datetime:
    d = day(days)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def world():
    with scopes_disabled():
        built = build_programme(teams=2)
        org = built.organisation
        built.coordinator = MembershipFactory(organisation=org, coordinator=True).user
        built.trainer = MembershipFactory(organisation=org, trainer=True).user
        built.other_trainer = MembershipFactory(organisation=org, trainer=True).user
        built.observer = MembershipFactory(organisation=org, observer=True).user
        built.team = built.teams[0]
        built.elu, built.charge, built.responsable = [
            member.user for member in built.team.members.order_by("pk")
        ]
        built.outsider = built.teams[1].members.order_by("pk").first().user
        built.session = SessionFactory(
            programme=built.programme,
            kind=built.individual_kind,
            title=f"Accompagnement individuel n°1 — {built.team.name}",
            audience="team",
            teams=[built.team],
            status="tentative",
            facilitators=[built.trainer],
            starts_at=at(40),
            ends_at=at(40, 11),
        )
        built.other_session = SessionFactory(
            programme=built.programme,
            kind=built.individual_kind,
            title=f"Accompagnement individuel n°1 — {built.teams[1].name}",
            audience="team",
            teams=[built.teams[1]],
            status="tentative",
            starts_at=at(40),
            ends_at=at(40, 11),
        )
    with scope(organisation=built.organisation.pk):
        built.poll = services.create_date_poll(
            session=built.session,
            acting_user=built.coordinator,
            slots=[
                (at(10), at(10, 11), "visio"),
                (at(11), at(11, 11), "visio"),
            ],
            closes_at=at(5, 18),
            message="Choisissez <b>vite</b>",
        )
        built.slots = list(built.poll.slots.order_by("starts_at"))
    return built


def url(world, name, *args):
    """A poll page by its name, or another app's page by its namespaced name."""
    name = name if ":" in name else f"sondages:{name}"
    return reverse(name, args=[world.organisation.slug, *args])


def detail(world):
    return url(world, "poll_detail", world.poll.pk)


def slot_rows(*rows, total=6):
    data = {
        "slots-TOTAL_FORMS": str(total),
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "40",
    }
    for index, (days, start, end, format) in enumerate(rows):
        data.update(
            {
                f"slots-{index}-day": day(days).isoformat(),
                f"slots-{index}-start_time": start,
                f"slots-{index}-end_time": end,
                f"slots-{index}-format": format,
            }
        )
    for index in range(len(rows), total):
        data[f"slots-{index}-format"] = "visio"
    return data


# --- Who sees what -------------------------------------------------------------------


def test_a_voter_gets_one_card_per_slot_with_three_choices(client, world):
    client.force_login(world.elu)
    response = client.get(detail(world))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    for s in world.slots:
        assert f'id="slot-{s.pk}"' in content
        assert f'name="slot_{s.pk}"' in content
    assert content.count('class="btn-check"') == 6
    assert "Si nécessaire" in content and "Enregistrer mes réponses" in content
    assert "Qui a répondu quoi" in content
    assert "Choisissez &lt;b&gt;vite&lt;/b&gt;" in content  # escaped
    assert "Retenir ce créneau" not in content


def test_the_organisers_see_the_ranked_slots_and_the_decisions(client, world):
    for user in (world.coordinator, world.trainer):
        client.force_login(user)
        content = client.get(detail(world)).content.decode()
        assert "Meilleurs créneaux" in content
        assert "Retenir ce créneau" in content
        assert "Ajouter des créneaux" in content
        assert "Pas encore de réponse" in content
        assert "Enregistrer mes réponses" not in content


def test_an_observer_reads_the_results_only(client, world):
    client.force_login(world.observer)
    content = client.get(detail(world)).content.decode()
    assert "Qui a répondu quoi" in content
    assert "Retenir ce créneau" not in content
    assert "Enregistrer mes réponses" not in content


def test_anyone_else_gets_404(client, world):
    with scopes_disabled():
        stranger = MembershipFactory().user  # another organisation's coordinator
    pages = [
        detail(world),
        url(world, "poll_add_slots", world.poll.pk),
        url(world, "poll_choose", world.poll.pk, world.slots[0].pk),
        url(world, "poll_cancel", world.poll.pk),
    ]
    for user in (world.outsider, world.other_trainer, stranger):
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)
        response = client.post(
            url(world, "slot_vote", world.poll.pk, world.slots[0].pk),
            {f"slot_{world.slots[0].pk}": "yes"},
        )
        assert response.status_code == 404
    client.force_login(world.elu)
    for page in pages[1:]:
        assert client.get(page).status_code == 404
    assert client.get(url(world, "poll_create", world.session.pk)).status_code == 404
    client.force_login(world.other_trainer)
    assert client.get(url(world, "poll_create", world.session.pk)).status_code == 404
    with scope(organisation=world.organisation.pk):
        assert not Vote.objects.exists()


# --- Answering -----------------------------------------------------------------------


def test_htmx_vote_swaps_the_card(client, world):
    client.force_login(world.elu)
    target = world.slots[1]
    response = client.post(
        url(world, "slot_vote", world.poll.pk, target.pk),
        {f"slot_{target.pk}": "if_needed"},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.strip().startswith(f'<div class="card mb-3" id="slot-{target.pk}"')
    assert "<html" not in content
    assert "Réponse enregistrée : si nécessaire." in content
    assert (
        f'id="slot-{target.pk}-if_needed" value="if_needed" autocomplete="off" checked' in content
    )
    with scope(organisation=world.organisation.pk):
        assert Vote.objects.get(user=world.elu).answer == "if_needed"


def test_a_vote_on_one_slot_works_without_javascript(client, world):
    client.force_login(world.elu)
    target = world.slots[0]
    response = client.post(
        url(world, "slot_vote", world.poll.pk, target.pk), {"answer": "no"}, follow=True
    )
    assert response.redirect_chain == [(detail(world), 302)]
    assert "Réponse enregistrée : non." in response.content.decode()


def test_the_whole_form_saves_every_answer_and_the_comment(client, world):
    client.force_login(world.charge)
    data = {f"slot_{world.slots[0].pk}": "yes", f"slot_{world.slots[1].pk}": "no"}
    response = client.post(
        url(world, "poll_vote", world.poll.pk),
        {**data, "comment": "Le matin <script>"},
        follow=True,
    )
    content = response.content.decode()
    assert "Merci : vos réponses sont enregistrées." in content
    assert "Le matin &lt;script&gt;" in content
    with scope(organisation=world.organisation.pk):
        assert Vote.objects.filter(user=world.charge).count() == 2


def test_a_missing_answer_is_said_next_to_its_slot_and_nothing_is_saved(client, world):
    client.force_login(world.charge)
    response = client.post(
        url(world, "poll_vote", world.poll.pk), {f"slot_{world.slots[0].pk}": "yes"}
    )
    content = response.content.decode()
    missing = world.slots[1].pk
    assert response.status_code == 200
    assert f'aria-describedby="slot-{missing}-error"' in content
    assert f'id="slot-{missing}-error"' in content
    assert "Choisissez oui, si nécessaire ou non." in content
    # What was chosen is kept on the page, nothing is saved.
    assert f'id="slot-{world.slots[0].pk}-yes" value="yes" autocomplete="off" checked' in content
    with scope(organisation=world.organisation.pk):
        assert not Vote.objects.exists()


def test_answers_after_the_closing_are_refused_with_a_message(client, world):
    with scope(organisation=world.organisation.pk):
        DatePoll.objects.filter(pk=world.poll.pk).update(closes_at=timezone.now())
    client.force_login(world.elu)
    data = {f"slot_{world.slots[0].pk}": "yes", f"slot_{world.slots[1].pk}": "no"}
    response = client.post(url(world, "poll_vote", world.poll.pk), data, follow=True)
    assert "Ce sondage est clos : les réponses étaient attendues avant le" in (
        response.content.decode()
    )
    response = client.post(
        url(world, "slot_vote", world.poll.pk, world.slots[0].pk),
        {"answer": "yes"},
        headers={"HX-Request": "true"},
    )
    assert "Ce sondage est clos" in response.content.decode()
    with scope(organisation=world.organisation.pk):
        assert not Vote.objects.exists()


# --- Organiser -----------------------------------------------------------------------


def test_proposing_dates_for_a_session(client, world):
    client.force_login(world.trainer)
    page = url(world, "poll_create", world.session.pk)
    # The session already has an open poll: back to it.
    assert client.get(page).url == detail(world)
    with scope(organisation=world.organisation.pk):
        services.cancel_date_poll(poll=world.poll, acting_user=world.coordinator)
    response = client.get(page)
    assert response.status_code == 200
    assert response.content.decode().count("Créneau ") >= 6
    data = {
        **slot_rows((12, "09:30", "11:30", "visio"), (13, "14:00", "16:00", "visio")),
        "closes_day": day(6).isoformat(),
        "closes_time": "18:00",
        "message": "",
    }
    response = client.post(page, data)
    with scope(organisation=world.organisation.pk):
        poll = DatePoll.objects.get(status="open")
        assert poll.slots.count() == 2
        assert poll.closes_at == at(6, 18)
    assert response.url == url(world, "poll_detail", poll.pk)


def test_proposing_dates_says_what_is_wrong_next_to_the_fields(client, world):
    client.force_login(world.coordinator)
    page = url(world, "poll_create", world.other_session.pk)
    data = {
        **slot_rows((-1, "09:30", "11:30", "visio"), (13, "16:00", "14:00", "visio")),
        "closes_day": day(6).isoformat(),
        "closes_time": "18:00",
    }
    content = client.post(page, data).content.decode()
    assert "Ce créneau est déjà passé." in content
    assert "La fin doit suivre le début." in content
    assert 'aria-describedby="id_slots-0-day_error' in content or "slots-0-day_error" in content
    data = {
        **slot_rows((12, "09:30", "11:30", "visio")),
        "closes_day": day(20).isoformat(),
        "closes_time": "18:00",
    }
    content = client.post(page, data).content.decode()
    assert "Les réponses doivent être closes avant le premier créneau proposé." in content
    assert "id_closes_day_error" in content or "closes_day" in content
    content = client.post(page, {**slot_rows(), "closes_day": day(6).isoformat()}).content
    assert "Proposez au moins un créneau." in content.decode()
    with scope(organisation=world.organisation.pk):
        assert not DatePoll.objects.filter(session=world.other_session).exists()


def test_more_rows_without_javascript(client, world):
    client.force_login(world.coordinator)
    page = url(world, "poll_create", world.other_session.pk)
    data = {**slot_rows((12, "09:30", "11:30", "visio")), "more_rows": "1"}
    content = client.post(page, data).content.decode()
    assert 'name="slots-8-day"' in content
    assert day(12).isoformat() in content
    with scope(organisation=world.organisation.pk):
        assert not DatePoll.objects.filter(session=world.other_session).exists()


def test_launching_polls_for_every_team(client, world):
    client.force_login(world.coordinator)
    page = url(world, "poll_launch_batch", world.programme.pk)
    content = client.get(page).content.decode()
    # The session with an open poll is not offered; the other team's is, preselected.
    assert world.other_session.title in content
    assert world.session.title not in content
    assert f'value="{world.other_session.pk}" id="id_sessions_0" checked' in content
    data = {
        **slot_rows((12, "09:30", "11:30", "visio")),
        "sessions": [world.other_session.pk],
        "closes_day": day(6).isoformat(),
        "closes_time": "18:00",
        "message": "Pour toutes les équipes",
    }
    response = client.post(page, data, follow=True)
    assert "1 sondage lancé" in response.content.decode()
    with scope(organisation=world.organisation.pk):
        poll = DatePoll.objects.get(session=world.other_session)
        assert poll.batch is not None
    client.force_login(world.trainer)
    assert client.get(page).status_code == 404


def test_picking_a_slot_asks_for_confirmation_then_schedules(client, world, mailoutbox):
    client.force_login(world.trainer)
    page = url(world, "poll_choose", world.poll.pk, world.slots[1].pk)
    content = client.get(page).content.decode()
    assert "Retenir ce créneau ?" in content
    with scope(organisation=world.organisation.pk):
        assert DatePoll.objects.get(pk=world.poll.pk).status == "open"
    response = client.post(page, follow=True)
    content = response.content.decode()
    assert "Date retenue : la séance est programmée le" in content
    assert "reçoivent leur convocation" in content
    with scope(organisation=world.organisation.pk):
        session = Session.objects.get(pk=world.session.pk)
        assert session.status == "scheduled"
        assert session.starts_at == world.slots[1].starts_at
    assert world.elu.email in {message.to[0] for message in mailoutbox}


def test_a_refused_pick_comes_back_with_the_reason(client, world):
    with scope(organisation=world.organisation.pk):
        Session.objects.filter(pk=world.session.pk).update(visio_url="")
    client.force_login(world.coordinator)
    page = url(world, "poll_choose", world.poll.pk, world.slots[0].pk)
    response = client.post(page, follow=True)
    assert "pas encore de lien de visio" in response.content.decode()
    with scope(organisation=world.organisation.pk):
        assert DatePoll.objects.get(pk=world.poll.pk).status == "open"


def test_adding_slots_and_abandoning(client, world):
    client.force_login(world.coordinator)
    page = url(world, "poll_add_slots", world.poll.pk)
    assert client.get(page).status_code == 200
    response = client.post(
        page,
        {**slot_rows((15, "09:30", "11:30", "presentiel")), "closes_day": "", "closes_time": ""},
        follow=True,
    )
    assert "1 créneau ajouté" in response.content.decode()
    with scope(organisation=world.organisation.pk):
        assert world.poll.slots.count() == 3
    assert (
        "Abandonner le sondage ?"
        in client.get(url(world, "poll_cancel", world.poll.pk)).content.decode()
    )
    response = client.post(url(world, "poll_cancel", world.poll.pk), follow=True)
    assert "Sondage abandonné" in response.content.decode()
    with scope(organisation=world.organisation.pk):
        assert DatePoll.objects.get(pk=world.poll.pk).status == "cancelled"


# --- Lists and panels ----------------------------------------------------------------


def test_the_programme_tab_lists_the_polls(client, world):
    client.force_login(world.coordinator)
    content = client.get(url(world, "poll_list", world.programme.pk)).content.decode()
    assert world.session.title in content
    assert "0 sur 3" in content
    assert "Lancer les sondages pour toutes les équipes" in content
    assert ">Sondages</a>" in content  # the tab
    client.force_login(world.elu)
    assert client.get(url(world, "poll_list", world.programme.pk)).status_code == 404


def test_my_polls_and_the_home_panel(client, world):
    client.force_login(world.elu)
    content = client.get(url(world, "my_polls")).content.decode()
    assert world.session.title in content and "Réponse attendue" in content
    home = client.get(reverse("organisations:home", args=[world.organisation.slug]))
    assert "Sondages de date" in home.content.decode()
    assert detail(world) in home.content.decode()
    client.force_login(world.outsider)
    assert world.session.title not in client.get(url(world, "my_polls")).content.decode()
    with scope(organisation=world.organisation.pk):
        for s in world.slots:
            services.vote_on_slot(slot=s, user=world.elu, answer="yes")
    client.force_login(world.elu)
    home = client.get(reverse("organisations:home", args=[world.organisation.slug]))
    assert "Sondages de date" not in home.content.decode()


def test_the_session_page_shows_the_poll_or_proposes_dates(client, world):
    client.force_login(world.elu)
    page = url(world, "parcours:session_detail", world.session.pk)
    assert "Donner mes disponibilités" in client.get(page).content.decode()
    client.force_login(world.coordinator)
    content = client.get(
        url(world, "parcours:session_detail", world.other_session.pk)
    ).content.decode()
    assert "Proposer des dates" in content
    assert url(world, "poll_create", world.other_session.pk) in content


# --- Query counts --------------------------------------------------------------------


def test_poll_page_queries_do_not_grow_with_the_voters(client, world):
    client.force_login(world.coordinator)

    def add_voters(count):
        with scope(organisation=world.organisation.pk):
            for _ in range(count):
                user = UserFactory()
                TeamMemberFactory(team=world.team, user=user, role=world.roles[2])
                for s in world.slots:
                    VoteFactory(slot=s, user=user, answer="yes")

    assert_constant_queries(client, detail(world), add_voters)


def test_poll_list_queries_do_not_grow_with_the_polls(client, world):
    client.force_login(world.coordinator)

    def add_polls(count):
        with scope(organisation=world.organisation.pk):
            for _ in range(count):
                team = TeamFactory(cohort=world.cohort)
                member = TeamMemberFactory(team=team, role=world.roles[0])
                session = SessionFactory(
                    programme=world.programme,
                    kind=world.individual_kind,
                    audience="team",
                    teams=[team],
                    status="tentative",
                )
                poll = DatePollFactory(session=session)
                VoteFactory(slot=poll.slots.first(), user=member.user)

    assert_constant_queries(client, url(world, "poll_list", world.programme.pk), add_polls)


def test_every_team_answers_a_cohort_session_poll(client, world):
    with scope(organisation=world.organisation.pk):
        session = SessionFactory(programme=world.programme, kind=world.kind, tentative=True)
        poll = DatePollFactory(session=session, slots=0)
        SlotFactory(poll=poll)
    client.force_login(world.outsider)
    response = client.get(url(world, "poll_detail", poll.pk))
    assert response.status_code == 200
    assert "Mes disponibilités" in response.content.decode()


# --- Calendar sense -------------------------------------------------------------------


def next_holiday(after_days: int = 12):
    """The next French public holiday at least ``after_days`` days ahead, as a number
    of days from today, with its warning."""
    for days in range(after_days, after_days + 400):
        if holiday_name(day(days)):
            return days, holiday_warnings([day(days)])[0]
    raise AssertionError("no holiday within a year")


def test_a_slot_on_a_public_holiday_is_proposed_with_a_warning(client, world):
    days, warning = next_holiday()
    assert warning.startswith("Le ") and "est un jour férié (" in warning
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "poll_add_slots", world.poll.pk),
        {**slot_rows((days, "09:30", "11:30", "visio")), "closes_day": "", "closes_time": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "1 créneau ajouté" in page
    assert warning in page
    # The slot's row says it too, for the organiser and on the voters' cards.
    badge = '<span class="badge text-bg-warning">Jour férié ('
    assert page.count(badge) == 1
    client.force_login(world.elu)
    assert client.get(detail(world)).content.decode().count(badge) == 1
    with scope(organisation=world.organisation.pk):
        assert world.poll.slots.count() == 3


def test_proposing_dates_warns_of_a_holiday(client, world):
    days, warning = next_holiday()
    client.force_login(world.coordinator)
    with scope(organisation=world.organisation.pk):
        services.cancel_date_poll(poll=world.poll, acting_user=world.coordinator)
    data = {
        **slot_rows((days, "09:30", "11:30", "visio"), (days + 1, "14:00", "16:00", "visio")),
        "closes_day": day(6).isoformat(),
        "closes_time": "18:00",
        "message": "",
    }
    response = client.post(url(world, "poll_create", world.session.pk), data, follow=True)
    assert warning in response.content.decode()


def test_ordinary_slots_have_no_holiday_warning(client, world):
    client.force_login(world.coordinator)
    page = client.get(detail(world)).content.decode()
    days = [10, 11]
    if not any(holiday_name(day(n)) for n in days):
        assert "jour férié" not in page and "Jour férié" not in page
