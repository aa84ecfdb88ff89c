"""Each day signed and validated by the trainer: not before its last half-day ends,
not with a status missing; the afternoon is not recorded in the morning; a validated
day is locked; the sheet is validated with its last day; a coordinator reopens a day
(with a reason) and every signature and change stays; the émargement PDF."""

import io
from html import unescape

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from documents.attendance_sheets import build_filled_sheet
from documents.models import Document
from organisations.models import AuditEntry
from presences import services
from presences.actions import Action
from presences.models import AttendanceChange, AttendanceSheet, AttendanceSignature, SheetDay
from presences.strokes import parse_strokes
from tests.presences.conftest import J1, J2, STROKES, in_scope, paris

pytestmark = pytest.mark.django_db


def _fill(world, day=None, status="present"):
    for slot in world.slots.values():
        if day is None or slot.day == day:
            services.mark_all_present(
                session=world.session,
                acting_user=world.trainer,
                day=slot.day,
                half_day=slot.half_day,
            )


def _validate(world, day, **kwargs):
    options = {"strokes": parse_strokes(STROKES), "typed_name": ""}
    options.update(kwargs)
    return services.validate_sheet_day(
        session=world.session, acting_user=world.trainer, day=day, **options
    )


def _end_of(world, day):
    return max(slot.ends_at for slot in world.slots.values() if slot.day == day)


def _time(moment) -> str:
    return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"


def test_the_afternoon_cannot_be_recorded_in_the_morning(seminar):
    afternoon = seminar.slots[(J1, "pm")]
    with in_scope(seminar):
        with pytest.raises(ValidationError, match=f"commence à {_time(afternoon.starts_at)}"):
            services.record_attendance(
                session=seminar.session,
                acting_user=seminar.trainer,
                user=seminar.people[0],
                day=J1,
                half_day="pm",
                status="present",
            )
        with pytest.raises(ValidationError, match="commence à"):
            services.mark_all_present(
                session=seminar.session, acting_user=seminar.trainer, day=J1, half_day="pm"
            )


def test_a_day_is_validated_after_its_end_with_every_status_and_a_signature(seminar):
    end = _end_of(seminar, J1)
    with in_scope(seminar):
        with (
            time_machine.travel(paris(2026, 12, 10, 11, 52), tick=False),
            pytest.raises(
                ValidationError,
                match=f"Vous pourrez valider cette journée à partir de {_time(end)}",
            ),
        ):
            _validate(seminar, J1)
        with time_machine.travel(end, tick=False):
            with pytest.raises(ValidationError, match="Il reste 12 présences"):
                _validate(seminar, J1)
            _fill(seminar, J1)
            with pytest.raises(ValidationError) as error:
                _validate(seminar, J1, strokes=[])
            assert set(error.value.message_dict) == {"strokes"}
            sheet_day = _validate(seminar, J1)
            assert sheet_day.validated_by == seminar.trainer
            assert sheet_day.trainer_strokes == parse_strokes(STROKES)
            # Day 1 is locked, the sheet is not validated yet.
            assert AttendanceSheet.objects.get(session=seminar.session).status == "open"
            with pytest.raises(ValidationError, match="Cette journée est validée"):
                services.record_attendance(
                    session=seminar.session,
                    acting_user=seminar.trainer,
                    user=seminar.people[0],
                    day=J1,
                    half_day="am",
                    status="absent",
                )
            with pytest.raises(ValidationError, match="déjà validée"):
                _validate(seminar, J1)
        with time_machine.travel(_end_of(seminar, J2), tick=False):
            _fill(seminar, J2)
            _validate(seminar, J2, strokes=[], typed_name="Paule Formatrice")
            sheet = AttendanceSheet.objects.get(session=seminar.session)
            assert sheet.is_validated and sheet.validated_by == seminar.trainer
        kinds = list(
            AttendanceChange.objects.filter(session=seminar.session)
            .exclude(kind="recorded")
            .values_list("kind", flat=True)
        )
        assert kinds == ["validated", "day_validated", "day_validated"]
        assert AuditEntry.objects.filter(action=Action.DAY_VALIDATED).count() == 2


def test_reopening_a_day_keeps_signatures_and_history(seminar):
    with in_scope(seminar):
        with time_machine.travel(paris(2026, 12, 10, 9, 34), tick=False):
            services.sign_half_day(
                session=seminar.session,
                user=seminar.people[0],
                day=J1,
                half_day="am",
                method="tablet",
                strokes=parse_strokes(STROKES),
                recorded_by=seminar.trainer,
            )
        with time_machine.travel(paris(2026, 12, 11, 18), tick=False):
            _fill(seminar)
            _validate(seminar, J1)
            _validate(seminar, J2)
            with pytest.raises(ValidationError, match="Seul·e un·e coordinateur·rice"):
                services.reopen_sheet_day(
                    session=seminar.session, acting_user=seminar.trainer, day=J1, reason="x"
                )
            with pytest.raises(ValidationError) as error:
                services.reopen_sheet_day(
                    session=seminar.session, acting_user=seminar.coordinator, day=J1, reason=" "
                )
            assert set(error.value.message_dict) == {"reason"}
            services.reopen_sheet_day(
                session=seminar.session,
                acting_user=seminar.coordinator,
                day=J1,
                reason="Absence oubliée",
            )
            sheet = AttendanceSheet.objects.get(session=seminar.session)
            assert sheet.status == "open"
            day = SheetDay.objects.get(sheet=sheet, day=J1)
            assert not day.is_validated and day.trainer_strokes  # the signature stays
            assert SheetDay.objects.get(sheet=sheet, day=J2).is_validated
            assert AttendanceSignature.objects.filter(session=seminar.session).count() == 1
            reopened = AttendanceChange.objects.get(kind="day_reopened")
            assert "Absence oubliée" in reopened.note
            assert reopened.actor == seminar.coordinator
            assert AttendanceChange.objects.filter(kind="signed").count() == 1
            # J1 can be changed again, J2 cannot.
            services.record_attendance(
                session=seminar.session,
                acting_user=seminar.trainer,
                user=seminar.people[1],
                day=J1,
                half_day="pm",
                status="absent",
            )
            with pytest.raises(ValidationError, match="Cette journée est validée"):
                services.record_attendance(
                    session=seminar.session,
                    acting_user=seminar.trainer,
                    user=seminar.people[1],
                    day=J2,
                    half_day="pm",
                    status="absent",
                )


