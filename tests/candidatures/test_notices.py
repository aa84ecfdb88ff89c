"""The e-mails of the call for applications: the services call ``candidatures.notices``
inside their transaction (called directly here, as they do), which writes the outbox,
and Celery (eager in tests) delivers to ``mailoutbox`` after commit. Also the team
invitation of a selected application (``parcours.notices``).

People invited by e-mail may have no account: their message goes to the address typed,
with no in-app notification; an address that bounced is not written to again and the
coordinator's pages learn it from ``notifications.services.suppressed_among``."""

import io
from datetime import datetime
from email.message import MIMEPart
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from candidatures import notices
from candidatures.models import Application
from notifications import services
from notifications.models import Category, Channel, Notification, OutboxMessage, SuppressedAddress
from notifications.services import suppressed_among
from parcours import notices as parcours_notices
from parcours.models import TeamInvitation
from sillon.mail import absolute_url
from tests.factories import (
    ApplicationMemberFactory,
    CallFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    build_application,
    build_programme,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
CLOSES_AT = datetime(2026, 6, 30, 12, 0, tzinfo=PARIS)
SUBMITTED_AT = datetime(2026, 6, 18, 16, 45, tzinfo=PARIS)


@pytest.fixture
def world():
    """A published call (closing on 30 June 2026 at noon) of a programme with the
    trinôme roles; an application by Léa Martin with Karim Benali who joined and Anne
    Leroy, invited, who has no account."""
    with scopes_disabled():
        built = build_programme(teams=0, name="Gouvernance des PAT")
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True, user__first_name="Claire"
        ).user
        built.call = CallFactory(
            cohort=built.cohort,
            published=True,
            title="AMI Gouvernance des PAT 2026",
            opens_at=datetime(2026, 6, 1, 9, 0, tzinfo=PARIS),
            closes_at=CLOSES_AT,
        )
        built.lead = UserFactory(
            first_name="Léa", last_name="Martin", email="lea.martin@cc.example"
        )
        built.application = build_application(
            call=built.call,
            lead=built.lead,
            complete=False,
            territory__name="Val de Sambre",
        )
        built.joined = UserFactory(
            first_name="Karim", last_name="Benali", email="karim.benali@cc.example"
        )
        built.joined_member = ApplicationMemberFactory(
            application=built.application,
            first_name="Karim",
            last_name="Benali",
            email=built.joined.email,
            role=built.roles[1],
            user=built.joined,
            joined_at=timezone.now(),
        )
        built.invited = ApplicationMemberFactory(
            application=built.application,
            first_name="Anne",
            last_name="Leroy",
            email="Anne.Leroy@cc.example",
            function="Responsable du service restauration",
            role=built.roles[2],
        )
    return built


def send(world, notice, **kwargs):
    """Call ``notice`` the way a service does: in the organisation's scope, inside the
    service's transaction."""
    with scope(organisation=world.organisation.pk), transaction.atomic():
        notice(**kwargs)


def outbox_rows(kind=None):
    with scopes_disabled():
        rows = OutboxMessage.objects.order_by("pk")
        if kind:
            rows = rows.filter(kind=kind)
        return list(rows)


def notifications_of(user):
    with scopes_disabled():
        return list(Notification.objects.filter(user=user))


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def by_address(mailoutbox) -> dict:
    return {message.to[0]: message for message in mailoutbox}


def mark_submitted(world, application=None):
    application = application or world.application
    with scopes_disabled():
        Application.objects.filter(pk=application.pk).update(
            status="submitted", submitted_at=SUBMITTED_AT
        )
        application.refresh_from_db()
    return application


# --- Co-filling invitation ------------------------------------------------------------


def test_a_person_without_an_account_is_invited_to_complete_the_application(world, mailoutbox):
    send(world, notices.send_member_invitation, member=world.invited, acting_user=world.lead)

    (message,) = mailoutbox
    assert message.to == ["Anne.Leroy@cc.example"]
    assert (
        message.subject == "Invitation à compléter une candidature — AMI Gouvernance des PAT 2026"
    )
    join = reverse(
        "candidatures:application_join",
        kwargs={
            "organisation_slug": world.organisation.slug,
            "call_slug": world.call.slug,
            "token": world.invited.token,
        },
    )
    for body in (message.body, html_of(message)):
        assert "Bonjour Anne," in body
        assert "Léa Martin vous propose dans l’équipe d’une candidature" in body
        assert "Val de Sambre" in body
        assert "Responsable de service" in body  # the role proposed
        assert "mardi 30 juin 2026 à 12 h" in body  # the deadline, on Paris time
        assert absolute_url(join) in body
        assert world.organisation.name in body
    (row,) = outbox_rows()
    assert row.recipient is None
    assert row.to_email == "Anne.Leroy@cc.example"
    assert (row.category, row.kind) == (Category.REQUESTS, "application.invitation")
    assert row.status == OutboxMessage.Status.SENT
    assert row.url == join
    with scopes_disabled():
        assert not Notification.objects.exists()  # nobody to show it to in the app


