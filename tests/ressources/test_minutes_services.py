"""Minutes: pre-filled from the attendance sheet and the agenda, written, shared for
comments, validated once (the PDF to each attendee, the actions into the plans),
corrected as a new version; validated versions never change (service and database)."""

import base64
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django_scopes import scope

from notifications.models import Notification, OutboxMessage
from organisations.models import AuditEntry
from plans.models import Action, ActionPlan
from plans.services import actions as plan_actions
from plans.services import stages as plan_stages
from ressources.models import Minutes, MinutesItem, MinutesVersion
from ressources.services import minutes as services
from tests.ressources.factories import minutes_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    built = minutes_world()
    with scope(organisation=built.organisation.pk):
        yield built


def start(world, session=None):
    return services.start_minutes(session=session or world.copil, acting_user=world.trainer)


def write(world, minutes, **overrides):
    values = {
        "items": [{"title": "Tour de table", "text": "Chacun se présente."}],
        "decisions": ["Le prochain COPIL aura lieu en mars."],
        "actions": [
            {
                "text": "Recenser les cantines",
                "owner": world.members[0],
                "team": world.team,
                "due_on": world.in_a_month,
            }
        ],
    }
    values.update(overrides)
    return services.save_version(minutes=minutes, acting_user=world.trainer, **values)


def test_start_prefills_attendees_from_the_sheet_and_items_from_the_agenda(world):
    minutes = start(world)
    version = minutes.versions.get()
    assert version.number == 1 and version.status == "draft" and version.from_sheet
    names = {attendee.user_id for attendee in version.attendees.all()}
    # Present and late, not absent.
    assert names == {world.members[0].pk, world.others[0].pk}
    teams = {attendee.user_id: attendee.team_id for attendee in version.attendees.all()}
    assert teams[world.others[0].pk] == world.other_team.pk
    assert [item.title for item in version.items.all()] == [
        "Tour de table",
        "Calendrier de l'expérimentation",
    ]
    assert start(world).pk == minutes.pk  # begun once
    assert AuditEntry.objects.filter(action="ressources.minutes.started").count() == 1


def test_without_a_sheet_attendees_are_chosen_among_the_expected_and_named(world):
    minutes = start(world, world.coaching)
    version = write(
        world,
        minutes,
        present=[world.members[0], world.members[2]],
        other_names="Mme Durand (DDT)\n\n  M. Martin  ",
    )
    assert not version.from_sheet
    rows = list(version.attendees.order_by("order"))
    assert [row.user_id for row in rows] == [world.members[0].pk, world.members[2].pk, None, None]
    assert [row.name for row in rows[2:]] == ["Mme Durand (DDT)", "M. Martin"]
    with pytest.raises(ValidationError) as error:
        write(world, minutes, present=[world.others[0]])  # not expected at this coaching
    assert "personnes attendues" in str(error.value)


def test_over_long_texts_and_foreign_rows_are_refused_whole(world):
    minutes = start(world)
    with pytest.raises(ValidationError) as error:
        write(world, minutes, items=[{"title": "x" * 20_000, "text": ""}])
    assert "200 caractères au plus" in str(error.value)
    with pytest.raises(ValidationError):
        write(world, minutes, decisions=["d" * 5_001])
    other_plan = plan_stages.create_plan(
        programme=world.programme, kind="common", title="Commun", acting_user=world.coordinator
    )
    with pytest.raises(ValidationError) as error:
        write(
            world,
            minutes,
            actions=[{"text": "A", "team": world.team, "plan": other_plan, "due_on": None}],
        )
    assert "pas aux deux" in str(error.value)
    # Nothing was saved half-way: the pre-filled agenda is still there.
    assert MinutesItem.objects.filter(version__minutes=minutes).count() == 2


def test_share_validate_and_single_send(world):
    minutes = start(world)
    write(world, minutes)
    services.share_minutes(minutes=minutes, acting_user=world.trainer)
    minutes.refresh_from_db()
    assert minutes.status == "shared"
    shared = OutboxMessage.objects.filter(kind="minutes.shared")
    assert {m.recipient_id for m in shared} == {world.members[0].pk, world.others[0].pk}
    assert Notification.objects.filter(kind="minutes.shared").count() == 2
    version = minutes.versions.get()
    services.comment_minutes(version=version, acting_user=world.members[0], text="Merci !")
    assert version.comments.get().text == "Merci !"

    validated = services.validate_minutes(minutes=minutes, acting_user=world.trainer)
    assert validated.status == "validated" and validated.validated_by == world.trainer
    sent = list(OutboxMessage.objects.filter(kind="minutes.validated"))
    assert sorted(m.recipient_id for m in sent) == sorted([world.members[0].pk, world.others[0].pk])
    for message in sent:
        (attachment,) = message.attachments
        assert attachment["mimetype"] == "application/pdf"
        assert base64.b64decode(attachment["content"]).startswith(b"%PDF")
        assert message.subject == "Compte rendu : COPIL préparatoire n° 1"
        assert "Recenser les cantines" in message.body_text
        assert not re.search(r"\S {2,}", message.body_text), message.body_text
    assert Notification.objects.filter(kind="minutes.validated").count() == 2
    # A second validation (a double click, another writer) sends nothing more.
    with pytest.raises(ValidationError):
        services.validate_minutes(minutes=minutes, acting_user=world.coordinator)
    assert OutboxMessage.objects.filter(kind="minutes.validated").count() == 2
    # Comments are closed once validated.
    with pytest.raises(ValidationError):
        services.comment_minutes(version=version, acting_user=world.members[0], text="Trop tard")
    keys = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "ressources.minutes.saved",
        "ressources.minutes.shared",
        "ressources.minutes.commented",
        "ressources.minutes.validated",
    } <= keys


