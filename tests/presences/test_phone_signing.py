"""Signing on one's own phone from the code shown in the room: the code leads to its
session, is refused on another session's page, outside its half-day and for someone
not on the sheet; a validated day is closed; strangers get 404."""

from html import unescape

import pytest
import time_machine
from django.urls import reverse

from presences import services
from presences.codes import ALPHABET, find_code, signing_code
from presences.models import Attendance, AttendanceSignature
from tests.presences.conftest import J1, STROKES, in_scope, paris

pytestmark = pytest.mark.django_db


def _code(world, session=None, key=(J1, "am")):
    return signing_code(session or world.session, world.slots[key])


def _phone(world):
    return reverse("presences:phone", args=[world.organisation.slug])


def _page(world, session=None):
    session = session or world.session
    return reverse("presences:phone_session", args=[world.organisation.slug, session.pk])


def test_codes_are_short_unambiguous_and_bound_to_their_half_day(seminar):
    morning = _code(seminar)
    assert len(morning) == 6 and set(morning) <= set(ALPHABET)
    assert not set(morning) & set("01OIL")
    assert morning != _code(seminar, key=(J1, "pm"))
    assert morning != _code(seminar, session=seminar.other)
    with in_scope(seminar):
        found = find_code(seminar.organisation, morning.lower())
        assert (found.session, found.slot.key) == (seminar.session, (J1, "am"))
        assert find_code(seminar.organisation, "AAAAAA") is None


def test_typing_the_code_then_signing_on_the_phone(client, seminar):
    person = seminar.people[0]
    client.force_login(person)
    body = client.get(_phone(seminar)).content.decode()
    assert body.count("<h1") == 1 and 'for="id_code"' in body
    code = _code(seminar)
    response = client.get(_phone(seminar), {"code": f" {code[:3]}-{code[3:].lower()} "})
    assert response.status_code == 302
    assert response.url == _page(seminar) + f"?code={code}"
    body = client.get(response.url).content.decode()
    assert "Séminaire J1/J2" in body and "data-signature-pad" in body
    with time_machine.travel(paris(2026, 12, 10, 10, 7), tick=False):
        response = client.post(
            _page(seminar),
            {"code": code, "strokes": STROKES, "typed_name": ""},
            HTTP_USER_AGENT="Mozilla/5.0 (Android)",
        )
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "Merci, votre signature est enregistrée." in body
    assert "Vous avez signé à 10 h 07 (téléphone)." in body
    with in_scope(seminar):
        signature = AttendanceSignature.objects.get(user=person)
        attendance = Attendance.objects.get(user=person, session=seminar.session)
    assert (signature.method, signature.recorded_by) == ("phone", person)
    assert signature.device == "Mozilla/5.0 (Android)"
    assert (attendance.status, attendance.half_day) == ("present", "am")


def test_unknown_code_is_refused_next_to_the_field(client, seminar):
    client.force_login(seminar.people[0])
    response = client.get(_phone(seminar), {"code": "ZZZZZZ"})
    body = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Ce code n'existe pas ou n'est plus valable" in body
    assert 'aria-describedby="id_code-aide id_code-erreur"' in body


def test_the_code_of_another_session_is_refused(client, seminar):
    client.force_login(seminar.people[0])
    other_code = _code(seminar, session=seminar.other)
    response = client.get(_page(seminar), {"code": other_code})
    assert response.status_code == 400
    assert "Ce code est celui d'une autre séance" in unescape(response.content.decode())
    response = client.post(_page(seminar), {"code": other_code, "strokes": STROKES})
    assert response.status_code == 400
    with in_scope(seminar):
        assert not AttendanceSignature.objects.exists()


def test_outside_its_window_the_code_says_when_it_opens(client, seminar):
    client.force_login(seminar.people[0])
    afternoon = seminar.slots[(J1, "pm")]
    body = client.get(_page(seminar), {"code": _code(seminar, key=(J1, "pm"))}).content.decode()
    assert "La signature ouvre à" in body
    assert "data-signature-pad" not in body
    response = client.post(
        _page(seminar), {"code": _code(seminar, key=(J1, "pm")), "strokes": STROKES}
    )
    assert response.status_code == 400
    # After the afternoon, the code of the morning is closed.
    with time_machine.travel(afternoon.ends_at, tick=False):
        body = unescape(client.get(_page(seminar), {"code": _code(seminar)}).content.decode())
    assert "est close depuis" in body
    # The next day, yesterday's code is unknown.
    with time_machine.travel(paris(2026, 12, 11, 10), tick=False):
        response = client.get(_phone(seminar), {"code": _code(seminar)})
    assert response.status_code == 400


def test_someone_not_on_the_sheet_is_refused(client, seminar):
    client.force_login(seminar.observer)
    body = unescape(client.get(_page(seminar), {"code": _code(seminar)}).content.decode())
    assert "Vous n'êtes pas sur la feuille d'émargement de cette séance" in body
    response = client.post(_page(seminar), {"code": _code(seminar), "strokes": STROKES})
    assert response.status_code == 400


def test_a_validated_day_is_closed(client, seminar):
    with in_scope(seminar), time_machine.travel(paris(2026, 12, 11, 18), tick=False):
        for slot in seminar.slots.values():
            services.mark_all_present(
                session=seminar.session,
                acting_user=seminar.trainer,
                day=slot.day,
                half_day=slot.half_day,
            )
        services.validate_sheet_day(
            session=seminar.session,
            acting_user=seminar.trainer,
            day=J1,
            strokes=[],
            typed_name="Paule Formatrice",
        )
    client.force_login(seminar.people[0])
    body = unescape(client.get(_page(seminar), {"code": _code(seminar)}).content.decode())
    assert "Cette journée est validée : la signature est close." in body


def test_strangers_get_404(client, seminar):
    client.force_login(seminar.stranger)
    assert client.get(_phone(seminar)).status_code == 404
    assert client.get(_page(seminar), {"code": _code(seminar)}).status_code == 404
    client.logout()
    assert client.get(_phone(seminar)).status_code == 302
