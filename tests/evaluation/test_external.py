"""External evaluations: created without a questionnaire, never sent nor answerable;
the coordinator records the headline figures and attaches the report (its content
checked against its extension); the figures count in the programme's."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluation import results
from evaluation.models import Campaign
from tests.evaluation.attendance_world import at, build_world, scan_at

pytestmark = pytest.mark.django_db

NOW = at(2027, 3, 1, 10)


@pytest.fixture
def world():
    return build_world()


def create(world, client):
    client.force_login(world.coordinator)
    page = client.post(
        reverse("evaluation:external_create", args=[world.organisation.slug, world.programme.pk]),
        {
            "title": "À froid (outil interne)",
            "moment": "cold",
            "description": "Les élu·es des 12 territoires, par téléphone",
            "opens_at": "2027-02-01T09:00",
            "closes_at": "2027-02-20T18:00",
        },
    )
    with scopes_disabled():
        campaign = Campaign.objects.get(external=True)
    assert page.status_code == 302
    return campaign


def figures_url(world, campaign):
    return reverse("evaluation:external_figures", args=[world.organisation.slug, campaign.pk])


@time_machine.travel(NOW, tick=False)
def test_figures_and_report_shown_and_counted(world, client):
    campaign = create(world, client)
    assert campaign.questionnaire_id is None
    pdf = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    saved = client.post(
        figures_url(world, campaign),
        {
            "external_invited": "40",
            "external_respondents": "31",
            "external_satisfaction": "92,7",
            "external_summary": "Très satisfaits du rythme.",
            "external_report": pdf,
        },
    )
    assert saved.status_code == 302
    page = client.get(saved.url).content.decode()
    assert "92,7 %" in page
    assert "Télécharger « rapport" in page
    report = client.get(
        reverse("evaluation:external_report", args=[world.organisation.slug, campaign.pk])
    )
    assert report.status_code == 200
    assert b"".join(report.streaming_content).startswith(b"%PDF")
    # It counts in the programme's satisfaction: 92.7 % of its 31 respondents.
    with scope(organisation=world.organisation):
        campaign.refresh_from_db()
        overview = results.programme_satisfaction([campaign])
    assert overview.cold.n == 31
    assert overview.cold.percent == "92,7\u00a0%"
    # An observer reads the figures and the report; a team member gets 404.
    client.force_login(world.observer)
    assert client.get(saved.url).status_code == 200
    client.force_login(world.people[0])
    assert client.get(saved.url).status_code == 404
    assert client.get(figures_url(world, campaign)).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_an_html_file_named_pdf_is_refused_and_nothing_is_saved(world, client):
    campaign = create(world, client)
    fake = SimpleUploadedFile(
        "rapport.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    )
    page = client.post(
        figures_url(world, campaign),
        {"external_invited": "40", "external_respondents": "31", "external_report": fake},
    )
    assert page.status_code == 200
    assert "pas au bon format" in page.content.decode()
    with scopes_disabled():
        campaign.refresh_from_db()
    assert campaign.external_invited is None
    assert not campaign.external_report


@time_machine.travel(NOW, tick=False)
def test_more_respondents_than_asked_is_refused(world, client):
    campaign = create(world, client)
    page = client.post(
        figures_url(world, campaign), {"external_invited": "10", "external_respondents": "12"}
    )
    assert "plus de répondant·es que de personnes sollicitées" in page.content.decode()


def test_never_sent_reminded_nor_answered(world, client):
    with time_machine.travel(at(2027, 1, 31, 10), tick=False):
        campaign = create(world, client)
    assert scan_at(at(2027, 2, 1, 9, 0)).claimed == 0
    assert scan_at(at(2027, 2, 17, 18, 0)).claimed == 0
    with time_machine.travel(at(2027, 2, 5, 10), tick=False):
        client.force_login(world.people[0])
        answer = reverse("evaluation:answer", args=[world.organisation.slug, campaign.pk])
        assert client.get(answer).status_code == 404