def test_validated_minutes_refuse_edits_in_the_service_and_the_database(world):
    minutes = start(world)
    write(world, minutes)
    version = services.validate_minutes(minutes=minutes, acting_user=world.trainer)
    with pytest.raises(ValidationError) as error:
        write(world, Minutes.objects.get(pk=minutes.pk))
    assert error.value.messages == ["Ce compte rendu est validé : faites une correction."]
    with pytest.raises(DatabaseError), transaction.atomic():
        MinutesVersion.objects.filter(pk=version.pk).update(status="draft")
    with pytest.raises(DatabaseError), transaction.atomic():
        MinutesItem.objects.filter(version=version).update(text="Réécrit")
    with pytest.raises(DatabaseError), transaction.atomic():
        MinutesItem.objects.create(organisation=world.organisation, version=version, title="Ajout")
    assert MinutesItem.objects.get(version=version).text == "Chacun se présente."


def test_actions_go_to_the_relevant_plan_and_follow_corrections(world):
    common = plan_stages.create_plan(
        programme=world.programme, kind="common", title="Plan commun", acting_user=world.coordinator
    )
    minutes = start(world)
    write(
        world,
        minutes,
        actions=[
            {
                "text": "Recenser les cantines",
                "owner": world.members[0],
                "team": world.team,
                "due_on": world.in_a_month,
            },
            {"text": "Écrire la charte", "owner_name": "Mme Durand", "due_on": world.in_a_month},
            {"text": "Sans échéance", "owner_name": "M. Martin"},
        ],
    )
    services.validate_minutes(minutes=minutes, acting_user=world.trainer)
    team_plan = ActionPlan.objects.get(team=world.team)
    actions = Action.objects.filter(source="minutes")
    assert actions.count() == 2  # the one without a deadline stays in the minutes
    team_action = actions.get(plan=team_plan)
    assert team_action.title == "Recenser les cantines" and team_action.owner == world.members[0]
    assert "COPIL préparatoire n° 1" in team_action.source_label
    assert actions.get(plan=common).owner_name == "Mme Durand"

    # A correction: the first action renamed, the second dropped.
    version = services.correct_minutes(minutes=minutes, acting_user=world.trainer)
    assert version.number == 2 and version.status == "draft"
    copied = list(version.actions.order_by("order"))
    first = {
        "text": "Recenser les cantines et les cuisines",
        "owner": world.members[0],
        "team": world.team,
        "due_on": world.in_a_month,
        "lineage": copied[0].lineage,
    }
    write(world, Minutes.objects.get(pk=minutes.pk), actions=[first])
    services.validate_minutes(minutes=Minutes.objects.get(pk=minutes.pk), acting_user=world.trainer)
    team_action.refresh_from_db()
    assert team_action.title == "Recenser les cantines et les cuisines"
    assert not Action.objects.filter(plan=common, source="minutes").exists()
    # The first version stays as it was sent.
    assert minutes.versions.get(number=1).actions.count() == 3
    corrected = OutboxMessage.objects.filter(kind="minutes.validated").order_by("-pk").first()
    assert corrected.subject.startswith("Compte rendu corrigé (version 2)")


def test_a_followed_up_plan_action_stays_when_the_correction_drops_it(world):
    minutes = start(world)
    write(world, minutes)
    services.validate_minutes(minutes=minutes, acting_user=world.trainer)
    action = Action.objects.get(source="minutes")
    plan_actions.post_update(
        action=action, acting_user=world.members[0], progress=30, status="in_progress"
    )
    services.correct_minutes(minutes=minutes, acting_user=world.trainer)
    write(world, Minutes.objects.get(pk=minutes.pk), actions=[])
    services.validate_minutes(minutes=Minutes.objects.get(pk=minutes.pk), acting_user=world.trainer)
    assert Action.objects.filter(pk=action.pk).exists()


def test_an_individual_coaching_action_goes_to_its_team_plan(world):
    minutes = start(world, world.coaching)
    write(
        world,
        minutes,
        present=[world.members[0]],
        actions=[
            {"text": "Rencontrer la DDT", "owner": world.members[1], "due_on": world.in_a_month}
        ],
    )
    services.validate_minutes(minutes=minutes, acting_user=world.trainer)
    assert Action.objects.get(source="minutes").plan.team == world.team


def test_a_lineage_from_elsewhere_is_ignored(world):
    minutes = start(world)
    write(
        world,
        minutes,
        actions=[{"text": "Pirate", "owner_name": "X", "due_on": world.in_a_month, "lineage": 1}],
    )
    assert minutes.versions.get().actions.get().lineage is None


def test_cancelled_sessions_have_no_minutes(world):
    world.copil.status = "cancelled"
    world.copil.save()
    with pytest.raises(ValidationError):
        start(world)


def test_the_pdf_never_fetches_outside_nor_links_to_scripts(world):
    from django.template.loader import render_to_string

    from ressources import minutes_selectors

    minutes = start(world)
    write(
        world,
        minutes,
        items=[
            {
                "title": "Point",
                "text": "![x](https://ailleurs.example/x.png) <img src=file:///etc/passwd> "
                "[clic](javascript:alert(1))",
            }
        ],
    )
    version = minutes_selectors.version_with_content(minutes, 1)
    html = render_to_string(
        "pdf/minutes.html",
        {"organisation": world.organisation, "version": version, "session": world.copil},
    )
    # Typed HTML stays text; the Markdown image is dropped; the link loses its href.
    assert "<img" not in html and 'src="file' not in html and "ailleurs.example" not in html
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert 'href="javascript' not in html
