import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_home_presents_sillon_and_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Se connecter" in response.content.decode()
