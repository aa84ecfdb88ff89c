"""Trainers' assessments of a session's participants list only those who attended;
absent people are shown « absent·e » and cannot be graded."""

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scopes_disabled

from evaluation.models import Response
from tests.evaluation.attendance_world import at, build_world, hot_campaign, record_sheet

pytestmark = pytest.mark.django_db

NOW = at(2027, 1, 14, 10)


@pytest.fixture
def world():
    built = build_world()
    built.campaign = hot_campaign(
        built, mode="assess_person", anonymous=False, assessors=[built.trainer]
    )
    record_sheet(built, at(2027, 1, 12, 17))
    return built


@time_machine.travel(NOW, tick=False)
def test_absent_people_are_listed_as_absent_and_not_gradable(world, client):
    absent = world.people[3]
    client.force_login(world.trainer)
    page = client.get(
        reverse("evaluation:assess_list", args=[world.organisation.slug, world.campaign.pk])
    ).content.decode()
    assert "absent·e" in page
    assert "3 sur 3 évalué" not in page and "0 sur 3 évalué·es" in page
    subject = reverse(
        "evaluation:assess_subject", args=[world.organisation.slug, world.campaign.pk, absent.pk]
    )
    assert subject not in page
    refused = client.post(subject, {f"q{world.form.scale.pk}": "2", "action": "next"})
    assert refused.status_code == 302
    with scopes_disabled():
        assert not Response.objects.filter(campaign=world.campaign).exists()
    present = reverse(
        "evaluation:assess_subject",
        args=[world.organisation.slug, world.campaign.pk, world.people[0].pk],
    )
    assert client.get(present).status_code == 200
