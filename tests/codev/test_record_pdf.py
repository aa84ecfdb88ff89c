"""The one-page record of a CODEV séance, built in the background by the documents
pipeline from the séance page's « Compte rendu (PDF) » button, read back with
pdftotext."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from codev.services import cases
from documents.builders import get_builder
from documents.models import Document
from tests.codev.test_seance_pages import make_group, make_seances, member_of, name_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    group = make_group(world, teams=world.teams[:4])
    (seance,) = make_seances(world, group, days=(2,))
    name_client(world, seance, world.teams[0])
    person = member_of(world.teams[0])
    case = cases.save_case(
        group_session=seance,
        acting_user=person,
        title="Mobiliser les élu·es",
        question="Comment associer les élu·es communautaires au PAT ?",
        context="Deux réunions désertées.",
    )
    cases.save_step_notes(
        group_session=seance, step=3, notes="Comment donner envie aux élu·es de venir ?"
    )
    cases.add_advice(
        case=case,
        text="Rencontrer chaque maire.",
        consultant=group.memberships.get(team=world.teams[1]),
    )
    cases.save_commitment(
        case=case,
        acting_user=person,
        what="Écrire aux maires",
        owner=person,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    return seance


def pdf_text(path) -> tuple[str, int]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    pages = next(
        int(line.split()[-1]) for line in info.stdout.splitlines() if line.startswith("Pages:")
    )
    return text, pages


def test_the_button_builds_a_one_page_record(client, world, held):
    client.force_login(member_of(world.teams[2]))  # a consultant
    page = client.get(reverse("codev:seance", args=[world.organisation.slug, held.pk]))
    assert "Compte rendu (PDF)" in page.content.decode()
    response = client.post(
        reverse("documents:codev_record_request", args=[world.organisation.slug, held.pk])
    )
    assert response.status_code == 302
    with scopes_disabled():
        document = Document.objects.get(kind=Document.Kind.CODEV_RECORD)
    assert document.status == Document.Status.READY, document.error
    assert document.session == held.session
    text, pages = pdf_text(document.file.path)
    assert pages == 1
    flat = " ".join(text.split())
    for expected in (
        "Compte rendu de séance de CODEV",
        "Mobiliser les élu·es",
        "Comment associer les élu·es communautaires au PAT ?",
        "Comment donner envie aux élu·es de venir ?",
        "Rencontrer chaque maire.",
        "Écrire aux maires",
        world.teams[1].name,
    ):
        assert expected in flat, expected
    assert document.filename.startswith("Compte rendu CODEV")


def test_strangers_cannot_ask_for_the_record_and_no_case_no_record(client, world, held):
    client.force_login(member_of(world.teams[6]))  # not in the group
    address = reverse("documents:codev_record_request", args=[world.organisation.slug, held.pk])
    assert client.post(address).status_code == 404
    group = held.group
    (empty,) = make_seances(world, group, days=(40,))
    client.force_login(world.coordinator)
    empty_address = reverse(
        "documents:codev_record_request", args=[world.organisation.slug, empty.pk]
    )
    response = client.post(empty_address, follow=True)
    assert "pas encore de cas" in response.content.decode()
    with scopes_disabled():
        assert not Document.objects.exists()


def test_the_builder_is_registered():
    from documents.codev_records import build_codev_record

    assert get_builder(Document.Kind.CODEV_RECORD) is build_codev_record
