"""``manage.py check_restore`` on the test database: what it reports, through the
storage API, and its exit status."""

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from tests.factories import OrganisationFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def check() -> str:
    out = StringIO()
    call_command("check_restore", stdout=out)
    return out.getvalue()


def test_a_consistent_instance_prints_its_counts():
    TerritoryFactory(kind="commune", code="80021", name="Amiens")
    organisation = OrganisationFactory()
    with scopes_disabled():
        organisation.logo.save("logo.png", ContentFile(b"logo"), save=True)
    out = check()
    assert "Migrations : toutes appliquées." in out
    assert "  territoires.Territory : 1\n" in out
    assert "  organisations.Organisation : 1\n" in out
    assert "Fichiers : 1 vérifié(s)." in out
    assert out.endswith("Instance cohérente.\n")


def test_missing_files_and_reference_data_are_problems():
    organisation = OrganisationFactory(logo="organisations/logos/perdu.png")
    with pytest.raises(CommandError) as raised:
        check()
    message = str(raised.value)
    assert (
        "fichier absent du stockage : organisations.Organisation.logo "
        f"(ligne {organisation.pk}) : organisations/logos/perdu.png"
    ) in message
    assert "aucun territoire" in message
