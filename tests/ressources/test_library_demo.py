"""Seed 000's library (``demo.ressources.load_library``), loaded after the demo: the
training supports of J1 and J2 attached to their sessions, the engagement text, the
AMI's document, a team's fiche d'intention and two public resources, found by the words
of their PDFs; loaded twice without duplicates."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from demo.common import HDF_SLUG
from demo.ressources import load_library
from organisations.models import Organisation
from ressources.models import Resource
from ressources.search import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_library_of_seed_000(settings):
    call_command("load_demo", stdout=StringIO())
    with scopes_disabled():
        organisation = Organisation.objects.get(slug=HDF_SLUG)
    with scope(organisation=organisation.pk):
        line = load_library(organisation)
        assert load_library(organisation) == line
        resources = Resource.objects.filter(organisation=organisation)
        assert resources.filter(visibility="public").count() >= 2
        j1 = resources.get(title__startswith="Support de formation J1")
        assert j1.session is not None and "gouvernance" in j1.search_text
        assert resources.filter(kind="team_output", visibility="team").count() == 1
        assert search(resources, "autopositionnement").count() >= 1