def _tablet(world):
    return reverse("presences:signatures", args=[world.organisation.slug, world.session.pk])


def test_day_validation_and_reopening_pages(client, seminar):
    client.force_login(seminar.trainer)
    validate = reverse(
        "presences:day_validate", args=[seminar.organisation.slug, seminar.session.pk]
    )
    prefix = "jour-2026-12-10"
    response = client.post(validate, {"day": "2026-12-10", f"{prefix}-strokes": STROKES})
    assert response.status_code == 400
    body = unescape(response.content.decode())
    assert "Vous pourrez valider cette journée à partir de" in body
    with time_machine.travel(paris(2026, 12, 10, 18), tick=False):
        with in_scope(seminar):
            _fill(seminar, J1)
        response = client.post(
            validate, {"day": "2026-12-10", f"{prefix}-typed_name": "Paule Formatrice"}
        )
        assert response.status_code == 302
        body = unescape(client.get(response.url).content.decode())
    assert "La journée du jeudi 10 décembre 2026 est validée." in body
    assert "Validée par Paule Formatrice le jeudi 10 décembre 2026 à 18 h." in body
    assert "Rouvrir la journée" not in body
    client.force_login(seminar.coordinator)
    reopen = reverse("presences:day_reopen", args=[seminar.organisation.slug, seminar.session.pk])
    response = client.post(reopen, {"day": "2026-12-10", "reason": ""})
    assert response.status_code == 400
    assert 'aria-describedby="motif-2026-12-10-erreur"' in response.content.decode()
    response = client.post(reopen, {"day": "2026-12-10", "reason": "Erreur"})
    assert response.status_code == 302
    client.force_login(seminar.trainer)
    assert client.post(reopen, {"day": "2026-12-10", "reason": "x"}).status_code == 404


def test_the_emargement_pdf_has_totals_signatures_and_validation(seminar, tmp_path):
    with in_scope(seminar):
        with time_machine.travel(paris(2026, 12, 10, 9, 34), tick=False):
            services.sign_half_day(
                session=seminar.session,
                user=seminar.people[0],
                day=J1,
                half_day="am",
                method="phone",
                strokes=[],
                typed_name="Jeanne",
                recorded_by=seminar.people[0],
            )
        with time_machine.travel(paris(2026, 12, 11, 18), tick=False):
            services.record_attendance(
                session=seminar.session,
                acting_user=seminar.trainer,
                user=seminar.people[1],
                day=J2,
                half_day="pm",
                status="absent",
            )
            _fill(seminar)
            _validate(seminar, J1)
            _validate(seminar, J2)
        document = Document.objects.create(
            organisation=seminar.organisation,
            kind=Document.Kind.FILLED_ATTENDANCE_SHEET,
            session=seminar.session,
        )
        built = build_filled_sheet(document, lambda done, total: None)
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(built.path.read_bytes())).pages
    )
    text = " ".join(text.split())
    hours = sum(slot.hours for slot in seminar.slots.values())
    assert "signé électroniquement à 9 h 34 (téléphone)" in text
    assert "4 demi-journées" in text and "3 demi-journées" in text
    whole = f"{int(hours)} h" + (f" {round((hours % 1) * 60):02d}" if hours % 1 else "")
    assert whole in text
    assert "Totaux par demi-journée" in text
    assert "validé le vendredi 11 décembre 2026 à 18 h" in text
    assert "Paule Formatrice" in text


def test_the_sheet_page_shows_a_validated_day_and_a_later_half_day_read_only(client, seminar):
    """On the tablet's sheet, J1 validated shows its statuses without buttons and says
    why; J2 morning, under way, keeps its buttons; J2 afternoon, at 10 h, says when it
    opens."""
    sheet = reverse("presences:attendance", args=[seminar.organisation.slug, seminar.session.pk])
    client.force_login(seminar.trainer)
    with time_machine.travel(paris(2026, 12, 10, 18), tick=False), in_scope(seminar):
        _fill(seminar, J1)
        _validate(seminar, J1)
    with time_machine.travel(paris(2026, 12, 11, 10), tick=False):
        j1 = unescape(client.get(sheet, {"demi": "2026-12-10-am"}).content.decode())
        j2 = unescape(client.get(sheet, {"demi": "2026-12-11-am"}).content.decode())
        later = unescape(client.get(sheet, {"demi": "2026-12-11-pm"}).content.decode())
    assert "Cette journée a été validée par Paule Formatrice le jeudi 10 décembre 2026" in j1
    assert 'name="status"' not in j1
    assert "Tous présents" not in j1
    assert '<p class="mb-0">Présent·e</p>' in j1
    assert 'name="status"' in j2
    assert "Cette journée a été validée" not in j2
    afternoon = seminar.slots[(J2, "pm")]
    assert f"Cette demi-journée commence à {_time(afternoon.starts_at)}" in later
    assert 'name="status"' not in later
