"""Attendance per workshop (seed 001): the workshops of the session round by round, a
page per workshop with its registrants and a present / absent toggle (htmx and plain
POST), walk-ins from another workshop, what is refused, the history, who reaches the
pages, and a number of queries that does not grow with the registrants."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from presences import services
from presences.models import AttendanceChange, WorkshopAttendance
from presences.workshops import attended_workshops, session_workshops, workshop_sheet
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.presences.collectifs import add_people, build_seminar, paris
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db
NOW = paris(2026, 12, 10, 10, 45)


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        organisation = OrganisationFactory(slug="cnfpt")
        trainer = MembershipFactory(organisation=organisation, trainer=True).user
        with scope(organisation=organisation.pk):
            world = build_seminar(organisation, trainer=trainer)
        world.coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        world.other_trainer = MembershipFactory(organisation=organisation, trainer=True).user
        yield world


@pytest.fixture
def during(world):
    with time_machine.travel(NOW, tick=False):
        yield world


def _url(world, name, workshop=None):
    args = [world.organisation.slug, world.session.pk]
    if workshop is not None:
        args.append(workshop.pk)
    return reverse(f"presences:{name}", args=args)


def _sheet(world, workshop):
    with scope(organisation=world.organisation.pk):
        return workshop_sheet(world.session, workshop, world.organisation)


def test_workshop_list_by_round_with_counts(client, during):
    world = during
    client.force_login(world.trainer)
    body = client.get(_url(world, "workshop_list")).content.decode()
    assert "Ateliers, 1er tour (10 h 30 – 12 h)" in body
    assert "Ateliers, 2e tour (14 h – 15 h 30)" in body
    assert body.index("Atelier A — Alimentation") < body.index("Atelier C — Habitat")
    assert "présents 0 / inscrits 3" in body  # A: Alice, Chloé, Denis
    assert _url(world, "workshop_attendance", world.workshops.a) in body


def test_workshop_page_lists_registrants_with_collectif_and_structure(client, during):
    world = during
    client.force_login(world.trainer)
    response = client.get(_url(world, "workshop_attendance", world.workshops.a))
    body = response.content.decode()
    assert [row.name for row in response.context["sheet"].rows] == [
        "Chloé Dupont",
        "Denis Hélène",
        "Alice Vasseur",
    ]
    assert "Collectif du Vimeu" in body and "Mairie de Friville-Escarbotin" in body
    assert "présents 0 / inscrits 3" in body
    assert 'aria-pressed="false"' in body
    # Bruno and Emma chose B: they may come as walk-ins.
    candidates = [row.name for row in response.context["sheet"].candidates]
    assert candidates == ["Bruno Caron", "Emma Roux"]
    assert "a choisi « Atelier B — Mobilités »" in body


def test_htmx_toggle_swaps_the_row_and_the_counter(client, during):
    world = during
    client.force_login(world.trainer)
    response = client.post(
        _url(world, "workshop_record", world.workshops.a),
        {"user": world.alice.pk, "status": "present"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="personne-{world.alice.pk}"' in body
    assert 'aria-pressed="true"' in body
    assert 'id="compteur-atelier"' in body and "présents 1 / inscrits 3" in body
    with scope(organisation=world.organisation.pk):
        attendance = WorkshopAttendance.objects.get(workshop=world.workshops.a, user=world.alice)
        assert attendance.status == "present" and not attendance.walk_in
        change = AttendanceChange.objects.get(kind="workshop")
        assert (change.user, change.workshop, change.before, change.after) == (
            world.alice,
            world.workshops.a,
            "",
            "present",
        )


def test_plain_post_toggle_redirects_with_a_message(client, during):
    world = during
    client.force_login(world.trainer)
    url = _url(world, "workshop_record", world.workshops.a)
    client.post(url, {"user": world.chloe.pk, "status": "present"})
    response = client.post(url, {"user": world.chloe.pk, "status": "absent"}, follow=True)
    body = response.content.decode()
    assert "Chloé Dupont : absent·e." in body
    assert "présents 0 / inscrits 3" in body
    with scope(organisation=world.organisation.pk):
        assert AttendanceChange.objects.filter(kind="workshop").count() == 2
    history = client.get(_url(world, "attendance_history")).content.decode()
    assert "Présence en atelier" in history
    assert "Atelier A — Alimentation" in history


def test_walk_in_from_another_workshop(client, during):
    world = during
    client.force_login(world.trainer)
    response = client.post(
        _url(world, "workshop_record", world.workshops.a),
        {"user": world.bruno.pk, "status": "present", "ajout": "1"},
        follow=True,
    )
    body = response.content.decode()
    assert "venu·e d'un autre atelier" in body
    sheet = response.context["sheet"]
    assert [row.name for row in sheet.walk_ins] == ["Bruno Caron"]
    assert sheet.present_count == 1 and sheet.registered_count == 3
    with scope(organisation=world.organisation.pk):
        assert WorkshopAttendance.objects.get(user=world.bruno).walk_in


def test_someone_not_at_the_session_is_refused(client, during):
    world = during
    client.force_login(world.trainer)
    stranger = UserFactory()
    response = client.post(
        _url(world, "workshop_record", world.workshops.a),
        {"user": stranger.pk, "status": "present", "ajout": "1"},
    )
    assert response.status_code == 400
    assert "corrigez le formulaire" in response.content.decode()
    with scope(organisation=world.organisation.pk):
        assert not WorkshopAttendance.objects.exists()
        with pytest.raises(ValidationError):
            services.record_workshop_attendance(
                session=world.session,
                workshop=world.workshops.a,
                acting_user=world.trainer,
                user_id=stranger.pk,
                status="present",
            )


def test_a_forged_status_is_refused(client, during):
    world = during
    client.force_login(world.trainer)
    response = client.post(
        _url(world, "workshop_record", world.workshops.a),
        {"user": world.alice.pk, "status": "excused"},
    )
    assert response.status_code == 302
    with scope(organisation=world.organisation.pk):
        assert not WorkshopAttendance.objects.exists()


def test_nothing_before_the_start_nor_once_validated(client, world):
    client.force_login(world.trainer)
    url = _url(world, "workshop_record", world.workshops.a)
    with time_machine.travel(paris(2026, 12, 10, 8), tick=False):
        body = client.get(_url(world, "workshop_attendance", world.workshops.a)).content.decode()
        assert "se notent une fois la séance commencée" in body
        client.post(url, {"user": world.alice.pk, "status": "present"})
    with scope(organisation=world.organisation.pk):
        assert not WorkshopAttendance.objects.exists()
        from presences.models import AttendanceSheet

        AttendanceSheet.objects.create(
            organisation=world.organisation, session=world.session, status="validated"
        )
    with time_machine.travel(NOW, tick=False):
        response = client.post(url, {"user": world.alice.pk, "status": "present"}, follow=True)
    assert "La feuille est validée" in response.content.decode()
    with scope(organisation=world.organisation.pk):
        assert not WorkshopAttendance.objects.exists()


def test_who_reaches_the_pages(client, during):
    world = during
    a = world.workshops.a
    for name, workshop in (("workshop_list", None), ("workshop_attendance", a)):
        client.force_login(world.coordinator)
        assert client.get(_url(world, name, workshop)).status_code == 200
        client.force_login(world.other_trainer)
        assert client.get(_url(world, name, workshop)).status_code == 404
    client.force_login(world.other_trainer)
    response = client.post(
        _url(world, "workshop_record", a), {"user": world.alice.pk, "status": "present"}
    )
    assert response.status_code == 404


def test_a_workshop_of_another_session_is_404(client, during):
    world = during
    client.force_login(world.coordinator)
    with scope(organisation=world.organisation.pk):
        other = build_seminar(world.organisation, trainer=world.trainer)
    url = reverse(
        "presences:workshop_attendance",
        args=[world.organisation.slug, world.session.pk, other.workshops.a.pk],
    )
    assert client.get(url).status_code == 404


def test_attended_workshops_never_claims_a_mere_choice(during):
    world = during
    with scope(organisation=world.organisation.pk):
        for user, status in ((world.alice, "present"), (world.chloe, "absent")):
            services.record_workshop_attendance(
                session=world.session,
                workshop=world.workshops.a,
                acting_user=world.trainer,
                user_id=user.pk,
                status=status,
            )
        found = attended_workshops(
            world.organisation.pk,
            [world.alice.pk, world.chloe.pk, world.denis.pk],
            [world.session.pk],
        )
    assert found == {(world.alice.pk, world.session.pk): ["Atelier A — Alimentation"]}


def test_session_workshops_counts(during):
    world = during
    with scope(organisation=world.organisation.pk):
        services.record_workshop_attendance(
            session=world.session,
            workshop=world.workshops.b,
            acting_user=world.trainer,
            user_id=world.emma.pk,
            status="present",
        )
        counts = {w.title: (w.chosen, w.present) for w in session_workshops(world.session)}
    assert counts["Atelier B — Mobilités"] == (2, 1)
    assert counts["Atelier D — Santé"] == (2, 0)


def test_workshop_sheet_rows(during):
    world = during
    sheet = _sheet(world, world.workshops.b)
    assert [row.name for row in sheet.rows] == ["Bruno Caron", "Emma Roux"]
    bruno = sheet.row_for(world.bruno.pk)
    assert bruno.team == world.collectifs.vimeu
    assert bruno.function == "Directeur·rice de CCAS"


def test_workshop_page_queries_do_not_grow(client, during):
    world = during
    client.force_login(world.trainer)

    def add_rows(count):
        with scope(organisation=world.organisation.pk):
            add_people(world, count)

    assert_constant_queries(
        client, _url(world, "workshop_attendance", world.workshops.a), add_rows, sizes=(10, 200)
    )


def test_workshop_list_queries_do_not_grow(client, during):
    world = during
    client.force_login(world.trainer)

    def add_rows(count):
        with scope(organisation=world.organisation.pk):
            add_people(world, count)

    assert_constant_queries(client, _url(world, "workshop_list"), add_rows, sizes=(10, 200))


def test_workshop_attendance_is_in_the_person_s_data(during):
    from presences.personal_data import export_for_user

    world = during
    with scope(organisation=world.organisation.pk):
        services.record_workshop_attendance(
            session=world.session,
            workshop=world.workshops.a,
            acting_user=world.trainer,
            user_id=world.bruno.pk,
            status="present",
        )
    (row,) = export_for_user(world.bruno)["présences_en_atelier"]
    assert row["atelier"] == "Atelier A — Alimentation"
    assert row["séance"] == "Histoires de territoire"
    assert row["venu_d_un_autre_atelier"] is True
