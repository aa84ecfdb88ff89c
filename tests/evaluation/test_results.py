"""Results computed on known data: distributions, satisfaction rates, progression
T0 → T1 → T2 with the cohort's average, self vs coach; constant query counts."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from evaluation import progression as prog
from evaluation import results
from evaluation.models import Answer, Question, Response
from tests.factories import (
    CampaignFactory,
    ChoiceFactory,
    CriterionFactory,
    QuestionFactory,
    SectionFactory,
    SessionFactory,
    TeamMemberFactory,
    UserFactory,
    VersionFactory,
    build_grid_questionnaire,
    build_programme,
    build_satisfaction_questionnaire,
)

pytestmark = pytest.mark.django_db


def respond(campaign, values, *, team=None, respondent=None, subject=None, status="submitted"):
    """A response of ``campaign`` with ``values``: {question: value} or
    {(question, criterion): value}; a value is a number, a str (text), a list (choice
    ids) or a dict of Answer fields."""
    if campaign.anonymous:
        key = f"anonymous:{uuid.uuid4().hex}"
    elif campaign.mode == "team":
        key = f"team:{team.pk}"
    elif campaign.mode == "person":
        key = f"person:{respondent.pk}"
    elif campaign.mode == "assess_team":
        key = f"subject-team:{subject.pk}"
    else:
        key = f"subject-person:{subject.pk}"
    response = Response.objects.create(
        organisation=campaign.organisation,
        campaign=campaign,
        version=campaign.version,
        key=key,
        team=team if campaign.mode == "team" else None,
        respondent=respondent if campaign.mode == "person" and not campaign.anonymous else None,
        subject_team=subject if campaign.mode == "assess_team" else None,
        subject_user=subject if campaign.mode == "assess_person" else None,
        status=status,
        submitted_at=timezone.now() if status == "submitted" else None,
    )
    for target, value in values.items():
        question, criterion = target if isinstance(target, tuple) else (target, None)
        fields = {}
        if isinstance(value, dict):
            fields = value
        elif isinstance(value, str):
            fields = {"text": value}
        elif isinstance(value, list):
            fields = {"choices": value}
        else:
            fields = {"number": value}
        Answer.objects.create(
            organisation=campaign.organisation,
            response=response,
            question=question,
            criterion=criterion,
            **fields,
        )
    return response


@pytest.fixture
def parcours():
    programme = build_programme(teams=3)
    with scope(organisation=programme.organisation.pk):
        yield programme


def _satisfaction_campaign(parcours, **kwargs):
    questionnaire = build_satisfaction_questionnaire(organisation=parcours.organisation)
    campaign = CampaignFactory(
        programme=parcours.programme, version=questionnaire.version, hot=True, **kwargs
    )
    return campaign, questionnaire


# --- Satisfaction ---------------------------------------------------------------------------


def test_satisfaction_rate_is_the_share_of_the_two_best_levels(parcours):
    campaign, q = _satisfaction_campaign(parcours)
    for number in (4, 3, 4, 1):
        respond(campaign, {q.scale: number}, respondent=UserFactory())
    respond(campaign, {q.scale: 1}, respondent=UserFactory(), status="draft")  # not sent

    computed = results.campaign_results(campaign)

    assert computed.satisfaction == results.Rate(3, 4)
    assert str(computed.satisfaction) == "75\u00a0% (n = 4)"
    scale = computed.questions[0]
    assert scale.rows == [
        ("1 — Pas du tout satisfait·e", 1),
        ("2", 0),
        ("3", 1),
        ("4 — Très satisfait·e", 2),
    ]
    assert scale.answered == 4
    assert scale.mean == 3.0
    assert computed.submitted == 4


def test_satisfaction_rate_function_on_answers(parcours):
    _campaign, q = _satisfaction_campaign(parcours)
    answers = [Answer(question=q.scale, number=n) for n in (4, 3, 2, 2)]
    assert results.satisfaction_rate(answers) == results.Rate(2, 4)
    assert results.satisfaction_rate([]) is None
    # A question not flagged "satisfaction" does not count.
    assert results.satisfaction_rate([Answer(question=q.single, number=3)]) is None


def test_satisfaction_on_a_single_choice_counts_the_two_highest_choices(parcours):
    version = VersionFactory(questionnaire__organisation=parcours.organisation)
    question = QuestionFactory(
        section=SectionFactory(version=version),
        single=True,
        satisfaction=True,
        choices=["Décevant", "Moyen", "Bien", "Excellent"],
    )
    choices = {c.value: c for c in question.choices.all()}
    campaign = CampaignFactory(programme=parcours.programme, version=version, hot=True)
    # One stored with its value, one by choice id only.
    respond(
        campaign, {question: {"number": 4, "choices": [choices[4].pk]}}, respondent=UserFactory()
    )
    respond(campaign, {question: [choices[3].pk]}, respondent=UserFactory())
    respond(
        campaign, {question: {"number": 1, "choices": [choices[1].pk]}}, respondent=UserFactory()
    )

    computed = results.campaign_results(campaign)

    assert computed.satisfaction == results.Rate(2, 3)
    assert computed.questions[0].rows == [
        ("Décevant", 1),
        ("Moyen", 0),
        ("Bien", 1),
        ("Excellent", 1),
    ]


def test_satisfaction_per_session_and_programme(parcours):
    session = SessionFactory(programme=parcours.programme, kind=parcours.kind, title="J1")
    quiet = SessionFactory(programme=parcours.programme, kind=parcours.kind, title="J2")
    hot, q = _satisfaction_campaign(parcours, session=session, audience="session")
    CampaignFactory(
        programme=parcours.programme, version=q.version, hot=True, session=quiet, audience="session"
    )
    cold = CampaignFactory(programme=parcours.programme, version=q.version, moment="cold")
    free = CampaignFactory(programme=parcours.programme, version=q.version, moment="free")
    for number in (4, 4, 1):
        respond(hot, {q.scale: number}, respondent=UserFactory())
    respond(cold, {q.scale: 3}, respondent=UserFactory())
    respond(free, {q.scale: 1}, respondent=UserFactory())  # neither hot nor cold

    from evaluation.models import Campaign

    campaigns = list(
        Campaign.objects.filter(programme=parcours.programme).select_related("session")
    )
    overview = results.programme_satisfaction(campaigns)

    assert [(row.session.title, row.rate) for row in overview.sessions] == [
        ("J1", results.Rate(2, 3)),
        ("J2", None),
    ]
    assert overview.programme == results.Rate(3, 4)
    assert overview.hot == results.Rate(2, 3)
    assert overview.cold == results.Rate(1, 1)


# --- Distributions -----------------------------------------------------------------------


def test_distributions_means_and_texts(parcours):
    version = VersionFactory(questionnaire__organisation=parcours.organisation)
    section = SectionFactory(version=version)
    multiple = QuestionFactory(section=section, multiple=True)
    yes_no = QuestionFactory(section=section, yes_no=True)
    number = QuestionFactory(section=section, number=True)
    text = QuestionFactory(section=section, long_text=True)
    grid = QuestionFactory(section=section, grid=True, criteria=["Vision", "Pilotage"])
    vision, pilotage = grid.criteria.all()
    a, b, _c = multiple.choices.all()
    campaign = CampaignFactory(programme=parcours.programme, version=version)
    alice = UserFactory(first_name="Alice", last_name="Martin")
    respond(
        campaign,
        {
            multiple: [a.pk, b.pk],
            yes_no: 1,
            number: 10,
            text: "<script>alert(1)</script>",
            (grid, vision): {"number": 1, "comment": "On démarre"},
            (grid, pilotage): 2,
        },
        respondent=alice,
    )
    respond(
        campaign,
        {multiple: [b.pk], yes_no: 0, number: 20, (grid, vision): 3, (grid, pilotage): 2},
        respondent=UserFactory(),
    )

    computed = results.campaign_results(campaign, with_authors=True)
    by_question = {r.question.pk: r for r in computed.questions}

    assert by_question[multiple.pk].rows == [("Option A", 1), ("Option B", 2), ("Option C", 0)]
    assert by_question[multiple.pk].answered == 2
    assert by_question[yes_no.pk].rows == [("Oui", 1), ("Non", 1)]
    assert by_question[number.pk].mean == 15
    assert (by_question[number.pk].minimum, by_question[number.pk].maximum) == (10, 20)
    assert by_question[text.pk].texts == [
        results.TextAnswer("<script>alert(1)</script>", "Alice Martin")
    ]
    criteria = by_question[grid.pk].criteria
    assert [c.criterion.label for c in criteria] == ["Vision", "Pilotage"]
    assert criteria[0].rows == [
        ("1 · Émergent", 1),
        ("2 · En construction", 0),
        ("3 · Structuré", 1),
        ("4 · Exemplaire", 0),
    ]
    assert criteria[0].mean == 2
    assert criteria[0].comments == [results.TextAnswer("On démarre", "Alice Martin")]
    assert criteria[1].mean == 2
    assert computed.expected == 9  # three teams of three members


def test_anonymous_results_name_nobody(parcours):
    version = VersionFactory(questionnaire__organisation=parcours.organisation)
    text = QuestionFactory(section=SectionFactory(version=version), long_text=True)
    campaign = CampaignFactory(
        programme=parcours.programme, version=version, anonymous=True, anonymity_threshold=3
    )
    for words in ("Très bien", "assez bien", "Bien"):
        respond(campaign, {text: words})

    computed = results.campaign_results(campaign, with_authors=True)

    # Alphabetical, whatever the order they were sent in; and by nobody.
    assert computed.questions[0].texts == [
        results.TextAnswer("assez bien", ""),
        results.TextAnswer("Bien", ""),
        results.TextAnswer("Très bien", ""),
    ]


def test_only_the_first_texts_are_loaded_with_their_count(parcours):
    campaign, q = _satisfaction_campaign(parcours)
    for index in range(5):
        respond(campaign, {q.scale: 4, q.text: f"Avis {index}"}, respondent=UserFactory())
    grid = build_grid_questionnaire(organisation=parcours.organisation)
    grid_campaign = CampaignFactory(
        programme=parcours.programme, version=grid.version, per_team=True
    )
    for index, team in enumerate(parcours.teams):
        respond(
            grid_campaign,
            {(grid.grid, grid.criteria[0]): {"number": 2, "comment": f"C{index}"}},
            team=team,
        )

    (_scale, _single, text) = results.campaign_results(campaign, text_limit=2).questions
    (grid_result, _comment) = results.campaign_results(grid_campaign, text_limit=2).questions

    assert [answer.text for answer in text.texts] == ["Avis 0", "Avis 1"]
    assert text.text_count == text.answered == 5
    assert [c.text for c in grid_result.criteria[0].comments] == ["C0", "C1"]
    assert grid_result.criteria[0].comment_count == 3


def test_campaign_results_queries_do_not_grow(parcours):
    campaign, q = _satisfaction_campaign(parcours)

    def count():
        with CaptureQueriesContext(connection) as context:
            results.campaign_results(campaign, with_authors=True)
        return len(context.captured_queries)

    respond(campaign, {q.scale: 4, q.text: "Bien"}, respondent=UserFactory())
    few = count()
    for _ in range(10):
        respond(campaign, {q.scale: 3, q.text: "Oui"}, respondent=UserFactory())
    assert count() == few <= 9


# --- Progression ----------------------------------------------------------------------------


def _next_version(grid_questionnaire):
    """Version 2 of a grid questionnaire: same question and criteria keys (what the
    versioning service keeps), new rows."""
    old = grid_questionnaire
    version = VersionFactory(questionnaire=old.questionnaire, number=old.version.number + 1)
    section = SectionFactory(version=version)
    grid = Question.objects.create(
        organisation=version.organisation,
        version=version,
        section=section,
        key=old.grid.key,
        kind="grid",
        label=old.grid.label,
    )
    for level in old.levels:
        ChoiceFactory(question=grid, label=level.label, value=level.value)
    criteria = [
        CriterionFactory(
            question=grid, key=c.key, label=c.label, order=c.order, descriptors=c.descriptors
        )
        for c in old.criteria
    ]
    return version, grid, criteria


@pytest.fixture
def progression(parcours):
    grid = build_grid_questionnaire(organisation=parcours.organisation)
    t0 = CampaignFactory(programme=parcours.programme, version=grid.version, per_team=True, t0=True)
    version2, grid2, criteria2 = _next_version(grid)
    t1 = CampaignFactory(programme=parcours.programme, version=version2, per_team=True, t1=True)
    team_a, team_b, team_c = parcours.teams
    first, second, _third = grid.criteria
    respond(t0, {(grid.grid, first): 1, (grid.grid, second): 2}, team=team_a)
    respond(t0, {(grid.grid, first): 3, (grid.grid, second): 2}, team=team_b)
    respond(t1, {(grid2, criteria2[0]): 3, (grid2, criteria2[1]): 2}, team=team_a)
    respond(t1, {(grid2, criteria2[0]): 3}, team=team_b)
    respond(t1, {(grid2, criteria2[0]): 1}, team=team_c, status="draft")
    return {"grid": grid, "t0": t0, "t1": t1, "teams": parcours.teams, "criteria2": criteria2}


def test_team_progression_between_t0_and_t1_with_the_cohort_average(parcours, progression):
    computed = prog.programme_progression(parcours.programme)

    (family,) = computed.families
    team_a, team_b, team_c = progression["teams"]
    first, second, third = (info.key for info in family.criteria)
    assert family.moments == ["t0", "t1"]
    assert [info.label for info in family.criteria] == [
        "Connaître son schéma de gouvernance",
        "Partager les décisions",
        "Animer le collectif",
    ]
    assert family.max_level == 4
    assert family.level(team_a.pk, first, "t0") == 1
    assert family.level(team_a.pk, first, "t1") == 3
    assert family.level(team_b.pk, second, "t1") is None  # not answered
    assert family.level(team_c.pk, first, "t1") is None  # a draft does not count
    cohort = family.cohort()
    assert cohort[first] == {"t0": 2, "t1": 3}
    assert cohort[second] == {"t0": 2, "t1": 2}
    assert cohort[third] == {"t0": None, "t1": None}
    path = [family.level(team_a.pk, first, m) for m in family.moments]
    assert prog.format_path(path) == "1 → 3 (+2)"
    assert family.criteria[0].descriptor(3) == "Connaître son schéma de gouvernance — niveau 3"
    assert family.criteria[0].level_label(3) == "Structuré"


def test_progression_of_one_team_keeps_the_cohort_average_of_every_team(parcours, progression):
    team_a, team_b, _team_c = progression["teams"]
    (everyone,) = prog.programme_progression(parcours.programme).families

    (one,) = prog.programme_progression(parcours.programme, team_id=team_b.pk).families

    assert set(one.teams) == {team_b.pk}
    assert one.cohort() == everyone.cohort()
    key = one.criteria[0].key
    assert one.level(team_b.pk, key, "t0") == everyone.level(team_b.pk, key, "t0") == 3
    assert one.level(team_a.pk, key, "t0") is None

    # Two campaigns at one moment: the last level sent counts, the average too.
    grid = progression["grid"]
    again = CampaignFactory(
        programme=parcours.programme, version=grid.version, per_team=True, t0=True
    )
    respond(again, {(grid.grid, grid.criteria[0]): 4}, team=team_a)
    (everyone,) = prog.programme_progression(parcours.programme).families
    (one,) = prog.programme_progression(parcours.programme, team_id=team_a.pk).families
    assert one.cohort() == everyone.cohort()
    assert everyone.cohort()[key]["t0"] == 3.5
    assert one.level(team_a.pk, key, "t0") == 4


def test_coach_assessment_paired_with_the_team_campaign(parcours, progression):
    t1 = progression["t1"]
    team_a = progression["teams"][0]
    criteria2 = progression["criteria2"]
    # Paired from the assessment's side…
    coach = CampaignFactory(
        programme=parcours.programme, version=t1.version, assess_team=True, paired_with=t1
    )
    respond(coach, {(criteria2[0].question, criteria2[0]): 2}, subject=team_a)
    (family,) = prog.programme_progression(parcours.programme).families
    key = family.criteria[0].key
    assert family.has_coach
    assert family.coach_level(team_a.pk, key, "t1") == 2
    assert family.level(team_a.pk, key, "t1") == 3

    # …or from the team campaign's side.
    coach.paired_with = None
    coach.save()
    t0 = progression["t0"]
    t0.paired_with = coach
    t0.save()
    (family,) = prog.programme_progression(parcours.programme).families
    assert family.coach_level(team_a.pk, key, "t0") == 2
    assert family.coach_level(team_a.pk, key, "t1") is None


def test_person_self_and_coach_assessments(parcours):
    grid = build_grid_questionnaire(organisation=parcours.organisation)
    own = CampaignFactory(programme=parcours.programme, version=grid.version, moment="during")
    coach = CampaignFactory(
        programme=parcours.programme, version=grid.version, assess_person=True, paired_with=own
    )
    person = UserFactory()
    first = grid.criteria[0]
    respond(own, {(grid.grid, first): 2}, respondent=person)
    respond(coach, {(grid.grid, first): 4}, subject=person)

    computed = prog.programme_progression(parcours.programme)

    assert computed.families == []  # no team campaign at T0/T1/T2
    (pair,) = computed.person_pairs
    key = (grid.grid.key, first.key)
    assert pair.own[person.pk][key] == 2
    assert pair.coach[person.pk][key] == 4


def test_progression_queries_do_not_grow(parcours, progression):
    def count():
        with CaptureQueriesContext(connection) as context:
            prog.programme_progression(parcours.programme)
        return len(context.captured_queries)

    few = count()
    grid = progression["grid"]
    for _ in range(5):
        team = TeamMemberFactory(team__cohort=parcours.cohort).team
        respond(progression["t0"], {(grid.grid, grid.criteria[0]): 2}, team=team)
    assert count() == few <= 6


def test_format_level_and_path():
    assert prog.format_level(None) == "—"
    assert prog.format_level(2.5) == "2,5"
    assert prog.format_path([3, None, 2]) == "3 → — → 2 (−1)"
    assert prog.format_path([2, 2]) == "2 → 2 (±0)"
    assert prog.format_path([None]) == "—"


def test_dates_are_listed(parcours):
    version = VersionFactory(questionnaire__organisation=parcours.organisation)
    question = QuestionFactory(section=SectionFactory(version=version), date=True)
    campaign = CampaignFactory(programme=parcours.programme, version=version)
    respond(
        campaign,
        {question: {"date": (timezone.now() - timedelta(days=1)).date()}},
        respondent=UserFactory(),
    )
    (result,) = results.campaign_results(campaign).questions
    assert result.answered == 1


def test_an_external_evaluation_counts_in_the_programme_figures(parcours):
    from decimal import Decimal

    campaign, q = _satisfaction_campaign(parcours)
    for number in (4, 4, 1):
        respond(campaign, {q.scale: number}, respondent=UserFactory())
    external = CampaignFactory(
        programme=parcours.programme,
        version=None,
        questionnaire=None,
        external=True,
        moment="cold",
        external_invited=30,
        external_respondents=20,
        external_satisfaction=Decimal("85.0"),
    )
    computed = results.campaign_results(external)
    overview = results.programme_satisfaction([campaign, external])

    assert (computed.submitted, computed.expected) == (20, 30)
    assert str(computed.satisfaction) == "85\u00a0% (n = 20)"
    assert str(computed.response_rate) == "66,7\u00a0% (n = 30)"
    assert overview.cold == results.Rate(17.0, 20)
    # Counted like any other campaign: (2 + 17) satisfied out of (3 + 20).
    assert str(overview.programme) == "82,6\u00a0% (n = 23)"
