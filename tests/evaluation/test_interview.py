"""« Saisir une réponse d'entretien »: a trainer of the session or a coordinator records
a person's answer on their behalf; it is marked « saisi par … lors d'un entretien le …»
and counted as answered; refused on anonymous campaigns; 404 for anyone else."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluation import selectors
from evaluation.models import Response
from evaluation.targets import answered
from organisations.models import AuditEntry
from tests.evaluation.attendance_world import at, build_world, hot_campaign
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NOW = at(2027, 1, 14, 10)


@pytest.fixture
def world():
    built = build_world()
    built.campaign = hot_campaign(built, anonymous=False, sheet_wait_until=None)
    return built


def url(world, name, *args):
    return reverse(f"evaluation:{name}", args=[world.organisation.slug, world.campaign.pk, *args])


@time_machine.travel(NOW, tick=False)
def test_a_trainer_records_an_interview_and_it_counts_as_answered(world, client):
    person = world.people[3]
    client.force_login(world.trainer)
    page = client.get(url(world, "interview_start"))
    assert page.status_code == 200
    assert "Saisir une réponse d" in page.content.decode()
    started = client.post(
        url(world, "interview_start"), {"person": person.pk, "interview_on": "2027-01-12"}
    )
    with scopes_disabled():
        response = Response.objects.get(campaign=world.campaign, key=f"person:{person.pk}")
    assert started.status_code == 302
    assert started.url == url(world, "interview_answer", response.pk)
    scale = world.form.scale
    sent = client.post(
        url(world, "interview_answer", response.pk),
        {f"q{scale.pk}": "4", "action": "submit"},
    )
    assert sent.status_code == 302
    with scopes_disabled():
        response.refresh_from_db()
        assert response.is_submitted
        assert response.entered_by == world.trainer
        assert response.interview_on == date(2027, 1, 12)
        assert response.respondent == person
        assert AuditEntry.objects.filter(action="evaluation.response.interview_recorded").exists()
    with scope(organisation=world.organisation):
        keys, _people = answered([world.campaign])
        assert f"person:{person.pk}" in keys[world.campaign.pk]
        assert person not in selectors.non_respondents(world.campaign)["people"]
    follow = client.get(sent.url)
    assert "lors d&#x27;un entretien le 12 janvier 2027" in follow.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_interview_date_cannot_be_in_the_future(world, client):
    client.force_login(world.coordinator)
    page = client.post(
        url(world, "interview_start"), {"person": world.people[0].pk, "interview_on": "2027-02-01"}
    )
    assert page.status_code == 200
    assert "L&#x27;entretien ne peut pas être dans le futur." in page.content.decode()
    with scopes_disabled():
        assert not Response.objects.filter(campaign=world.campaign).exists()


@time_machine.travel(NOW, tick=False)
def test_refused_on_an_anonymous_campaign_with_the_reason(world, client):
    anonymous = hot_campaign(world, anonymous=True, sheet_wait_until=None)
    client.force_login(world.coordinator)
    start = reverse("evaluation:interview_start", args=[world.organisation.slug, anonymous.pk])
    page = client.get(start).content.decode()
    assert "Cette campagne est anonyme" in page
    assert 'name="person"' not in page
    client.post(start, {"person": world.people[0].pk, "interview_on": "2027-01-12"})
    with scopes_disabled():
        assert not Response.objects.filter(campaign=anonymous).exists()


@time_machine.travel(NOW, tick=False)
def test_404_for_a_team_member_an_observer_and_a_trainer_of_another_session(world, client):
    with scopes_disabled():
        other_trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
    for user in (world.people[0], world.observer, other_trainer):
        client.force_login(user)
        assert client.get(url(world, "interview_start")).status_code == 404
        assert (
            client.post(
                url(world, "interview_start"),
                {"person": world.people[0].pk, "interview_on": "2027-01-12"},
            ).status_code
            == 404
        )
    with scopes_disabled():
        assert not Response.objects.filter(campaign=world.campaign).exists()
