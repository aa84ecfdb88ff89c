"""Results pages: who sees what (404 otherwise), anonymity everywhere, escaped text,
exports, progression and satisfaction pages, constant query counts."""

import csv
import io
import sys
import types

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluation.models import AnswerChange
from tests.evaluation.test_results import respond
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    OrganisationFactory,
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
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

SECRET_NAME = ("Zéphyrine", "Quasimodo-Anonyme")
SECRET_EMAIL = "zephyrine.secrete@exemple.fr"


def _members(team):
    with scopes_disabled():
        return [member.user for member in team.members.order_by("role__order", "pk")]


@pytest.fixture
def world():
    organisation = OrganisationFactory(slug="hdf")
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    observer = MembershipFactory(organisation=organisation, observer=True).user
    trainer = MembershipFactory(organisation=organisation, trainer=True).user
    other_trainer = MembershipFactory(organisation=organisation, trainer=True).user
    with scope(organisation=organisation.pk):
        parcours = build_programme(organisation=organisation, teams=2)
        programme = parcours.programme
        session = SessionFactory(
            programme=programme, kind=parcours.kind, title="Formation J1", facilitators=[trainer]
        )
        other_session = SessionFactory(
            programme=programme, kind=parcours.kind, facilitators=[other_trainer]
        )
        satisfaction = build_satisfaction_questionnaire(organisation=organisation)
        hot = CampaignFactory(
            programme=programme,
            version=satisfaction.version,
            hot=True,
            audience="session",
            session=session,
            title="À chaud J1",
        )
        other_hot = CampaignFactory(
            programme=programme,
            version=satisfaction.version,
            hot=True,
            audience="session",
            session=other_session,
        )
        team_a, team_b = parcours.teams
        people = _members(team_a) + _members(team_b)
        for person, number in zip(people, (4, 3, 4, 1), strict=False):
            respond(hot, {satisfaction.scale: number}, respondent=person)
        respond(
            hot,
            {satisfaction.text: "<script>alert('x')</script> =1+1"},
            respondent=people[4],
        )
    return {
        "organisation": organisation,
        "parcours": parcours,
        "programme": programme,
        "coordinator": coordinator,
        "observer": observer,
        "trainer": trainer,
        "other_trainer": other_trainer,
        "session": session,
        "satisfaction": satisfaction,
        "hot": hot,
        "other_hot": other_hot,
        "team_a": team_a,
        "team_b": team_b,
        "member_a": _members(team_a)[0],
        "member_b": _members(team_b)[0],
        "people": people,
    }


def url(name, world, *args):
    return reverse(f"evaluation:{name}", args=[world["organisation"].slug, *args])


def login(client, user):
    client.force_login(user)
    return client


# --- Campaign results ---------------------------------------------------------------------


