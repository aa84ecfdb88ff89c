"""Convocations follow people: whoever becomes expected at a session of a published
programme (joining a team, replacing a member, registering, added to its audience) is
convened to it, once per version; each sending is recorded (``Convocation``) and a
coordinator sees who was convened when and sends a convocation again."""

from types import SimpleNamespace

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from notifications.models import OutboxMessage
from organisations.models import AuditEntry
from parcours import services
from parcours.models import Convocation, Session
from parcours.reminders import SessionReminderRule
from parcours.services import convocations
from tests.factories import MembershipFactory, TeamMemberFactory, UserFactory
from tests.parcours.test_notices import (
    all_members,
    attached_calendar,
    make_world,
    new_session,
    paris,
    recipients,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world(published=True)


@pytest.fixture
def draft_world():
    return make_world(published=False)


def uids(message) -> set[str]:
    return {str(event["UID"]) for event in attached_calendar(message).walk("VEVENT")}


def join(world, user, team=None):
    """``user`` accepts an invitation to ``team`` (the first one by default)."""
    with scope(organisation=world.organisation.pk):
        team = team or world.teams[0]
        invitation = services.invite_to_team(
            team=team, acting_user=world.coordinator, email=user.email
        )
        return services.accept_team_invitation(invitation=invitation, acting_user=user)


def rows(**filters):
    with scopes_disabled():
        return list(
            Convocation.objects.filter(**filters).order_by("session__starts_at", "user_id", "pk")
        )


# --- Who gets one --------------------------------------------------------------------


def test_a_member_joining_after_publication_gets_one_calendar_of_their_sessions(world, mailoutbox):
    with scope(organisation=world.organisation.pk):
        team, other_team = world.teams
    past = new_session(world, title="Lancement")
    first = new_session(
        world,
        title="Formation J1",
        starts_at=paris(2027, 4, 1, 9, 30),
        ends_at=paris(2027, 4, 1, 17),
    )
    second = new_session(
        world,
        title="Formation J2",
        starts_at=paris(2027, 5, 6, 9, 30),
        ends_at=paris(2027, 5, 6, 17),
    )
    cancelled = new_session(
        world, title="COPIL", starts_at=paris(2027, 6, 3, 14), ends_at=paris(2027, 6, 3, 16)
    )
    others = new_session(
        world,
        title="Accompagnement de l'autre équipe",
        audience=Session.Audience.TEAM,
        teams=[other_team],
        kind=world.individual_kind,
        starts_at=paris(2027, 6, 10, 14),
        ends_at=paris(2027, 6, 10, 16),
    )
    tentative = new_session(
        world,
        title="Voyage apprenant",
        status=Session.Status.TENTATIVE,
        starts_at=paris(2027, 9, 9, 9),
        ends_at=paris(2027, 9, 9, 17),
    )
    with scope(organisation=world.organisation.pk):
        services.cancel_session(session=cancelled, acting_user=world.coordinator)
    mailoutbox.clear()
    newcomer = UserFactory(first_name="Léa", last_name="Martin")

    with time_machine.travel(paris(2027, 3, 10, 12), tick=False):
        join(world, newcomer, team)

    convened = [m for m in mailoutbox if m.to == [newcomer.email]]
    assert len(convened) == 2  # the invitation, then one calendar
    invitation, message = convened
    assert invitation.subject.startswith("Invitation à rejoindre")
    assert message.subject == "Votre calendrier du parcours Gouvernance des PAT"
    assert uids(message) == {f"{first.uid}@sillon", f"{second.uid}@sillon"}
    assert "vous convie aux séances à venir" in message.body
    for absent in (past, cancelled, others, tentative):
        assert absent.title not in message.body
    # Nobody else was told anything.
    assert recipients(mailoutbox) == sorted([newcomer.email, newcomer.email])
    recorded = rows(user=newcomer)
    assert [(row.session_id, row.kind) for row in recorded] == [
        (first.pk, Convocation.Kind.DIGEST),
        (second.pk, Convocation.Kind.DIGEST),
    ]
    with scopes_disabled():
        outbox = OutboxMessage.objects.get(recipient=newcomer, kind="programme.calendar")
    assert {row.outbox_message_id for row in recorded} == {outbox.pk}
    assert {row.sent_at for row in recorded} == {paris(2027, 3, 10, 12)}


def test_joining_with_one_session_to_come_gets_its_convocation(world, mailoutbox):
    session = new_session(world, title="Formation J1")
    mailoutbox.clear()
    newcomer = UserFactory()

    join(world, newcomer)

    (message,) = [m for m in mailoutbox if m.subject.startswith("Convocation")]
    assert message.to == [newcomer.email]
    assert message.subject == "Convocation : Formation J1 — jeudi 4 mars 2027"
    assert uids(message) == {f"{session.uid}@sillon"}
    (row,) = rows(user=newcomer)
    assert (row.session_id, row.kind, row.sequence) == (session.pk, "convocation", 0)


def test_nobody_is_convened_before_publication_then_the_calendar_includes_the_newcomer(
    draft_world, mailoutbox
):
    world = draft_world
    session = new_session(world)
    newcomer = UserFactory()
    with scope(organisation=world.organisation.pk):
        services.add_team_member(
            team=world.teams[0], acting_user=world.coordinator, user=newcomer, role=None
        )
    assert mailoutbox == []
    assert rows() == []

    with scope(organisation=world.organisation.pk):
        services.publish_programme(programme=world.programme, acting_user=world.coordinator)

    assert newcomer.email in recipients(mailoutbox)
    people = all_members(world) | {world.trainer, newcomer}
    recorded = rows(session=session)
    assert sorted(row.user_id for row in recorded) == sorted(person.pk for person in people)
    assert {row.kind for row in recorded} == {Convocation.Kind.DIGEST}


def test_a_replacement_is_convened(world, mailoutbox):
    session = new_session(world)
    mailoutbox.clear()
    successor = UserFactory()
    with scope(organisation=world.organisation.pk):
        leaving = world.teams[0].members.first()
        services.replace_team_member(member=leaving, acting_user=world.coordinator, user=successor)

    assert recipients(mailoutbox) == [successor.email]
    assert [row.session_id for row in rows(user=successor)] == [session.pk]


def test_registering_to_an_open_session_convenes(world, mailoutbox):
    session = new_session(world, title="Séminaire", audience=Session.Audience.OPEN)
    assert recipients(mailoutbox) == [world.trainer.email]
    mailoutbox.clear()
    with scope(organisation=world.organisation.pk):
        person = world.teams[0].members.first().user

        services.register_to_session(session=session, user=person)
        services.register_to_session(session=session, user=person)  # already registered

    (message,) = mailoutbox
    assert message.to == [person.email]
    assert message.subject.startswith("Convocation : Séminaire")
    assert "Vous êtes inscrit·e à cette séance." in message.body
    assert [row.user_id for row in rows(session=session, kind="convocation")] == sorted(
        [world.trainer.pk, person.pk]
    )


def test_widening_a_sessions_audience_convenes_only_the_new_people(world, mailoutbox):
    with scope(organisation=world.organisation.pk):
        team, other_team = world.teams
    session = new_session(
        world,
        format="presentiel",
        visio_url="",
        place="Hôtel de Région, Lille",
        audience=Session.Audience.TEAMS,
        teams=[team],
    )
    mailoutbox.clear()

    with scope(organisation=world.organisation.pk):
        services.update_session(
            session=session,
            acting_user=world.coordinator,
            teams=[team, other_team],
            place="Maison de l'agriculture, Arras",
        )

    old = {*world.members[team.pk].values(), world.trainer}
    new = set(world.members[other_team.pk].values())
    by_subject = {}
    for message in mailoutbox:
        by_subject.setdefault(message.subject.split(" :")[0], []).extend(message.to)
    assert sorted(by_subject["Changement"]) == sorted(person.email for person in old)
    assert sorted(by_subject["Convocation"]) == sorted(person.email for person in new)
    recorded = rows(session=session)
    assert {row.user_id for row in recorded if row.sequence == 1} == {p.pk for p in new}


def test_the_expected_role_changed_convenes_the_people_of_that_role(world, mailoutbox):
    with scope(organisation=world.organisation.pk):
        elected_role, officer_role = world.roles[0], world.roles[1]
    session = new_session(
        world, expected_presence=Session.Presence.ONE_ROLE, expected_role=elected_role
    )
    mailoutbox.clear()

    with scope(organisation=world.organisation.pk):
        services.update_session(
            session=session, acting_user=world.coordinator, expected_role=officer_role
        )

    officers = [members["Chargé·e de mission"] for members in world.members.values()]
    assert recipients(mailoutbox) == sorted(person.email for person in officers)


def test_no_second_convocation_in_one_transaction(world, mailoutbox):
    newcomer = UserFactory()
    with transaction.atomic(), scope(organisation=world.organisation.pk):
        session = new_session(world)
        services.add_team_member(
            team=world.teams[0], acting_user=world.coordinator, user=newcomer, role=None
        )
        convocations.convene_session(session)
        convocations.convene_newcomer(user=newcomer, programme=world.programme)

    people = all_members(world) | {world.trainer, newcomer}
    assert recipients(mailoutbox) == sorted(person.email for person in people)
    assert len(rows(session=session)) == len(people)


def test_a_person_who_turned_convocations_off_is_not_recorded(world, mailoutbox):
    from notifications import services as notification_services
    from notifications.models import Category, Channel

    quiet = UserFactory()
    notification_services.set_preference(
        user=quiet, category=Category.CONVOCATIONS, channel=Channel.OFF
    )
    new_session(world)
    mailoutbox.clear()

    join(world, quiet)

    (invitation,) = mailoutbox
    assert invitation.subject.startswith("Invitation")
    assert rows(user=quiet) == []


# --- What it says --------------------------------------------------------------------


def test_the_convocation_and_the_reminder_state_hours_place_trainers_and_requirement(
    world, mailoutbox
):
    session = new_session(
        world,
        title="Formation J1-J2",
        format="presentiel",
        visio_url="",
        place="Hôtel de Région,\n151 avenue du Président Hoover, Lille",
        starts_at=paris(2027, 3, 4, 9, 30),
        ends_at=paris(2027, 3, 5, 17, 0),
        expected_presence=Session.Presence.WHOLE_TEAM_REQUIRED,
    )
    with scope(organisation=world.organisation.pk):
        member = world.teams[0].members.first().user
    (message,) = [m for m in mailoutbox if m.to == [member.email]]
    body = message.body
    assert "Présence : Présence de toute l'équipe indispensable." in body
    trainer = world.trainer.get_full_name()
    assert f"Intervenant·es : {trainer}" in body
    assert "Lieu : Hôtel de Région, 151 avenue du Président Hoover, Lille" in body
    assert "- jeudi 4 mars 2027 : 9 h 30 – 12 h 30 · 13 h 30 – 17 h" in body
    assert "- vendredi 5 mars 2027 : 9 h 30 – 12 h 30 · 13 h 30 – 17 h" in body
    assert "2 jours · 13 h" in body
    assert "Présence de toute l&#x27;équipe indispensable." in message.alternatives[0][0]

    with scopes_disabled():
        loaded = (
            Session.objects.select_related("organisation", "programme", "kind", "expected_role")
            .prefetch_related("days")
            .get(pk=session.pk)
        )
    email = SessionReminderRule().build_email(
        world.organisation, [SimpleNamespace(subject=loaded, offset=7)]
    )(member)
    assert "Présence : Présence de toute l'équipe indispensable." in email.text
    assert f"Intervenant·es : {trainer}" in email.text
    assert "- jeudi 4 mars 2027 : 9 h 30 – 12 h 30 · 13 h 30 – 17 h" in email.text
    assert "Hôtel de Région" in email.html and trainer in email.html


def test_the_wished_presence_the_expected_role_and_the_visio_link(world, mailoutbox):
    with scope(organisation=world.organisation.pk):
        officer_role = world.roles[1]
    new_session(world, title="Webinaire")
    body = mailoutbox[0].body
    assert "Présence de toute l'équipe souhaitable." in body
    assert "Visio : https://visio.exemple.fr/formation" in body
    assert "Horaires" not in body  # one day: its hours are in « Quand »
    mailoutbox.clear()
    new_session(
        world,
        title="Groupe des chargé·es",
        expected_presence=Session.Presence.ONE_ROLE,
        expected_role=officer_role,
    )
    assert "Présence attendue : Chargé·e de mission." in mailoutbox[0].body


# --- Resending -----------------------------------------------------------------------


def page_url(world, session) -> str:
    return reverse("parcours:session_convocations", args=[world.organisation.slug, session.pk])


@pytest.fixture
def quiet_world(draft_world):
    """A published programme whose session nobody was convened to (published without
    notice)."""
    world = draft_world
    world.session = new_session(world)
    with scope(organisation=world.organisation.pk):
        services.publish_programme(
            programme=world.programme, acting_user=world.coordinator, notify=False
        )
    return world


def test_the_coordinator_sees_who_was_never_convened_and_resends_to_everyone(
    client, quiet_world, mailoutbox
):
    world = quiet_world
    client.force_login(world.coordinator)
    response = client.get(page_url(world, world.session))
    assert response.status_code == 200
    html = response.content.decode()
    people = all_members(world) | {world.trainer}
    assert html.count("jamais convoqué·e") == len(people)

    response = client.post(page_url(world, world.session), {"personne": "tous"}, follow=True)

    assert f"Convocation renvoyée à {len(people)} personnes." in response.content.decode()
    assert recipients(mailoutbox) == sorted(person.email for person in people)
    assert "vous renvoie votre convocation" in mailoutbox[0].body
    assert {row.kind for row in rows(session=world.session)} == {Convocation.Kind.RESENT}
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="parcours.convocation.resent")
    assert entry.actor == world.coordinator
    html = client.get(page_url(world, world.session)).content.decode()
    assert "jamais convoqué·e" not in html


