"""Campaign pages: the coordinator's flow (create, launch, close, cancel, automatic
rules), read-only pages for trainers and observers, 404 for participants and other
organisations, French errors next to the fields, constant queries on the list."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from evaluation.models import AutomaticCampaign, Campaign
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    SessionFactory,
    build_grid_questionnaire,
    build_programme,
    build_satisfaction_questionnaire,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with scopes_disabled():
        built = build_programme(teams=2, members_per_team=3)
        organisation = built.organisation
        built.coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        built.trainer = MembershipFactory(organisation=organisation, trainer=True).user
        built.observer = MembershipFactory(organisation=organisation, observer=True).user
        built.participant = built.teams[0].members.first().user
        built.grid = build_grid_questionnaire(organisation=organisation)
        built.form = build_satisfaction_questionnaire(organisation=organisation)
        built.session = SessionFactory(
            programme=built.programme, kind=built.kind, facilitators=[built.trainer]
        )
        built.campaign = CampaignFactory(
            programme=built.programme, version=built.grid.version, per_team=True, title="T1"
        )
        built.outsider = MembershipFactory(coordinator=True).user
    return built


def url(name, world, **kwargs):
    return reverse(name, kwargs={"organisation_slug": world.organisation.slug, **kwargs})


def p(world):
    return {"programme_id": world.programme.pk}


def c(world, campaign=None):
    return {"campaign_id": (campaign or world.campaign).pk}


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_data(world, **overrides):
    now = timezone.now()
    data = {
        "title": "Autodiagnostic T2",
        "questionnaire": world.grid.questionnaire.pk,
        "moment": "t2",
        "mode": "team",
        "audience": "cohort",
        "opens_at": local(now + timedelta(days=2)),
        "closes_at": local(now + timedelta(days=20)),
        "message": "Merci de remplir à plusieurs.",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_launches_and_closes_a_campaign(client, world):
    client.force_login(world.coordinator)
    response = client.post(url("evaluation:campaign_create", world, **p(world)), form_data(world))
    assert response.status_code == 302
    with scope(organisation=world.organisation.pk):
        campaign = Campaign.objects.get(title="Autodiagnostic T2")
    assert campaign.status == Campaign.Status.DRAFT
    page = client.get(response["Location"]).content.decode()
    assert page.count("<h1") == 1 and "Lancer" in page and "0 sur 2" in page
    response = client.post(url("evaluation:campaign_launch", world, **c(world, campaign)))
    assert "lancée" in messages_of(response)[0]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LAUNCHED
    assert campaign.version == world.grid.version
    response = client.post(url("evaluation:campaign_close", world, **c(world, campaign)))
    assert messages_of(response)[-1] == "Seule une campagne ouverte peut être close."
    client.post(url("evaluation:campaign_close", world, **c(world)))
    world.campaign.refresh_from_db()
    assert world.campaign.state == "closed"


def test_dates_are_read_on_the_organisation_wall_clock(client, world):
    client.force_login(world.coordinator)
    client.post(
        url("evaluation:campaign_create", world, **p(world)),
        form_data(world, opens_at="2027-03-01T09:00", closes_at="2027-03-20T18:00"),
    )
    with scope(organisation=world.organisation.pk):
        campaign = Campaign.objects.get(title="Autodiagnostic T2")
    assert campaign.opens_at.isoformat() == "2027-03-01T08:00:00+00:00"
    page = client.get(url("evaluation:campaign_edit", world, **c(world, campaign))).content
    assert b'value="2027-03-01T09:00"' in page
    detail = client.get(url("evaluation:campaign_detail", world, **c(world, campaign)))
    assert "lundi 1er mars 2027 à 9 h" in detail.content.decode()


def test_bad_input_gives_french_errors_next_to_the_fields_and_saves_nothing(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        url("evaluation:campaign_create", world, **p(world)),
        form_data(
            world,
            anonymous="on",
            opens_at="2027-03-20T09:00",
            closes_at="2027-03-01T09:00",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "La clôture doit venir après l&#x27;ouverture." in html
    assert "Seules les campagnes « une réponse par personne » peuvent être anonymes" in html
    assert 'id="id_closes_at_error"' in html or "is-invalid" in html
    with scope(organisation=world.organisation.pk):
        assert not Campaign.objects.filter(title="Autodiagnostic T2").exists()


def test_create_from_a_session_prefills_an_anonymous_hot_campaign(client, world):
    client.force_login(world.coordinator)
    page = client.get(
        url("evaluation:campaign_create", world, **p(world)), {"session": world.session.pk}
    ).content.decode()
    assert f'<option value="{world.session.pk}" selected>' in page
    assert '<option value="hot" selected>' in page
    assert f"Évaluation à chaud — {world.session.title}" in page


def test_after_launch_the_edit_form_has_only_what_may_change(client, world):
    client.force_login(world.coordinator)
    page = client.get(url("evaluation:campaign_edit", world, **c(world))).content.decode()
    assert 'name="closes_at"' in page and 'name="mode"' not in page
    later = world.campaign.closes_at + timedelta(days=3)
    response = client.post(
        url("evaluation:campaign_edit", world, **c(world)),
        {"title": "T1 prolongé", "closes_at": local(later), "message": ""},
    )
    assert response.status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.title == "T1 prolongé"


def test_cancel_asks_for_confirmation_once_responses_exist(client, world):
    client.force_login(world.coordinator)
    with scopes_disabled():
        world.campaign.responses.create(
            organisation=world.organisation,
            version=world.grid.version,
            key=f"team:{world.teams[0].pk}",
            team=world.teams[0],
            status="submitted",
            submitted_at=timezone.now(),
        )
    detail = client.get(url("evaluation:campaign_detail", world, **c(world))).content.decode()
    assert "1 sur 2" in detail and 'name="confirm"' in detail
    response = client.post(url("evaluation:campaign_cancel", world, **c(world)))
    assert "cochez la case" in messages_of(response)[0]
    world.campaign.refresh_from_db()
    assert world.campaign.status == Campaign.Status.LAUNCHED
    client.post(url("evaluation:campaign_cancel", world, **c(world)), {"confirm": "on"})
    world.campaign.refresh_from_db()
    assert world.campaign.status == Campaign.Status.CANCELLED


def test_automatic_rules_add_edit_delete(client, world):
    client.force_login(world.coordinator)
    list_url = url("evaluation:automatic_list", world, **p(world))
    response = client.post(
        list_url,
        {
            "session_kind": world.kind.pk,
            "questionnaire": world.form.questionnaire.pk,
            "open_days": 10,
            "anonymous": "on",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    with scope(organisation=world.organisation.pk):
        automatic = AutomaticCampaign.objects.get()
        assert Campaign.objects.filter(session=world.session, automatic_rule=automatic).exists()
    page = client.get(list_url).content.decode()
    assert world.kind.name in page and "10 jours après la séance" in page
    response = client.post(
        list_url,
        {
            "session_kind": world.kind.pk,
            "questionnaire": world.form.questionnaire.pk,
            "open_days": 200,
        },
    )
    assert "inférieure ou égale à 90" in response.content.decode()
    edit_url = url("evaluation:automatic_edit", world, **p(world), automatic_id=automatic.pk)
    assert client.get(edit_url).status_code == 200
    client.post(
        edit_url,
        {
            "session_kind": world.kind.pk,
            "questionnaire": world.form.questionnaire.pk,
            "open_days": 5,
        },
    )
    automatic.refresh_from_db()
    assert (automatic.open_days, automatic.anonymous, automatic.enabled) == (5, False, False)
    client.post(url("evaluation:automatic_delete", world, **p(world), automatic_id=automatic.pk))
    with scope(organisation=world.organisation.pk):
        assert not AutomaticCampaign.objects.exists()


def test_trainers_and_observers_read_participants_and_strangers_get_404(client, world):
    with scopes_disabled():
        on_session = CampaignFactory(
            programme=world.programme,
            version=world.form.version,
            audience="session",
            session=world.session,
            hot=True,
        )
    manage_pages = [
        url("evaluation:campaign_create", world, **p(world)),
        url("evaluation:automatic_list", world, **p(world)),
        url("evaluation:campaign_edit", world, **c(world)),
    ]
    client.force_login(world.trainer)
    assert client.get(url("evaluation:campaign_list", world, **p(world))).status_code == 200
    detail = client.get(url("evaluation:campaign_detail", world, **c(world, on_session)))
    assert detail.status_code == 200 and "Annuler la campagne" not in detail.content.decode()
    # Not their session: not visible to a trainer.
    assert client.get(url("evaluation:campaign_detail", world, **c(world))).status_code == 404
    for page in manage_pages:
        assert client.get(page).status_code == 404
    assert client.post(url("evaluation:campaign_close", world, **c(world))).status_code == 404
    client.force_login(world.observer)
    assert client.get(url("evaluation:campaign_detail", world, **c(world))).status_code == 200
    for page in manage_pages:
        assert client.get(page).status_code == 404
    for user in (world.participant, world.outsider):
        client.force_login(user)
        assert client.get(url("evaluation:campaign_list", world, **p(world))).status_code == 404
        assert client.get(url("evaluation:campaign_detail", world, **c(world))).status_code == 404
        assert client.post(url("evaluation:campaign_launch", world, **c(world))).status_code == 404


def test_list_groups_by_moment_filters_and_counts_responses(client, world):
    client.force_login(world.coordinator)
    with scopes_disabled():
        CampaignFactory(
            programme=world.programme,
            version=world.form.version,
            hot=True,
            title="À chaud lancement",
            draft=True,
        )
    list_url = url("evaluation:campaign_list", world, **p(world))
    page = client.get(list_url).content.decode()
    assert "Nouvelle campagne" in page and "0 sur 2" in page and "0 sur 6" in page
    assert page.index("T1 (mi-parcours)") < page.index("À chaud")
    filtered = client.get(list_url, {"state": "draft"}).content.decode()
    assert "À chaud lancement" in filtered and ">T1<" not in filtered


def test_campaign_list_query_count_is_constant(client, world):
    client.force_login(world.coordinator)

    def add(count):
        with scopes_disabled():
            for index in range(count):
                CampaignFactory(
                    programme=world.programme,
                    version=world.grid.version,
                    mode=["team", "person", "assess_team"][index % 3],
                    assessors=[world.trainer],
                    audience=["cohort", "session", "teams"][index % 3],
                    session=world.session,
                    teams=[world.teams[0]],
                )

    assert_constant_queries(client, url("evaluation:campaign_list", world, **p(world)), add)


def test_every_page_has_one_h1_and_a_breadcrumb(client, world):
    client.force_login(world.coordinator)
    with scope(organisation=world.organisation.pk):
        automatic = AutomaticCampaign.objects.create(
            organisation=world.organisation,
            programme=world.programme,
            session_kind=world.kind,
            questionnaire=world.form.questionnaire,
        )
    pages = [
        url("evaluation:campaign_list", world, **p(world)),
        url("evaluation:campaign_create", world, **p(world)),
        url("evaluation:automatic_list", world, **p(world)),
        url("evaluation:automatic_edit", world, **p(world), automatic_id=automatic.pk),
        url("evaluation:campaign_detail", world, **c(world)),
        url("evaluation:campaign_edit", world, **c(world)),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert html.count("<h1") == 1, page
        assert 'class="breadcrumb"' in html and ">Évaluations</a>" in html, page
