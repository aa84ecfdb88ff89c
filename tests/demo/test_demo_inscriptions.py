"""Seed 001 as a 2027 event open to registration (``demo/inscriptions.py``): two
collectifs and individual registrants, choices in both rounds, one full workshop with a
waiting list; its public page answers."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from demo import inscriptions as demo_inscriptions
from demo import organisations as demo_organisations
from demo.common import CNFPT_SLUG
from inscriptions.models import Collective, Event, Registrant, WorkshopChoice
from parcours.models import Team, WorkshopRegistration


@pytest.fixture
def cnfpt(db):
    organisation = demo_organisations.load()[CNFPT_SLUG]
    with scope(organisation=organisation.pk):
        demo_inscriptions.load(organisation)
        demo_inscriptions.load(organisation)  # idempotent
        yield organisation


def test_the_2027_seminar_is_open_with_collectifs_and_a_waiting_list(cnfpt):
    event = Event.objects.get(slug=demo_inscriptions.SLUG)
    assert event.published and event.session.starts_at.year == 2027
    assert set(Collective.objects.values_list("name", flat=True)) == {
        name for name, _territory, _people in demo_inscriptions.COLLECTIFS
    }
    assert Team.objects.filter(cohort__programme=event.session.programme).count() == 2
    confirmed = Registrant.objects.filter(event=event, status="confirmed")
    assert confirmed.count() == 8
    assert confirmed.filter(collective__isnull=True).count() == 3
    full = WorkshopChoice.objects.filter(waiting_since__isnull=False)
    assert full.count() == 2
    workshop = full.first().workshop
    assert WorkshopRegistration.objects.filter(workshop=workshop).count() == workshop.capacity
    assert WorkshopRegistration.objects.filter(round__session=event.session).count() == 14
    response = Client().get(reverse("inscriptions:event", args=[cnfpt.slug, event.slug]))
    assert response.status_code == 200
    assert "Aubin" not in response.content.decode()
