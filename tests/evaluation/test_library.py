"""The questionnaire library and builder pages: coordinators build, publish and version
questionnaires; everyone else gets a 404; bad input is refused next to its field and
saves nothing; a published version never changes through these pages."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluation import services
from evaluation.models import Criterion, Question, Questionnaire, QuestionnaireVersion, Section
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    OrganisationFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
    VersionFactory,
    build_grid_questionnaire,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A programme with a team, its coordinator, a trainer, an observer, a participant;
    a published grid questionnaire (v1) and a questionnaire with a draft."""
    with scopes_disabled():
        world = build_programme(teams=1, members_per_team=2)
        organisation = world.organisation
        world.coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        world.trainer = MembershipFactory(organisation=organisation, trainer=True).user
        world.observer = MembershipFactory(organisation=organisation, observer=True).user
        world.participant = world.teams[0].members.first().user
        world.grid = build_grid_questionnaire(organisation=organisation)
        world.draft = VersionFactory(questionnaire__organisation=organisation, draft=True)
        world.section = SectionFactory(version=world.draft, title="Votre avis", order=0)
        world.question = QuestionFactory(section=world.section, yes_no=True, label="Venu·e ?")
        world.draft_grid = QuestionFactory(section=world.section, grid=True, label="Grille")
    return world


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.coordinator)
    return client


def url(name, world, **kwargs):
    return reverse(name, kwargs={"organisation_slug": world.organisation.slug, **kwargs})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def page_urls(world):
    """(url name, kwargs, GET allowed) for every page of the library and builder."""
    published = {"questionnaire_id": world.grid.questionnaire.pk}
    q = {"questionnaire_id": world.draft.questionnaire_id}
    return [
        ("evaluation:questionnaire_list", {}, True),
        ("evaluation:questionnaire_create", {}, True),
        ("evaluation:template_list", {}, True),
        ("evaluation:questionnaire_detail", published, True),
        ("evaluation:questionnaire_detail", q, True),
        ("evaluation:questionnaire_edit", published, True),
        ("evaluation:questionnaire_edit", q, True),
        ("evaluation:questionnaire_copy", published, True),
        ("evaluation:questionnaire_archive", q, False),
        ("evaluation:draft_edit", q, True),
        ("evaluation:version_new", published, False),
        ("evaluation:version_publish", q, False),
        ("evaluation:version_discard", q, False),
        ("evaluation:version_detail", {**published, "version_id": world.grid.version.pk}, True),
        ("evaluation:version_detail", {**q, "version_id": world.draft.pk}, True),
        ("evaluation:section_add", q, True),
        ("evaluation:section_edit", {**q, "section_id": world.section.pk}, True),
        ("evaluation:section_delete", {**q, "section_id": world.section.pk}, False),
        ("evaluation:question_add", q, True),
        ("evaluation:question_edit", {**q, "question_id": world.question.pk}, True),
        ("evaluation:question_delete", {**q, "question_id": world.question.pk}, False),
        ("evaluation:question_move", {**q, "question_id": world.question.pk}, False),
        ("evaluation:grid_edit", {**q, "question_id": world.draft_grid.pk}, True),
    ]


def test_every_page_opens_for_the_coordinator_with_one_h1_and_a_breadcrumb(
    coordinator_client, world
):
    for name, kwargs, get_allowed in page_urls(world):
        response = coordinator_client.get(url(name, world, **kwargs))
        if not get_allowed:
            assert response.status_code == 405, name
            continue
        assert response.status_code == 200, name
        html = response.content.decode()
        assert html.count("<h1") == 1, name
        assert 'class="breadcrumb"' in html, name


def _snapshot():
    with scopes_disabled():
        return (
            list(Questionnaire.objects.values_list("pk", "title", "archived")),
            list(QuestionnaireVersion.objects.values_list("pk", "status")),
            list(Section.objects.values_list("pk", "title")),
            list(Question.objects.values_list("pk", "label", "order")),
            list(Criterion.objects.values_list("pk", "label")),
        )


