"""The answering pages: a team fills its collective answer (autosave and plain posts),
people answer their own or anonymous questionnaires, assessors go from one subject to
the next; "mes questionnaires", the home section and the session panel."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from evaluation.answer_values import field_name
from evaluation.extensions import questionnaires_home_panel, session_campaigns_panel
from evaluation.models import Answer, Participation, Response
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    QuestionFactory,
    SectionFactory,
    SessionFactory,
    UserFactory,
    VersionFactory,
    build_grid_questionnaire,
    build_programme,
    build_satisfaction_questionnaire,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    """A published programme with two teams of three, a team self-diagnostic (maturity
    grid + long text) open for two weeks, a coordinator and a trainer."""
    with scopes_disabled():
        w = build_programme(teams=2, members_per_team=3)
        w.form = build_grid_questionnaire(organisation=w.organisation)
        w.campaign = CampaignFactory(
            programme=w.programme,
            version=w.form.version,
            per_team=True,
            t0=True,
            title="Autodiagnostic T0",
            message="Prenez le temps d'en parler ensemble.",
        )
        w.team = w.teams[0]
        w.alice, w.bruno, w.chloe = [m.user for m in w.team.members.order_by("pk")]
        w.alice.first_name, w.alice.last_name = "Alice", "Martin"
        w.alice.save()
        w.outsider = w.teams[1].members.first().user
        w.coordinator = MembershipFactory(organisation=w.organisation, coordinator=True).user
        w.trainer = MembershipFactory(organisation=w.organisation, trainer=True).user
    return w


def answer_url(w, campaign=None):
    campaign = campaign or w.campaign
    return reverse("evaluation:answer", args=[w.organisation.slug, campaign.pk])


def grid_name(w, index):
    return field_name(w.form.grid, w.form.criteria[index])


def stored(w, team=None):
    with scope(organisation=w.organisation.pk):
        response = Response.objects.filter(campaign=w.campaign, team=team or w.team).first()
        if response is None:
            return None, {}
        answers = {
            field_name(a.question_id, a.criterion_id): a
            for a in Answer.objects.filter(response=response)
        }
        return response, answers


def revision_in(page: str, name: str) -> str:
    return re.search(rf'name="rev_{name}" value="(\d+)"', page).group(1)


# --- A team fills its collective answer ------------------------------------------------


def test_a_team_member_sees_the_questionnaire_and_a_get_writes_nothing(client, world):
    w = world
    client.force_login(w.alice)
    page = client.get(answer_url(w))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Autodiagnostic T0" in content and "Prenez le temps d&#x27;en parler" in content
    assert f"Version {w.form.version.number}" in content
    assert "À remplir avant le" in content
    assert f"Réponse collective de l'équipe {w.team.name}" in content
    assert "0 questions sur 2 répondues" in content and "<progress" in content
    # Each level with its descriptor, a comment per criterion.
    assert "Connaître son schéma de gouvernance — niveau 3" in content
    assert f'name="{grid_name(w, 0)}_comment"' in content
    assert '<fieldset class="criterion' in content
    assert stored(w) == (None, {})


def test_autosave_of_one_question_with_htmx(client, world):
    w = world
    client.force_login(w.alice)
    name = grid_name(w, 0)
    page = client.post(
        answer_url(w),
        {name: "2", f"rev_{name}": "0", f"{name}_comment": "On démarre"},
        **HTMX,
    )
    content = page.content.decode()
    assert page.status_code == 200
    assert f'id="{name}-status" class="field-status" hx-swap-oob="true"' in content
    assert f'name="rev_{name}" value="1"' in content
    assert 'id="answer-progress"' in content and "Enregistré à" in content
    assert "Modifié par Alice Martin le" in content
    _response, answers = stored(w)
    assert answers[name].number == 2 and answers[name].comment == "On démarre"
    # The other criteria were not posted: nothing about them was written.
    assert set(answers) == {name}


def test_a_second_member_sees_the_first_ones_answers_and_who_changed_them(client, world):
    w = world
    client.force_login(w.alice)
    name = grid_name(w, 1)
    client.post(answer_url(w), {name: "3", f"rev_{name}": "0"}, **HTMX)
    client.force_login(w.bruno)
    content = client.get(answer_url(w)).content.decode()
    assert re.search(rf'id="{name}-3"\s+checked', content.replace('"  ', '" ')) or (
        f'value="3" id="{name}-3" checked' in content
    )
    assert "Modifié par Alice Martin le" in content
    assert "Historique" in content and "« Niveau" not in content  # history shows the label
    assert "Alice Martin, le" in content and "« En construction »" not in content
    assert "« Structuré »" in content


def test_a_plain_post_saves_every_field_and_sends(client, world):
    w = world
    client.force_login(w.alice)
    data = {"action": "submit", field_name(w.form.comment): "Mieux partager"}
    for index in range(3):
        data[grid_name(w, index)] = str(index + 1)
        data[f"rev_{grid_name(w, index)}"] = "0"
    data[f"rev_{field_name(w.form.comment)}"] = "0"
    page = client.post(answer_url(w), data)
    assert page.status_code == 302 and page.url == answer_url(w)
    response, answers = stored(w)
    assert response.is_submitted and response.submitted_by == w.alice
    assert answers[field_name(w.form.comment)].text == "Mieux partager"
    content = client.get(answer_url(w)).content.decode()
    assert "Vos réponses ont été envoyées" in content
    assert "Réponses envoyées par Alice Martin le" in content
    assert "2 questions sur 2 répondues" in content


def test_sending_with_a_missing_required_answer_shows_errors_next_to_the_fields(client, world):
    w = world
    client.force_login(w.alice)
    first = grid_name(w, 0)
    data = {"action": "submit", first: "4", field_name(w.form.comment): "Du texte"}
    for index in range(3):
        data[f"rev_{grid_name(w, index)}"] = "0"
    data[f"rev_{field_name(w.form.comment)}"] = "0"
    page = client.post(answer_url(w), data)
    content = page.content.decode()
    assert page.status_code == 200
    assert "2 réponses sont à corriger" in content
    assert f'href="#{grid_name(w, 1)}-1"' in content  # the summary links to the field
    error_block = re.search(rf'<div id="{grid_name(w, 1)}-error">(.*?)</div>', content, re.S)
    assert "Choisissez un niveau pour ce critère." in error_block.group(1)
    assert f'value="4" id="{first}-4" checked' in content
    response, answers = stored(w)
    assert not response.is_submitted
    assert answers[first].number == 4 and answers[field_name(w.form.comment)].text == "Du texte"


def test_a_conflict_shows_what_the_other_member_wrote_and_lets_one_replace(client, world):
    w = world
    name = grid_name(w, 0)
    client.force_login(w.alice)
    client.post(answer_url(w), {name: "2", f"rev_{name}": "0"}, **HTMX)
    client.force_login(w.bruno)  # loaded the page before Alice saved: revision 0
    page = client.post(answer_url(w), {name: "4", f"rev_{name}": "0"}, **HTMX)
    content = page.content.decode()
    assert "Alice Martin a modifié cette réponse à" in content
    assert "« Niveau 2" not in content and "« En construction »" in content
    assert "Votre saisie : « Exemplaire »" in content
    assert f'value="{name}:1"' in content and "Garder sa réponse" in content
    _response, answers = stored(w)
    assert answers[name].number == 2
    page = client.post(
        answer_url(w), {name: "4", f"rev_{name}": "0", "replace": f"{name}:1"}, **HTMX
    )
    _response, answers = stored(w)
    assert answers[name].number == 4 and answers[name].updated_by == w.bruno


def test_a_full_post_leaves_alone_what_the_person_did_not_touch(client, world):
    """Bruno's page showed an empty criterion that Alice filled meanwhile: sending his
    form neither erases her answer nor reports a conflict."""
    w = world
    first, second = grid_name(w, 0), grid_name(w, 1)
    client.force_login(w.bruno)
    page = client.get(answer_url(w)).content.decode()
    seen = dict(re.findall(r'name="seen_(q[\d_c]+)" value="([0-9a-f]+)"', page))
    client.force_login(w.alice)
    client.post(answer_url(w), {first: "3", f"rev_{first}": "0"}, **HTMX)
    client.force_login(w.bruno)
    data = {"action": "draft", second: "1"}
    for name in (first, second):
        data[f"rev_{name}"] = "0"
        data[f"seen_{name}"] = seen[name]
    page = client.post(answer_url(w), data)
    assert page.status_code == 302
    _response, answers = stored(w)
    assert answers[first].number == 3 and answers[second].number == 1


def test_script_in_a_text_answer_is_shown_as_text(client, world):
    w = world
    client.force_login(w.alice)
    name = field_name(w.form.comment)
    client.post(answer_url(w), {name: "<script>alert('x')</script>", f"rev_{name}": "0"}, **HTMX)
    client.force_login(w.bruno)
    content = client.get(answer_url(w)).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content


def test_a_too_long_text_keeps_what_was_typed_and_saves_the_rest(client, world):
    w = world
    client.force_login(w.alice)
    name, level = field_name(w.form.comment), grid_name(w, 0)
    text = "é" * 20_000
    page = client.post(
        answer_url(w),
        {"action": "draft", name: text, f"rev_{name}": "0", level: "2", f"rev_{level}": "0"},
    )
    content = page.content.decode()
    assert page.status_code == 200
    assert "Votre réponse compte 20\u202f000 caractères" in content
    assert text in content  # kept in the textarea
    _response, answers = stored(w)
    assert set(answers) == {level}


def test_sending_with_a_too_long_text_also_lists_the_missing_answers(client, world):
    w = world
    client.force_login(w.alice)
    name = field_name(w.form.comment)
    page = client.post(answer_url(w), {"action": "submit", name: "x" * 20_000, f"rev_{name}": "0"})
    content = page.content.decode()
    assert "4 réponses sont à corriger" in content
    assert "Votre réponse compte 20\u202f000 caractères" in content
    assert content.count("Choisissez un niveau pour ce critère.") == 6  # summary + fields
    response, answers = stored(w)
    assert not response.is_submitted and answers == {}


def test_a_closed_campaign_is_read_only_and_refuses_posts(client, world):
    w = world
    client.force_login(w.alice)
    name = grid_name(w, 0)
    client.post(answer_url(w), {name: "2", f"rev_{name}": "0"}, **HTMX)
    with scopes_disabled():
        w.campaign.opens_at = timezone.now() - timedelta(days=20)
        w.campaign.closes_at = timezone.now() - timedelta(minutes=5)
        w.campaign.save()
    content = client.get(answer_url(w)).content.decode()
    assert "Ce questionnaire est clos depuis le" in content
    assert '<form method="post" action="' + answer_url(w) not in content
    assert "En construction" in content  # the answer, read only
    page = client.post(answer_url(w), {name: "4", f"rev_{name}": "1"})
    assert page.status_code == 302
    page = client.post(answer_url(w), {name: "4", f"rev_{name}": "1"}, **HTMX)
    assert page.headers["HX-Refresh"] == "true"
    _response, answers = stored(w)
    assert answers[name].number == 2


@pytest.mark.parametrize("who", ["outsider", "coordinator", "trainer", "stranger"])
def test_people_who_do_not_answer_get_404(client, world, who):
    w = world
    if who == "stranger":
        with scopes_disabled():
            other = build_programme(teams=1)
            user = other.teams[0].members.first().user
    else:
        user = getattr(w, who)
    with scopes_disabled():
        # The other team's member answers another campaign: not this team's response.
        CampaignFactory(
            programme=w.programme,
            version=w.form.version,
            per_team=True,
            audience="teams",
            teams=[w.teams[1]],
        )
        w.campaign.audience = "teams"
        w.campaign.save()
        w.campaign.teams.set([w.team])
    client.force_login(user)
    assert client.get(answer_url(w)).status_code == 404
    assert client.post(answer_url(w), {"action": "draft"}).status_code == 404


# --- Conditions, scales, anonymous -----------------------------------------------------


@pytest.fixture
def person_world():
    """A questionnaire answered by each person: a yes/no question, a question shown only
    after « oui », a 1–4 scale; and the same for an anonymous campaign."""
    with scopes_disabled():
        w = build_programme(teams=1, members_per_team=2)
        version = VersionFactory(questionnaire__organisation=w.organisation)
        section = SectionFactory(version=version, title="Votre avis")
        w.yes_no = QuestionFactory(section=section, yes_no=True, label="Avez-vous un projet ?")
        w.follow = QuestionFactory(
            section=section,
            label="Lequel ?",
            condition_question=w.yes_no,
            condition_values=["oui"],
            required=True,
        )
        w.scale = QuestionFactory(
            section=section, scale=True, required=True, label="Utile ?", help_text="1 : pas du tout"
        )
        w.campaign = CampaignFactory(programme=w.programme, version=version, title="Bilan")
        w.anonymous = CampaignFactory(
            programme=w.programme, version=version, anonymous=True, title="Satisfaction"
        )
        w.person = w.teams[0].members.first().user
    return w


def test_a_conditional_question_is_hidden_until_its_trigger_says_so(client, person_world):
    w = person_world
    client.force_login(w.person)
    url = answer_url(w)
    content = client.get(url).content.decode()
    follow = field_name(w.follow)
    assert re.search(rf'id="{follow}-question"[^>]*hidden', content)
    assert f'data-condition-on="{field_name(w.yes_no)}" data-condition-values="1"' in content
    assert (
        "À remplir si vous avez répondu « oui » à la question « Avez-vous un projet ? »" in content
    )
    assert 'src="/static/js/answer.js"' in content
    # The scale: radios from 1 to 4, labelled ends, help tied with aria-describedby.
    scale = field_name(w.scale)
    assert "1 — Pas du tout satisfait·e" in content and "4 — Très satisfait·e" in content
    assert f'aria-describedby="{scale}-help {scale}-error"' in content
    client.post(url, {field_name(w.yes_no): "1", f"rev_{field_name(w.yes_no)}": "0"}, **HTMX)
    content = client.get(url).content.decode()
    assert not re.search(rf'id="{follow}-question"[^>]*hidden', content)


def test_a_value_outside_the_scale_is_refused_next_to_the_field(client, person_world):
    w = person_world
    client.force_login(w.person)
    scale = field_name(w.scale)
    page = client.post(answer_url(w), {scale: "9", f"rev_{scale}": "0"}, **HTMX)
    assert "Choisissez une valeur entière entre 1 et 4." in page.content.decode()
    with scope(organisation=w.organisation.pk):
        assert not Answer.objects.filter(question=w.scale).exists()


def test_an_anonymous_campaign_from_draft_to_thanks(client, person_world):
    w = person_world
    client.force_login(w.person)
    url = answer_url(w, w.anonymous)
    content = client.get(url).content.decode()
    assert "Vos réponses sont anonymes" in content
    assert "une fois envoyées, vos réponses ne peuvent plus être modifiées" in content
    scale = field_name(w.scale)
    client.post(url, {scale: "3", f"rev_{scale}": "0"}, **HTMX)
    with scope(organisation=w.organisation.pk):
        assert Participation.objects.get(campaign=w.anonymous).draft == {scale: {"number": 3.0}}
        assert not Response.objects.filter(campaign=w.anonymous).exists()
    page = client.post(url, {"action": "submit", scale: "3", f"rev_{scale}": "0"})
    assert page.status_code == 302
    content = client.get(url).content.decode()
    assert "Merci pour vos réponses" in content and f'action="{url}"' not in content
    with scope(organisation=w.organisation.pk):
        response = Response.objects.get(campaign=w.anonymous)
        assert response.respondent_id is None and response.answers.get().number == 3
    page = client.post(url, {scale: "1", f"rev_{scale}": "0"})
    assert page.status_code == 302
    with scope(organisation=w.organisation.pk):
        assert Response.objects.get(campaign=w.anonymous).answers.get().number == 3


# --- Assessors -------------------------------------------------------------------------


@pytest.fixture
def assessment(world):
    """The trainer assesses each participant of a session (a 1–4 scale, required)."""
    w = world
    with scopes_disabled():
        w.session = SessionFactory(programme=w.programme, kind=w.kind, audience="cohort")
        w.session.facilitators.add(w.trainer)
        version = VersionFactory(questionnaire__organisation=w.organisation)
        section = SectionFactory(version=version)
        w.assess_scale = QuestionFactory(
            section=section, scale=True, required=True, label="Participation"
        )
        w.assess = CampaignFactory(
            programme=w.programme,
            version=version,
            assess_person=True,
            audience="session",
            session=w.session,
            assessors=[w.trainer],
            title="Évaluation pendant la formation",
        )
        w.subjects = sorted(
            [m.user for t in w.teams for m in t.members.all()],
            key=lambda u: (u.last_name, u.first_name, u.pk),
        )
    return w


def test_an_assessor_goes_from_one_participant_to_the_next(client, assessment):
    w = assessment
    client.force_login(w.trainer)
    list_url = reverse("evaluation:assess_list", args=[w.organisation.slug, w.assess.pk])
    content = client.get(list_url).content.decode()
    assert "0 sur 6 évalué·es" in content and content.count("Commencer") == 6
    first, second = w.subjects[0], w.subjects[1]
    url = reverse("evaluation:assess_subject", args=[w.organisation.slug, w.assess.pk, first.pk])
    content = client.get(url).content.decode()
    assert "Enregistrer et passer au suivant" in content and "1 sur 6" in content
    scale = field_name(w.assess_scale)
    page = client.post(url, {"action": "next", scale: "3", f"rev_{scale}": "0"})
    assert page.status_code == 302
    assert page.url == reverse(
        "evaluation:assess_subject", args=[w.organisation.slug, w.assess.pk, second.pk]
    )
    with scope(organisation=w.organisation.pk):
        response = Response.objects.get(campaign=w.assess, subject_user=first)
        assert response.is_submitted and response.answers.get().number == 3
    # Missing answer: stays on the subject with the error.
    second_url = page.url
    page = client.post(second_url, {"action": "next", f"rev_{scale}": "0"})
    assert page.status_code == 200 and "Cette réponse est obligatoire." in page.content.decode()
    content = client.get(list_url).content.decode()
    assert "1 sur 6 évalué·es" in content and "Reprendre" in content
    # Answering through the answer URL leads to the list.
    assert client.get(answer_url(w, w.assess)).url == list_url


def test_only_assessors_reach_the_assessment_pages(client, assessment):
    w = assessment
    list_url = reverse("evaluation:assess_list", args=[w.organisation.slug, w.assess.pk])
    subject_url = reverse(
        "evaluation:assess_subject", args=[w.organisation.slug, w.assess.pk, w.subjects[0].pk]
    )
    for user in (w.alice, w.coordinator):
        client.force_login(user)
        assert client.get(list_url).status_code == 404
        assert client.get(subject_url).status_code == 404
    client.force_login(w.trainer)
    stranger = UserFactory()
    bad = reverse("evaluation:assess_subject", args=[w.organisation.slug, w.assess.pk, stranger.pk])
    assert client.get(bad).status_code == 404
    # The list of a team campaign is not an assessment.
    assert (
        client.get(
            reverse("evaluation:assess_list", args=[w.organisation.slug, w.campaign.pk])
        ).status_code
        == 404
    )


# --- Mes questionnaires, home, session panel -------------------------------------------


def test_my_campaigns_groups_by_state_with_the_status_of_each(client, world):
    w = world
    with scopes_disabled():
        satisfaction = build_satisfaction_questionnaire(organisation=w.organisation)
        CampaignFactory(
            programme=w.programme, version=satisfaction.version, upcoming=True, title="Bientôt"
        )
        CampaignFactory(
            programme=w.programme, version=satisfaction.version, closed=True, title="Passée"
        )
        sent = CampaignFactory(programme=w.programme, version=satisfaction.version, title="Faite")
        Response.objects.create(
            organisation=w.organisation,
            campaign=sent,
            version=satisfaction.version,
            key=f"person:{w.alice.pk}",
            respondent=w.alice,
            status="submitted",
            submitted_at=timezone.now(),
        )
    client.force_login(w.alice)
    name = grid_name(w, 0)
    client.post(answer_url(w), {name: "2", f"rev_{name}": "0"}, **HTMX)
    content = client.get(reverse("evaluation:my_campaigns", args=[w.organisation.slug])).content
    content = content.decode()
    opened, rest = content.split("À venir")
    upcoming, closed = rest.split("Clos</h2>")
    assert "Autodiagnostic T0" in opened and "brouillon 25 %" in opened
    assert "Faite" in opened and "envoyée" in opened
    assert "Bientôt" in upcoming and "Ouvrira le" in upcoming
    assert "Passée" in closed and "Clos le" in closed


def test_my_campaigns_runs_a_constant_number_of_queries(client, world):
    w = world
    with scopes_disabled():
        satisfaction = build_satisfaction_questionnaire(organisation=w.organisation)
        assessed_version = VersionFactory(questionnaire__organisation=w.organisation)
        QuestionFactory(section=SectionFactory(version=assessed_version), scale=True)
    member = w.alice
    # The member also assesses (a person may be both): a membership-less assessor.
    kinds = ["person", "team", "anonymous", "closed", "upcoming", "assess"]

    def add_rows(count):
        with scopes_disabled():
            for index in range(count):
                kind = kinds[index % len(kinds)]
                extra = {}
                version = satisfaction.version
                if kind == "team":
                    extra = {"per_team": True}
                elif kind == "anonymous":
                    extra = {"anonymous": True}
                elif kind in ("closed", "upcoming"):
                    extra = {kind: True}
                elif kind == "assess":
                    version = assessed_version
                    extra = {"assess_team": True, "assessors": [member]}
                campaign = CampaignFactory(programme=w.programme, version=version, **extra)
                if kind == "person":
                    Response.objects.create(
                        organisation=w.organisation,
                        campaign=campaign,
                        version=version,
                        key=f"person:{member.pk}",
                        respondent=member,
                    )

    client.force_login(member)
    url = reverse("evaluation:my_campaigns", args=[w.organisation.slug])
    assert_constant_queries(client, url, add_rows, sizes=(6, 66))
    content = client.get(url).content.decode()
    assert "0 sur 2 évalué·es" in content and "Page 1 sur" in content


def test_the_home_section_lists_what_is_left_to_answer(rf, world):
    w = world
    request = rf.get("/")
    request.user = w.alice
    with scope(organisation=w.organisation.pk):
        section = questionnaires_home_panel(None, request=request, organisation=w.organisation)
        assert [row["campaign"] for row in section.context["rows"]] == [w.campaign]
        assert section.template == "evaluation/answer/home_section.html"
        request.user = w.coordinator
        assert questionnaires_home_panel(None, request=request, organisation=w.organisation) is None


def test_the_home_page_shows_the_section(client, world):
    w = world
    client.force_login(w.alice)
    content = client.get(reverse("organisations:home", args=[w.organisation.slug])).content
    content = content.decode()
    assert "Questionnaires à remplir" in content and answer_url(w) in content


def test_the_session_panel_gives_each_person_their_action(client, assessment):
    w = assessment
    with scopes_disabled():
        satisfaction = build_satisfaction_questionnaire(organisation=w.organisation)
        hot = CampaignFactory(
            programme=w.programme,
            version=satisfaction.version,
            audience="session",
            session=w.session,
            hot=True,
            title="À chaud",
        )
    url = reverse("parcours:session_detail", args=[w.organisation.slug, w.session.pk])
    results = reverse("evaluation:campaign_results", args=[w.organisation.slug, hot.pk])
    client.force_login(w.alice)
    content = client.get(url).content.decode()
    assert "Donner votre avis" in content and answer_url(w, hot) in content
    assert results not in content and "Évaluer les participant·es" not in content
    client.force_login(w.trainer)
    content = client.get(url).content.decode()
    assert "Évaluer les participant·es" in content and "0 sur 6 évalué·es" in content
    assert results in content and "Donner votre avis" not in content
    assert "Créer une évaluation pour cette séance" not in content
    client.force_login(w.coordinator)
    content = client.get(url).content.decode()
    assert results in content and "Créer une évaluation pour cette séance" in content
    create = reverse("evaluation:campaign_create", args=[w.organisation.slug, w.programme.pk])
    assert f"{create}?session={w.session.pk}" in content


def test_the_session_panel_is_absent_without_campaigns_for_a_participant(rf, world):
    w = world
    with scopes_disabled():
        session = SessionFactory(programme=w.programme, kind=w.kind, audience="cohort")
    request = rf.get("/")
    request.user = w.alice
    with scope(organisation=w.organisation.pk):
        assert (
            session_campaigns_panel(
                None, request=request, organisation=w.organisation, session=session
            )
            is None
        )
