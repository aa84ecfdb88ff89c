"""The organisation's settings: its legal identity and signatory for the attestations,
and the default half-day times, with French errors next to the fields."""

import io

import pytest
from django.urls import reverse

from organisations.forms import SIGNATURE_MAX_BYTES
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def coordinator(client):
    membership = MembershipFactory(coordinator=True, organisation__name="Région Test")
    client.force_login(membership.user)
    return membership


def post(client, organisation, **data):
    values = {"name": "Région Test", "brand_colour": "#1f5f8b", "time_zone": "Europe/Paris"}
    values.update(data)
    return client.post(reverse("organisations:settings", args=[organisation.slug]), values)


def test_the_page_groups_the_legal_identity_and_the_half_day_times(client, coordinator):
    response = client.get(reverse("organisations:settings", args=[coordinator.organisation.slug]))
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "Identité légale et signature des attestations" in page
    assert "Horaires par défaut des demi-journées" in page
    for name in ("legal_name", "siret", "signatory_name", "signature_image", "morning_starts"):
        assert f'id="id_{name}"' in page and f'for="id_{name}"' in page
    assert 'type="time"' in page and 'value="09:00"' in page


def test_the_legal_identity_and_signature_are_saved(client, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    signature = io.BytesIO(PNG)
    signature.name = "signature.png"
    response = post(
        client,
        coordinator.organisation,
        legal_name="Association Terres Communes",
        address="12 rue des Champs\n59000 Lille",
        siret="123 456 789 00012",
        training_body_number="32590000059",
        signatory_name="Camille Martin",
        signatory_function="Directrice",
        signature_image=signature,
        morning_starts="09:00",
        morning_ends="12:15",
        afternoon_starts="13:45",
        afternoon_ends="17:45",
    )
    assert response.status_code == 302
    organisation = coordinator.organisation
    organisation.refresh_from_db()
    assert organisation.legal_name == "Association Terres Communes"
    assert organisation.siret == "12345678900012"
    assert organisation.signatory_function == "Directrice"
    assert organisation.signature_image.name.endswith(".png")
    assert str(organisation.morning_ends) == "12:15:00"
    assert str(organisation.afternoon_starts) == "13:45:00"


def test_half_days_out_of_order_are_refused_next_to_the_field(client, coordinator):
    response = post(
        client,
        coordinator.organisation,
        morning_starts="09:00",
        morning_ends="13:00",
        afternoon_starts="12:30",
        afternoon_ends="17:00",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "L&#x27;après-midi ne peut pas commencer avant la fin de la matinée." in page
    assert 'aria-describedby="id_afternoon_starts_error' in page or "is-invalid" in page
    organisation = coordinator.organisation
    organisation.refresh_from_db()
    assert str(organisation.morning_ends) == "12:30:00"

    response = post(
        client,
        coordinator.organisation,
        morning_starts="12:00",
        morning_ends="09:00",
        afternoon_starts="13:30",
        afternoon_ends="13:00",
    )
    page = response.content.decode()
    assert "La fin de la matinée doit suivre son début." in page
    assert "La fin de l&#x27;après-midi doit suivre son début." in page


def test_a_bad_siret_and_a_bad_training_number_are_explained(client, coordinator):
    page = post(
        client, coordinator.organisation, siret="1234", training_body_number="12AB"
    ).content.decode()
    assert "Le SIRET compte 14 chiffres." in page
    assert "Ce numéro compte 11 chiffres." in page


def test_the_signature_must_be_a_small_png_or_jpeg(client, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    fake.name = "signature.png"
    page = post(client, coordinator.organisation, signature_image=fake).content.decode()
    assert "pas au bon format" in page and "PNG, JPEG" in page
    big = io.BytesIO(PNG + b"\0" * SIGNATURE_MAX_BYTES)
    big.name = "signature.png"
    page = post(client, coordinator.organisation, signature_image=big).content.decode()
    assert "la limite est de" in page
    coordinator.organisation.refresh_from_db()
    assert not coordinator.organisation.signature_image


def test_others_cannot_open_the_settings(client):
    trainer = MembershipFactory(trainer=True)
    client.force_login(trainer.user)
    response = client.get(reverse("organisations:settings", args=[trainer.organisation.slug]))
    assert response.status_code == 404
