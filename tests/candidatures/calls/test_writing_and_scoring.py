"""The call for applications: its public pages (published only; coordinators preview a
draft), and the coordinator's pages to write, publish and equip it (attachments checked
on their content, a scoring grid with weights)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from candidatures import services
from candidatures.actions import Action
from candidatures.models import Application, Call, Review, ReviewScore
from organisations.models import AuditEntry
from tests.candidatures.calls.conftest import (
    make_call,
    manage_url,
    paris,
    public_url,
)
from tests.factories import (
    CallFactory,
    MembershipFactory,
    ScoringCriterionFactory,
    SessionFactory,
    build_application,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

# --- Writing the call ----------------------------------------------------------------


def call_data(world, **overrides) -> dict:
    data = {
        "title": "AMI PAT 2027",
        "slug": "ami-2027",
        "summary": "Candidatez en équipe.",
        "cohort": world.cohort.pk,
        "opens_at": "2027-06-03T09:00",
        "closes_at": "2027-06-30T23:59",
        "body": "Présentation de l'appel.",
        "eligibility": "",
        "criteria": "",
        "faq": "",
        "webinar": "",
        "contact_email": "ami@exemple.fr",
    }
    data.update(overrides)
    return data


def calls_of(world):
    with scopes_disabled():
        return list(Call.objects.filter(programme=world.programme).order_by("pk"))


def test_create_call_reads_dates_on_the_organisations_clock(coordinator_client, world):
    url = reverse("candidatures:call_create", args=[world.organisation.slug, world.programme.pk])
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(url, call_data(world))
    assert response.status_code == 302
    with scopes_disabled():
        call = Call.objects.get(slug="ami-2027")
        assert call.status == Call.Status.DRAFT
        assert call.opens_at == paris(2027, 6, 3, 9)
        assert call.closes_at == paris(2027, 6, 30, 23, 59)
        assert call.organisation == world.organisation
        assert AuditEntry.objects.filter(action=Action.CALL_SAVED, target=call.title).exists()
    assert response.url == manage_url(world, "call_manage", call=call)


def test_create_without_address_takes_the_title(coordinator_client, world):
    url = reverse("candidatures:call_create", args=[world.organisation.slug, world.programme.pk])
    coordinator_client.post(url, call_data(world, slug="", title="Appel à projets PAT 2027"))
    with scopes_disabled():
        assert Call.objects.filter(slug="appel-a-projets-pat-2027").exists()


def test_create_with_closing_before_opening_is_refused(coordinator_client, world):
    before = len(calls_of(world))
    url = reverse("candidatures:call_create", args=[world.organisation.slug, world.programme.pk])
    response = coordinator_client.post(
        url, call_data(world, opens_at="2027-06-30T09:00", closes_at="2027-06-03T09:00")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"] == [
        "La clôture des candidatures doit suivre leur ouverture."
    ]
    assert "La clôture des candidatures doit suivre leur ouverture." in response.content.decode()
    assert len(calls_of(world)) == before


def test_a_time_that_does_not_exist_on_the_clock_is_refused(coordinator_client, world):
    # 28 March 2027, 2 h 30 in Paris: clocks jump from 2 h to 3 h.
    before = len(calls_of(world))
    url = reverse("candidatures:call_create", args=[world.organisation.slug, world.programme.pk])
    response = coordinator_client.post(url, call_data(world, opens_at="2027-03-28T02:30"))
    assert response.status_code == 200
    assert "opens_at" in response.context["form"].errors
    assert len(calls_of(world)) == before


def test_edit_with_closing_before_opening_changes_nothing(coordinator_client, world):
    with scopes_disabled():
        original = Call.objects.get(pk=world.call.pk)
    response = coordinator_client.post(
        manage_url(world, "call_edit"),
        call_data(
            world,
            slug="ami-2026",
            title="Nouveau titre",
            opens_at="2027-06-30T09:00",
            closes_at="2027-06-30T09:00",
        ),
    )
    assert response.status_code == 200
    assert "closes_at" in response.context["form"].errors
    with scopes_disabled():
        call = Call.objects.get(pk=world.call.pk)
    assert (call.title, call.opens_at, call.closes_at) == (
        original.title,
        original.opens_at,
        original.closes_at,
    )


def test_edit_saves_changed_fields(coordinator_client, world):
    response = coordinator_client.post(
        manage_url(world, "call_edit"), call_data(world, slug="ami-2026", title="AMI revu")
    )
    assert response.status_code == 302
    with scopes_disabled():
        call = Call.objects.get(pk=world.call.pk)
        assert call.title == "AMI revu"
        assert call.is_published  # still published
        entry = AuditEntry.objects.filter(action=Action.CALL_SAVED).latest("pk")
        assert "title" in entry.data["fields"]


def test_edit_form_shows_dates_on_the_organisations_clock(coordinator_client, world):
    with scopes_disabled():
        world.call.opens_at = paris(2026, 6, 3, 9)
        world.call.save()
    body = coordinator_client.get(manage_url(world, "call_edit")).content.decode()
    assert 'value="2026-06-03T09:00"' in body
    assert 'type="datetime-local"' in body


def test_duplicate_address_is_refused_next_to_the_field(coordinator_client, world):
    url = reverse("candidatures:call_create", args=[world.organisation.slug, world.programme.pk])
    response = coordinator_client.post(url, call_data(world, slug="ami-2026"))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["slug"]
    assert "utilise déjà l'adresse « ami-2026 »" in error
    assert len(calls_of(world)) == 1


def test_same_address_allowed_in_another_organisation(world):
    with scopes_disabled():
        other = build_programme(teams=0)
        coordinator = MembershipFactory(organisation=other.organisation, coordinator=True).user
    with scope(organisation=other.organisation.pk):
        call = services.create_call(
            programme=other.programme,
            acting_user=coordinator,
            cohort=other.cohort,
            slug="ami-2026",
            title="AMI ailleurs",
            opens_at=paris(2027, 1, 1),
            closes_at=paris(2027, 2, 1),
        )
    assert call.slug == "ami-2026"


def test_cohort_and_webinar_must_belong_to_the_programme(world):
    with scopes_disabled():
        other = build_programme(organisation=world.organisation, teams=0)
        foreign_session = SessionFactory(programme=other.programme, kind=other.kind)
    with scope(organisation=world.organisation.pk), pytest.raises(ValidationError) as caught:
        services.create_call(
            programme=world.programme,
            acting_user=world.coordinator,
            cohort=other.cohort,
            webinar=foreign_session,
            slug="mauvais",
            title="Appel",
            opens_at=paris(2027, 1, 1),
            closes_at=paris(2027, 2, 1),
        )
    assert set(caught.value.message_dict) == {"cohort", "webinar"}


def test_form_offers_only_the_programmes_cohorts_and_sessions(coordinator_client, world):
    with scopes_disabled():
        other = build_programme(organisation=world.organisation, teams=0)
        SessionFactory(programme=other.programme, kind=other.kind, title="Séance d'ailleurs")
        SessionFactory(programme=world.programme, kind=world.kind, title="Webinaire Q&R")
    form = coordinator_client.get(manage_url(world, "call_edit")).context["form"]
    assert list(form.fields["cohort"].queryset) == [world.cohort]
    assert [s.title for s in form.fields["webinar"].queryset] == ["Webinaire Q&R"]


# --- Publishing ----------------------------------------------------------------------


def test_publish_a_draft(coordinator_client, world):
    call = make_call(world, title="Appel prêt")
    response = coordinator_client.post(manage_url(world, "call_publish", call=call))
    assert response.status_code == 302
    with scopes_disabled():
        call.refresh_from_db()
        assert AuditEntry.objects.filter(action=Action.CALL_PUBLISHED).exists()
    assert call.is_published
    assert call.published_at is not None
    assert coordinator_client.get(public_url(world, call)).status_code == 200


def test_publish_refused_without_a_body(coordinator_client, world):
    call = make_call(world, body="   ")
    response = coordinator_client.post(manage_url(world, "call_publish", call=call), follow=True)
    assert "Rédigez la présentation de l&#x27;appel avant de le publier." in (
        response.content.decode()
    )
    with scopes_disabled():
        call.refresh_from_db()
    assert not call.is_published


def test_manage_page_lists_what_keeps_a_draft_from_publication(coordinator_client, world):
    call = make_call(world, body="")
    body = coordinator_client.get(manage_url(world, "call_manage", call=call)).content.decode()
    assert "Avant de publier" in body
    assert "Publier l’appel" not in body


def test_publish_refused_twice(world):
    with scope(organisation=world.organisation.pk), pytest.raises(ValidationError) as caught:
        services.publish_call(call=world.call, acting_user=world.coordinator)
    assert caught.value.messages == ["Cet appel est déjà publié."]


def test_publication_problems_name_the_dates_and_the_body(world):
    call = Call(
        organisation=world.organisation,
        programme=world.programme,
        opens_at=paris(2027, 2, 1),
        closes_at=paris(2027, 1, 1),
    )
    problems = services.publication_problems(call)
    assert set(problems) == {"cohort", "body", "closes_at"}


def test_publish_get_is_refused(coordinator_client, world):
    call = make_call(world)
    assert coordinator_client.get(manage_url(world, "call_publish", call=call)).status_code == 405


# --- Scoring grid --------------------------------------------------------------------


def save_criterion(world, **kwargs):
    fields = {"name": "Dynamique partenariale", "weight": 2, "max_score": 5, "order": 1}
    fields.update(kwargs)
    with scope(organisation=world.organisation.pk):
        return services.save_scoring_criterion(
            call=world.call, acting_user=world.coordinator, **fields
        )


def reviewed(world, criterion, score):
    with scopes_disabled():
        application = build_application(call=world.call, status="under_review")
        review = Review.objects.create(
            organisation=world.organisation, application=application, reviewer=world.coordinator
        )
        ReviewScore.objects.create(
            organisation=world.organisation, review=review, criterion=criterion, score=score
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"weight": 0}, "weight"), ({"max_score": 0}, "max_score"), ({"max_score": 21}, "max_score")],
)
def test_criterion_limits(world, fields, field):
    with pytest.raises(ValidationError) as caught:
        save_criterion(world, **fields)
    assert list(caught.value.message_dict) == [field]


def test_scoring_grid_page_adds_a_criterion_and_shows_the_total_weight(coordinator_client, world):
    with scopes_disabled():
        ScoringCriterionFactory(call=world.call, name="Portage politique", weight=3)
    url = manage_url(world, "scoring_grid")
    response = coordinator_client.post(
        url,
        {
            "name": "Ancrage territorial",
            "description": "",
            "weight": 2,
            "max_score": 10,
            "order": 2,
        },
    )
    assert response.status_code == 302
    body = coordinator_client.get(url).content.decode()
    assert "Ancrage territorial" in body
    assert "Portage politique" in body
    assert "<td>5</td>" in body  # total weight 3 + 2


def test_scoring_grid_page_shows_errors_next_to_fields(coordinator_client, world):
    response = coordinator_client.post(
        manage_url(world, "scoring_grid"),
        {"name": "Trop", "description": "", "weight": 1, "max_score": 25, "order": 1},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["max_score"] == [
        "La note maximale est comprise entre 1 et 20."
    ]
    with scopes_disabled():
        assert not world.call.scoring_criteria.exists()


def test_max_score_cannot_drop_below_a_given_score(coordinator_client, world):
    criterion = save_criterion(world, max_score=10)
    reviewed(world, criterion, 8)
    url = manage_url(world, "criterion_edit", criterion_id=criterion.pk)
    response = coordinator_client.post(
        url, {"name": criterion.name, "description": "", "weight": 2, "max_score": 5, "order": 1}
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["max_score"]
    assert "déjà donné 8" in error
    with scopes_disabled():
        criterion.refresh_from_db()
    assert criterion.max_score == 10
    # Down to the highest score given is fine.
    response = coordinator_client.post(
        url, {"name": criterion.name, "description": "", "weight": 2, "max_score": 8, "order": 1}
    )
    assert response.status_code == 302


def test_criterion_deleted_before_any_review(coordinator_client, world):
    criterion = save_criterion(world)
    url = manage_url(world, "criterion_delete", criterion_id=criterion.pk)
    assert coordinator_client.post(url).status_code == 302
    with scopes_disabled():
        assert not world.call.scoring_criteria.exists()


def test_criterion_deletion_refused_once_reviews_exist(coordinator_client, world):
    criterion = save_criterion(world)
    reviewed(world, criterion, 3)
    url = manage_url(world, "criterion_delete", criterion_id=criterion.pk)
    response = coordinator_client.post(url, follow=True)
    assert "ne peut plus être supprimé" in response.content.decode()
    with scopes_disabled():
        assert world.call.scoring_criteria.filter(pk=criterion.pk).exists()


# --- Coordinator pages: who sees them ------------------------------------------------


COORDINATOR_PAGES = [
    ("call_list", False),
    ("call_create", False),
    ("call_manage", True),
    ("call_edit", True),
    ("scoring_grid", True),
]


def coordinator_page_url(world, name, with_call):
    if not with_call:
        return reverse(f"candidatures:{name}", args=[world.organisation.slug, world.programme.pk])
    return manage_url(world, name)


@pytest.mark.parametrize(("name", "with_call"), COORDINATOR_PAGES)
def test_coordinator_pages_answer_the_coordinator(coordinator_client, world, name, with_call):
    assert coordinator_client.get(coordinator_page_url(world, name, with_call)).status_code == 200


@pytest.mark.parametrize("who", ["trainer", "observer", "member", "stranger"])
@pytest.mark.parametrize(("name", "with_call"), COORDINATOR_PAGES)
def test_coordinator_pages_are_404_for_everyone_else(client, world, who, name, with_call):
    with scopes_disabled():
        if who in ("trainer", "observer"):
            user = MembershipFactory(organisation=world.organisation, **{who: True}).user
        elif who == "member":
            user = world.member
        else:
            other = build_programme(teams=0).organisation
            user = MembershipFactory(organisation=other, coordinator=True).user
    client.force_login(user)
    assert client.get(coordinator_page_url(world, name, with_call)).status_code == 404


def test_coordinator_posts_are_404_for_a_trainer(client, world):
    with scopes_disabled():
        criterion = ScoringCriterionFactory(call=world.call)
        trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
    client.force_login(trainer)
    for url in (
        manage_url(world, "call_publish"),
        manage_url(world, "criterion_delete", criterion_id=criterion.pk),
        manage_url(world, "criterion_edit", criterion_id=criterion.pk),
    ):
        assert client.post(url).status_code == 404


def test_call_of_another_programme_is_404(coordinator_client, world):
    with scopes_disabled():
        other = build_programme(organisation=world.organisation, teams=0)
    url = reverse(
        "candidatures:call_manage",
        args=[world.organisation.slug, other.programme.pk, world.call.pk],
    )
    assert coordinator_client.get(url).status_code == 404


def test_criterion_of_another_call_is_404(coordinator_client, world):
    other = make_call(world)
    with scopes_disabled():
        criterion = ScoringCriterionFactory(call=other)
    url = manage_url(world, "criterion_edit", criterion_id=criterion.pk)
    assert coordinator_client.get(url).status_code == 404


# --- Coordinator overview and list ---------------------------------------------------


def test_programme_tab_for_coordinators_only(client, coordinator_client, world):
    timeline = reverse("parcours:timeline", args=[world.organisation.slug, world.programme.pk])
    list_url = reverse("candidatures:call_list", args=[world.organisation.slug, world.programme.pk])
    assert list_url in coordinator_client.get(timeline).content.decode()
    with scopes_disabled():
        trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
    client.force_login(trainer)
    assert list_url not in client.get(timeline).content.decode()


def test_manage_page_counts_applications_by_status(coordinator_client, world):
    with scopes_disabled():
        build_application(call=world.call)
        build_application(call=world.call, submitted=True)
        build_application(call=world.call, submitted=True)
        ScoringCriterionFactory(call=world.call, name="Portage politique", weight=3)
    response = coordinator_client.get(manage_url(world, "call_manage"))
    body = response.content.decode()
    assert "Déposée : <strong>2</strong>" in body
    assert "Brouillon : <strong>1</strong>" in body
    assert "3 candidatures en tout." in body
    assert manage_url(world, "application_list") in body
    assert "Portage politique" in body
    assert "Poids total : 3" in body


def test_call_list_counts_applications_in_constant_queries(coordinator_client, world):
    url = reverse("candidatures:call_list", args=[world.organisation.slug, world.programme.pk])

    def add_calls(count):
        with scopes_disabled():
            for _ in range(count):
                call = CallFactory(cohort=world.cohort, published=True)
                build_application(call=call)
                build_application(call=call, submitted=True)

    assert_constant_queries(coordinator_client, url, add_calls, sizes=(1, 5))
    body = coordinator_client.get(url).content.decode()
    assert "Déposée : 1" in body
    with scopes_disabled():
        assert Application.objects.filter(call__programme=world.programme).count() == 10
