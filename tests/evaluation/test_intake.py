"""A call's own questionnaires: the coordinator attaches the motivation questions and
the T0 self-diagnostic; the applicants answer them together (who changed what is
kept), read-only once the application is submitted; the application's panels (applicant,
review, receipt, what is missing); the T0 carried over to the team the application
became; and these campaigns never reach a programme's teams nor its reminders."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from candidatures.extensions import call_panels
from candidatures.models import Application, ApplicationMember
from candidatures.parts import (
    applicant_sections,
    missing_from_parts,
    receipt_sections,
    review_sections,
)
from candidatures.signals import team_created_from_application
from evaluation import selectors
from evaluation.answer_values import field_name
from evaluation.extensions import questionnaires_home_panel
from evaluation.filled_questionnaires import application_questionnaires
from evaluation.models import Answer, AnswerChange, Campaign, Questionnaire, Response
from evaluation.reminders import CampaignClosingRule, CampaignOpenRule
from evaluation.services import intake as services
from organisations.models import AuditEntry
from tests.factories import (
    CallFactory,
    CampaignFactory,
    MembershipFactory,
    QuestionFactory,
    SectionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    VersionFactory,
    build_application,
    build_grid_questionnaire,
    build_programme,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    """A published programme with one team, its published call, a grid self-diagnostic
    (three required criteria + a free comment) and motivation questions (one required
    long text) in the library, and an application whose lead and one more person joined."""
    with scopes_disabled():
        w = build_programme(teams=1)
        w.coordinator = MembershipFactory(organisation=w.organisation, coordinator=True).user
        w.trainer = MembershipFactory(organisation=w.organisation, trainer=True).user
        w.call = CallFactory(cohort=w.cohort, published=True, title="AMI Gouvernance des PAT")
        w.grid = build_grid_questionnaire(organisation=w.organisation)
        version = VersionFactory(
            questionnaire__organisation=w.organisation,
            questionnaire__purpose="application",
            questionnaire__title="Motivation de la candidature",
        )
        section = SectionFactory(version=version, title="Votre projet")
        w.why = QuestionFactory(
            section=section, long_text=True, required=True, label="Pourquoi candidatez-vous ?"
        )
        w.motivation = SimpleNamespace(questionnaire=version.questionnaire, version=version)
        w.lead = UserFactory(first_name="Léa", last_name="Porteuse")
        w.application = build_application(call=w.call, lead=w.lead)
        w.member = UserFactory(first_name="Marc", last_name="Chargé")
        member_row = ApplicationMember.objects.filter(
            application=w.application, is_lead=False
        ).first()
        ApplicationMember.objects.filter(pk=member_row.pk).update(
            user=w.member, joined_at=timezone.now()
        )
        w.outsider = UserFactory()
        w.team_member = w.teams[0].members.first().user
    return w


def attach(w, slot, questionnaire):
    with scope(organisation=w.organisation.pk):
        return services.attach_questionnaire(
            call=w.call, slot=slot, questionnaire=questionnaire, acting_user=w.coordinator
        )


@pytest.fixture
def attached(world):
    w = world
    w.motivation_campaign = attach(w, services.MOTIVATION, w.motivation.questionnaire)
    w.diagnostic = attach(w, services.DIAGNOSTIC, w.grid.questionnaire)
    return w


def config_url(w):
    return reverse(
        "evaluation:call_questionnaires", args=[w.organisation.slug, w.programme.pk, w.call.pk]
    )


def answer_url(w, campaign, application=None):
    application = application or w.application
    return reverse(
        "evaluation:application_answer",
        args=[w.organisation.slug, w.call.slug, application.pk, campaign.pk],
    )


def grid_name(w, index):
    return field_name(w.grid.grid, w.grid.criteria[index])


def answers_of(w, campaign):
    with scope(organisation=w.organisation.pk):
        response = Response.objects.filter(campaign=campaign, application=w.application).first()
        if response is None:
            return None, {}
        return response, {
            field_name(a.question_id, a.criterion_id): a
            for a in Answer.objects.filter(response=response)
        }


def fill_diagnostic(client, w, levels=(2, 3, 1)):
    client.force_login(w.lead)
    data = {"action": "draft"}
    for index, level in enumerate(levels):
        data[grid_name(w, index)] = str(level)
        data[f"rev_{grid_name(w, index)}"] = "0"
    data[f"{grid_name(w, 0)}_comment"] = "Instances à clarifier"
    return client.post(answer_url(w, w.diagnostic), data)


def as_request(user, organisation):
    return SimpleNamespace(user=user, organisation=organisation)


# --- The coordinator chooses the questionnaires ------------------------------------------


def test_the_coordinator_attaches_motivation_questions_and_a_self_diagnostic(client, world):
    w = world
    client.force_login(w.coordinator)
    page = client.get(config_url(w))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Questions de motivation" in content and "Autodiagnostic T0" in content
    assert "Ajouter ce modèle à la bibliothèque" in content  # pat_governance is missing
    assert "Motivation de la candidature" in content  # a choice of the library

    page = client.post(
        config_url(w),
        {
            "action": "attach",
            "slot": "motivation",
            "motivation-questionnaire": w.motivation.questionnaire.pk,
        },
    )
    assert page.status_code == 302
    client.post(
        config_url(w),
        {
            "action": "attach",
            "slot": "diagnostic",
            "diagnostic-questionnaire": w.grid.questionnaire.pk,
        },
    )
    with scope(organisation=w.organisation.pk):
        campaigns = {c.moment: c for c in Campaign.objects.filter(call=w.call)}
        assert set(campaigns) == {"free", "t0"}
        for campaign in campaigns.values():
            assert campaign.programme == w.programme
            assert campaign.mode == "team" and campaign.audience == "applicants"
            assert campaign.status == "launched" and not campaign.anonymous
            assert (campaign.opens_at, campaign.closes_at) == (w.call.opens_at, w.call.closes_at)
        assert campaigns["t0"].version == w.grid.version
        assert campaigns["free"].version == w.motivation.version
        assert (
            AuditEntry.objects.filter(action="evaluation.call_questionnaire.attached").count() == 2
        )
        # The call's management page lists them, with a link to this page.
        (section,) = [
            panel
            for panel in call_panels.collect(
                request=as_request(w.coordinator, w.organisation),
                organisation=w.organisation,
                call=w.call,
            )
            if panel.template.startswith("evaluation/")
        ]
        html = render_to_string(section.template, {"section": section.context})
    assert "Motivation de la candidature" in html and "Autodiagnostic de gouvernance" in html
    assert config_url(w) in html
    content = client.get(config_url(w)).content.decode()
    assert "Détacher ce questionnaire" in content and "Utiliser ce questionnaire" not in content


def test_the_shipped_self_diagnostic_is_installed_in_one_click(client, world):
    w = world
    client.force_login(w.coordinator)
    page = client.post(config_url(w), {"action": "template"})
    assert page.status_code == 302
    with scope(organisation=w.organisation.pk):
        library = Questionnaire.objects.get(template_code="pat_governance")
        assert library.programme is None
        campaign = Campaign.objects.get(call=w.call, moment="t0")
        assert campaign.questionnaire == library and campaign.version.is_published
    content = client.get(config_url(w)).content.decode()
    assert "Ajouter ce modèle à la bibliothèque" not in content
    assert "Autodiagnostic de la gouvernance du PAT" in content
    # The slot is taken: a second click installs nothing more.
    client.post(config_url(w), {"action": "template"})
    with scope(organisation=w.organisation.pk):
        assert Questionnaire.objects.filter(template_code="pat_governance").count() == 1


def test_attaching_refuses_a_taken_slot_and_an_unpublished_questionnaire(client, world):
    w = world
    attach(w, services.MOTIVATION, w.motivation.questionnaire)
    with pytest.raises(ValidationError) as error:
        attach(w, services.MOTIVATION, w.grid.questionnaire)
    assert "déjà un questionnaire" in str(error.value.message_dict["questionnaire"])
    with scopes_disabled():
        draft = build_grid_questionnaire(organisation=w.organisation, published=False)
    with pytest.raises(ValidationError) as error:
        attach(w, services.DIAGNOSTIC, draft.questionnaire)
    assert "pas encore de version publiée" in str(error.value.message_dict["questionnaire"])
    # Through the page: the error sits next to the field, nothing is attached.
    client.force_login(w.coordinator)
    page = client.post(
        config_url(w),
        {
            "action": "attach",
            "slot": "diagnostic",
            "diagnostic-questionnaire": draft.questionnaire.pk,
        },
    )
    content = page.content.decode()
    assert page.status_code == 200
    error = re.search(r'id="id_diagnostic-questionnaire_error".*?</div>', content, re.S).group(0)
    assert "Sélectionnez un choix valide" in error  # only published questionnaires
    with scope(organisation=w.organisation.pk):
        assert not Campaign.objects.filter(call=w.call, moment="t0").exists()


def test_detaching_works_until_an_application_answered(client, attached):
    w = attached
    client.force_login(w.coordinator)
    page = client.post(config_url(w), {"action": "detach", "campaign": w.motivation_campaign.pk})
    assert page.status_code == 302
    with scope(organisation=w.organisation.pk):
        assert not Campaign.objects.filter(pk=w.motivation_campaign.pk).exists()
    fill_diagnostic(client, w)
    client.force_login(w.coordinator)
    page = client.post(
        config_url(w), {"action": "detach", "campaign": w.diagnostic.pk}, follow=True
    )
    content = page.content.decode()
    assert "ne peut plus être détaché" in content
    assert "1 candidature a commencé à répondre." in content
    with scope(organisation=w.organisation.pk):
        assert Campaign.objects.filter(pk=w.diagnostic.pk).exists()


@pytest.mark.parametrize("who", ["trainer", "team_member", "lead", "stranger"])
def test_only_the_organisations_coordinators_reach_the_configuration(client, attached, who):
    w = attached
    if who == "stranger":
        with scopes_disabled():
            user = MembershipFactory(coordinator=True).user  # of another organisation
    else:
        user = getattr(w, who)
    client.force_login(user)
    assert client.get(config_url(w)).status_code == 404
    assert client.post(config_url(w), {"action": "template"}).status_code == 404
    with scopes_disabled():
        other_call = CallFactory(published=True)
    client.force_login(w.coordinator)
    wrong = reverse(
        "evaluation:call_questionnaires",
        args=[w.organisation.slug, w.programme.pk, other_call.pk],
    )
    assert client.get(wrong).status_code == 404


# --- The applicants answer -------------------------------------------------------------


def test_the_lead_answers_and_a_joined_member_changes_an_answer(client, attached):
    w = attached
    client.force_login(w.lead)
    page = client.get(answer_url(w, w.diagnostic))
    content = page.content.decode()
    assert page.status_code == 200
    assert "<h1" in content and "Autodiagnostic T0" in content
    assert "Réponse commune de la candidature" in content
    assert "Connaître son schéma de gouvernance — niveau 3" in content
    assert "Enregistrer et revenir à la candidature" in content
    assert answers_of(w, w.diagnostic) == (None, {})  # a GET writes nothing

    name = grid_name(w, 0)
    page = client.post(answer_url(w, w.diagnostic), {name: "2", f"rev_{name}": "0"}, **HTMX)
    assert page.status_code == 200 and "Enregistré à" in page.content.decode()
    response, answers = answers_of(w, w.diagnostic)
    assert response.key == f"application:{w.application.pk}"
    assert response.application == w.application and response.team is None
    assert answers[name].number == 2 and answers[name].updated_by == w.lead

    client.force_login(w.member)
    content = client.get(answer_url(w, w.diagnostic)).content.decode()
    assert "Modifié par Léa Porteuse le" in content
    page = client.post(
        answer_url(w, w.diagnostic), {"action": "next", name: "3", f"rev_{name}": "1"}
    )
    assert page.status_code == 302
    assert page.url == reverse(
        "candidatures:application_detail",
        args=[w.organisation.slug, w.call.slug, w.application.pk],
    )
    _response, answers = answers_of(w, w.diagnostic)
    assert answers[name].number == 3 and answers[name].updated_by == w.member
    with scope(organisation=w.organisation.pk):
        changes = list(AnswerChange.objects.filter(response=response).order_by("changed_at", "pk"))
    assert [(c.user, c.before.get("number"), c.after["number"]) for c in changes] == [
        (w.lead, None, 2),
        (w.member, 2, 3),
    ]
    content = client.get(answer_url(w, w.diagnostic)).content.decode()
    assert "Historique" in content and "Marc Chargé, le" in content


@pytest.mark.parametrize("who", ["outsider", "team_member", "coordinator", "anonymous"])
def test_people_outside_the_application_get_404(client, attached, who):
    w = attached
    if who != "anonymous":
        client.force_login(getattr(w, who))
    name = grid_name(w, 0)
    assert client.get(answer_url(w, w.diagnostic)).status_code == 404
    page = client.post(answer_url(w, w.diagnostic), {name: "2", f"rev_{name}": "0"})
    assert page.status_code == 404
    assert answers_of(w, w.diagnostic) == (None, {})


def test_a_questionnaire_of_another_call_or_a_programme_campaign_gets_404(client, attached):
    w = attached
    with scopes_disabled():
        other_call = CallFactory(cohort=w.cohort, published=True)
        other = Campaign.objects.create(
            organisation=w.organisation,
            programme=w.programme,
            call=other_call,
            questionnaire=w.grid.questionnaire,
            version=w.grid.version,
            title="Autodiagnostic T0",
            moment="t0",
            audience="applicants",
            mode="team",
            opens_at=other_call.opens_at,
            closes_at=other_call.closes_at,
            status="launched",
        )
        programme_campaign = CampaignFactory(programme=w.programme, version=w.grid.version)
    client.force_login(w.lead)
    assert client.get(answer_url(w, other)).status_code == 404
    assert client.get(answer_url(w, programme_campaign)).status_code == 404


def test_after_submission_the_answers_are_read_only(client, attached):
    w = attached
    fill_diagnostic(client, w)
    with scopes_disabled():
        Application.objects.filter(pk=w.application.pk).update(
            status="submitted", submitted_at=timezone.now()
        )
    client.force_login(w.member)
    content = client.get(answer_url(w, w.diagnostic)).content.decode()
    assert "La candidature a été déposée le" in content
    assert 'class="answer-form"' not in content
    assert "En construction" in content  # the answer, read only
    name = grid_name(w, 0)
    page = client.post(answer_url(w, w.diagnostic), {name: "4", f"rev_{name}": "1"})
    assert page.status_code == 302
    page = client.post(answer_url(w, w.diagnostic), {name: "4", f"rev_{name}": "1"}, **HTMX)
    assert page.headers["HX-Refresh"] == "true"
    _response, answers = answers_of(w, w.diagnostic)
    assert answers[name].number == 2
    # The service refuses too.
    with scope(organisation=w.organisation.pk), pytest.raises(ValidationError):
        response = Response.objects.get(campaign=w.diagnostic, application=w.application)
        services.save_application_answers(response=response, values=[], acting_user=w.member)


# --- The application's panels ----------------------------------------------------------


def test_what_is_missing_is_listed_until_every_required_answer_is_given(client, attached):
    w = attached
    with scope(organisation=w.organisation.pk):
        application = Application.objects.get(pk=w.application.pk)
        assert missing_from_parts(application) == [
            "Questions de motivation : 1 réponse obligatoire manquante",
            "Autodiagnostic T0 : 3 réponses obligatoires manquantes",
        ]
    fill_diagnostic(client, w, levels=(2, 3, 0))  # the third criterion left empty
    with scope(organisation=w.organisation.pk):
        application = Application.objects.get(pk=w.application.pk)
        assert missing_from_parts(application) == [
            "Questions de motivation : 1 réponse obligatoire manquante",
            "Autodiagnostic T0 : 1 réponse obligatoire manquante",
        ]
    name = field_name(w.why)
    client.post(
        answer_url(w, w.motivation_campaign),
        {"action": "draft", name: "Fédérer les acteurs", f"rev_{name}": "0"},
    )
    fill_diagnostic(client, w, levels=(2, 3, 1))
    with scope(organisation=w.organisation.pk):
        application = Application.objects.select_related("call", "organisation").get(
            pk=w.application.pk
        )
        assert missing_from_parts(application) == []
        (panel,) = applicant_sections(
            as_request(w.lead, w.organisation), application, editable=True
        )
        html = render_to_string(panel.template, {"section": panel.context})
    assert html.count("complet") == 2 and "Remplir" in html
    assert answer_url(w, w.diagnostic) in html
    with scope(organisation=w.organisation.pk):
        application = Application.objects.select_related("call").get(pk=w.application.pk)
        (panel,) = applicant_sections(
            as_request(w.lead, w.organisation), application, editable=False
        )
        html = render_to_string(panel.template, {"section": panel.context})
    assert "Consulter" in html and "Remplir" not in html


def test_reviewers_read_the_answers_and_the_receipt_prints_them(client, attached):
    w = attached
    name = field_name(w.why)
    client.force_login(w.lead)
    client.post(
        answer_url(w, w.motivation_campaign),
        {"action": "draft", name: "Fédérer les acteurs", f"rev_{name}": "0"},
    )
    fill_diagnostic(client, w)
    with scope(organisation=w.organisation.pk):
        application = Application.objects.select_related("call").get(pk=w.application.pk)
        (panel,) = review_sections(as_request(w.coordinator, w.organisation), application)
        review = render_to_string(panel.template, {"section": panel.context})
        (printed,) = receipt_sections(application)
        receipt = render_to_string(printed.template, {"section": printed.context})
    for html in (review, receipt):
        assert "Pourquoi candidatez-vous ?" in html and "Fédérer les acteurs" in html
        assert "Connaître son schéma de gouvernance" in html
        assert "2 · En construction" in html
        assert "Connaître son schéma de gouvernance — niveau 2" in html  # the descriptor
        assert "Instances à clarifier" in html  # the comment
        assert "Vos besoins" in html and "Sans réponse" in html
    assert "<a " not in receipt and "<form" not in receipt and "<input" not in receipt


def test_the_panels_read_the_answers_in_a_constant_number_of_queries(client, attached):
    w = attached

    def count():
        with scope(organisation=w.organisation.pk):
            application = Application.objects.get(pk=w.application.pk)
            with CaptureQueriesContext(connection) as context:
                application_questionnaires(application)
                missing_from_parts(application)  # read once per application object
            return len(context.captured_queries)

    name = field_name(w.why)
    client.force_login(w.lead)
    client.post(answer_url(w, w.motivation_campaign), {name: "Oui", f"rev_{name}": "0"}, **HTMX)
    few = count()
    fill_diagnostic(client, w)
    assert count() == few <= 7


# --- The application becomes a team -------------------------------------------------------


def test_the_t0_answered_with_the_application_is_the_teams_t0(client, attached):
    w = attached
    fill_diagnostic(client, w, levels=(2, 3, 1))
    with scopes_disabled():
        Application.objects.filter(pk=w.application.pk).update(
            status="decided", decision="selected", submitted_at=timezone.now()
        )
        application = Application.objects.get(pk=w.application.pk)
        team = TeamFactory(cohort=w.cohort, name="Territoire Candidat")
        TeamMemberFactory(team=team, user=w.lead, role=w.roles[0])
        # T1 of the programme, on the same grid, already answered by the team.
        t1 = CampaignFactory(programme=w.programme, version=w.grid.version, per_team=True, t1=True)
    with scope(organisation=w.organisation.pk):
        team_created_from_application.send(sender=Application, application=application, team=team)
        response = Response.objects.get(campaign=w.diagnostic, application=application)
        assert response.team == team and response.is_submitted
        t1_response = Response.objects.create(
            organisation=w.organisation,
            campaign=t1,
            version=w.grid.version,
            key=f"team:{team.pk}",
            team=team,
            status="submitted",
            submitted_at=timezone.now(),
        )
        for criterion, level in zip(w.grid.criteria, (3, 3, 2), strict=True):
            Answer.objects.create(
                organisation=w.organisation,
                response=t1_response,
                question=w.grid.grid,
                criterion=criterion,
                number=level,
            )
    client.force_login(w.coordinator)
    url = reverse(
        "evaluation:team_progression", args=[w.organisation.slug, w.programme.pk, team.pk]
    )
    content = client.get(url).content.decode()
    assert "T0" in content and "T1" in content
    assert "2 → 3 (+1)" in content and "1 → 2 (+1)" in content
    assert "Connaître son schéma de gouvernance — niveau 2" in content  # T0 descriptor
    # The team's page says where its T0 comes from; its members see their progression.
    team_page = client.get(
        reverse("parcours:team_detail", args=[w.organisation.slug, w.programme.pk, team.pk])
    ).content.decode()
    assert "rempli avec la candidature" in team_page
    client.force_login(w.lead)
    assert "2 → 3 (+1)" in client.get(url).content.decode()


def test_carry_over_joins_the_family_of_a_programme_copy_of_the_grid(client, attached):
    """The programme's T1 uses its own copy of the library grid: the call's T0 still
    counts as the team's T0 (copies keep the criteria's keys)."""
    from evaluation.services import copy_questionnaire

    w = attached
    fill_diagnostic(client, w, levels=(1, 1, 1))
    with scopes_disabled():
        Application.objects.filter(pk=w.application.pk).update(status="decided")
        application = Application.objects.get(pk=w.application.pk)
        team = TeamFactory(cohort=w.cohort)
    with scope(organisation=w.organisation.pk):
        copy = copy_questionnaire(
            questionnaire=w.grid.questionnaire, acting_user=w.coordinator, programme=w.programme
        )
        version = copy.versions.get()
        CampaignFactory(
            programme=w.programme,
            questionnaire=copy,
            version=version,
            per_team=True,
            t1=True,
        )
        team_created_from_application.send(sender=Application, application=application, team=team)
        from evaluation.progression import programme_progression

        progression = programme_progression(w.programme, team_id=team.pk)
    (family,) = progression.families
    assert family.moments == ["t0", "t1"]
    assert [family.level(team.pk, info.key, "t0") for info in family.criteria] == [1, 1, 1]


# --- Never a programme campaign --------------------------------------------------------


def test_call_campaigns_never_reach_teams_lists_nor_reminders(client, attached):
    w = attached
    with scopes_disabled():
        programme_campaign = CampaignFactory(
            programme=w.programme,
            version=w.grid.version,
            per_team=True,
            title="Autodiagnostic de la promotion",
        )
        # Even a member of the team the application became.
        TeamMemberFactory(team=w.teams[0], user=w.lead, role=w.roles[2])
    with scope(organisation=w.organisation.pk):
        for user in (w.team_member, w.lead):
            ids = set(
                selectors.campaigns_to_answer(user, w.organisation).values_list("pk", flat=True)
            )
            assert ids == {programme_campaign.pk}
            section = questionnaires_home_panel(
                None, request=as_request(user, w.organisation), organisation=w.organisation
            )
            titles = [row["campaign"].title for row in section.context["rows"]]
            assert titles == ["Autodiagnostic de la promotion"]
        ids = set(
            selectors.campaigns_visible_to(w.coordinator, w.organisation).values_list(
                "pk", flat=True
            )
        )
        assert ids == {programme_campaign.pk}
    client.force_login(w.team_member)
    content = client.get(
        reverse("evaluation:my_campaigns", args=[w.organisation.slug])
    ).content.decode()
    assert "Autodiagnostic de la promotion" in content and "Autodiagnostic T0" not in content
    assert (
        client.get(
            reverse("evaluation:answer", args=[w.organisation.slug, w.diagnostic.pk])
        ).status_code
        == 404
    )
    client.force_login(w.coordinator)
    content = client.get(
        reverse("evaluation:campaign_list", args=[w.organisation.slug, w.programme.pk])
    ).content.decode()
    assert "Autodiagnostic de la promotion" in content and "Questions de motivation" not in content
    for name in ("campaign_detail", "campaign_results", "campaign_edit", "non_respondents"):
        url = reverse(f"evaluation:{name}", args=[w.organisation.slug, w.diagnostic.pk])
        assert client.get(url).status_code == 404, name
    # Reminders: the opening and the closing of the programme's campaign, never the call's.
    now = timezone.now()
    start, end = now - timedelta(days=3), now + timedelta(days=30)
    planned = CampaignOpenRule().due(start, end) + CampaignClosingRule().due(start, end)
    reminded = {reminder.object_id for reminder in planned}
    assert programme_campaign.pk in reminded
    assert not reminded & {w.diagnostic.pk, w.motivation_campaign.pk}


def test_call_questionnaires_are_not_offered_in_the_campaign_form(client, attached):
    w = attached
    client.force_login(w.coordinator)
    content = client.get(
        reverse("evaluation:campaign_create", args=[w.organisation.slug, w.programme.pk])
    ).content.decode()
    assert "candidat·es d" not in content  # no « applicants » audience
    pairs = re.search(r'<select name="paired_with".*?</select>', content, re.S).group(0)
    assert "Autodiagnostic T0" not in pairs and "Questions de motivation" not in pairs
