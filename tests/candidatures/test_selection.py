"""Selection of a call's applications: reviewers score on the weighted grid, coordinators
decide (with reasons when not selecting), reopen and announce; announcing turns each
selected application into a team with its project and invitations. Each transition is
tried allowed and refused; each page answers 404 to whoever may not use it."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from candidatures import notices, services
from candidatures.models import Application, ApplicationEvent, Review, ReviewScore
from candidatures.review import grid_for, summaries
from candidatures.signals import team_created_from_application
from organisations.models import AuditEntry
from parcours import notices as parcours_notices
from parcours.models import Team, TeamInvitation
from territoires.models import Project
from tests.factories import (
    CallFactory,
    MembershipFactory,
    ScoringCriterionFactory,
    TerritoryFactory,
    UserFactory,
    build_application,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

Status = Application.Status
Decision = Application.Decision


@pytest.fixture
def world():
    """A programme with the trinôme roles, its closed call with a two-line grid (project
    weighs 2, team weighs 1, both out of 5), a submitted trinôme application, the
    organisation's coordinator, trainer and observer, and another organisation's
    coordinator."""
    with scopes_disabled():
        built = build_programme(teams=0)
        org = built.organisation
        built.call = CallFactory(cohort=built.cohort, published=True, closed=True)
        built.project_criterion = ScoringCriterionFactory(
            call=built.call, name="Qualité du projet", weight=2, max_score=5, order=0
        )
        built.team_criterion = ScoringCriterionFactory(
            call=built.call, name="Solidité de l'équipe", weight=1, max_score=5, order=1
        )
        built.coordinator = MembershipFactory(organisation=org, coordinator=True).user
        built.trainer = MembershipFactory(organisation=org, trainer=True).user
        built.observer = MembershipFactory(organisation=org, observer=True).user
        built.stranger = MembershipFactory(coordinator=True).user
        built.application = build_application(
            call=built.call, submitted=True, project_name="PAT du Pays de Bray"
        )
    return built


def in_scope(world):
    return scope(organisation=world.organisation.pk)


def scores(world, project: int, team: int) -> dict[int, int]:
    return {world.project_criterion.pk: project, world.team_criterion.pk: team}


def review(world, reviewer, project=4, team=3, application=None, comment=""):
    with in_scope(world):
        return services.save_review(
            application=application or world.application,
            reviewer=reviewer,
            scores=scores(world, project, team),
            comment=comment,
        )


def decide(world, decision=Decision.SELECTED, reasons="", application=None):
    with in_scope(world):
        return services.decide(
            application=application or world.application,
            acting_user=world.coordinator,
            decision=decision,
            reasons=reasons,
        )


def announce(world, **kwargs):
    with in_scope(world):
        return services.announce_decisions(call=world.call, acting_user=world.coordinator, **kwargs)


def refresh(application) -> Application:
    with scopes_disabled():
        application.refresh_from_db()
    return application


def events(application) -> list[tuple[str, str]]:
    with scopes_disabled():
        return list(
            ApplicationEvent.objects.filter(application=application)
            .order_by("at", "pk")
            .values_list("from_status", "to_status")
        )


def url(world, name, application=None, **query):
    args = [world.organisation.slug, world.programme.pk, world.call.pk]
    if application is not None:
        args.append(application.pk)
    path = reverse(f"candidatures:{name}", args=args)
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


# --- Reviewing -----------------------------------------------------------------------


def test_the_first_review_puts_a_submitted_application_under_review(world):
    review(world, world.coordinator, comment="Projet mûr.")
    review(world, world.trainer)

    application = refresh(world.application)
    assert application.status == Status.UNDER_REVIEW
    # One event for the first review only.
    assert events(application) == [(Status.SUBMITTED, Status.UNDER_REVIEW)]
    with scopes_disabled():
        assert Review.objects.filter(application=application).count() == 2
        assert AuditEntry.objects.filter(action="candidatures.application.reviewed").count() == 2


def test_a_reviewer_changes_their_scores_without_a_second_review(world):
    review(world, world.trainer, project=1, team=1)
    review(world, world.trainer, project=5, team=4, comment="Revu après l'audition.")
    with scopes_disabled():
        mine = Review.objects.get(application=world.application, reviewer=world.trainer)
        assert mine.comment == "Revu après l'audition."
        assert dict(mine.scores.values_list("criterion_id", "score")) == scores(world, 5, 4)


@pytest.mark.parametrize("project", [6, -1])
def test_a_score_out_of_range_is_refused_and_nothing_is_saved(world, project):
    with pytest.raises(ValidationError) as caught:
        review(world, world.trainer, project=project)
    field = services.criterion_field(world.project_criterion.pk)
    assert caught.value.message_dict[field] == ["La note doit être comprise entre 0 et 5."]
    with scopes_disabled():
        assert not Review.objects.exists() and not ReviewScore.objects.exists()
    assert refresh(world.application).status == Status.SUBMITTED


def test_every_criterion_must_be_scored(world):
    with in_scope(world), pytest.raises(ValidationError) as caught:
        services.save_review(
            application=world.application,
            reviewer=world.trainer,
            scores={world.project_criterion.pk: 3},
        )
    field = services.criterion_field(world.team_criterion.pk)
    assert caught.value.message_dict[field] == ["Donnez une note à ce critère."]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.WITHDRAWN])
def test_a_draft_or_withdrawn_application_cannot_be_scored(world, status):
    with scopes_disabled():
        Application.objects.filter(pk=world.application.pk).update(status=status)
    with pytest.raises(ValidationError, match="ne peut pas être notée"):
        review(world, world.trainer)


def test_an_announced_application_cannot_be_scored_any_more(world):
    decide(world)
    announce(world)
    with pytest.raises(ValidationError, match="déjà été annoncées"):
        review(world, world.trainer)


def test_weighted_average_and_spread_between_two_reviewers(world):
    # Project weighs 2, team 1, both out of 5: the scale is « / 5 ».
    review(world, world.coordinator, project=5, team=2)  # (2×5 + 1×2) ÷ 3 = 4
    review(world, world.trainer, project=2, team=5)  # (2×2 + 1×5) ÷ 3 = 3
    with in_scope(world):
        grid = grid_for(world.call)
        summary = summaries(grid, Application.objects.filter(call=world.call), world.trainer)[
            world.application.pk
        ]
    assert grid.scale == 5
    assert summary.count == 2
    assert summary.average == pytest.approx(3.5)
    assert summary.spread == pytest.approx(1.0)
    assert summary.mine == pytest.approx(3.0)


def test_criteria_out_of_different_maxima_are_averaged_on_20(world):
    with scopes_disabled():
        ScoringCriterionFactory(call=world.call, name="Ancrage", weight=1, max_score=10, order=2)
        grid = grid_for(world.call)
    assert grid.scale == 20
    project, team, anchoring = grid.criteria
    # (2 × 5/5 + 1 × 0/5 + 1 × 5/10) ÷ 4 × 20 = 12.5
    assert grid.weighted({project.pk: 5, team.pk: 0, anchoring.pk: 5}) == pytest.approx(12.5)


# --- Deciding ------------------------------------------------------------------------


def test_deciding_a_submitted_application_passes_through_review(world):
    decide(world, Decision.SELECTED)
    application = refresh(world.application)
    assert application.status == Status.DECIDED
    assert application.decision == Decision.SELECTED
    assert application.decided_by == world.coordinator and application.decided_at
    assert events(application) == [
        (Status.SUBMITTED, Status.UNDER_REVIEW),
        (Status.UNDER_REVIEW, Status.DECIDED),
    ]


def test_a_draft_cannot_be_decided(world):
    with scopes_disabled():
        draft = build_application(call=world.call)
    with pytest.raises(ValidationError, match="ne peut pas recevoir de décision"):
        decide(world, application=draft)
    assert refresh(draft).status == Status.DRAFT and events(draft) == []


@pytest.mark.parametrize("decision", [Decision.WAITING_LIST, Decision.NOT_SELECTED])
def test_waiting_list_and_not_selected_need_reasons(world, decision):
    review(world, world.coordinator)
    with pytest.raises(ValidationError) as caught:
        decide(world, decision, reasons="   ")
    assert "reasons" in caught.value.message_dict
    application = refresh(world.application)
    assert application.status == Status.UNDER_REVIEW and application.decision == ""

    decide(world, decision, reasons="Le projet n'a pas encore de portage politique.")
    application = refresh(world.application)
    assert application.decision == decision
    assert application.decision_reasons == "Le projet n'a pas encore de portage politique."


def test_a_decision_may_change_until_it_is_announced(world):
    review(world, world.coordinator)
    decide(world, Decision.WAITING_LIST, reasons="Places limitées.")
    decide(world, Decision.SELECTED)
    application = refresh(world.application)
    assert application.decision == Decision.SELECTED
    assert events(application) == [
        (Status.SUBMITTED, Status.UNDER_REVIEW),
        (Status.UNDER_REVIEW, Status.DECIDED),
        (Status.DECIDED, Status.UNDER_REVIEW),
        (Status.UNDER_REVIEW, Status.DECIDED),
    ]
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="candidatures.application.decided").count() == 2

    announce(world)
    with pytest.raises(ValidationError, match="déjà été annoncées"):
        decide(world, Decision.NOT_SELECTED, reasons="Changement d'avis.")
    assert refresh(world.application).decision == Decision.SELECTED


# --- Reopening -----------------------------------------------------------------------


def test_reopening_a_submitted_application_sends_it_back_to_draft(world):
    until = timezone.now() + timedelta(days=3)
    with in_scope(world):
        services.reopen_application(
            application=world.application, acting_user=world.coordinator, until=until
        )
    application = refresh(world.application)
    assert application.status == Status.DRAFT
    assert application.reopened_until == until
    assert application.deadline() == until  # the call closed yesterday
    assert events(application) == [(Status.SUBMITTED, Status.DRAFT)]


def test_reopening_a_draft_after_the_deadline_gives_it_a_new_one(world):
    with scopes_disabled():
        draft = build_application(call=world.call)
    until = timezone.now() + timedelta(days=2)
    with in_scope(world):
        services.reopen_application(application=draft, acting_user=world.coordinator, until=until)
    draft = refresh(draft)
    assert draft.status == Status.DRAFT and draft.reopened_until == until
    assert events(draft) == [(Status.DRAFT, Status.DRAFT)]
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="candidatures.application.reopened").count() == 1


def test_reopening_needs_a_future_date_and_a_submitted_or_draft_application(world):
    with in_scope(world), pytest.raises(ValidationError) as caught:
        services.reopen_application(
            application=world.application,
            acting_user=world.coordinator,
            until=timezone.now() - timedelta(hours=1),
        )
    assert "until" in caught.value.message_dict
    assert refresh(world.application).status == Status.SUBMITTED

    review(world, world.coordinator)
    with in_scope(world), pytest.raises(ValidationError, match="Seule une candidature"):
        services.reopen_application(
            application=world.application,
            acting_user=world.coordinator,
            until=timezone.now() + timedelta(days=1),
        )
    assert refresh(world.application).status == Status.UNDER_REVIEW


# --- Announcing ----------------------------------------------------------------------


@pytest.fixture
def sent(monkeypatch):
    """What the announcement wrote (the decisions, the team invitations) and signalled
    (the new teams); the e-mails are written all the same."""
    received = {"announced": [], "teams": [], "invitations": []}
    send_decisions = notices.send_decisions
    send_team_invitation = parcours_notices.send_team_invitation

    def on_announced(applications, acting_user=None):
        received["announced"].append([a.pk for a in applications])
        return send_decisions(applications, acting_user)

    def on_team(sender, application, team, **kwargs):
        received["teams"].append((application.pk, team.pk))

    def on_invitation(invitation, acting_user=None):
        received["invitations"].append(invitation.email)
        return send_team_invitation(invitation, acting_user)

    monkeypatch.setattr(notices, "send_decisions", on_announced)
    monkeypatch.setattr(parcours_notices, "send_team_invitation", on_invitation)
    team_created_from_application.connect(on_team)
    yield received
    team_created_from_application.disconnect(on_team)


def test_nothing_to_announce_is_refused(world):
    with pytest.raises(ValidationError, match="Aucune décision à annoncer"):
        announce(world)


def test_announcing_makes_teams_with_project_and_invitations(world, sent):
    with scopes_disabled():
        world.application.project_stage = "construction"
        world.application.project_website = "https://pat-bray.example"
        world.application.save()
        refused = build_application(call=world.call, submitted=True)
    decide(world, Decision.SELECTED)
    decide(world, Decision.NOT_SELECTED, reasons="Hors périmètre.", application=refused)

    announced = announce(world)

    assert {a.pk for a in announced} == {world.application.pk, refused.pk}
    application = refresh(world.application)
    assert application.announced_at is not None and refresh(refused).announced_at is not None
    with scopes_disabled():
        team = Team.objects.select_related("project").get(pk=application.team_id)
        assert team.cohort == world.cohort
        assert team.territory == application.territory
        assert team.name == application.territory.name
        project = team.project
        assert project.name == "PAT du Pays de Bray"
        assert project.territory == application.territory
        assert project.stage == Project.Stage.CONSTRUCTION
        assert project.website == "https://pat-bray.example"
        invitations = list(TeamInvitation.objects.filter(team=team).order_by("pk"))
        members = list(application.members.order_by("-is_lead", "pk"))
        assert [(i.email, i.role_id) for i in invitations] == [
            (m.email, m.role_id) for m in members
        ]
        assert len(invitations) == 3
        # The refused one makes no team.
        assert refresh(refused).team_id is None and Team.objects.count() == 1
        assert AuditEntry.objects.filter(action="candidatures.decisions.announced").count() == 1
    assert sent["announced"] == [[a.pk for a in announced]]
    assert sent["teams"] == [(application.pk, team.pk)]
    assert sent["invitations"] == [m.email for m in members]

    # Announced once: nothing left to announce.
    with pytest.raises(ValidationError, match="Aucune décision à annoncer"):
        announce(world)


def test_announcing_while_applications_wait_needs_partial(world, sent):
    with scopes_disabled():
        waiting = build_application(call=world.call, submitted=True)
    decide(world, Decision.SELECTED)

    with pytest.raises(ValidationError) as caught:
        announce(world)
    assert "partial" in caught.value.message_dict
    assert refresh(world.application).announced_at is None
    assert sent["announced"] == []

    announce(world, partial=True)
    assert refresh(world.application).announced_at is not None
    assert refresh(waiting).announced_at is None and refresh(waiting).status == Status.SUBMITTED


def test_two_selected_applications_on_one_territory_get_distinct_team_names(world):
    with scopes_disabled():
        twin = build_application(
            call=world.call,
            submitted=True,
            territory=world.application.territory,
            project_name="PAT de la côte",
        )
    decide(world)
    decide(world, application=twin)
    announce(world)
    with scopes_disabled():
        names = sorted(Team.objects.values_list("name", flat=True))
    territory = world.application.territory.name
    assert names == sorted([territory, f"{territory} — PAT de la côte"])


# --- Pages: who may do what ----------------------------------------------------------


def test_a_trainer_scores_but_cannot_decide(client, world):
    client.force_login(world.trainer)
    assert client.get(url(world, "application_list")).status_code == 200
    page = client.get(url(world, "application_review", world.application))
    assert page.status_code == 200
    assert "Mon évaluation" in page.text
    assert "Enregistrer la décision" not in page.text

    response = client.post(
        url(world, "application_review", world.application),
        {
            services.criterion_field(world.project_criterion.pk): "4",
            services.criterion_field(world.team_criterion.pk): "2",
            "comment": "Bon ancrage local.",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Review.objects.get(reviewer=world.trainer).comment == "Bon ancrage local."

    for name in ("application_decide", "application_reopen"):
        response = client.post(url(world, name, world.application), {"decision": "selected"})
        assert response.status_code == 404
    assert client.get(url(world, "announce_decisions")).status_code == 404
    assert client.get(url(world, "applications_export")).status_code == 404
    assert refresh(world.application).decision == ""


def test_a_score_out_of_range_on_the_page_shows_the_error_next_to_the_field(client, world):
    with scopes_disabled():
        ScoringCriterionFactory(call=world.call, name="Budget", weight=1, max_score=20, order=2)
        budget = world.call.scoring_criteria.get(name="Budget")
    client.force_login(world.trainer)
    response = client.post(
        url(world, "application_review", world.application),
        {
            services.criterion_field(world.project_criterion.pk): "4",
            services.criterion_field(world.team_criterion.pk): "2",
            services.criterion_field(budget.pk): "25",
        },
    )
    assert response.status_code == 200
    assert "inférieure ou égale à 20" in response.text
    with scopes_disabled():
        assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["observer", "stranger"])
def test_observers_and_other_organisations_get_404(client, world, who):
    client.force_login(getattr(world, who))
    for name in ("application_list", "announce_decisions", "applications_export"):
        assert client.get(url(world, name)).status_code == 404
    for name in ("application_review", "application_decide", "application_reopen"):
        assert client.get(url(world, name, world.application)).status_code == 404
        assert client.post(url(world, name, world.application)).status_code == 404


def test_an_application_of_another_call_is_not_found_under_this_one(client, world):
    with scopes_disabled():
        other_call = CallFactory(cohort=world.cohort, published=True)
        elsewhere = build_application(call=other_call, submitted=True)
    client.force_login(world.coordinator)
    assert client.get(url(world, "application_review", elsewhere)).status_code == 404


def test_the_coordinator_decides_on_the_page_and_reasons_are_required(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "application_decide", world.application), {"decision": "not_selected"}
    )
    assert response.status_code == 200
    assert "Expliquez cette décision" in response.text
    assert refresh(world.application).status == Status.SUBMITTED

    response = client.post(
        url(world, "application_decide", world.application),
        {"decision": "waiting_list", "reasons": "Dix places seulement."},
    )
    assert response.status_code == 302
    application = refresh(world.application)
    assert application.decision == Decision.WAITING_LIST

    page = client.get(url(world, "application_review", world.application))
    assert "Liste d" in page.text and "Dix places seulement." in page.text
    # The history shows who did what.
    assert world.coordinator.email in page.text or world.coordinator.get_full_name() in page.text


def test_the_coordinator_reopens_on_the_page(client, world):
    client.force_login(world.coordinator)
    past = (timezone.now() - timedelta(days=2)).date().isoformat()
    response = client.post(
        url(world, "application_reopen", world.application), {"day": past, "at": "12:00"}
    )
    assert response.status_code == 200
    assert "Choisissez une date limite dans le futur." in response.text

    day = (timezone.now() + timedelta(days=5)).date().isoformat()
    response = client.post(
        url(world, "application_reopen", world.application), {"day": day, "at": "18:00"}
    )
    assert response.status_code == 302
    application = refresh(world.application)
    assert application.status == Status.DRAFT and application.reopened_until is not None


def test_the_review_page_shows_everything_and_links_another_application_of_the_territory(
    client, world
):
    with scopes_disabled():
        twin = build_application(
            call=world.call,
            submitted=True,
            territory=world.application.territory,
            structure="Syndicat mixte du Pays de Bray",
        )
        lead = world.application.members.get(is_lead=True)
    review(world, world.coordinator, project=5, team=2, comment="Très bon portage.")
    review(world, world.trainer, project=2, team=5)
    client.force_login(world.coordinator)
    page = client.get(url(world, "application_review", world.application)).text
    assert "Autre candidature pour ce territoire" in page
    assert url(world, "application_review", twin) in page
    assert lead.email in page and "Élu·e référent·e" in page
    assert "Très bon portage." in page
    assert "3,5 / 5" in page  # the average of 4 and 3
    assert "1,0" in page  # their spread
    assert "Enregistrer la décision" in page
    assert "Historique" in page and "En cours d" in page


def test_the_list_shows_averages_spreads_and_my_score_and_filters(client, world):
    with scopes_disabled():
        other = build_application(call=world.call, submitted=True, structure="Communauté Alpha")
        build_application(call=world.call, structure="Brouillon Oméga")  # a draft
    review(world, world.coordinator, project=5, team=2)
    review(world, world.trainer, project=2, team=5)
    client.force_login(world.trainer)

    page = client.get(url(world, "application_list")).text
    assert "3,5 / 5" in page and "1,0" in page and "3,0 / 5" in page
    assert "Communauté Alpha" in page
    assert "Brouillon Oméga" not in page  # drafts are left out by default
    # Sorted by average: the scored application first.
    assert page.index(world.application.structure) < page.index("Communauté Alpha")

    page = client.get(url(world, "application_list", not_mine="true")).text
    assert "Communauté Alpha" in page and world.application.structure not in page

    page = client.get(url(world, "application_list", q="alpha")).text
    assert "Communauté Alpha" in page and world.application.structure not in page
    assert other.pk


def test_the_list_runs_a_constant_number_of_queries(client, world):
    client.force_login(world.coordinator)
    reviewers = [world.coordinator, world.trainer, UserFactory()]
    with scopes_disabled():
        MembershipFactory(organisation=world.organisation, user=reviewers[2], trainer=True)
    made = [world.application]

    def add_rows(count):
        with scopes_disabled():
            while len(made) < count:
                made.append(build_application(call=world.call, submitted=True))
        for application in made:
            with scopes_disabled():
                done = Review.objects.filter(application=application).exists()
            if not done:
                for index, reviewer in enumerate(reviewers):
                    review(
                        world, reviewer, project=index + 1, team=5 - index, application=application
                    )

    assert_constant_queries(client, url(world, "application_list"), add_rows, sizes=(5, 25))


# --- Export --------------------------------------------------------------------------


def test_the_export_escapes_formulas_and_lists_members(client, world):
    with scopes_disabled():
        Application.objects.filter(pk=world.application.pk).update(
            structure='=HYPERLINK("http://evil.example","Cliquez")'
        )
        lead = world.application.members.get(is_lead=True)
    review(world, world.coordinator, project=5, team=2)
    client.force_login(world.coordinator)

    response = client.get(url(world, "applications_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, line = rows[0], rows[1]
    structure = line[header.index("Structure porteuse")]
    assert structure.startswith("'=HYPERLINK")
    members = line[header.index("Membres")]
    assert lead.email in members and "Élu·e référent·e" in members
    assert line[header.index("Moyenne pondérée")] == "4.0"

    response = client.get(url(world, "applications_export", format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- The announcement page -----------------------------------------------------------


def test_the_announcement_page_summarises_then_announces(client, world):
    with scopes_disabled():
        waiting = build_application(call=world.call, submitted=True)
    decide(world, Decision.SELECTED)
    client.force_login(world.coordinator)

    page = client.get(url(world, "announce_decisions")).text
    assert "Retenue : 1" in page and "Non retenue : 0" in page
    assert "1 candidature déposée attend encore une décision." in page

    response = client.post(url(world, "announce_decisions"), {})
    assert response.status_code == 200
    assert "Cochez la case" in response.text
    assert refresh(world.application).announced_at is None

    response = client.post(url(world, "announce_decisions"), {"partial": "on"})
    assert response.status_code == 302
    assert refresh(world.application).team_id is not None
    assert refresh(waiting).announced_at is None


def test_other_territories_are_told_apart(world):
    """A second territory's application is its own: no team is shared."""
    with scopes_disabled():
        other = build_application(call=world.call, submitted=True, territory=TerritoryFactory())
    decide(world)
    decide(world, application=other)
    announce(world)
    assert refresh(other).team_id != refresh(world.application).team_id


def test_an_announced_decision_cannot_be_changed_on_the_page(client, world):
    decide(world, Decision.SELECTED)
    announce(world)
    client.force_login(world.coordinator)
    page = client.get(url(world, "application_review", world.application)).text
    assert "La décision a été annoncée : elle ne peut plus changer." in page
    assert "Mon évaluation" not in page

    response = client.post(
        url(world, "application_decide", world.application),
        {"decision": "not_selected", "reasons": "Changement d'avis."},
        follow=True,
    )
    assert "déjà été annoncées" in response.text
    assert refresh(world.application).decision == Decision.SELECTED
