"""A plan's stages: the stage's page (guidance, the draft's editor pre-filled with the
sections, the last version rendered), saving on a stale copy, submitting, one version
with its comments and the review; who may do what."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from plans.models import StageComment, StageTemplate, StageVersion
from plans.services import stages as services
from tests.plans.team_world import team_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    yield from team_world()


def url(world, name, *args):
    return reverse(
        f"plans:{name}", args=[world.organisation.slug, world.programme.pk, world.plan.pk, *args]
    )


def body(response) -> str:
    return html.unescape(response.content.decode())


def submitted(world, text="## Contexte\n\nNotre territoire."):
    draft = services.draft_of(world.plan, "intention")
    services.save_draft(
        plan=world.plan,
        stage="intention",
        body=text,
        acting_user=world.member,
        revision=draft.revision if draft else None,
    )
    return services.submit_stage(plan=world.plan, stage="intention", acting_user=world.member)


def test_the_stage_page_prefills_the_draft_with_the_programme_sections(client, world):
    StageTemplate.objects.create(
        organisation=world.organisation,
        programme=world.programme,
        stage="intention",
        sections="Notre territoire\nNos envies",
        guidance="Une page **au plus**.",
    )
    client.force_login(world.member)
    page = body(client.get(url(world, "stage", "intention")))
    assert "## Notre territoire" in page and "## Nos envies" in page
    assert "<strong>au plus</strong>" in page
    assert "Enregistrer le brouillon" in page
    assert "Soumettre pour relecture" not in page  # nothing saved yet


def test_an_unknown_stage_is_404(client, world):
    client.force_login(world.member)
    assert client.get(url(world, "stage", "autre")).status_code == 404
    assert client.post(url(world, "stage_submit", "autre")).status_code == 404


def test_a_member_saves_then_submits_and_the_reviewers_are_told(client, world):
    client.force_login(world.member)
    response = client.post(
        url(world, "stage", "intention"), {"body": "## Contexte\n\nNotre PAT.", "revision": ""}
    )
    assert response.status_code == 302
    draft = services.draft_of(world.plan, "intention")
    assert draft.body == "## Contexte\n\nNotre PAT.\n" and draft.revision == 1
    page = body(client.get(url(world, "stage", "intention")))
    assert 'name="revision" value="1"' in page and "Soumettre pour relecture" in page
    response = client.post(url(world, "stage_submit", "intention"))
    assert response.status_code == 302 and response.url == url(
        world, "stage_version", "intention", 1
    )
    version = StageVersion.objects.get(plan=world.plan, stage="intention", number=1)
    assert version.status == "submitted"
    assert {m.to[0] for m in mail.outbox} >= {world.coordinator.email, world.trainer.email}
    page = body(client.get(url(world, "stage", "intention")))
    assert "<h2>Contexte</h2>" in page and "Version 1" in page
    plan_page = body(client.get(url(world, "plan_detail")))
    assert "v1 soumise" in plan_page


def test_a_stale_draft_keeps_both_texts(client, world):
    services.save_draft(
        plan=world.plan, stage="intention", body="Texte 1", acting_user=world.member, revision=None
    )
    services.save_draft(
        plan=world.plan,
        stage="intention",
        body="Texte du collègue",
        acting_user=world.trainer,
        revision=1,
    )
    client.force_login(world.member)
    response = client.post(
        url(world, "stage", "intention"), {"body": "Mon texte à moi", "revision": "1"}
    )
    assert response.status_code == 409
    page = body(response)
    assert "Mon texte à moi" in page and "Texte du collègue" in page
    assert "Votre texte n'est pas perdu" in page
    assert 'name="revision" value="2"' in page
    assert services.draft_of(world.plan, "intention").body == "Texte du collègue\n"


def test_an_empty_draft_cannot_be_submitted(client, world):
    client.force_login(world.member)
    response = client.post(url(world, "stage_submit", "intention"), follow=True)
    assert "Écrivez cette étape avant de la soumettre." in body(response)
    assert not StageVersion.objects.filter(number__gt=0).exists()


def test_a_trainer_comments_and_validates(client, world):
    version = submitted(world)
    client.force_login(world.trainer)
    address = url(world, "stage_version", "intention", version.number)
    page = body(client.get(address))
    assert "Valider" in page and "À reprendre" in page and "Publier le commentaire" in page
    response = client.post(address, {"intent": "comment", "text": "Belle première version."})
    assert response.status_code == 302
    response = client.post(address, {"intent": "review", "decision": "validated", "comment": ""})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "validated" and version.reviewed_by == world.trainer
    client.force_login(world.member)
    page = body(client.get(address))
    assert "Belle première version." in page and "Validée" in page
    assert "Publier le commentaire" not in page and 'value="validated"' not in page
    assert "validée" in body(client.get(url(world, "plan_detail")))


def test_an_empty_comment_is_refused_next_to_its_field(client, world):
    version = submitted(world)
    client.force_login(world.coordinator)
    address = url(world, "stage_version", "intention", version.number)
    response = client.post(address, {"intent": "comment", "text": "  "})
    assert response.status_code == 400
    assert "Écrivez votre commentaire." in body(response)
    assert not StageComment.objects.exists()


def test_members_and_observers_cannot_review(client, world):
    version = submitted(world)
    address = url(world, "stage_version", "intention", version.number)
    for person in (world.member, world.observer):
        client.force_login(person)
        assert client.get(address).status_code == 200
        for data in (
            {"intent": "review", "decision": "validated"},
            {"intent": "comment", "text": "Moi aussi"},
        ):
            assert client.post(address, data).status_code == 404
    version.refresh_from_db()
    assert version.status == "submitted" and not StageComment.objects.exists()


def test_an_observer_reads_the_stage_without_the_editor(client, world):
    submitted(world)
    client.force_login(world.observer)
    page = body(client.get(url(world, "stage", "intention")))
    assert "<h2>Contexte</h2>" in page
    assert "Enregistrer le brouillon" not in page and "<textarea" not in page
    assert client.post(url(world, "stage", "intention"), {"body": "x"}).status_code == 404
    assert client.post(url(world, "stage_submit", "intention")).status_code == 404


def test_another_team_member_gets_404_on_the_stage_pages(client, world):
    version = submitted(world)
    client.force_login(world.outsider)
    for address in (
        url(world, "stage", "intention"),
        url(world, "stage_version", "intention", version.number),
    ):
        assert client.get(address).status_code == 404
        assert (
            client.post(address, {"body": "x", "intent": "comment", "text": "x"}).status_code == 404
        )


def test_a_draft_is_not_a_version_page(client, world):
    services.save_draft(
        plan=world.plan,
        stage="intention",
        body="Brouillon",
        acting_user=world.member,
        revision=None,
    )
    client.force_login(world.coordinator)
    assert client.get(url(world, "stage_version", "intention", 0)).status_code == 404
    assert client.get(url(world, "stage_version", "intention", 7)).status_code == 404


def test_the_markdown_of_a_version_is_sanitised(client, world):
    version = submitted(
        world, text="## Titre\n\n<script>alert(1)</script> [x](javascript:alert(1))"
    )
    client.force_login(world.coordinator)
    raw = client.get(url(world, "stage_version", "intention", version.number)).content.decode()
    assert "<script>alert(1)" not in raw and 'href="javascript:' not in raw