def test_the_coordinator_resends_to_one_person(client, quiet_world, mailoutbox):
    world = quiet_world
    with scope(organisation=world.organisation.pk):
        person = world.teams[0].members.first().user
    client.force_login(world.coordinator)

    response = client.post(page_url(world, world.session), {"personne": person.pk}, follow=True)

    name = person.get_full_name()
    assert f"Convocation renvoyée à {name}." in response.content.decode()
    assert recipients(mailoutbox) == [person.email]
    (row,) = rows(session=world.session)
    assert row.user_id == person.pk
    html = client.get(page_url(world, world.session)).content.decode()
    assert html.count("jamais convoqué·e") == len(all_members(world))  # others + trainer


def test_someone_not_expected_is_not_found(client, quiet_world, mailoutbox):
    world = quiet_world
    stranger = UserFactory()
    client.force_login(world.coordinator)
    url = page_url(world, world.session)
    assert client.post(url, {"personne": stranger.pk}).status_code == 404
    assert client.post(url, {"personne": "x"}).status_code == 404
    assert mailoutbox == []


def test_a_past_session_cannot_be_resent(client, world, mailoutbox):
    session = new_session(world)
    mailoutbox.clear()
    with time_machine.travel(paris(2027, 3, 5, 9), tick=False):
        client.force_login(world.coordinator)
        response = client.post(page_url(world, session), {"personne": "tous"}, follow=True)
    assert "Seule une séance programmée, à venir" in response.content.decode()
    assert mailoutbox == []


