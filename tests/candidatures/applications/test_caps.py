"""Caps on a public call: an applicant's account sends at most so many invitations an
hour (remove, re-add, re-invite included), and one address starts at most so many
applications an hour; past them a French refusal and nothing saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from candidatures import services
from candidatures.models import Application, ApplicationMember
from candidatures.views import applications as views
from sillon import ratelimit
from tests.candidatures.applications.conftest import add, start

pytestmark = pytest.mark.django_db


def test_an_applicant_sends_at_most_so_many_invitations_an_hour(world, invited, settings):
    settings.MEMBER_INVITATIONS = 3
    with scope(organisation=world.organisation.pk):
        application = start(world)
        marc = add(world, application)
        services.remove_application_member(member=marc, acting_user=world.lead)
        add(world, application, email="marc.bis@cc.fr")
        add(world, application, email="paul@cc.fr", role=world.responsable)
        with pytest.raises(ValidationError, match="Vous avez envoyé 3 invitations en moins"):
            add(world, application, email="inconnu@exemple.fr", role=None)
        assert not ApplicationMember.objects.filter(email="inconnu@exemple.fr").exists()
    assert len(invited) == 3
    # The refused one counted too: the window (an hour, kept by the cache) is full.
    assert ratelimit.used("invitations", world.lead.pk) == 4


def test_one_address_starts_at_most_so_many_applications_an_hour(client, world, monkeypatch):
    monkeypatch.setattr(views, "STARTS_PER_ADDRESS", 1)
    start_url = reverse(
        "candidatures:application_start", args=[world.organisation.slug, "ami-2026"]
    )
    data = {
        "territory": "",
        "territory_id": str(world.territory.pk),
        "structure": "Syndicat mixte",
        "project_name": "PAT du Bray",
        "project_stage": "",
        "project_recognition": "",
        "project_website": "",
        "role": str(world.elu.pk),
        "function": "",
        "phone": "",
    }
    client.force_login(world.lead)
    assert client.post(start_url, data, REMOTE_ADDR="203.0.113.7").status_code == 302
    client.force_login(world.outsider)
    refused = client.post(start_url, {**data, "confirm_duplicate": "on"}, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 200
    assert "Trop de candidatures ont été commencées depuis cette connexion" in (
        refused.content.decode().replace("&#x27;", "'")
    )
    with scopes_disabled():
        assert Application.objects.count() == 1
    # From another address it goes through.
    accepted = client.post(
        start_url, {**data, "confirm_duplicate": "on"}, REMOTE_ADDR="198.51.100.4"
    )
    assert accepted.status_code == 302
