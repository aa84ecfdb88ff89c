"""Questionnaires shipped with Sillon: each installs as a published questionnaire whose
content is the one promised (the PAT grid's six steps, the satisfaction questions, the
conditional "pourquoi ?")."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from evaluation import services
from evaluation.models import Question, Questionnaire
from evaluation.shipped import TEMPLATES, install_template
from tests.factories import MembershipFactory, OrganisationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

PAT_STEPS = [
    "1. Connaître son schéma actuel de gouvernance",
    "2. Connaître les leviers pour aller vers une gouvernance plus ouverte, partagée et robuste",
    "3. Clarifier les rôles en interne et avec les acteurs du territoire : "
    "co-construction, co-décision, co-mise en œuvre",
    "4. Monter en compétences sur l'animation de cette gouvernance",
    "5. Passer à l'action",
    "6. Évaluer son parcours",
]


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation, coordinator=True).user


def test_the_pat_governance_template_is_a_published_grid_of_the_six_steps(
    organisation, coordinator
):
    with scope(organisation=organisation.pk):
        questionnaire = install_template(
            organisation=organisation, code="pat_governance", acting_user=coordinator
        )
        questionnaire = Questionnaire.objects.get(pk=questionnaire.pk)
        assert questionnaire.template_code == "pat_governance"
        assert questionnaire.purpose == "self_diagnostic"
        assert questionnaire.programme is None
        version = services.current_version(questionnaire)
        assert version is not None and version.number == 1
        assert services.draft_version(questionnaire) is None
        grids = list(version.questions.filter(kind="grid"))
        assert len(grids) == 1
        grid = grids[0]
        assert grid.required
        assert [choice.label for choice in grid.choices.all()] == [
            "Émergent",
            "En construction",
            "Structuré",
            "Partagé et robuste",
        ]
        criteria = list(grid.criteria.all())
        assert [criterion.label for criterion in criteria] == PAT_STEPS
        for criterion in criteria:
            assert len(criterion.descriptors) == 4
            assert all(len(descriptor) > 20 for descriptor in criterion.descriptors)
        assert len({criterion.key for criterion in criteria}) == 6
        second = version.sections.order_by("order")[1]
        assert second.questions.filter(kind="long_text").count() >= 2


def test_satisfaction_hot_counts_the_overall_scale_and_asks_why_on_no(organisation, coordinator):
    with scope(organisation=organisation.pk):
        questionnaire = install_template(
            organisation=organisation, code="satisfaction_hot", acting_user=coordinator
        )
        version = services.current_version(questionnaire)
        overall = version.questions.get(satisfaction=True)
        assert overall.kind == "scale" and overall.required
        assert (overall.scale_min, overall.scale_max) == (1, 4)
        assert overall.min_label and overall.max_label
        recommend = version.questions.get(kind="yes_no")
        why = Question.objects.get(version=version, condition_question=recommend)
        assert why.kind == "long_text"
        assert why.condition_values == ["non"]


def test_every_template_installs_published_and_valid(organisation, coordinator):
    programme = ProgrammeFactory(organisation=organisation)
    with scope(organisation=organisation.pk):
        for code in TEMPLATES:
            questionnaire = install_template(
                organisation=organisation,
                code=code,
                acting_user=coordinator,
                programme=programme,
            )
            version = services.current_version(questionnaire)
            assert version.is_published, code
            assert version.questions.count() == TEMPLATES[code].question_count
            assert questionnaire.programme == programme
        assert Questionnaire.objects.filter(programme=programme).count() == len(TEMPLATES)
    cold = TEMPLATES["satisfaction_cold"]
    assert any(q.satisfaction for s in cold.sections for q in s.questions)


def test_an_unknown_template_is_refused_and_creates_nothing(organisation, coordinator):
    with scope(organisation=organisation.pk):
        with pytest.raises(ValidationError) as error:
            install_template(organisation=organisation, code="nope", acting_user=coordinator)
        assert "code" in error.value.message_dict
        assert not Questionnaire.objects.exists()