@pytest.mark.parametrize("who", ["trainer", "observer", "participant", "outsider"])
def test_every_page_is_a_404_for_others(client, world, who):
    if who == "outsider":
        with scopes_disabled():
            user = MembershipFactory(organisation=OrganisationFactory(), coordinator=True).user
    else:
        user = getattr(world, who)
    client.force_login(user)
    before = _snapshot()
    for name, kwargs, _get in page_urls(world):
        target = url(name, world, **kwargs)
        assert client.get(target).status_code == 404, (who, name)
        post = {"title": "x", "label": "x", "kind": "short_text", "direction": "up", "code": "x"}
        assert client.post(target, post).status_code == 404, (who, name)
    assert _snapshot() == before


def test_another_organisations_questionnaire_is_a_404(coordinator_client, world):
    with scopes_disabled():
        other = build_grid_questionnaire(organisation=OrganisationFactory())
    target = url("evaluation:questionnaire_detail", world, questionnaire_id=other.questionnaire.pk)
    assert coordinator_client.get(target).status_code == 404
    target = url("evaluation:version_new", world, questionnaire_id=other.questionnaire.pk)
    assert coordinator_client.post(target).status_code == 404


# --- The whole flow --------------------------------------------------------------------


def test_a_coordinator_builds_publishes_and_versions_a_grid(coordinator_client, world):
    response = coordinator_client.post(
        url("evaluation:questionnaire_create", world),
        {
            "title": "Autodiagnostic maison",
            "description": "Pour le T0",
            "purpose": "self_diagnostic",
            "programme": world.programme.pk,
            "introduction": "Remplissez-le ensemble.",
        },
    )
    with scopes_disabled():
        questionnaire = Questionnaire.objects.get(title="Autodiagnostic maison")
        assert questionnaire.programme == world.programme
    q = {"questionnaire_id": questionnaire.pk}
    assert response.headers["Location"] == url("evaluation:draft_edit", world, **q)

    response = coordinator_client.post(
        url("evaluation:section_add", world, **q), {"title": "Gouvernance"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        section = Section.objects.get(version__questionnaire=questionnaire)

    response = coordinator_client.post(
        url("evaluation:question_add", world, **q) + f"?section={section.pk}",
        {
            "section": section.pk,
            "kind": "grid",
            "label": "Où en est votre gouvernance ?",
            "required": "on",
            "choices": "Émergent\nEn construction\nStructuré\nPartagé et robuste",
            "scale_min": "1",
            "scale_max": "4",
        },
    )
    with scopes_disabled():
        grid = Question.objects.get(version__questionnaire=questionnaire)
    assert response.headers["Location"] == url(
        "evaluation:grid_edit", world, **q, question_id=grid.pk
    )

    grid_url = url("evaluation:grid_edit", world, **q, question_id=grid.pk)
    page = coordinator_client.get(grid_url).content.decode()
    assert "Niveau 4 « Partagé et robuste »" in page
    form = {
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-label": "Connaître son schéma de gouvernance",
        "criteria-0-descriptor_1": "Pas décrit",
        "criteria-0-descriptor_4": "Partagé avec le territoire",
        "criteria-1-label": "",
    }
    response = coordinator_client.post(grid_url, {**form, "continue": "1"})
    assert response.headers["Location"] == grid_url
    with scopes_disabled():
        criterion = grid.criteria.get()
        assert criterion.descriptors == ["Pas décrit", "", "", "Partagé avec le territoire"]
        key = criterion.key
    # The saved row comes back with two new empty rows; one more criterion is added.
    page = coordinator_client.get(grid_url).content.decode()
    assert 'name="criteria-TOTAL_FORMS" value="3"' in page
    response = coordinator_client.post(
        grid_url,
        {
            "criteria-TOTAL_FORMS": "3",
            "criteria-INITIAL_FORMS": "1",
            "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "1000",
            "criteria-0-criterion_id": str(criterion.pk),
            "criteria-0-label": "Connaître son schéma actuel de gouvernance",
            "criteria-1-label": "Passer à l'action",
            "criteria-2-label": "",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert [c.label for c in grid.criteria.all()] == [
            "Connaître son schéma actuel de gouvernance",
            "Passer à l'action",
        ]
        assert grid.criteria.first().key == key

    response = coordinator_client.post(url("evaluation:version_publish", world, **q))
    assert response.headers["Location"] == url("evaluation:questionnaire_detail", world, **q)
    with scopes_disabled():
        version = QuestionnaireVersion.objects.get(questionnaire=questionnaire)
        assert version.is_published and version.introduction == "Remplissez-le ensemble."

    # The builder now sends the coordinator to the questionnaire's page.
    response = coordinator_client.get(url("evaluation:draft_edit", world, **q), follow=True)
    assert response.redirect_chain[-1][0] == url("evaluation:questionnaire_detail", world, **q)
    assert "Créez une nouvelle version" in response.content.decode()
    assert "Créer une nouvelle version" in response.content.decode()
    # Nothing of the published version can be reached through the builder.
    response = coordinator_client.post(
        url("evaluation:question_edit", world, **q, question_id=grid.pk),
        {"section": section.pk, "kind": "grid", "label": "Changée", "choices": "A\nB"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        grid.refresh_from_db()
        assert grid.label == "Où en est votre gouvernance ?"

    response = coordinator_client.post(url("evaluation:version_new", world, **q))
    assert response.headers["Location"] == url("evaluation:draft_edit", world, **q)
    with scopes_disabled():
        draft = services.draft_version(questionnaire)
        assert draft.number == 2
        copied = draft.questions.get()
        assert copied.key == grid.key
    page = coordinator_client.get(url("evaluation:draft_edit", world, **q)).content.decode()
    assert "Version 2, brouillon" in page
    assert "Passer à l&#x27;action" in page
    # v1's question cannot be edited through v2's builder.
    response = coordinator_client.get(
        url("evaluation:question_edit", world, **q, question_id=grid.pk)
    )
    assert response.status_code == 404


def test_the_detail_page_lists_versions_with_their_use(coordinator_client, world):
    with scopes_disabled():
        CampaignFactory(programme=world.programme, version=world.grid.version)
    q = {"questionnaire_id": world.grid.questionnaire.pk}
    html = coordinator_client.get(url("evaluation:questionnaire_detail", world, **q)).content
    html = html.decode()
    assert f"Version {world.grid.version.number}, publiée le" in html
    assert "Connaître son schéma de gouvernance" in html
    page = coordinator_client.get(
        url("evaluation:version_detail", world, **q, version_id=world.grid.version.pk)
    ).content.decode()
    assert "répondue par 0 réponse" in page
    assert "1 évaluation" in page


# --- Bad input -------------------------------------------------------------------------


def test_a_bad_question_shows_french_errors_next_to_fields_and_saves_nothing(
    coordinator_client, world
):
    q = {"questionnaire_id": world.draft.questionnaire_id}
    before = _snapshot()
    response = coordinator_client.post(
        url("evaluation:question_add", world, **q),
        {
            "section": world.section.pk,
            "kind": "single",
            "label": "",
            "choices": "Un seul choix",
            "scale_min": "1",
            "scale_max": "4",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_label_error"' in html
    assert "Ce champ est obligatoire." in html
    # The label was missing: the form stopped before the service; now with a label.
    response = coordinator_client.post(
        url("evaluation:question_add", world, **q),
        {
            "section": world.section.pk,
            "kind": "single",
            "label": "Votre fonction ?",
            "choices": "Un seul choix",
            "scale_min": "1",
            "scale_max": "4",
        },
    )
    html = response.content.decode()
    assert 'id="id_choices_error"' in html
    assert "Proposez au moins deux choix, un par ligne." in html
    assert _snapshot() == before


def test_an_unknown_trigger_value_is_refused_next_to_the_field(coordinator_client, world):
    q = {"questionnaire_id": world.draft.questionnaire_id}
    before = _snapshot()
    response = coordinator_client.post(
        url("evaluation:question_add", world, **q),
        {
            "section": world.section.pk,
            "kind": "long_text",
            "label": "Pourquoi ?",
            "scale_min": "1",
            "scale_max": "4",
            "condition_question": world.question.pk,
            "condition_values": "peut-être",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_condition_values_error"' in html
    assert "« peut-être » ne fait pas partie des réponses possibles" in html
    assert _snapshot() == before
    response = coordinator_client.post(
        url("evaluation:question_add", world, **q),
        {
            "section": world.section.pk,
            "kind": "long_text",
            "label": "Pourquoi ?",
            "scale_min": "1",
            "scale_max": "4",
            "condition_question": world.question.pk,
            "condition_values": "Non",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        why = Question.objects.get(label="Pourquoi ?")
        assert why.condition_question == world.question and why.condition_values == ["non"]
    page = coordinator_client.get(url("evaluation:draft_edit", world, **q)).content.decode()
    assert "Affichée si « Venu·e ? » = non" in page


def test_a_later_question_is_not_offered_as_a_condition(coordinator_client, world):
    q = {"questionnaire_id": world.draft.questionnaire_id}
    page = coordinator_client.get(
        url("evaluation:question_edit", world, **q, question_id=world.question.pk)
    ).content.decode()
    select = re.search(r'<select name="condition_question".*?</select>', page, re.S).group(0)
    assert "Grille" not in select  # later, and not a trigger kind anyway
    assert "Venu·e ?" not in select  # itself


def test_a_grid_row_without_label_is_refused_and_nothing_saved(coordinator_client, world):
    q = {"questionnaire_id": world.draft.questionnaire_id}
    grid_url = url("evaluation:grid_edit", world, **q, question_id=world.draft_grid.pk)
    before = _snapshot()
    response = coordinator_client.post(
        grid_url,
        {
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "1000",
            "criteria-0-label": "",
            "criteria-0-descriptor_2": "Un descripteur sans critère",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_criteria-0-label_error"' in html
    assert "Donnez un libellé à ce critère." in html
    assert _snapshot() == before


def test_a_criterion_can_be_removed_with_its_checkbox(coordinator_client, world):
    q = {"questionnaire_id": world.draft.questionnaire_id}
    with scopes_disabled():
        first, second, third = world.draft_grid.criteria.all()
    response = coordinator_client.post(
        url("evaluation:grid_edit", world, **q, question_id=world.draft_grid.pk),
        {
            "criteria-TOTAL_FORMS": "3",
            "criteria-INITIAL_FORMS": "3",
            "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "1000",
            **{
                f"criteria-{index}-{field}": value
                for index, criterion in enumerate((first, second, third))
                for field, value in (("criterion_id", criterion.pk), ("label", criterion.label))
            },
            "criteria-1-delete": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert list(world.draft_grid.criteria.values_list("pk", flat=True)) == [
            first.pk,
            third.pk,
        ]


def test_publishing_an_incomplete_draft_explains_why(coordinator_client, world):
    with scopes_disabled():
        questionnaire = QuestionnaireFactory(organisation=world.organisation)
        VersionFactory(questionnaire=questionnaire, draft=True)
    q = {"questionnaire_id": questionnaire.pk}
    response = coordinator_client.post(url("evaluation:version_publish", world, **q))
    assert response.headers["Location"] == url("evaluation:draft_edit", world, **q)
    assert "Ajoutez au moins une question avant de publier." in messages_of(response)
    with scopes_disabled():
        assert not questionnaire.versions.filter(status="published").exists()


def test_a_section_with_questions_is_not_deleted(coordinator_client, world):
    q = {"questionnaire_id": world.draft.questionnaire_id}
    response = coordinator_client.post(
        url("evaluation:section_delete", world, **q, section_id=world.section.pk)
    )
    assert response.status_code == 302
    assert any("contient encore des questions" in m for m in messages_of(response))
    with scopes_disabled():
        assert Section.objects.filter(pk=world.section.pk).exists()


def test_questions_move_up_and_down(coordinator_client, world):
    q = {"questionnaire_id": world.draft.questionnaire_id}
    response = coordinator_client.post(
        url("evaluation:question_move", world, **q, question_id=world.draft_grid.pk),
        {"direction": "up"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert list(world.section.questions.order_by("order").values_list("pk", flat=True)) == [
            world.draft_grid.pk,
            world.question.pk,
        ]
    response = coordinator_client.post(
        url("evaluation:question_move", world, **q, question_id=world.draft_grid.pk),
        {"direction": "sideways"},
    )
    assert "Direction inconnue" in messages_of(response)[-1]


# --- Templates, copies, archives -------------------------------------------------------


def test_a_template_is_added_to_the_library_and_an_unknown_code_is_refused(
    coordinator_client, world
):
    response = coordinator_client.post(
        url("evaluation:template_list", world), {"code": "pat_governance"}
    )
    with scopes_disabled():
        questionnaire = Questionnaire.objects.get(template_code="pat_governance")
        assert services.current_version(questionnaire).is_published
    assert response.headers["Location"] == url(
        "evaluation:questionnaire_detail", world, questionnaire_id=questionnaire.pk
    )
    page = coordinator_client.get(response.headers["Location"]).content.decode()
    assert "6. Évaluer son parcours" in page
    assert "Partagé et robuste" in page

    response = coordinator_client.post(url("evaluation:template_list", world), {"code": "nope"})
    assert response.headers["Location"] == url("evaluation:template_list", world)
    assert messages_of(response) == ["Ce modèle de questionnaire n'existe pas."]
    page = coordinator_client.get(url("evaluation:template_list", world)).content.decode()
    assert "Déjà dans votre bibliothèque" in page


def test_copy_to_a_programme_and_archive(coordinator_client, world):
    q = {"questionnaire_id": world.grid.questionnaire.pk}
    response = coordinator_client.post(
        url("evaluation:questionnaire_copy", world, **q),
        {"title": "Autodiagnostic promo 2026", "programme": world.programme.pk},
    )
    with scopes_disabled():
        copy = Questionnaire.objects.get(title="Autodiagnostic promo 2026")
        assert copy.programme == world.programme and copy.copied_from_id == q["questionnaire_id"]
        assert services.current_version(copy) is not None
    assert response.headers["Location"] == url(
        "evaluation:questionnaire_detail", world, questionnaire_id=copy.pk
    )
    response = coordinator_client.post(url("evaluation:questionnaire_archive", world, **q))
    with scopes_disabled():
        assert Questionnaire.objects.get(pk=q["questionnaire_id"]).archived
    listing = coordinator_client.get(url("evaluation:questionnaire_list", world)).content.decode()
    title_link = f">{world.grid.questionnaire.title}</a>"
    assert ">Autodiagnostic promo 2026</a>" in listing
    assert title_link not in listing
    listing = coordinator_client.get(
        url("evaluation:questionnaire_list", world) + "?archived=on"
    ).content.decode()
    assert title_link in listing


def test_the_list_filters_by_purpose_and_place(coordinator_client, world):
    with scopes_disabled():
        QuestionnaireFactory(
            organisation=world.organisation,
            title="Satisfaction promo",
            purpose="satisfaction",
            programme=world.programme,
        )
    base = url("evaluation:questionnaire_list", world)
    page = coordinator_client.get(base + "?purpose=satisfaction").content.decode()
    assert "Satisfaction promo" in page and world.grid.questionnaire.title not in page
    page = coordinator_client.get(base + "?place=bibliotheque").content.decode()
    assert "Satisfaction promo" not in page and world.grid.questionnaire.title in page
    page = coordinator_client.get(base + f"?place={world.programme.pk}").content.decode()
    assert "Satisfaction promo" in page


def test_the_list_runs_a_constant_number_of_queries(coordinator_client, world):
    def add_rows(count):
        with scopes_disabled():
            for index in range(count):
                grid = build_grid_questionnaire(
                    organisation=world.organisation, title=f"Grille {index}"
                )
                CampaignFactory(programme=world.programme, version=grid.version)
                if index % 2:
                    QuestionnaireFactory(organisation=world.organisation, programme=world.programme)

    assert_constant_queries(
        coordinator_client, url("evaluation:questionnaire_list", world), add_rows, sizes=(5, 20)
    )


def test_the_questionnaire_edit_page_changes_the_draft_introduction(coordinator_client, world):
    q = {"questionnaire_id": world.draft.questionnaire_id}
    response = coordinator_client.post(
        url("evaluation:questionnaire_edit", world, **q),
        {"title": "Nouveau titre", "purpose": "satisfaction", "introduction": "Bonjour"},
    )
    assert response.status_code == 302
    with scope(organisation=world.organisation.pk):
        world.draft.refresh_from_db()
        assert world.draft.introduction == "Bonjour"
        assert world.draft.questionnaire.title == "Nouveau titre"
    response = coordinator_client.post(
        url("evaluation:questionnaire_edit", world, **q), {"title": "", "purpose": "other"}
    )
    assert response.status_code == 200
    assert 'id="id_title_error"' in response.content.decode()
