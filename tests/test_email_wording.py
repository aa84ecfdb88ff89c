"""The French of the e-mails, checked on a representative set of notices rendered the
way the apps send them (every kind written to the outbox, plus the organisation's
invitation): no double space inside a line of the text body, and one-person messages
agreed with the civility the person chose, in the inclusive form without one."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django_scopes import scope, scopes_disabled

from candidatures import notices as candidatures_notices
from candidatures.models import Application
from evaluation.notices import campaign_email
from notifications.models import OutboxMessage
from organisations.models import Role
from organisations.services import invite_member
from parcours import services as parcours_services
from sillon.formatting import agree
from sondages.notices import poll_email, send_polls_opened
from tests.factories import (
    ApplicationMemberFactory,
    CallFactory,
    CampaignFactory,
    UserFactory,
    build_application,
)
from tests.parcours.test_notices import make_world, new_session
from tests.sondages.test_notices import CREATED, make_poll, team_session

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
DOUBLE_SPACE = re.compile(r"\S {2,}")


def lines_with_double_spaces(text: str) -> list[str]:
    """Lines of ``text`` with two spaces in a row after their first word (an indented
    line is fine, « mot  mot » is not)."""
    return [line for line in text.splitlines() if DOUBLE_SPACE.search(line)]


def outbox_bodies() -> dict[str, list[str]]:
    bodies: dict[str, list[str]] = {}
    with scopes_disabled():
        for kind, text in OutboxMessage.objects.values_list("kind", "body_text"):
            bodies.setdefault(kind, []).append(text)
    return bodies


def candidatures_notices_sent():
    """Member invitation, submission and the three decisions."""
    with scopes_disabled():
        world = make_world(published=True)
        call = CallFactory(
            cohort=world.cohort,
            published=True,
            opens_at=datetime(2026, 6, 1, 9, 0, tzinfo=PARIS),
            closes_at=datetime(2026, 6, 30, 12, 0, tzinfo=PARIS),
        )
        applications = [build_application(call=call, complete=False) for _ in range(3)]
        member = ApplicationMemberFactory(
            application=applications[0],
            first_name="Anne",
            last_name="Leroy",
            email="a@b.fr",
            role=world.programme.team_roles.first(),
        )
        for index, (application, decision) in enumerate(
            zip(applications, Application.Decision.values, strict=True), start=1
        ):
            Application.objects.filter(pk=application.pk).update(
                status="decided",
                decision=decision,
                decision_reasons="Un motif." if decision != "selected" else "",
                submitted_at=datetime(2026, 6, 18, 16, 45, tzinfo=PARIS),
                reference=f"AMI-2026-00{index}",
            )
            application.refresh_from_db()
    with scope(organisation=world.organisation.pk), transaction.atomic():
        candidatures_notices.send_member_invitation(member, world.coordinator)
        candidatures_notices.send_submission_confirmation(applications[0], world.coordinator)
        candidatures_notices.send_decisions(applications, world.coordinator)
    return world


def test_no_double_space_in_the_text_of_the_notices(mailoutbox):
    world = candidatures_notices_sent()
    # Parcours: a convocation of a new session, then the calendar of a programme
    # published with its sessions.
    session = new_session(world)
    with scope(organisation=world.organisation.pk):
        parcours_services.update_session(
            session=session,
            acting_user=world.coordinator,
            starts_at=datetime(2027, 3, 11, 14, 0, tzinfo=PARIS),
            ends_at=datetime(2027, 3, 11, 17, 0, tzinfo=PARIS),
            place="Maison de l'agriculture, Arras",
        )
        parcours_services.cancel_session(
            session=session, acting_user=world.coordinator, reason="Formatrice malade."
        )
        parcours_services.invite_to_team(
            team=world.teams[0],
            acting_user=world.coordinator,
            email="nora@exemple.fr",
            first_name="Nora",
            last_name="Nouvelle",
        )
    draft = make_world(published=False)
    new_session(draft)
    with scope(organisation=draft.organisation.pk):
        parcours_services.publish_programme(
            programme=draft.programme, acting_user=draft.coordinator
        )
    # Sondages: a poll opened to a team.
    with scopes_disabled():
        poll = make_poll(world, team_session(world, world.teams[0]))
    with (
        time_machine.travel(CREATED, tick=False),
        scope(organisation=world.organisation.pk),
        transaction.atomic(),
    ):
        send_polls_opened([poll], acting_user=world.coordinator)
    # Organisations: the invitation (sent outside the outbox).
    with scope(organisation=world.organisation.pk):
        invite_member(
            organisation=world.organisation,
            email="nouveau@exemple.fr",
            role=Role.TRAINER,
            acting_user=world.coordinator,
        )

    bodies = outbox_bodies()
    assert {
        "application.invitation",
        "application.submitted",
        "application.selected",
        "application.waiting_list",
        "application.not_selected",
    } <= set(bodies)
    assert len(bodies) >= 11, sorted(bodies)
    # Evaluation: the opening of a questionnaire, as its reminder rule renders it.
    with scopes_disabled():
        campaign = CampaignFactory(programme=world.programme)
    with scope(organisation=world.organisation.pk):
        bodies["evaluation.open"] = [
            campaign_email(
                campaign, world.organisation, notice="open", subject="s", user=world.coordinator
            ).text
        ]
    bodies["organisations.invitation"] = [
        message.body for message in mailoutbox if message.to == ["nouveau@exemple.fr"]
    ]
    assert bodies["organisations.invitation"]

    found = {
        kind: lines
        for kind, texts in bodies.items()
        for lines in [[line for text in texts for line in lines_with_double_spaces(text)]]
        if lines
    }
    assert found == {}


# --- Agreement with the civility --------------------------------------------------------


@pytest.mark.parametrize(
    ("civility", "expected"),
    [
        ("madame", "Vous êtes invitée à évaluer"),
        ("monsieur", "Vous êtes invité à évaluer"),
        ("", "Vous êtes invité·e à évaluer"),
    ],
)
def test_a_one_person_message_agrees_with_the_civility(civility, expected):
    with scopes_disabled():
        campaign = CampaignFactory(assess_person=True)
        user = UserFactory(civility=civility)
    with scope(organisation=campaign.organisation_id):
        email = campaign_email(
            campaign, campaign.organisation, notice="open", subject="s", user=user
        )
    assert campaign.is_assessment
    assert expected in email.text
    assert expected in email.html


def test_the_poll_footer_agrees_with_the_civility():
    """Rendered for one person, the footer agrees; the opening of a poll, rendered once
    for all its voters, keeps the inclusive form."""
    with scopes_disabled():
        world = make_world(published=True)
        poll = make_poll(world, team_session(world, world.teams[0]))
        madame = UserFactory(civility="madame")
    with scope(organisation=world.organisation.pk):
        slots = poll.slots.all()
        for_her = poll_email(
            poll, world.organisation, notice="open", subject="s", slots=slots, user=madame
        )
        for_all = poll_email(poll, world.organisation, notice="open", subject="s", slots=slots)
    assert "vous êtes attendue à une séance" in for_her.text
    assert "vous êtes attendue à une séance" in for_her.html
    assert "vous êtes attendu·e à une séance" in for_all.text


def test_agreement_helper_and_template_filter():
    from django.template import Context, Template

    assert agree("invité", "madame") == "invitée"
    assert agree("convoqué", "monsieur") == "convoqué"
    assert agree("inscrit", "") == "inscrit·e"
    assert UserFactory.build(civility="madame").agree("inscrit") == "inscrite"
    assert UserFactory.build().agree("invité") == "invité·e"
    template = Template('{% load sillon_tags %}{{ "convoqué"|agree:person }}')
    assert template.render(Context({"person": {"civility": "madame"}})) == "convoquée"
    assert template.render(Context({"person": None})) == "convoqué·e"
