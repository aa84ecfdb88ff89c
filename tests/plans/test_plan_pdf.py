"""A plan's PDF, built in the background by the documents pipeline (ACTION_PLAN) from the
plan page's button, read back with pdftotext: the stages as last written, the actions
with their state (« en retard » included), accents intact; a common plan's entries; who
may ask for it."""

import subprocess

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from documents.builders import get_builder
from documents.models import Document
from documents.plan_records import build_action_plan, plan_context
from plans.models import CommonPlanEntry
from plans.services import stages as stage_services
from tests.factories import MembershipFactory
from tests.plans.overview_world import add_action, first_member, plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    yield from plan_world()


def pdf_text(path) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(text.split())


def ask(client, world, plan):
    return client.post(
        reverse("documents:action_plan_request", args=[world.organisation.slug, plan.pk])
    )


def test_a_team_member_gets_the_plan_as_a_pdf(client, world):
    team = world.teams[0]
    member = first_member(team)
    member.first_name, member.last_name = "Hélène", "Bérénger"
    member.save()
    plan = stage_services.team_plan(team=team)
    stage_services.save_draft(
        plan=plan,
        stage="intention",
        body="## Contexte et enjeux\n\nDéfricher l’approvisionnement des cantines à l’échelle "
        "de l’EPCI.\n\n<script>alert(1)</script>",
        acting_user=member,
        revision=None,
    )
    version = stage_services.submit_stage(plan=plan, stage="intention", acting_user=member)
    stage_services.review_version(
        version=version, acting_user=world.coordinator, decision="validated"
    )
    add_action(team, title="Créer une légumerie coopérative", days=-4, owner=member)
    add_action(team, title="Élaborer la charte qualité", days=60, status="in_progress")
    client.force_login(member)
    response = ask(client, world, plan)
    assert response.status_code == 302
    with scopes_disabled():
        document = Document.objects.get(kind=Document.Kind.ACTION_PLAN)
    assert document.status == Document.Status.READY, document.error
    assert document.plan == plan and document.programme == world.programme
    assert document.filename.startswith("Plan d") and document.filename.endswith(".pdf")
    flat = pdf_text(document.file.path)
    for expected in (
        f"Plan d'action — {team.name}",
        "Fiche d'intention",
        "version 1, validée le",
        "Défricher l’approvisionnement des cantines à l’échelle de l’EPCI.",
        "Feuille de route",
        "non commencée",
        "Créer une légumerie coopérative",
        "Hélène Bérénger",
        "À lancer, en retard",
        "Élaborer la charte qualité",
        "En cours",
        "40 %",
        "dont 1 en retard",
    ):
        assert expected in flat, expected
    # Raw HTML in the Markdown stays text (sanitised), never markup.
    with scopes_disabled():
        body = str(plan_context(plan)["stages"][0]["body"])
    assert "<script>" not in body and "&lt;script&gt;" in body


def test_a_common_plan_pdf_lists_its_entries(client, world):
    common = stage_services.create_plan(
        programme=world.programme, kind="common", title="Plan commun", acting_user=world.coordinator
    )
    action = add_action(world.teams[1], title="Mutualiser la logistique", days=30)
    CommonPlanEntry.objects.create(
        organisation=world.organisation,
        common_plan=common,
        action=action,
        priority=1,
        lead="Pôle d'équilibre",
    )
    client.force_login(world.coordinator)
    assert ask(client, world, common).status_code == 302
    with scopes_disabled():
        document = Document.objects.get(kind=Document.Kind.ACTION_PLAN)
    assert document.status == Document.Status.READY, document.error
    flat = pdf_text(document.file.path)
    for expected in (
        "Actions du plan commun",
        "Mutualiser la logistique",
        world.teams[1].name,
        "priorité : haute",
        "Pôle d'équilibre",
    ):
        assert expected in flat, expected


def test_another_team_and_strangers_cannot_ask_for_the_pdf(client, world):
    plan = stage_services.team_plan(team=world.teams[0])
    client.force_login(first_member(world.teams[1]))
    assert ask(client, world, plan).status_code == 404
    client.force_login(MembershipFactory(role="coordinator").user)
    assert ask(client, world, plan).status_code == 404
    client.force_login(world.observer)
    assert (
        client.get(
            reverse("documents:action_plan_request", args=[world.organisation.slug, plan.pk])
        ).status_code
        == 405
    )
    with scopes_disabled():
        assert not Document.objects.exists()


def test_asking_twice_gives_the_same_document_until_the_plan_changes(client, world):
    team = world.teams[0]
    plan = stage_services.team_plan(team=team)
    client.force_login(world.coordinator)
    ask(client, world, plan)
    ask(client, world, plan)
    with scopes_disabled():
        assert Document.objects.filter(kind=Document.Kind.ACTION_PLAN).count() == 1
    add_action(team, title="Nouvelle action")
    ask(client, world, plan)
    with scopes_disabled():
        assert Document.objects.filter(kind=Document.Kind.ACTION_PLAN).count() == 2


def test_the_builder_is_registered():
    assert get_builder(Document.Kind.ACTION_PLAN) is build_action_plan
