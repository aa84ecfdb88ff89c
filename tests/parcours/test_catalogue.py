"""The catalogue sheet of a programme: editing with French errors, dated versions, the
programme page, publication, the public page and its PDF, other organisations' 404."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from parcours.models import CatalogueSheet, CatalogueVersion
from tests.evaluation.test_results import respond
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    OrganisationFactory,
    build_satisfaction_questionnaire,
)
from tests.parcours.manage import conftest as manage
from tests.parcours.manage.conftest import url

pytestmark = pytest.mark.django_db
coordinator_client = manage.coordinator_client  # the manage tests' fixture
world = manage.world  # the manage tests' fixture

FILLED = {
    "description": "Une formation pour piloter un projet alimentaire territorial.",
    "objectives": "Conduire un diagnostic\nAnimer une gouvernance",
    "audience": "Chargé·es de mission PAT",
    "prerequisites": "",
    "duration_hours": "14",
    "duration_days": "2",
    "modality": "mixte",
    "dates": "",
    "place": "Amiens",
    "free": "on",
    "price": "",
    "accessibility": "Salle de plain-pied, boucle magnétique.",
    "accessibility_contact_name": "Camille Martin",
    "accessibility_contact_email": "handicap@example.org",
    "evaluation_methods": "Questionnaire à chaud et à froid.",
    "slug": "piloter-un-pat",
}


def _save(client, world, **changes):
    data = {**FILLED, **changes}
    data["trainers"] = [world.trainer.pk]
    return client.post(url("parcours:catalogue_edit", world, programme_id=world.programme.pk), data)


def test_a_first_save_creates_version_one_and_the_programme_text(coordinator_client, world):
    response = _save(coordinator_client, world)
    assert response.status_code == 302
    with scopes_disabled():
        sheet = CatalogueSheet.objects.get(programme=world.programme)
        version = sheet.versions.get()
        world.programme.refresh_from_db()
    assert version.number == 1
    assert version.content["price"] == "Gratuit"
    assert version.content["duration"] == "14 h · 2 jours"
    assert version.content["modality"] == "Mixte (présentiel et distanciel)"
    assert version.content["dates"] == "du 1er juin 2026 au 30 juin 2028"
    assert version.content["trainers"] == [world.trainer.get_full_name() or world.trainer.email]
    assert world.programme.objectives.startswith("Conduire")
    assert sheet.updated_at == version.created_at


def test_each_change_of_content_is_a_new_dated_version(coordinator_client, world):
    _save(coordinator_client, world)
    _save(coordinator_client, world)  # nothing changed: no version
    _save(coordinator_client, world, place="Lille")
    with scopes_disabled():
        versions = list(CatalogueVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["place"] == "Amiens"
    old = coordinator_client.get(
        url("parcours:catalogue_version", world, programme_id=world.programme.pk, version_number=1)
    ).content.decode()
    assert "Amiens" in old and "remplacée depuis" in old
    current = coordinator_client.get(
        url("parcours:catalogue", world, programme_id=world.programme.pk)
    ).content.decode()
    assert "Lille" in current and "Version 1" in current and "Version 2" in current


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"free": "", "price": ""}, "price", "Indiquez le tarif, ou cochez « gratuit »."),
        ({"price": "450 €"}, "price", "Une formation gratuite n'a pas de tarif"),
        (
            {"accessibility_contact_email": ""},
            "accessibility_contact_email",
            "Indiquez l'adresse e-mail du ou de la référent·e handicap.",
        ),
        ({"duration_hours": "0"}, "duration_hours", "Indiquez une durée positive."),
        ({"slug": "Pas une adresse !"}, "slug", "Ce champ ne doit contenir"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_saved(
    coordinator_client, world, changes, field, message
):
    response = _save(coordinator_client, world, **changes)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    with scopes_disabled():
        assert not CatalogueSheet.objects.exists()
        world.programme.refresh_from_db()
    assert world.programme.objectives == ""


def test_a_slug_taken_in_the_organisation_is_refused(coordinator_client, world):
    from tests.factories import ProgrammeFactory

    _save(coordinator_client, world)
    with scopes_disabled():
        other = ProgrammeFactory(organisation=world.organisation)
    response = coordinator_client.post(
        url("parcours:catalogue_edit", world, programme_id=other.pk), FILLED
    )
    assert "déjà celle d'une autre fiche" in response.context["form"].errors["slug"][0]


def test_the_programme_page_shows_its_description_and_objectives(coordinator_client, world):
    _save(coordinator_client, world)
    page = coordinator_client.get(
        url("parcours:timeline", world, programme_id=world.programme.pk)
    ).content.decode()
    assert "piloter un projet alimentaire" in page
    assert "Animer une gouvernance" in page
    assert "Fiche catalogue" in page


def test_public_page_and_pdf_only_once_published(client, coordinator_client, world):
    _save(coordinator_client, world)
    public = reverse("parcours:catalogue_public", args=[world.organisation.slug, "piloter-un-pat"])
    pdf = reverse("parcours:catalogue_pdf", args=[world.organisation.slug, "piloter-un-pat"])
    assert client.get(public).status_code == 404
    coordinator_client.post(
        url("parcours:catalogue_publish", world, programme_id=world.programme.pk),
        {"publish": "1"},
    )
    client.logout()
    page = client.get(public)
    assert page.status_code == 200
    text = page.content.decode()
    assert "handicap@example.org" in text and "Gratuit" in text
    assert "Dernière mise à jour" in text
    download = client.get(pdf)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    coordinator_client.force_login(world.coordinator)
    coordinator_client.post(
        url("parcours:catalogue_publish", world, programme_id=world.programme.pk),
        {"publish": "0"},
    )
    client.logout()
    assert client.get(public).status_code == 404


def test_the_satisfaction_rate_comes_from_the_programme_campaigns(coordinator_client, world):
    with scopes_disabled():
        questionnaire = build_satisfaction_questionnaire(organisation=world.organisation)
        campaign = CampaignFactory(
            programme=world.programme, version=questionnaire.version, hot=True
        )
        for value in (4, 4, 1):
            respond(
                campaign,
                {questionnaire.scale: value},
                respondent=MembershipFactory(organisation=world.organisation).user,
            )
    _save(coordinator_client, world)
    page = coordinator_client.get(
        url("parcours:catalogue", world, programme_id=world.programme.pk)
    ).content.decode()
    assert "Taux de satisfaction" in page
    assert "(n = 3)" in page


def test_other_organisations_and_participants_cannot_edit(client, world):
    stranger = MembershipFactory(organisation=OrganisationFactory(), coordinator=True).user
    client.force_login(stranger)
    for name in ("parcours:catalogue", "parcours:catalogue_edit"):
        assert client.get(url(name, world, programme_id=world.programme.pk)).status_code == 404
    client.force_login(world.participant)
    assert (
        client.get(
            url("parcours:catalogue_edit", world, programme_id=world.programme.pk)
        ).status_code
        == 404
    )


def test_the_sheet_page_has_bounded_queries(
    coordinator_client, world, django_assert_max_num_queries
):
    for place in ("A", "B", "C", "D"):
        _save(coordinator_client, world, place=place)
    with django_assert_max_num_queries(30):
        response = coordinator_client.get(
            url("parcours:catalogue", world, programme_id=world.programme.pk)
        )
    assert response.status_code == 200


def test_the_public_page_queries_do_not_grow_with_versions(
    client, coordinator_client, world, django_assert_max_num_queries
):
    _save(coordinator_client, world)
    coordinator_client.post(
        url("parcours:catalogue_publish", world, programme_id=world.programme.pk),
        {"publish": "1"},
    )
    for place in ("A", "B", "C", "D", "E"):
        _save(coordinator_client, world, place=place)
    client.logout()
    public = reverse("parcours:catalogue_public", args=[world.organisation.slug, "piloter-un-pat"])
    with django_assert_max_num_queries(8):
        response = client.get(public)
    assert response.status_code == 200
    assert "Version 6" not in response.content.decode()  # no history on the public page
    assert "(version 6)" in response.content.decode()
