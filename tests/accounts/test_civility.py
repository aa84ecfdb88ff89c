"""The civility a person may give on their profile (never guessed from a first name):
it agrees the messages written to them alone; without it they read the inclusive form."""

import pytest
from django.urls import reverse

from accounts.models import Civility
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = {"first_name": "Camille", "last_name": "Roux", "phone": "", "function": ""}


def test_no_civility_by_default_gives_the_inclusive_form():
    user = UserFactory(first_name="Marie")
    assert user.civility == Civility.UNSPECIFIED
    assert user.agree("invité") == "invité·e"


def test_the_profile_page_offers_the_civility_and_saves_it(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).text
    assert "Civilité" in page
    assert "Non précisée" in page and "Madame" in page and "Monsieur" in page

    response = client.post(reverse("accounts:profile"), {**PROFILE, "civility": "madame"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.civility == Civility.MADAME
    assert user.agree("convoqué") == "convoquée"

    client.post(reverse("accounts:profile"), {**PROFILE, "civility": "monsieur"})
    user.refresh_from_db()
    assert user.agree("convoqué") == "convoqué"

    client.post(reverse("accounts:profile"), {**PROFILE, "civility": ""})
    user.refresh_from_db()
    assert user.civility == "" and user.agree("inscrit") == "inscrit·e"


def test_an_unknown_civility_is_refused_next_to_the_field(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {**PROFILE, "civility": "docteur"})
    assert response.status_code == 200
    assert "docteur" in response.text and "is-invalid" in response.text
    user.refresh_from_db()
    assert user.civility == ""


def test_the_civility_is_in_the_personal_data_export(client):
    user = UserFactory(civility="monsieur")
    client.force_login(user)
    response = client.get(reverse("accounts:export_data"))
    assert response.status_code == 200
    assert '"civilité": "monsieur"' in response.content.decode()
