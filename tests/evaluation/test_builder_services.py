"""The builder's services: a published version refuses every change, a new version
keeps keys and leaves old answers untouched, conditions only point backwards at values
that exist, grid criteria keep their keys."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from evaluation import services
from evaluation.answer_values import AnswerValue
from evaluation.models import Answer, Choice, Criterion, Question, Questionnaire, Section
from evaluation.services import builder
from evaluation.services.builder import CriterionRow, QuestionData
from organisations.models import AuditEntry
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    QuestionFactory,
    SectionFactory,
    VersionFactory,
    build_grid_questionnaire,
    build_programme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_programme(teams=1, members_per_team=2)
    world.coordinator = MembershipFactory(organisation=world.organisation, coordinator=True).user
    return world


@pytest.fixture
def draft(world):
    """An empty draft (v1) with one section."""
    with scope(organisation=world.organisation.pk):
        version = VersionFactory(questionnaire__organisation=world.organisation, draft=True)
        version.section = SectionFactory(version=version, title="Partie 1", order=0)
        return version


def _data(section, **kwargs):
    return QuestionData(section=section, **{"kind": "short_text", "label": "Question", **kwargs})


def _save(world, version, question=None, **kwargs):
    section = kwargs.pop("section", None) or version.sections.first()
    return builder.save_question(
        version=version,
        acting_user=world.coordinator,
        question=question,
        data=_data(section, **kwargs),
    )


# --- A published version is immutable --------------------------------------------------


def test_every_builder_service_refuses_a_published_version(world):
    with scope(organisation=world.organisation.pk):
        grid = build_grid_questionnaire(organisation=world.organisation)
        version, section, question = grid.version, grid.section, grid.grid
        before = (
            list(Question.objects.filter(version=version).values_list("label", "order")),
            list(Criterion.objects.filter(question=question).values_list("label", "key")),
            list(Section.objects.filter(version=version).values_list("title", flat=True)),
        )
        attempts = [
            lambda: builder.save_section(
                version=version, acting_user=world.coordinator, title="Nouvelle"
            ),
            lambda: builder.save_section(
                version=version, acting_user=world.coordinator, title="Renommée", section=section
            ),
            lambda: builder.delete_section(section=section, acting_user=world.coordinator),
            lambda: _save(world, version, label="Ajoutée"),
            lambda: _save(
                world,
                version,
                question=question,
                kind="grid",
                label="Renommée",
                choices=["A", "B"],
            ),
            lambda: builder.delete_question(question=grid.comment, acting_user=world.coordinator),
            lambda: builder.move_question(
                question=question, acting_user=world.coordinator, direction="down"
            ),
            lambda: builder.save_criteria(
                question=question,
                acting_user=world.coordinator,
                rows=[CriterionRow(label="Nouveau critère")],
            ),
            lambda: builder.update_questionnaire(
                questionnaire=grid.questionnaire,
                acting_user=world.coordinator,
                title="Titre",
                purpose="self_diagnostic",
                introduction="Nouvelle introduction",
            ),
        ]
        for attempt in attempts:
            with pytest.raises(ValidationError, match="nouvelle version"):
                attempt()
        after = (
            list(Question.objects.filter(version=version).values_list("label", "order")),
            list(Criterion.objects.filter(question=question).values_list("label", "key")),
            list(Section.objects.filter(version=version).values_list("title", flat=True)),
        )
        assert after == before


def test_a_new_version_is_edited_while_old_answers_keep_their_questions(world):
    with scope(organisation=world.organisation.pk):
        grid = build_grid_questionnaire(organisation=world.organisation)
        campaign = CampaignFactory(programme=world.programme, version=grid.version, per_team=True)
        team = world.teams[0]
        member = team.members.first().user
        response = services.start_response(campaign=campaign, acting_user=member, team=team)
        services.save_answers(
            response=response,
            acting_user=member,
            values=[
                AnswerValue(question=grid.grid, criterion=criterion, number=3)
                for criterion in grid.criteria
            ],
        )
        old_label = grid.grid.label
        old_criteria = [(c.pk, c.label, c.key) for c in grid.criteria]

        draft = services.start_new_version(
            questionnaire=grid.questionnaire, acting_user=world.coordinator
        )
        new_grid = draft.questions.get(kind="grid")
        assert new_grid.key == grid.grid.key
        _save(
            world,
            draft,
            question=new_grid,
            section=new_grid.section,
            kind="grid",
            label="Où en êtes-vous, deux ans après ?",
            choices=["Débutant", "Intermédiaire", "Avancé", "Exemplaire"],
        )
        new_criteria = list(new_grid.criteria.all())
        builder.save_criteria(
            question=new_grid,
            acting_user=world.coordinator,
            rows=[
                CriterionRow(criterion=new_criteria[0], label="Schéma de gouvernance, reformulé"),
                CriterionRow(criterion=new_criteria[1], label="", delete=True),
                CriterionRow(criterion=new_criteria[2], label=new_criteria[2].label),
            ],
        )
        services.publish_version(version=draft, acting_user=world.coordinator)

        answers = Answer.objects.filter(response=response).select_related("question", "criterion")
        assert answers.count() == 3
        for answer in answers:
            assert answer.question_id == grid.grid.pk
            assert answer.question.label == old_label
            assert answer.question.version_id == grid.version.pk
        assert [(c.pk, c.label, c.key) for c in grid.grid.criteria.all()] == old_criteria
        assert [c.label for c in grid.grid.choices.all()] == [c.label for c in grid.levels]
        new_grid.refresh_from_db()
        assert [c.key for c in new_grid.criteria.all()] == [
            old_criteria[0][2],
            old_criteria[2][2],
        ]


# --- Questions and conditions ----------------------------------------------------------


def test_a_choice_question_gets_its_choices_in_order_and_keeps_rows_by_label(world, draft):
    with scope(organisation=world.organisation.pk):
        question = _save(world, draft, kind="single", choices=["Oui", "", "Non", "  Peut-être "])
        assert [(c.label, c.value) for c in question.choices.all()] == [
            ("Oui", 1),
            ("Non", 2),
            ("Peut-être", 3),
        ]
        kept = question.choices.get(label="Non").pk
        _save(world, draft, question=question, kind="single", choices=["Non", "Oui", "Autre"])
        assert [(c.label, c.value) for c in question.choices.all()] == [
            ("Non", 1),
            ("Oui", 2),
            ("Autre", 3),
        ]
        assert question.choices.get(label="Non").pk == kept
        assert AuditEntry.objects.filter(action=services.Action.QUESTIONNAIRE_UPDATED).count() == 2


def test_bad_question_input_is_refused_field_by_field_and_nothing_is_saved(world, draft):
    with scope(organisation=world.organisation.pk):
        with pytest.raises(ValidationError) as error:
            _save(world, draft, kind="single", label="", choices=["Seul choix"])
        assert set(error.value.message_dict) == {"label", "choices"}
        with pytest.raises(ValidationError) as error:
            _save(world, draft, kind="scale", scale_min=2, scale_max=7)
        assert set(error.value.message_dict) == {"scale_min", "scale_max"}
        with pytest.raises(ValidationError) as error:
            _save(world, draft, kind="long_text", satisfaction=True)
        assert "satisfaction" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            _save(world, draft, kind="number", min_value=10, max_value=2)
        assert "max_value" in error.value.message_dict
        assert not Question.objects.filter(version=draft).exists()
        assert not Choice.objects.exists()


def test_a_condition_must_name_an_earlier_question_and_a_known_value(world, draft):
    with scope(organisation=world.organisation.pk):
        recommend = _save(world, draft, kind="yes_no", label="Recommanderiez-vous ?")
        why = _save(
            world,
            draft,
            kind="long_text",
            label="Pourquoi ?",
            condition_question=recommend,
            condition_values=["non"],
        )
        assert why.condition_values == ["non"]
        # A later question cannot be the trigger of an earlier one.
        later = _save(world, draft, kind="yes_no", label="Plus tard")
        with pytest.raises(ValidationError) as error:
            _save(
                world,
                draft,
                question=recommend,
                kind="yes_no",
                label="Recommanderiez-vous ?",
                condition_question=later,
                condition_values=["oui"],
            )
        assert "condition_question" in error.value.message_dict
        # A value the trigger cannot take.
        with pytest.raises(ValidationError) as error:
            _save(
                world,
                draft,
                kind="long_text",
                label="Autre",
                condition_question=recommend,
                condition_values=["peut-être"],
            )
        assert "condition_values" in error.value.message_dict
        # Moving the dependent above its trigger is refused too.
        with pytest.raises(ValidationError):
            builder.move_question(question=why, acting_user=world.coordinator, direction="up")
        recommend.refresh_from_db()
        assert recommend.condition_question is None
        assert list(draft.questions.order_by("order").values_list("label", flat=True)) == [
            "Recommanderiez-vous ?",
            "Pourquoi ?",
            "Plus tard",
        ]


def test_condition_labels_map_to_choice_ids_and_unknown_labels_are_refused(world, draft):
    with scope(organisation=world.organisation.pk):
        rhythm = _save(world, draft, kind="single", choices=["Trop lent", "Adapté", "Trop rapide"])
        tokens = builder.parse_condition_values(rhythm, "trop lent ; Trop rapide")
        by_label = {c.label: str(c.pk) for c in rhythm.choices.all()}
        assert tokens == [by_label["Trop lent"], by_label["Trop rapide"]]
        with pytest.raises(ValidationError, match="Très lent"):
            builder.parse_condition_values(rhythm, "Très lent")
        scale = _save(world, draft, kind="scale", scale_min=1, scale_max=4)
        assert builder.parse_condition_values(scale, "1;2") == ["1", "2"]
        with pytest.raises(ValidationError):
            builder.parse_condition_values(scale, "5")


def test_removing_a_choice_a_condition_names_is_refused(world, draft):
    with scope(organisation=world.organisation.pk):
        rhythm = _save(world, draft, kind="single", choices=["Trop lent", "Adapté"])
        slow = str(rhythm.choices.get(label="Trop lent").pk)
        _save(
            world,
            draft,
            kind="long_text",
            label="Qu'est-ce qui était trop lent ?",
            condition_question=rhythm,
            condition_values=[slow],
        )
        with pytest.raises(ValidationError) as error:
            _save(world, draft, question=rhythm, kind="single", choices=["Lent", "Adapté"])
        assert "choices" in error.value.message_dict
        assert list(rhythm.choices.values_list("label", flat=True)) == ["Trop lent", "Adapté"]


def test_deleting_a_question_frees_its_dependents_and_renumbers(world, draft):
    with scope(organisation=world.organisation.pk):
        recommend = _save(world, draft, kind="yes_no", label="Recommanderiez-vous ?")
        why = _save(
            world,
            draft,
            kind="long_text",
            label="Pourquoi ?",
            condition_question=recommend,
            condition_values=["non"],
        )
        last = _save(world, draft, label="Dernière")
        assert builder.delete_question(question=recommend, acting_user=world.coordinator) == 1
        why.refresh_from_db()
        last.refresh_from_db()
        assert why.condition_question is None and why.condition_values == []
        assert (why.order, last.order) == (0, 1)
        builder.move_question(question=last, acting_user=world.coordinator, direction="up")
        assert list(draft.questions.order_by("order").values_list("label", flat=True)) == [
            "Dernière",
            "Pourquoi ?",
        ]
        with pytest.raises(ValidationError, match="déjà en tête"):
            builder.move_question(question=last, acting_user=world.coordinator, direction="up")


def test_a_section_with_questions_cannot_be_deleted(world, draft):
    with scope(organisation=world.organisation.pk):
        _save(world, draft, label="Reste")
        with pytest.raises(ValidationError, match="contient encore des questions"):
            builder.delete_section(section=draft.section, acting_user=world.coordinator)
        empty = builder.save_section(version=draft, acting_user=world.coordinator, title="Vide")
        assert empty.order == 1
        builder.delete_section(section=empty, acting_user=world.coordinator)
        assert list(draft.sections.values_list("title", flat=True)) == ["Partie 1"]


# --- Grids -----------------------------------------------------------------------------


def test_grid_criteria_keep_their_keys_and_new_ones_get_new_keys(world, draft):
    with scope(organisation=world.organisation.pk):
        grid = QuestionFactory(section=draft.section, grid=True)
        first, second, third = grid.criteria.all()
        keys = {c.pk: c.key for c in (first, second, third)}
        builder.save_criteria(
            question=grid,
            acting_user=world.coordinator,
            rows=[
                CriterionRow(criterion=third, label="Troisième, en tête", descriptors=["a", "b"]),
                CriterionRow(criterion=first, label="Premier renommé"),
                CriterionRow(criterion=second, label="x", delete=True),
                CriterionRow(label="Nouveau", help_text="Aide", descriptors=["1", "2", "3", "4"]),
            ],
        )
        criteria = list(grid.criteria.all())
        assert [c.label for c in criteria] == ["Troisième, en tête", "Premier renommé", "Nouveau"]
        assert criteria[0].key == keys[third.pk] and criteria[1].key == keys[first.pk]
        assert criteria[2].key not in keys.values()
        assert criteria[0].descriptors == ["a", "b", "", ""]
        assert criteria[2].descriptors == ["1", "2", "3", "4"]
        assert not Criterion.objects.filter(pk=second.pk).exists()


def test_grid_criteria_refuse_an_empty_label_or_no_criterion_at_all(world, draft):
    with scope(organisation=world.organisation.pk):
        grid = QuestionFactory(section=draft.section, grid=True)
        before = list(grid.criteria.values_list("label", flat=True))
        with pytest.raises(ValidationError):
            builder.save_criteria(
                question=grid, acting_user=world.coordinator, rows=[CriterionRow(label="  ")]
            )
        with pytest.raises(ValidationError, match="au moins un critère"):
            builder.save_criteria(
                question=grid,
                acting_user=world.coordinator,
                rows=[
                    CriterionRow(criterion=c, label=c.label, delete=True)
                    for c in grid.criteria.all()
                ],
            )
        assert list(grid.criteria.values_list("label", flat=True)) == before


def test_renaming_grid_levels_keeps_them_and_fits_descriptors(world, draft):
    with scope(organisation=world.organisation.pk):
        grid = _save(world, draft, kind="grid", label="Grille", choices=["A", "B", "C", "D"])
        level_ids = list(grid.choices.values_list("pk", flat=True))
        builder.save_criteria(
            question=grid,
            acting_user=world.coordinator,
            rows=[CriterionRow(label="Critère", descriptors=["a", "b", "c", "d"])],
        )
        _save(world, draft, question=grid, kind="grid", label="Grille", choices=["A2", "B2", "C2"])
        assert list(grid.choices.values_list("pk", "label")) == list(
            zip(level_ids[:3], ["A2", "B2", "C2"], strict=True)
        )
        assert grid.criteria.get().descriptors == ["a", "b", "c"]


def test_update_questionnaire_changes_the_draft_introduction_only(world, draft):
    with scope(organisation=world.organisation.pk):
        questionnaire = draft.questionnaire
        builder.update_questionnaire(
            questionnaire=questionnaire,
            acting_user=world.coordinator,
            title="  Nouveau titre ",
            purpose="satisfaction",
            programme=world.programme,
            introduction="Bienvenue",
        )
        questionnaire.refresh_from_db()
        draft.refresh_from_db()
        assert questionnaire.title == "Nouveau titre"
        assert questionnaire.programme == world.programme
        assert draft.introduction == "Bienvenue"
        with pytest.raises(ValidationError) as error:
            builder.update_questionnaire(
                questionnaire=questionnaire, acting_user=world.coordinator, title="", purpose="x"
            )
        assert set(error.value.message_dict) == {"title", "purpose"}
        builder.archive_questionnaire(questionnaire=questionnaire, acting_user=world.coordinator)
        assert Questionnaire.objects.get(pk=questionnaire.pk).archived