def test_coordinator_sees_the_results_with_chart_table_and_satisfaction(client, world):
    hot = world["hot"]
    response = login(client, world["coordinator"]).get(url("campaign_results", world, hot.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "À chaud J1" in content
    assert f"version {hot.version.number}" in content
    assert "75\u00a0%" in content and "(n = 4)" in content
    assert "5 sur " in content  # five responses received
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="sillon-chart" role="img"' in content
    assert "Voir les données" in content and "<caption>" in content
    # The free text is escaped, never run.
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    # Coordinators see who wrote it (the campaign is not anonymous).
    assert str(world["people"][4]) in content


def test_participants_get_404_on_results(client, world):
    response = login(client, world["member_a"]).get(url("campaign_results", world, world["hot"].pk))
    assert response.status_code == 404


def test_trainer_sees_only_their_sessions_campaigns(client, world):
    login(client, world["trainer"])
    assert client.get(url("campaign_results", world, world["hot"].pk)).status_code == 200
    assert client.get(url("response_list", world, world["hot"].pk)).status_code == 200
    assert client.get(url("campaign_results", world, world["other_hot"].pk)).status_code == 404
    assert client.get(url("response_list", world, world["other_hot"].pk)).status_code == 404
    # Exports and reminders are for coordinators.
    assert client.get(url("export", world, world["hot"].pk)).status_code == 404
    assert client.get(url("non_respondents", world, world["hot"].pk)).status_code == 404


def test_observer_sees_aggregates_only(client, world):
    hot = world["hot"]
    login(client, world["observer"])
    response = client.get(url("campaign_results", world, hot.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "75\u00a0%" in content
    for person in world["people"]:
        assert str(person) not in content
    with scope(organisation=world["organisation"].pk):
        any_response = hot.responses.first()
    assert client.get(url("response_list", world, hot.pk)).status_code == 404
    assert client.get(url("response_detail", world, hot.pk, any_response.pk)).status_code == 404
    assert client.get(url("non_respondents", world, hot.pk)).status_code == 404
    assert client.get(url("export", world, hot.pk)).status_code == 404
    assert client.post(url("remind", world, hot.pk)).status_code == 404


def test_other_organisation_gets_404(client, world):
    stranger_org = OrganisationFactory()
    stranger = MembershipFactory(organisation=stranger_org, coordinator=True).user
    login(client, stranger)
    assert client.get(url("campaign_results", world, world["hot"].pk)).status_code == 404


def test_script_in_a_choice_label_is_escaped_in_the_chart(client, world):
    organisation = world["organisation"]
    with scope(organisation=organisation.pk):
        version = VersionFactory(questionnaire__organisation=organisation)
        question = QuestionFactory(
            section=SectionFactory(version=version),
            single=True,
            choices=["<script>alert(1)</script>", "Non"],
        )
        campaign = CampaignFactory(programme=world["programme"], version=version)
        first = question.choices.first()
        respond(
            campaign, {question: {"number": 1, "choices": [first.pk]}}, respondent=world["member_a"]
        )
    content = (
        login(client, world["coordinator"])
        .get(url("campaign_results", world, campaign.pk))
        .content.decode()
    )
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "1 (100\u00a0%)" in content


# --- Anonymous campaigns --------------------------------------------------------------------


@pytest.fixture
def anonymous(world):
    organisation = world["organisation"]
    with scope(organisation=organisation.pk):
        secret = UserFactory(
            first_name=SECRET_NAME[0], last_name=SECRET_NAME[1], email=SECRET_EMAIL
        )
        TeamMemberFactory(team=world["team_a"], user=secret)
        q = world["satisfaction"]
        # Closed, and at its threshold: its results and answers may be read.
        campaign = CampaignFactory(
            programme=world["programme"],
            version=q.version,
            anonymous=True,
            title="Anonyme",
            closed=True,
            anonymity_threshold=3,
        )
        from evaluation.models import Participation

        Participation.objects.create(
            organisation=organisation,
            campaign=campaign,
            user=secret,
            submitted_at=campaign.opens_at,
        )
        response = respond(campaign, {q.scale: 4, q.text: "Rien à signaler"})
        respond(campaign, {q.scale: 3, q.text: "Bien"})
        respond(campaign, {q.scale: 2})
    return {"campaign": campaign, "response": response, "secret": secret}


def _no_secret(content: str):
    for fragment in (*SECRET_NAME, SECRET_EMAIL, "Quasimodo"):
        assert fragment not in content


def test_anonymous_campaign_never_shows_the_respondent(client, world, anonymous):
    campaign = anonymous["campaign"]
    login(client, world["coordinator"])
    for page in (
        url("campaign_results", world, campaign.pk),
        url("response_list", world, campaign.pk),
        url("response_detail", world, campaign.pk, anonymous["response"].pk),
    ):
        response = client.get(page)
        assert response.status_code == 200
        _no_secret(response.content.decode())
    listing = client.get(url("response_list", world, campaign.pk)).content.decode()
    assert "Réponse anonyme n°1" in listing and "Réponse anonyme n°3" in listing
    detail = client.get(url("response_detail", world, campaign.pk, anonymous["response"].pk))
    assert "Rien à signaler" in detail.content.decode()
    assert "Envoyée le" not in detail.content.decode()
    csv_export = client.get(url("export", world, campaign.pk) + "?format=csv")
    _no_secret(csv_export.content.decode("utf-8"))
    rows = list(csv.reader(io.StringIO(csv_export.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][0] == "Êtes-vous satisfait·e de la séance ?"  # no name or team column
    xlsx_export = client.get(url("export", world, campaign.pk) + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_export.content)).active
    cells = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    _no_secret(cells)


# --- Responses one by one --------------------------------------------------------------------


def test_response_list_and_detail_with_change_history(client, world):
    organisation = world["organisation"]
    with scope(organisation=organisation.pk):
        grid = build_grid_questionnaire(organisation=organisation)
        campaign = CampaignFactory(
            programme=world["programme"], version=grid.version, per_team=True
        )
        response = respond(campaign, {(grid.grid, grid.criteria[0]): 2}, team=world["team_a"])
        AnswerChange.objects.create(
            organisation=organisation,
            response=response,
            question=grid.grid,
            criterion=grid.criteria[0],
            user=world["member_a"],
            before={"number": 1},
            after={"number": 2},
        )
    login(client, world["coordinator"])
    listing = client.get(url("response_list", world, campaign.pk)).content.decode()
    assert world["team_a"].name in listing
    detail = client.get(url("response_detail", world, campaign.pk, response.pk)).content.decode()
    assert "En construction" in detail  # level 2, as the person reads it
    assert "Historique des modifications" in detail
    assert str(world["member_a"]) in detail
    assert "Émergent" in detail  # before


def test_draft_responses_are_not_listed(client, world):
    with scope(organisation=world["organisation"].pk):
        draft = respond(world["hot"], {}, respondent=UserFactory(), status="draft")
    login(client, world["coordinator"])
    assert client.get(url("response_detail", world, world["hot"].pk, draft.pk)).status_code == 404


def test_response_list_queries_are_constant(client, world):
    hot, q = world["hot"], world["satisfaction"]

    def add(count):
        with scope(organisation=world["organisation"].pk):
            for _ in range(count):
                respond(hot, {q.scale: 2, q.text: "Bien"}, respondent=UserFactory())

    login(client, world["coordinator"])
    assert_constant_queries(client, url("response_list", world, hot.pk), add)


def test_results_page_queries_are_constant(client, world):
    hot, q = world["hot"], world["satisfaction"]

    def add(count):
        with scope(organisation=world["organisation"].pk):
            for _ in range(count):
                respond(hot, {q.scale: 2, q.single: 2, q.text: "Bien"}, respondent=UserFactory())

    login(client, world["coordinator"])
    assert_constant_queries(client, url("campaign_results", world, hot.pk), add)


# --- Non-respondents and reminders -------------------------------------------------------------


def test_non_respondents_lists_teams_with_members(client, world):
    with scope(organisation=world["organisation"].pk):
        grid = build_grid_questionnaire(organisation=world["organisation"])
        campaign = CampaignFactory(
            programme=world["programme"], version=grid.version, per_team=True
        )
        respond(campaign, {(grid.grid, grid.criteria[0]): 2}, team=world["team_a"])
    response = login(client, world["coordinator"]).get(url("non_respondents", world, campaign.pk))
    content = response.content.decode()
    assert world["team_b"].name in content
    assert world["member_b"].email in content
    assert world["team_a"].name not in content.split("<caption>")[1]
    assert "Relancer par e-mail" in content


@pytest.fixture
def fake_reminders(monkeypatch):
    calls = []
    module = types.ModuleType("evaluation.services.campaigns")

    def remind_non_respondents(*, campaign, acting_user):
        calls.append((campaign, acting_user))
        if len(calls) > 1:
            raise ValidationError("Une relance a déjà été envoyée il y a moins d'une heure.")
        return 12

    module.remind_non_respondents = remind_non_respondents
    monkeypatch.setitem(sys.modules, "evaluation.services.campaigns", module)
    return calls


def test_remind_calls_the_service_and_says_how_many(client, world, fake_reminders):
    hot = world["hot"]
    login(client, world["coordinator"])
    response = client.post(url("remind", world, hot.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("non_respondents", world, hot.pk)
    assert "12 personnes relancées." in response.content.decode()
    assert fake_reminders[0][0].pk == hot.pk
    again = client.post(url("remind", world, hot.pk), follow=True).content.decode()
    assert "moins d&#x27;une heure" in again
    assert client.get(url("remind", world, hot.pk)).status_code == 405


# --- Export -----------------------------------------------------------------------------------


def test_export_csv_and_xlsx_escape_formulas(client, world):
    hot = world["hot"]
    login(client, world["coordinator"])
    response = client.get(url("export", world, hot.pk))  # CSV by default
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][:2] == ["Personne", "Envoyée le"]
    assert len(rows) == 6
    texts = [row[-1] for row in rows[1:] if row[-1]]
    assert texts == ["<script>alert('x')</script> =1+1"]  # plain text, not HTML-escaped
    with scope(organisation=world["organisation"].pk):
        respond(hot, {world["satisfaction"].text: '=HYPERLINK("x")'}, respondent=UserFactory())
        respond(hot, {world["satisfaction"].text: "@SUM(1)"}, respondent=UserFactory())
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(url("export", world, hot.pk)).content.decode("utf-8").lstrip("\ufeff")
            )
        )
    )
    assert '\'=HYPERLINK("x")' in [row[-1] for row in rows]
    assert "'@SUM(1)" in [row[-1] for row in rows]
    xlsx = client.get(url("export", world, hot.pk) + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("x")' in values and "'@SUM(1)" in values
    assert client.get(url("export", world, hot.pk) + "?format=pdf").status_code == 404


# --- Progression ---------------------------------------------------------------------------------


@pytest.fixture
def progression(world):
    organisation = world["organisation"]
    with scope(organisation=organisation.pk):
        grid = build_grid_questionnaire(organisation=organisation)
        t0 = CampaignFactory(
            programme=world["programme"], version=grid.version, per_team=True, t0=True
        )
        t1 = CampaignFactory(
            programme=world["programme"], version=grid.version, per_team=True, t1=True
        )
        coach = CampaignFactory(
            programme=world["programme"], version=grid.version, assess_team=True, paired_with=t1
        )
        first = grid.criteria[0]
        respond(t0, {(grid.grid, first): 1}, team=world["team_a"])
        respond(t1, {(grid.grid, first): 3}, team=world["team_a"])
        respond(t0, {(grid.grid, first): 3}, team=world["team_b"])
        respond(t1, {(grid.grid, first): 3}, team=world["team_b"])
        respond(coach, {(grid.grid, first): 2}, subject=world["team_a"])
    return {"grid": grid, "t0": t0, "t1": t1}


def test_programme_progression_for_coordinators(client, world, progression):
    response = login(client, world["coordinator"]).get(
        url("programme_progression", world, world["programme"].pk)
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert world["team_a"].name in content and world["team_b"].name in content
    assert "1 → 3 (+2)" in content  # team A
    assert "3 → 3 (±0)" in content  # team B
    assert "2 → 3 (+1)" in content  # the cohort's average
    assert "sillon-chart" in content


def test_observers_see_the_cohort_average_without_team_names(client, world, progression):
    content = (
        login(client, world["observer"])
        .get(url("programme_progression", world, world["programme"].pk))
        .content.decode()
    )
    assert "2 → 3 (+1)" in content
    assert world["team_a"].name not in content and world["team_b"].name not in content
    team_url = url("team_progression", world, world["programme"].pk, world["team_a"].pk)
    assert client.get(team_url).status_code == 404


def test_participant_is_sent_to_their_own_team(client, world, progression):
    login(client, world["member_a"])
    response = client.get(url("programme_progression", world, world["programme"].pk))
    assert response.status_code == 302
    assert response.url == url("team_progression", world, world["programme"].pk, world["team_a"].pk)
    page = client.get(response.url).content.decode()
    assert "Auto-évaluation" in page and "Regard de l'accompagnateur·rice" in page
    assert "Structuré" in page  # the level reached at T1, with its descriptor
    assert "Connaître son schéma de gouvernance — niveau 3" in page
    other = url("team_progression", world, world["programme"].pk, world["team_b"].pk)
    assert client.get(other).status_code == 404


def test_person_self_and_coach_side_by_side_on_the_team_page(client, world):
    organisation = world["organisation"]
    with scope(organisation=organisation.pk):
        grid = build_grid_questionnaire(organisation=organisation)
        own = CampaignFactory(programme=world["programme"], version=grid.version, moment="during")
        coach = CampaignFactory(
            programme=world["programme"],
            version=grid.version,
            assess_person=True,
            paired_with=own,
            title="Évaluation du module 1",
        )
        first = grid.criteria[0]
        respond(own, {(grid.grid, first): 1}, respondent=world["member_a"])
        respond(coach, {(grid.grid, first): 4}, subject=world["member_a"])
    content = (
        login(client, world["coordinator"])
        .get(url("team_progression", world, world["programme"].pk, world["team_a"].pk))
        .content.decode()
    )
    assert "Évaluation du module 1" in content
    assert str(world["member_a"]) in content
    assert "Émergent" in content and "Exemplaire" in content


def test_progression_pages_queries_are_constant(client, world, progression):
    grid = progression["grid"]

    def add(count):
        with scope(organisation=world["organisation"].pk):
            for _ in range(count):
                team = TeamMemberFactory(team__cohort=world["parcours"].cohort).team
                respond(progression["t0"], {(grid.grid, grid.criteria[1]): 2}, team=team)
                respond(progression["t1"], {(grid.grid, grid.criteria[1]): 4}, team=team)

    login(client, world["coordinator"])
    programme = world["programme"].pk
    assert_constant_queries(client, url("programme_progression", world, programme), add)
    team_page = url("team_progression", world, programme, world["team_a"].pk)
    assert_constant_queries(client, team_page, add)


# --- Satisfaction ---------------------------------------------------------------------------------


def test_programme_satisfaction_per_session(client, world):
    response = login(client, world["coordinator"]).get(
        url("programme_satisfaction", world, world["programme"].pk)
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Formation J1" in content
    assert "75\u00a0% (n = 4)" in content
    assert "pas encore de réponse" in content  # the other session
    participant = login(client, world["member_a"]).get(
        url("programme_satisfaction", world, world["programme"].pk)
    )
    assert participant.status_code == 404


def test_programme_satisfaction_queries_are_constant(client, world):
    hot, q = world["hot"], world["satisfaction"]

    def add(count):
        with scope(organisation=world["organisation"].pk):
            for _ in range(count):
                session = SessionFactory(programme=world["programme"], kind=world["parcours"].kind)
                campaign = CampaignFactory(
                    programme=world["programme"],
                    version=q.version,
                    hot=True,
                    session=session,
                    audience="session",
                )
                respond(campaign, {q.scale: 4}, respondent=UserFactory())
                respond(hot, {q.scale: 4}, respondent=UserFactory())

    login(client, world["coordinator"])
    assert_constant_queries(
        client, url("programme_satisfaction", world, world["programme"].pk), add
    )


# --- Confidential questions and observers ------------------------------------------------------

CONFIDENTIAL_TEXT = "malentendante — besoin d'être placée près du formateur"


@pytest.fixture
def confidential(world):
    """The trainer's « à chaud » asks a confidential question; one person answered it."""
    organisation = world["organisation"]
    with scope(organisation=organisation.pk):
        section = world["satisfaction"].scale.section
        question = QuestionFactory(
            section=section, long_text=True, confidential=True, label="Besoins particuliers"
        )
        response = respond(
            world["hot"],
            {world["satisfaction"].scale: 4, question: CONFIDENTIAL_TEXT},
            respondent=UserFactory(first_name="Inès", last_name="Discrète"),
        )
    return {"question": question, "response": response}


def test_only_coordinators_read_a_confidential_answer(client, world, confidential):
    hot = world["hot"]
    detail_url = url("response_detail", world, hot.pk, confidential["response"].pk)
    login(client, world["coordinator"])
    assert "malentendante" in client.get(url("campaign_results", world, hot.pk)).content.decode()
    assert "malentendante" in client.get(detail_url).content.decode()
    csv_export = client.get(url("export", world, hot.pk) + "?format=csv").content.decode("utf-8")
    assert CONFIDENTIAL_TEXT in csv_export
    for who in ("trainer", "observer"):
        login(client, world[who])
        page = client.get(url("campaign_results", world, hot.pk)).content.decode()
        assert "malentendante" not in page
        assert "Besoins particuliers" in page and "1 réponse" in page
        assert "Réponse confidentielle (coordinateurs)" in page
    login(client, world["trainer"])
    detail = client.get(detail_url).content.decode()
    assert "malentendante" not in detail
    assert "Réponse confidentielle (coordinateurs)" in detail
    # The trainer has no export; the observer neither.
    assert client.get(url("export", world, hot.pk) + "?format=csv").status_code == 404


def test_a_confidential_question_feeds_no_satisfaction_rate(world):
    from evaluation import results

    organisation = world["organisation"]
    with scope(organisation=organisation.pk):
        section = world["satisfaction"].scale.section
        secret_scale = QuestionFactory(
            section=section, scale=True, satisfaction=True, confidential=True
        )
        respond(world["hot"], {secret_scale: 1}, respondent=UserFactory())
        computed = results.campaign_results(world["hot"], sees_confidential=True)
        by_campaign = results.satisfaction_by_campaign([world["hot"]])
    assert computed.satisfaction == results.Rate(3, 4)  # as without the confidential one
    assert by_campaign[world["hot"].pk] == results.Rate(3, 4)


def test_observers_see_names_only_where_the_programme_allows_it(client, world, confidential):
    hot = world["hot"]
    author = str(world["people"][4])
    login(client, world["observer"])
    assert author not in client.get(url("campaign_results", world, hot.pk)).content.decode()
    with scopes_disabled():
        world["programme"].__class__.objects.filter(pk=world["programme"].pk).update(
            observers_see_names=True
        )
    page = client.get(url("campaign_results", world, hot.pk)).content.decode()
    assert author in page
    # Never a confidential answer, nor the answers one by one.
    assert "malentendante" not in page
    assert client.get(url("response_list", world, hot.pk)).status_code == 404


def test_results_show_figures_with_their_n_and_the_audience_fallback(client, world):
    hot = world["hot"]
    with scopes_disabled():
        hot.__class__.objects.filter(pk=hot.pk).update(audience_fallback=True)
    content = login(client, world["coordinator"]).get(url("campaign_results", world, hot.pk))
    content = content.content.decode()
    assert "Envoyée aux inscrit·es : aucune feuille d'émargement" in content
    # Scale 1–4 answered 4, 3, 4, 1: mean 3,00 out of 4.
    assert "moyenne 3,00 / 4 (n = 4)" in content
    assert "75\u00a0%" in content and "(n = 4)" in content
