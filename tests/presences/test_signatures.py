"""Electronic signatures on the trainer's tablet: the window of a half-day, present
recorded (or the trainer's status kept), the drawing kept as safe strokes, the tablet
page (code, QR, « signé à … », the pad as a dialog or a page) and its reach."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisations.models import AuditEntry
from presences import services
from presences.actions import Action
from presences.codes import signing_code
from presences.models import Attendance, AttendanceChange, AttendanceSignature
from presences.strokes import parse_strokes, strokes_svg
from tests.factories import TeamMemberFactory
from tests.presences.conftest import J1, STROKES, in_scope, paris
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _sign(world, person, half_day="am", day=J1, **kwargs):
    options = {
        "method": "tablet",
        "strokes": parse_strokes(STROKES),
        "device": "Mozilla/5.0 (iPad)",
        "ip": "192.0.2.4",
        "recorded_by": world.trainer,
    }
    options.update(kwargs)
    return services.sign_half_day(
        session=world.session, user=person, day=day, half_day=half_day, **options
    )


def _url(world, name="signatures", *args):
    return reverse(f"presences:{name}", args=[world.organisation.slug, world.session.pk, *args])


def test_signing_records_presence_history_and_journal(seminar):
    person = seminar.people[0]
    with in_scope(seminar), time_machine.travel(paris(2026, 12, 10, 9, 34), tick=False):
        signature = _sign(seminar, person)
        attendance = Attendance.objects.get(session=seminar.session, user=person)
        signed = AttendanceChange.objects.get(session=seminar.session, kind="signed")
        audit = AuditEntry.objects.get(action=Action.ATTENDANCE_SIGNED)
    assert (signature.method, signature.recorded_by, signature.ip) == (
        "tablet",
        seminar.trainer,
        "192.0.2.4",
    )
    assert signature.device == "Mozilla/5.0 (iPad)"
    assert signature.strokes == [[[10, 20], [50, 80], [90, 40]], [[100, 100], [140, 150]]]
    assert (attendance.status, attendance.recorded_by) == ("present", seminar.trainer)
    assert (signed.user, signed.actor) == (person, seminar.trainer)
    assert signed.note.startswith("tablette")
    assert audit.data["method"] == "tablet"


def test_signing_keeps_the_trainers_status(seminar):
    person = seminar.people[1]
    with in_scope(seminar):
        services.record_attendance(
            session=seminar.session,
            acting_user=seminar.trainer,
            user=person,
            day=J1,
            half_day="am",
            status="partial",
            note="arrivée 10 h",
        )
        _sign(seminar, person)
        attendance = Attendance.objects.get(session=seminar.session, user=person)
        assert AttendanceSignature.objects.filter(user=person).count() == 1
    assert (attendance.status, attendance.note) == ("partial", "arrivée 10 h")


def test_signing_outside_the_window_is_refused(seminar):
    person = seminar.people[0]
    afternoon = seminar.slots[(J1, "pm")]
    opens = afternoon.starts_at - timedelta(minutes=15)
    expected = f"{opens.hour} h {opens.minute:02d}" if opens.minute else f"{opens.hour} h"
    with in_scope(seminar):
        with pytest.raises(ValidationError, match=f"La signature ouvre à {expected}"):
            _sign(seminar, person, half_day="pm")
        morning = seminar.slots[(J1, "am")]
        with (
            time_machine.travel(morning.ends_at, tick=False),
            pytest.raises(ValidationError, match="est close depuis"),
        ):
            _sign(seminar, person, half_day="am")
        # A little before the start, signing is open.
        with time_machine.travel(morning.starts_at.replace(minute=20), tick=False):
            _sign(seminar, person, half_day="am")
        assert AttendanceSignature.objects.count() == 1


def test_twice_someone_off_the_sheet_or_without_a_mark_is_refused(seminar, django_user_model):
    person = seminar.people[0]
    with in_scope(seminar):
        _sign(seminar, person)
        with pytest.raises(ValidationError, match="déjà signée"):
            _sign(seminar, person)
        with pytest.raises(ValidationError, match="n'est pas sur la feuille"):
            _sign(seminar, seminar.stranger)
        with pytest.raises(ValidationError) as error:
            _sign(seminar, seminar.people[1], strokes=[])
        assert set(error.value.message_dict) == {"strokes"}
        typed = _sign(seminar, seminar.people[1], strokes=[], typed_name="  Jeanne   Dupont ")
        assert (typed.typed_name, typed.strokes) == ("Jeanne Dupont", [])


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        '{"a": 1}',
        "[[[1, 2, 3]]]",
        "[[[1.5, 2]]]",
        "[[[700, 2]]]",
        '[[["<script>", 2]]]',
        "[[]]",
        "[" + ",".join(["[[1, 1]]"] * 61) + "]",
    ],
)
def test_strokes_are_checked(raw):
    with pytest.raises(ValidationError):
        parse_strokes(raw)


def test_strokes_draw_back_as_our_own_svg():
    svg = strokes_svg(parse_strokes(STROKES), label="Signature <b>")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 200"')
    assert '<path d="M10 20 L50 80 L90 40"/>' in svg
    assert "<title>Signature &lt;b&gt;</title>" in svg
    assert parse_strokes("") == []


def test_tablet_page_shows_code_qr_and_who_signed(client, seminar):
    with in_scope(seminar), time_machine.travel(paris(2026, 12, 10, 9, 34), tick=False):
        _sign(seminar, seminar.people[0])
    client.force_login(seminar.trainer)
    response = client.get(_url(seminar))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    code = signing_code(seminar.session, seminar.slots[(J1, "am")])
    assert code in body
    assert "<svg" in body and "<path" in body  # the QR, inline
    assert "signé à 9 h 34 (tablette)" in body
    sign_url = _url(seminar, "signature_sign", seminar.people[1].pk)
    assert f'href="{sign_url}?demi=2026-12-10-am"' in body
    assert "Élu·e référent·e" in body
    # The afternoon is not open yet: no code, the time it opens.
    body = client.get(_url(seminar) + "?demi=2026-12-10-pm").content.decode()
    assert "La signature ouvre à" in body
    assert signing_code(seminar.session, seminar.slots[(J1, "pm")]) not in body


def test_pad_as_a_page_and_as_a_dialog_then_signing(client, seminar):
    client.force_login(seminar.trainer)
    person = seminar.people[2]
    url = _url(seminar, "signature_sign", person.pk) + "?demi=2026-12-10-am"
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1 and "data-signature-pad" in page
    assert 'for="pad-personne-nom"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="signature-dialog-title"' in fragment
    response = client.post(url, {"strokes": "", "typed_name": ""})
    assert response.status_code == 400
    assert 'id="pad-personne-erreur"' in response.content.decode()
    with in_scope(seminar):
        assert not AttendanceSignature.objects.exists()
    response = client.post(url, {"strokes": "[[[1, 1], [1, 1e3]]]", "typed_name": ""})
    assert response.status_code == 400
    assert "illisible" in response.content.decode()
    response = client.post(url, {"strokes": STROKES, "typed_name": ""})
    assert response.status_code == 302
    assert response.url == _url(seminar) + f"?demi=2026-12-10-am#personne-{person.pk}"
    with in_scope(seminar):
        signature = AttendanceSignature.objects.get(user=person)
    assert signature.method == "tablet"
    assert signature.recorded_by == seminar.trainer


def test_tablet_page_is_for_the_sheets_keepers(client, seminar):
    for user, status in [
        (seminar.trainer, 200),
        (seminar.coordinator, 200),
        (seminar.other_trainer, 404),
        (seminar.observer, 404),
        (seminar.people[0], 404),
    ]:
        client.force_login(user)
        assert client.get(_url(seminar)).status_code == status
        sign = _url(seminar, "signature_sign", seminar.people[0].pk)
        answer = client.post(sign, {"strokes": STROKES}).status_code
        # The trainer signs (302); the coordinator finds it already signed (400).
        assert answer in ({302, 400} if status == 200 else {404})


def test_tablet_page_queries_are_constant(client, seminar):
    client.force_login(seminar.trainer)
    team = seminar.parcours.teams[1]

    def add_people(count):
        with in_scope(seminar):
            for _ in range(count):
                member = TeamMemberFactory(team=team, role=seminar.parcours.roles[2])
                _sign(seminar, member.user)

    assert_constant_queries(client, _url(seminar), add_people)