def test_an_invitation_to_a_bounced_address_is_not_sent_and_the_coordinator_can_know(
    world, mailoutbox
):
    SuppressedAddress.objects.create(email="anne.leroy@cc.example", reason="bounced")

    send(world, notices.send_member_invitation, member=world.invited, acting_user=world.lead)

    assert mailoutbox == []
    (row,) = outbox_rows()
    assert row.status == OutboxMessage.Status.SUPPRESSED
    assert row.to_email == "Anne.Leroy@cc.example"
    # What the coordinator's and the lead's pages ask (one query, any case).
    with CaptureQueriesContext(connection) as queries:
        found = suppressed_among(["Anne.Leroy@cc.example", "lea.martin@cc.example", ""])
    assert found == {"anne.leroy@cc.example"}
    assert len(queries) == 1
    assert suppressed_among([]) == set()


def test_an_invitation_bounced_by_the_provider_is_reported(world, mailoutbox):
    from anymail.signals import AnymailTrackingEvent, tracking

    send(world, notices.send_member_invitation, member=world.invited, acting_user=world.lead)
    assert suppressed_among([world.invited.email]) == set()

    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(
            event_type="bounced", recipient="anne.leroy@cc.example", description="550 inconnu"
        ),
        esp_name="Test",
    )

    assert suppressed_among([world.invited.email]) == {"anne.leroy@cc.example"}
    (row,) = outbox_rows()
    assert row.status == OutboxMessage.Status.BOUNCED


# --- Submission -----------------------------------------------------------------------


def test_the_lead_and_each_joined_member_get_the_confirmation_with_the_receipt(world, mailoutbox):
    application = mark_submitted(world)
    with scopes_disabled():
        # Karim chose « rien » for his team's news: a receipt is sent all the same.
        services.set_preference(user=world.joined, category=Category.TEAM_NEWS, channel=Channel.OFF)

    send(
        world, notices.send_submission_confirmation, application=application, acting_user=world.lead
    )

    messages = by_address(mailoutbox)
    # Anne has not joined yet: she is not told (her invitation already went).
    assert sorted(messages) == ["karim.benali@cc.example", "lea.martin@cc.example"]
    lea = messages["lea.martin@cc.example"]
    assert lea.subject == "Candidature déposée — Val de Sambre — AMI Gouvernance des PAT 2026"
    assert "Bonjour Léa," in lea.body
    assert "a bien été déposée le jeudi 18 juin 2026 à 16 h 45" in lea.body
    assert "Anne Leroy — Responsable de service" in lea.body
    assert "Anne Leroy — Responsable de service" in html_of(lea)
    for message in messages.values():
        (part,) = [p for p in message.attachments if isinstance(p, MIMEPart)]
        assert part.get_content_type() == "application/pdf"
        assert part.get_filename() == "recepisse-candidature-val-de-sambre.pdf"
        content = part.get_content()
        assert content.startswith(b"%PDF-")
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert "Récépissé de dépôt" in text
    assert "Anne Leroy" in text
    rows = outbox_rows("application.submitted")
    assert {row.category for row in rows} == {Category.TEAM_NEWS}
    assert {row.recipient_id for row in rows} == {world.lead.pk, world.joined.pk}
    assert len(notifications_of(world.lead)) == 1


# --- Decisions ------------------------------------------------------------------------


def decide(application, decision, reasons=""):
    with scopes_disabled():
        Application.objects.filter(pk=application.pk).update(
            status="decided", decision=decision, decision_reasons=reasons
        )
        application.refresh_from_db()
    return application


def test_each_applicant_gets_the_email_of_their_decision(world, mailoutbox):
    selected = decide(world.application, "selected")
    with scopes_disabled():
        waiting = decide(build_application(call=world.call, complete=False), "waiting_list")
        rejected = decide(
            build_application(call=world.call, complete=False),
            "not_selected",
            "Le projet ne concerne pas encore l’alimentation.\nLa gouvernance reste à préciser.",
        )

    send(
        world,
        notices.send_decisions,
        applications=[selected, waiting, rejected],
        acting_user=world.coordinator,
    )

    messages = by_address(mailoutbox)
    # Léa, Karim and Anne (no account: at the address typed); one lead for each other
    # application.
    assert len(mailoutbox) == 5
    for address in ("lea.martin@cc.example", "karim.benali@cc.example", "Anne.Leroy@cc.example"):
        message = messages[address]
        assert message.subject.startswith("Candidature retenue — Val de Sambre")
        assert "Félicitations" in message.body
        assert "dans un message séparé, une invitation à rejoindre l’équipe" in message.body
        assert "signe ensuite l’engagement" in html_of(message)
    assert "Bonjour Anne," in messages["Anne.Leroy@cc.example"].body
    waiting_message = messages[waiting.created_by.email]
    assert waiting_message.subject.startswith("Candidature sur liste d’attente")
    assert "Si une place se libère" in waiting_message.body
    rejected_message = messages[rejected.created_by.email]
    assert rejected_message.subject.startswith("Candidature non retenue")
    assert "Les motifs de la décision" in rejected_message.body
    assert "Le projet ne concerne pas encore l’alimentation." in rejected_message.body
    assert "La gouvernance reste à préciser." in html_of(rejected_message)
    assert {row.kind for row in outbox_rows()} == {
        "application.selected",
        "application.waiting_list",
        "application.not_selected",
    }
    assert {row.category for row in outbox_rows()} == {Category.TEAM_NEWS}