@pytest.mark.parametrize("who", ["trainer", "member", "other_coordinator"])
def test_only_the_coordinator_reaches_the_page(client, quiet_world, mailoutbox, who):
    world = quiet_world
    with scope(organisation=world.organisation.pk):
        member = world.teams[0].members.first().user
    user = {
        "trainer": world.trainer,
        "member": member,
        "other_coordinator": MembershipFactory(coordinator=True).user,
    }[who]
    client.force_login(user)
    url = page_url(world, world.session)
    assert client.get(url).status_code == 404
    assert client.post(url, {"personne": "tous"}).status_code == 404
    assert mailoutbox == []


def test_the_session_page_links_to_the_convocations_for_coordinators(client, quiet_world):
    world = quiet_world
    detail = reverse("parcours:session_detail", args=[world.organisation.slug, world.session.pk])
    client.force_login(world.coordinator)
    assert page_url(world, world.session) in client.get(detail).content.decode()
    client.force_login(world.trainer)
    assert page_url(world, world.session) not in client.get(detail).content.decode()


def test_the_page_runs_a_constant_number_of_queries(client, quiet_world):
    world = quiet_world
    with scope(organisation=world.organisation.pk):
        team = world.teams[0]
    client.force_login(world.coordinator)

    def add_rows(count):
        with scope(organisation=world.organisation.pk):
            for _ in range(count):
                member = TeamMemberFactory(team=team, role=None)
                convocations.convene_session(world.session, only={member.user_id})

    assert_constant_queries(client, page_url(world, world.session), add_rows)
