"""Announcing decisions while the programme is still a draft: the announcement page
warns that the selected teams would see neither the calendar nor their convocations,
and offers to publish the programme in the same action, or to announce anyway."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from candidatures import services
from candidatures.models import Application
from organisations.models import AuditEntry
from parcours.models import Programme
from tests.factories import CallFactory, MembershipFactory, build_application, build_programme

pytestmark = pytest.mark.django_db

WARNING = (
    "Le programme n'est pas encore publié : les équipes retenues ne verront ni le "
    "calendrier ni leurs convocations."
)


@pytest.fixture
def world():
    """A draft programme, its closed call and one application decided « retenue »."""
    with scopes_disabled():
        built = build_programme(teams=0, published=False)
        built.call = CallFactory(cohort=built.cohort, published=True, closed=True)
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.application = build_application(call=built.call, submitted=True)
    with scope(organisation=built.organisation.pk):
        services.decide(
            application=built.application,
            acting_user=built.coordinator,
            decision=Application.Decision.SELECTED,
        )
    return built


def url(world):
    return reverse(
        "candidatures:announce_decisions",
        args=[world.organisation.slug, world.programme.pk, world.call.pk],
    )


def status_of(world) -> str:
    with scopes_disabled():
        return Programme.objects.get(pk=world.programme.pk).status


def announced(world) -> bool:
    with scopes_disabled():
        return Application.objects.get(pk=world.application.pk).announced_at is not None


def test_the_page_warns_about_a_draft_programme_and_offers_to_publish_it(client, world):
    client.force_login(world.coordinator)
    page = client.get(url(world)).text
    assert WARNING in page
    assert "Publier le programme en même temps" in page


def test_no_warning_once_the_programme_is_published(client, world):
    with scopes_disabled():
        Programme.objects.filter(pk=world.programme.pk).update(status="published")
    client.force_login(world.coordinator)
    page = client.get(url(world)).text
    assert WARNING not in page
    assert "Publier le programme en même temps" not in page


def test_publish_and_announce_in_one_action(client, world):
    client.force_login(world.coordinator)
    response = client.post(url(world), {"publish": "on"}, follow=True)
    assert response.status_code == 200
    assert "Le programme est publié." in response.text
    assert status_of(world) == Programme.Status.PUBLISHED
    assert announced(world)
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="parcours.programme.published").exists()


def test_announce_anyway_leaves_the_programme_a_draft(client, world):
    client.force_login(world.coordinator)
    response = client.post(url(world), {})
    assert response.status_code == 302
    assert announced(world)
    assert status_of(world) == Programme.Status.DRAFT


def test_a_refused_announcement_does_not_publish_either(world):
    """One transaction: when the announcement is refused, the programme stays a draft."""
    with scope(organisation=world.organisation.pk):
        services.announce_decisions(call=world.call, acting_user=world.coordinator)
        with pytest.raises(ValidationError):
            # Nothing left to announce.
            services.announce_decisions(
                call=world.call, acting_user=world.coordinator, publish=True
            )
    assert status_of(world) == Programme.Status.DRAFT