def test_announcing_runs_the_same_queries_for_2_or_8_applications(world):
    def count(applications):
        with (
            scope(organisation=world.organisation.pk),
            transaction.atomic(),
            CaptureQueriesContext(connection) as queries,
        ):
            notices.send_decisions(applications=applications, acting_user=None)
        return len(queries)

    with scopes_disabled():
        applications = [
            decide(
                build_application(call=world.call, roles=world.roles[:2]),
                "selected" if index % 2 else "not_selected",
            )
            for index in range(8)
        ]
    count(applications[:2])  # warm what is cached once (content types…)
    few = count(applications[:2])
    assert few == count(applications)
    assert few <= 12


def test_announcing_nothing_sends_nothing(world, mailoutbox):
    send(world, notices.send_decisions, applications=[], acting_user=None)
    assert mailoutbox == []


# --- Team invitation -------------------------------------------------------------------


def test_an_invited_person_gets_the_link_to_join_the_team(world, mailoutbox):
    with scopes_disabled():
        team = TeamFactory(cohort=world.cohort, name="PAT du Val de Sambre")
        invitation = TeamInvitation.objects.create(
            organisation=world.organisation,
            team=team,
            role=world.roles[0],
            email="elu@cc.example",
            first_name="Élise",
            last_name="Dupont",
            invited_by=world.coordinator,
        )

    send(
        world,
        parcours_notices.send_team_invitation,
        invitation=invitation,
        acting_user=world.coordinator,
    )

    (message,) = mailoutbox
    assert message.to == ["elu@cc.example"]
    assert message.subject == (
        "Invitation à rejoindre l’équipe PAT du Val de Sambre — Gouvernance des PAT"
    )
    accept = reverse("team_invitation_accept", kwargs={"token": invitation.token})
    for body in (message.body, html_of(message)):
        assert "Bonjour Élise," in body
        assert "Élu·e référent·e" in body
        assert "Gouvernance des PAT" in body
        assert absolute_url(accept) in body
        assert "signez l’engagement du parcours" in body
    assert "Accepter l’invitation" in html_of(message)
    (row,) = outbox_rows()
    assert (row.recipient, row.kind, row.category) == (None, "team.invitation", "requests")


# --- Sending to an address ---------------------------------------------------------------


def test_an_address_delivery_ignores_preferences_and_a_user_delivery_may_name_the_address(
    world, mailoutbox
):
    with scopes_disabled():
        services.set_preference(
            user=world.lead, category=Category.REMINDERS, channel=Channel.DIGEST
        )

    def build(user):
        return services.Email(subject="Essai", text=f"Pour {user or 'une adresse'}")

    with scope(organisation=world.organisation.pk), transaction.atomic():
        services.send_batch(
            organisation=world.organisation,
            deliveries=[
                services.Delivery(None, build, "/", email="sans.compte@cc.example"),
                services.Delivery(world.lead, build, "/", email="lea@autre.example"),
                services.Delivery(None, build, "/"),  # no address at all: nothing written
            ],
            kind="test",
            category=Category.REMINDERS,
            unsubscribe=True,
        )

    rows = outbox_rows()
    assert [(row.to_email, row.status) for row in rows] == [
        ("sans.compte@cc.example", OutboxMessage.Status.SENT),  # no preference to follow
        ("lea@autre.example", OutboxMessage.Status.HELD),  # Léa's digest preference holds
    ]
    assert rows[0].headers == {}  # no one-click unsubscribe without an account
    assert "List-Unsubscribe" in rows[1].headers
    assert [message.to for message in mailoutbox] == [["sans.compte@cc.example"]]
    assert [n.user for n in notifications_of(world.lead)] == [world.lead]


def test_every_member_gets_the_decision_and_no_one_else(world, mailoutbox):
    """The acknowledgement promised it: each person of the application hears of the
    decision, with an account or not, once each; the people of another application
    do not receive this one."""
    selected = decide(world.application, "selected")
    with scopes_disabled():
        other = build_application(call=world.call, complete=True, territory__name="Autre PAT")
        other_addresses = {member.email for member in other.members.all()}

    send(world, notices.send_decisions, applications=[selected], acting_user=world.coordinator)

    addresses = sorted(message.to[0] for message in mailoutbox)
    assert addresses == sorted(
        ["lea.martin@cc.example", "karim.benali@cc.example", "Anne.Leroy@cc.example"]
    )
    assert not other_addresses & set(addresses)
    rows = outbox_rows("application.selected")
    anne = next(row for row in rows if row.to_email == "Anne.Leroy@cc.example")
    assert anne.recipient_id is None
    # No account, no bell; the others get their in-app notification.
    assert len(notifications_of(world.joined)) == 1
