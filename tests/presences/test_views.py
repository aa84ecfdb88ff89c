"""The attendance sheet's pages: who reaches them, the tablet page for a half-day, htmx
clicks and their no-JavaScript fallback, « tous présents », adding a participant,
validation, reopening, history, and a constant number of queries."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scope

from presences import services
from presences.models import Attendance, AttendanceChange
from tests.factories import (
    AttendanceFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    TeamMemberFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
J1, J2 = date(2026, 12, 10), date(2026, 12, 11)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def world():
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        organisation = OrganisationFactory(slug="hdf")
        coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        trainer = MembershipFactory(organisation=organisation, trainer=True).user
        other_trainer = MembershipFactory(organisation=organisation, trainer=True).user
        observer = MembershipFactory(organisation=organisation, observer=True).user
        with scope(organisation=organisation.pk):
            parcours = build_programme(organisation=organisation, teams=2)
            session = SessionFactory(
                programme=parcours.programme,
                kind=parcours.kind,
                title="Formation J1/J2 <gouvernance>",
                starts_at=paris(2026, 12, 10, 9, 30),
                ends_at=paris(2026, 12, 11, 17),
                in_person=True,
                facilitators=[trainer],
            )
            members = [
                member.user
                for member in parcours.teams[0]
                .members.order_by("role__order")
                .select_related("user")
            ]
        yield {
            "organisation": organisation,
            "coordinator": coordinator,
            "trainer": trainer,
            "other_trainer": other_trainer,
            "observer": observer,
            "parcours": parcours,
            "session": session,
            "members": members,
        }


@pytest.fixture
def after_the_session(world):
    """Every half-day has started and ended: all of them may be recorded and validated."""
    with time_machine.travel(paris(2026, 12, 11, 18), tick=False):
        yield


def _url(world, name="attendance", *args):
    return reverse(
        f"presences:{name}", args=[world["organisation"].slug, world["session"].pk, *args]
    )


def _record_data(user, status="present", day=J1, half_day="am", **extra):
    return {
        "user": user.pk,
        "day": day.isoformat(),
        "half_day": half_day,
        "status": status,
        "demi": f"{day.isoformat()}-{half_day}",
        **extra,
    }


def _status(world, user, day=J1, half_day="am"):
    with scope(organisation=world["organisation"].pk):
        attendance = Attendance.objects.filter(user=user, day=day, half_day=half_day).first()
        return attendance.status if attendance else None


def _count(world):
    with scope(organisation=world["organisation"].pk):
        return Attendance.objects.count()


def _change(world, user):
    with scope(organisation=world["organisation"].pk):
        return AttendanceChange.objects.get(user=user)


def _fill_every_half_day(world):
    with scope(organisation=world["organisation"].pk):
        for day in (J1, J2):
            for half_day in ("am", "pm"):
                services.mark_all_present(
                    session=world["session"],
                    acting_user=world["trainer"],
                    day=day,
                    half_day=half_day,
                )


def test_who_reaches_the_sheet(client, world):
    pages = [_url(world), _url(world, "attendance_history")]
    for who, expected in [
        ("trainer", 200),
        ("coordinator", 200),
        ("other_trainer", 404),
        ("observer", 404),
    ]:
        client.force_login(world[who])
        for url in pages:
            assert client.get(url).status_code == expected, (who, url)
    client.force_login(world["members"][0])
    for url in pages:
        assert client.get(url).status_code == 404
    response = client.post(_url(world, "attendance_record"), _record_data(world["members"][0]))
    assert response.status_code == 404
    client.force_login(world["other_trainer"])
    response = client.post(_url(world, "attendance_record"), _record_data(world["members"][0]))
    assert response.status_code == 404
    # Reopening is for coordinators only.
    client.force_login(world["trainer"])
    assert client.post(_url(world, "attendance_reopen"), {"reason": "x"}).status_code == 404
    assert _count(world) == 0


def test_session_page_links_to_the_sheet(client, world):
    session_url = reverse(
        "parcours:session_detail", args=[world["organisation"].slug, world["session"].pk]
    )
    for who, shown in [("trainer", True), ("coordinator", True), ("observer", False)]:
        client.force_login(world[who])
        body = client.get(session_url).content.decode()
        assert (f'href="{_url(world)}"' in body) is shown, who
    client.force_login(world["members"][0])
    assert f'href="{_url(world)}"' not in client.get(session_url).content.decode()


@time_machine.travel(paris(2026, 12, 10, 14), tick=False)
def test_tablet_page_for_the_current_half_day(client, world):
    client.force_login(world["trainer"])
    body = client.get(_url(world)).content.decode()
    assert "Formation J1/J2 &lt;gouvernance&gt;" in body
    assert "<gouvernance>" not in body
    assert body.count("<h1") == 1
    assert "Hôtel de Région" in body
    # The picker, with this afternoon preselected.
    for label in ("J1 matin", "J1 après-midi", "J2 matin", "J2 après-midi"):
        assert label in body
    assert 'href="?demi=2026-12-10-pm" aria-current="true"' in body
    assert "Jeudi 10 décembre 2026, après-midi (13 h 30 – 17 h)" in body
    # Teams as cards, people with role badge and four pressed-or-not buttons.
    assert body.count('class="attendance-person"') == 6
    assert "Élu·e référent·e" in body
    assert body.count('aria-pressed="false"') == 24
    assert "Tous présents" in body
    assert "Valider la feuille" in body
    assert "Il reste 24 présences à renseigner." in body
    # Another half-day through the picker.
    body = client.get(_url(world), {"demi": "2026-12-11-am"}).content.decode()
    assert 'href="?demi=2026-12-11-am" aria-current="true"' in body


def test_htmx_click_swaps_the_row_with_undo(client, world):
    client.force_login(world["trainer"])
    person = world["members"][0]
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        response = client.post(
            _url(world, "attendance_record"),
            _record_data(person, "excused"),
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert body.count('class="attendance-person"') == 1
    assert f'id="personne-{person.pk}"' in body
    assert 'value="excused" class="btn btn-lg btn-secondary" aria-pressed="true"' in body
    change = _change(world, person)
    assert _url(world, "attendance_undo", change.pk) in body
    # The team's flags come along, out of band: the élue is an indispensable role.
    assert 'hx-swap-oob="true"' in body
    assert "Absence : Élu·e référent·e (indispensable)" in body

    with time_machine.travel(paris(2026, 12, 10, 10, 1), tick=False):
        response = client.post(
            _url(world, "attendance_undo", change.pk),
            {"demi": "2026-12-10-am"},
            headers={"HX-Request": "true"},
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-pressed="true"' not in body
    assert _status(world, person) is None
    assert "Absence :" not in body


def test_htmx_refusal_shows_in_the_row(client, world, after_the_session):
    _fill_every_half_day(world)
    with scope(organisation=world["organisation"].pk):
        services.validate_attendance_sheet(session=world["session"], acting_user=world["trainer"])
    client.force_login(world["trainer"])
    response = client.post(
        _url(world, "attendance_record"),
        _record_data(world["members"][0], "absent"),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "La feuille est validée : un·e coordinateur·rice doit la rouvrir" in body
    assert _status(world, world["members"][0]) == "present"


def test_no_js_click_redirects_with_message_and_undo(client, world):
    client.force_login(world["trainer"])
    person = world["members"][1]
    response = client.post(
        _url(world, "attendance_record"), _record_data(person, "partial", note="arrivée 10 h")
    )
    change = _change(world, person)
    assert response.status_code == 302
    assert response.url == (
        _url(world) + f"?demi=2026-12-10-am&annuler={change.pk}#personne-{person.pk}"
    )
    body = client.get(response.url).content.decode()
    assert "Retard ou départ anticipé." in body  # the message
    assert 'value="arrivée 10 h"' in body  # the note field of a partial status
    assert _url(world, "attendance_undo", change.pk) in body
    response = client.post(_url(world, "attendance_undo", change.pk), {"demi": "2026-12-10-am"})
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "Le changement est annulé." in body
    assert _status(world, person) is None


def test_no_js_refusal_before_the_start(client, world):
    client.force_login(world["trainer"])
    with time_machine.travel(paris(2026, 12, 10, 8), tick=False):
        body = client.get(_url(world)).content.decode()
        assert "La séance n'a pas encore commencé : les présences pourront" in body
        assert 'name="status"' not in body
        response = client.post(_url(world, "attendance_record"), _record_data(world["members"][0]))
        assert response.status_code == 302
        body = client.get(response.url).content.decode()
    assert "les présences se notent à partir de son début" in body
    assert _count(world) == 0


def test_all_present_then_validate_then_reopen(client, world, after_the_session):
    client.force_login(world["trainer"])
    absent = world["members"][0]
    client.post(_url(world, "attendance_record"), _record_data(absent, "absent"))
    response = client.post(
        _url(world, "attendance_all_present"),
        {"day": "2026-12-10", "half_day": "am", "demi": "2026-12-10-am"},
    )
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "5 personnes notées présentes." in body
    assert _status(world, absent) == "absent"

    response = client.post(_url(world, "attendance_validate"))
    body = client.get(response.url).content.decode()
    assert "Il reste 18 présences à renseigner." in body

    _fill_every_half_day(world)
    response = client.post(_url(world, "attendance_validate"))
    body = client.get(response.url).content.decode()
    assert "La feuille de présence est validée." in body
    # Read-only: the table of every half-day, who validated when, no buttons.
    trainer_name = world["trainer"].get_full_name()
    assert f"Validée par {trainer_name} le vendredi 11 décembre 2026 à 18 h." in body
    assert 'name="status"' not in body
    assert "<caption" in body and '<th scope="col">J2 après-midi</th>' in body
    assert "Rouvrir la feuille" not in body
    assert "Absence</span> " in body  # the élue's absence flag, J1 morning

    client.force_login(world["coordinator"])
    body = client.get(_url(world)).content.decode()
    assert "Rouvrir la feuille" in body
    response = client.post(_url(world, "attendance_reopen"), {"reason": ""})
    assert response.status_code == 400
    assert "aria-describedby" in response.content.decode()
    response = client.post(_url(world, "attendance_reopen"), {"reason": "Erreur sur J2"})
    body = client.get(response.url).content.decode()
    assert "La feuille de présence est rouverte." in body
    assert 'name="status"' in body

    body = client.get(_url(world, "attendance_history")).content.decode()
    assert "Feuille rouverte" in body and "Erreur sur J2" in body
    assert "Feuille validée" in body
    assert '<th scope="col">Avant</th>' in body


def test_add_participant_form(client, world):
    client.force_login(world["trainer"])
    response = client.post(
        _url(world, "attendance_add_participant"),
        {"email": "invite@exemple.fr", "first_name": "", "last_name": "", "demi": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Indiquez le prénom de la personne." in body
    assert "aria-describedby" in body
    team = world["parcours"].teams[1]
    response = client.post(
        _url(world, "attendance_add_participant"),
        {
            "email": "invite@exemple.fr",
            "first_name": "Inès",
            "last_name": "<b>Invitée</b>",
            "team": team.pk,
        },
    )
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "Inès &lt;b&gt;Invitée&lt;/b&gt; est ajouté·e à la feuille de présence." in body
    assert "Participant·es ajouté·es" in body
    assert body.count('class="attendance-person"') == 7


def test_history_is_paginated(client, world, after_the_session):
    client.force_login(world["trainer"])
    _fill_every_half_day(world)  # 24 lines
    client.post(_url(world, "attendance_record"), _record_data(world["members"][0], "absent"))
    client.post(_url(world, "attendance_record"), _record_data(world["members"][1], "excused"))
    body = client.get(_url(world, "attendance_history")).content.decode()
    assert "Page 1 sur 2" in body
    assert body.count("<tr>") == 1 + 25
    assert "Absent·e" in body


def test_sheet_queries_are_constant(client, world):
    client.force_login(world["trainer"])
    team = world["parcours"].teams[1]

    def add_rows(count):
        with scope(organisation=world["organisation"].pk):
            for _ in range(count):
                member = TeamMemberFactory(team=team, role=world["parcours"].roles[2])
                AttendanceFactory(
                    session=world["session"],
                    user=member.user,
                    team=team,
                    day=J1,
                    half_day="am",
                    status="present",
                )

    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        assert_constant_queries(client, _url(world), add_rows)


def test_htmx_click_for_someone_not_on_the_sheet_reloads_the_page(client, world):
    client.force_login(world["trainer"])
    stranger = MembershipFactory(organisation=world["organisation"], observer=True).user
    response = client.post(
        _url(world, "attendance_record"),
        _record_data(stranger, "present"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == _url(world) + "?demi=2026-12-10-am"
    body = client.get(response.headers["HX-Redirect"]).content.decode()
    assert "Cette personne n&#x27;est pas sur la feuille de présence." in body
    assert _count(world) == 0


def test_htmx_undo_of_an_older_change_is_refused_in_the_row(client, world):
    client.force_login(world["trainer"])
    person = world["members"][2]
    client.post(_url(world, "attendance_record"), _record_data(person, "present"))
    first = _change(world, person)
    client.post(_url(world, "attendance_record"), _record_data(person, "absent"))
    response = client.post(
        _url(world, "attendance_undo", first.pk),
        {"demi": "2026-12-10-am"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert f'id="personne-{person.pk}"' in body
    assert "Cette présence a été modifiée depuis" in body
    assert _status(world, person) == "absent"
