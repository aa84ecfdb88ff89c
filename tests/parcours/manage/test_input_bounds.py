"""Free input is bounded and one-line fields stay on one line: a coordinator who pastes
a title from Word, or a text far too long, gets a clean title or a French error next to
the field, and nothing half-saved."""

import pytest
from django_scopes import scopes_disabled

from parcours.models import Phase, Session
from sillon import limits
from tests.parcours.manage.conftest import url
from tests.parcours.manage.test_programmes import phase_data
from tests.parcours.manage.test_sessions import create

pytestmark = pytest.mark.django_db


def error_next_to(html: str, field: str) -> str:
    parts = html.split(f'id="id_{field}_error"', 1)
    assert len(parts) == 2, f"no error next to {field}"
    return parts[1][:400]


def test_a_title_pasted_with_line_breaks_is_saved_on_one_line(coordinator_client, world):
    response = create(
        coordinator_client,
        world,
        title="Formation\r\nJ1/J2\tBcc: pirate@exemple.fr\x1b[31m",
        content="Matin : diagnostic\r\nAprès-midi : plan d'action",
    )
    assert response.status_code == 302
    with scopes_disabled():
        session = Session.objects.get(content__startswith="Matin")
    assert session.title == "Formation J1/J2 Bcc: pirate@exemple.fr [31m"
    # A multi-line text keeps its line breaks.
    assert session.content.splitlines() == ["Matin : diagnostic", "Après-midi : plan d'action"]


def test_a_content_longer_than_its_limit_is_refused_next_to_the_field(coordinator_client, world):
    response = create(coordinator_client, world, content="x" * (limits.TEXT + 1))
    assert response.status_code == 200
    assert "au plus 20000 caractères" in error_next_to(response.content.decode(), "content")
    with scopes_disabled():
        assert not Session.objects.filter(title="Formation J1/J2").exists()


def test_a_place_longer_than_its_limit_is_refused(coordinator_client, world):
    response = create(coordinator_client, world, place="Lille " * 1_000)
    assert "au plus 5000 caractères" in error_next_to(response.content.decode(), "place")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("order", "99999999999999999999999", "inférieure ou égale à 10000"),
        ("end_month", "100000", "inférieure ou égale à 240"),
    ],
)
def test_numbers_made_from_the_model_have_a_maximum(
    coordinator_client, world, field, value, message
):
    target = url("parcours:phase_list", world, programme_id=world.programme.pk)
    page = coordinator_client.get(target).content.decode()
    assert 'name="order"' in page and 'max="10000"' in page
    response = coordinator_client.post(target, phase_data(**{field: value}))
    assert response.status_code == 200
    assert message in error_next_to(response.content.decode(), field)
    with scopes_disabled():
        assert not Phase.objects.filter(name="Construction d'une culture commune").exists()
