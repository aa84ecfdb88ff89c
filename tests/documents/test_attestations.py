# ruff: noqa: F811 - ``world`` and ``clock`` are fixtures imported from attestation_world
"""Attestations de participation, built for real and read back with pypdf: what they
count (validated sheets, ended sessions, the period), what they say, their number and
registration, the provisional ones, and the cohort's ZIP."""

import zipfile
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from documents.attestations import build_attestation
from documents.builders import BuildError
from documents.filenames import ascii_filename
from documents.models import Attestation, Document
from documents.services import request_document
from presences.halfdays import half_days
from presences.records import Period, format_duration, person_record, programme_records
from tests.documents.attestation_world import (
    EXCUSED_DAY,
    J1,
    J2,
    NOW,
    PARIS,
    VISIO_DAY,
    at,
    build,
    build_bytes,
    clock,  # noqa: F401 - a fixture
    pages_of,
    text_of,
    validate,
    world,  # noqa: F401 - the fixture
)
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    TeamMemberFactory,
    UserFactory,
    build_programme,
)

pytestmark = pytest.mark.django_db


def expected(session, keys) -> str:
    """The hours of ``session``'s half-days ``keys`` as half_days() cuts them today."""
    with scope(organisation=session.organisation_id):
        slots = [s for s in half_days(session, PARIS) if s.key in keys]
    return format_duration(sum((s.ends_at - s.starts_at for s in slots), timedelta()))


def lea_total(world) -> str:
    training = [(J1, "am"), (J1, "pm"), (J2, "am")]
    with scope(organisation=world.organisation.pk):
        slots = [s for s in half_days(world.training, PARIS) if s.key in training]
        slots += [s for s in half_days(world.visio, PARIS) if s.key == (VISIO_DAY, "am")]
    return format_duration(sum((s.ends_at - s.starts_at for s in slots), timedelta()))


# --- Records ------------------------------------------------------------------------


def test_a_person_record_counts_attended_half_days_only(world):
    with scope(organisation=world.organisation.pk):
        found = person_record(programme=world.programme, user=world.lea)
    assert [a.session.title for a in found.sessions] == [
        "Formation J1/J2 : la gouvernance",
        "Webinaire de suivi",
    ]
    training, visio = found.sessions
    assert [slot.key for slot in training.slots] == [(J1, "am"), (J1, "pm"), (J2, "am")]
    assert visio.partial and not training.partial
    assert format_duration(found.duration) == lea_total(world)
    assert found.team == world.teams[0] and found.role == world.roles[0]
    assert not found.provisional


def test_cohort_records_take_a_constant_number_of_queries(world):
    with scope(organisation=world.organisation.pk):
        with CaptureQueriesContext(connection) as few:
            records = programme_records(programme=world.programme, cohort=world.cohort)
        assert len(records) == 6
        for team in world.teams:
            for _index in range(5):
                member = TeamMemberFactory(team=team, role=world.roles[2])
                world.attend(world.training, member.user, J1, "am")
                world.attend(world.visio, member.user, VISIO_DAY, "am")
        with CaptureQueriesContext(connection) as many:
            records = programme_records(programme=world.programme, cohort=world.cohort)
    assert len(records) == 16
    assert len(many) == len(few) <= 4
    by_user = {r.user.pk: r for r in records}
    assert format_duration(by_user[world.lea.pk].duration) == lea_total(world)
    assert not by_user[world.absentee.pk].attended


def test_a_cancelled_session_and_a_moved_half_day_do_not_count(world):
    with scope(organisation=world.organisation.pk):
        cancelled = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title="Annulée",
            cancelled=True,
            starts_at=at(date(2027, 3, 1), 9, 30),
            ends_at=at(date(2027, 3, 1), 12),
        )
        world.attend(cancelled, world.lea, date(2027, 3, 1), "am")
        world.attend(world.visio, world.lea, date(2027, 1, 15), "am")
        found = person_record(programme=world.programme, user=world.lea)
    assert [a.session.title for a in found.sessions] == [
        "Formation J1/J2 : la gouvernance",
        "Webinaire de suivi",
    ]


def test_a_session_not_ended_is_never_counted(world):
    with scope(organisation=world.organisation.pk):
        today = NOW.date()
        running = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title="Séance en cours",
            starts_at=at(today, 9),
            ends_at=at(today, 17),
        )
        world.attend(running, world.lea, today, "am")
        validate(running)
        found = person_record(programme=world.programme, user=world.lea)
    assert "Séance en cours" not in [a.session.title for a in found.sessions]
    content, _name, _doc = build_bytes(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    assert "Séance en cours" not in text_of(content)
    assert f"Total des heures suivies {lea_total(world)}" in text_of(content)


def test_the_period_keeps_only_its_days(world):
    january = Period(date(2027, 1, 1), date(2027, 1, 31))
    with scope(organisation=world.organisation.pk):
        found = person_record(programme=world.programme, user=world.lea, period=january)
    assert [a.session.title for a in found.sessions] == ["Webinaire de suivi"]
    content, _name, _doc = build_bytes(
        Document.Kind.ATTESTATION,
        world,
        programme=world.programme,
        person=world.lea,
        period_start=january.starts_on,
        period_end=january.ends_on,
    )
    text = text_of(content)
    assert "Formation J1/J2" not in text
    assert "entre le 1 janvier 2027 et le 31 janvier 2027" in text.replace("1er", "1")
    assert f"Total des heures suivies {expected(world.visio, {(VISIO_DAY, 'am')})}" in text


def test_custom_half_days_give_the_real_hours(world):
    """A seminar 9 h – 12 h 15 / 13 h 45 – 17 h 45: 7 h 15, not 7 h 45."""
    seminar_day = date(2027, 2, 17)
    with scope(organisation=world.organisation.pk):
        seminar = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title="Séminaire",
            starts_at=at(seminar_day, 9),
            ends_at=at(seminar_day, 17, 45),
        )
        try:
            from datetime import time

            from parcours.models import SessionDay
        except ImportError:  # the per-session half-days have not landed
            SessionDay = None
        if SessionDay is not None:
            SessionDay.objects.filter(session=seminar).update(
                morning_starts=time(9),
                morning_ends=time(12, 15),
                afternoon_starts=time(13, 45),
                afternoon_ends=time(17, 45),
            )
            seminar.refresh_from_db()
        world.attend(seminar, world.lea, seminar_day, "am")
        world.attend(seminar, world.lea, seminar_day, "pm")
        validate(seminar)
        has_days = SessionDay is not None and SessionDay.objects.filter(session=seminar).exists()
        seminar_hours = expected(seminar, {(seminar_day, "am"), (seminar_day, "pm")})
    if has_days:
        assert seminar_hours == "7 h 15"
    content, _name, _doc = build_bytes(
        Document.Kind.ATTESTATION,
        world,
        programme=world.programme,
        person=world.lea,
        period_start=seminar_day,
        period_end=seminar_day,
    )
    text = text_of(content)
    assert f"Total des heures suivies {seminar_hours}" in text


# --- What a final attestation says --------------------------------------------------


def test_the_attestation_states_the_organisme_the_holder_and_the_sessions(world):
    org = world.organisation
    org.legal_name = "Association Terres Communes"
    org.address = "12 rue des Champs\n59000 Lille"
    org.siret = "12345678900012"
    org.training_body_number = "32590000059"
    org.city = "Lille"
    org.signatory_name = "Camille Martin"
    org.signatory_function = "Directrice"
    org.save()
    with scope(organisation=org.pk):
        world.lea.civility = "madame"
        world.lea.save(update_fields=["civility"])
        trainer = UserFactory(first_name="Paul", last_name="Formateur")
        world.training.facilitators.add(trainer)
        world.training.place = "Salle des fêtes, Abbeville"
        world.training.save(update_fields=["place"])
    content, filename, document = build_bytes(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    text = text_of(content)
    with scope(organisation=org.pk):
        attestation = Attestation.objects.select_related("document").get()
    assert filename == "Attestation - Muller Lea.pdf"
    assert attestation.number == "ATT-2027-000001"
    assert f"Attestation n° {attestation.number}" in text
    assert "L'organisme Association Terres Communes atteste que Madame Léa Müller" in text
    assert "y a été présente" in text
    assert "12 rue des Champs" in text and "SIRET : 12345678900012" in text
    assert "32590000059" in text
    assert "Structurer la gouvernance." in text
    assert "Présentiel — Salle des fêtes, Abbeville" in text
    assert "Paul Formateur" in text
    assert "mercredi 9 décembre 2026" in text
    assert "Séance excusée" not in text
    assert f"Total des heures suivies {lea_total(world)}" in text
    assert "entre le 2 novembre 2026 et le 10 mars 2027" in text
    assert "Fait à Lille, le 10 mars 2027" in text
    assert "Camille Martin Directrice" in text
    assert "Je soussigné" not in text
    link = reverse("documents:verify_token", args=[org.slug, attestation.token])
    assert link in text.replace(" ", "")
    assert attestation.document == document
    assert attestation.holder_name == "Léa Müller"
    assert format_duration(timedelta(minutes=attestation.total_minutes)) == lea_total(world)
    assert [s["title"] for s in attestation.sessions] == [
        "Formation J1/J2 : la gouvernance",
        "Webinaire de suivi",
    ]


def test_without_civility_the_wording_is_neutral(world):
    content, _name, _doc = build_bytes(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    text = text_of(content)
    assert f"L'organisme {world.organisation.name} atteste que Léa Müller" in text
    assert "y a été présent·e" in text
    assert "Madame" not in text and "Monsieur" not in text


def test_the_signatory_stays_on_page_one_with_many_sessions(world):
    org = world.organisation
    org.signatory_name = "Camille Martin"
    org.signatory_function = "Directrice"
    org.save()
    with scope(organisation=org.pk):
        for index in range(24):
            day = date(2026, 11, 3) + timedelta(days=index)
            session = SessionFactory(
                programme=world.programme,
                kind=world.coaching,
                title=f"Atelier {index + 1}",
                starts_at=at(day, 9, 30),
                ends_at=at(day, 17),
            )
            world.attend(session, world.lea, day, "am")
            world.attend(session, world.lea, day, "pm")
            validate(session)
    content, _name, _doc = build_bytes(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    pages = pages_of(content)
    assert len(pages) > 1
    assert "Camille Martin" in pages[0] and "Directrice" in pages[0]
    assert "Fait le" in pages[0]
    assert "Atelier 24" in " ".join(pages[1:])


def test_numbers_are_unique_and_follow_the_organisations_sequence(world):
    first, _n, _d = build_bytes(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    second, _n, _d = build_bytes(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.present_once
    )
    with scope(organisation=world.organisation.pk):
        numbers = list(Attestation.objects.order_by("sequence").values_list("number", flat=True))
        tokens = set(Attestation.objects.values_list("token", flat=True))
    assert numbers == ["ATT-2027-000001", "ATT-2027-000002"]
    assert len(tokens) == 2
    assert "ATT-2027-000001" in text_of(first) and "ATT-2027-000002" in text_of(second)


def test_reissuing_for_the_same_period_revokes_the_previous_one(world):
    build_bytes(Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea)
    build_bytes(Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea)
    # Another period: a distinct attestation, the others untouched.
    build_bytes(
        Document.Kind.ATTESTATION,
        world,
        programme=world.programme,
        person=world.lea,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 1, 31),
    )
    with scope(organisation=world.organisation.pk):
        first, second, third = Attestation.objects.order_by("sequence")
    assert first.is_revoked and first.revocation_reason == "Remplacée par ATT-2027-000002"
    assert not second.is_revoked and not third.is_revoked


# --- Provisional attestations ---------------------------------------------------------


def test_a_sheet_not_validated_refuses_a_final_attestation_naming_the_session(world):
    with scope(organisation=world.organisation.pk):
        validate(world.visio, validated=False)
        coordinator = MembershipFactory(organisation=world.organisation, coordinator=True).user
        with pytest.raises(Exception) as refused:
            request_document(
                organisation=world.organisation,
                acting_user=coordinator,
                kind=Document.Kind.ATTESTATION,
                title="Attestation",
                programme=world.programme,
                person=world.lea,
            )
    message = " ".join(refused.value.messages)
    assert "Attestation définitive impossible" in message
    assert "« Webinaire de suivi » (14 janvier 2027)" in message
    assert "Formation J1/J2" not in message
    with pytest.raises(BuildError, match="Webinaire de suivi"):
        build(Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea)
    with scope(organisation=world.organisation.pk):
        assert not Attestation.objects.exists()


def test_a_provisional_attestation_is_marked_on_every_page_and_not_registered(world):
    with scope(organisation=world.organisation.pk):
        validate(world.visio, validated=False)
        for index in range(12):
            day = date(2026, 11, 3) + timedelta(days=index)
            session = SessionFactory(
                programme=world.programme,
                kind=world.coaching,
                title=f"Atelier {index + 1}",
                starts_at=at(day, 9, 30),
                ends_at=at(day, 17),
            )
            world.attend(session, world.lea, day, "am")
            validate(session)
    content, filename, _doc = build_bytes(
        Document.Kind.ATTESTATION,
        world,
        programme=world.programme,
        person=world.lea,
        provisional=True,
    )
    pages = pages_of(content)
    assert filename == "Attestation PROVISOIRE - Muller Lea.pdf"
    assert len(pages) > 1
    assert all("PROVISOIRE" in page for page in pages)
    assert "Webinaire de suivi" in " ".join(pages)  # counted, but provisionally
    assert "ATT-" not in " ".join(pages)
    with scope(organisation=world.organisation.pk):
        assert not Attestation.objects.exists()


def test_someone_who_attended_nothing_gets_no_attestation(world):
    with pytest.raises(BuildError, match="n'a assisté à aucune séance terminée"):
        build(Document.Kind.ATTESTATION, world, programme=world.programme, person=world.absentee)


def test_html_in_names_and_titles_is_printed_as_text(world):
    with scope(organisation=world.organisation.pk):
        world.lea.first_name = "<b>Léa</b><script>alert(1)</script>"
        world.lea.save(update_fields=["first_name"])
        world.programme.name = "<i>Gouvernance</i> & <img src=x>"
        world.programme.save(update_fields=["name"])
    content, _name, _doc = build_bytes(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    text = text_of(content)
    assert "<b>Léa</b><script>alert(1)</script> Müller" in text
    assert "<i>Gouvernance</i> & <img src=x>" in text


# --- The cohort's ZIP -----------------------------------------------------------------


def test_the_cohort_zip_has_final_and_provisional_attestations_and_a_readme(world):
    with scope(organisation=world.organisation.pk):
        # The third member of team 0 attended a session whose sheet is still open.
        open_day = date(2027, 2, 24)
        open_session = SessionFactory(
            programme=world.programme,
            kind=world.coaching,
            title="Séance à valider",
            starts_at=at(open_day, 14),
            ends_at=at(open_day, 16),
        )
        third = (
            world.teams[0]
            .members.exclude(user__in=[world.lea, world.present_once])
            .exclude(user=world.absentee)
            .first()
        )
        assert third is None  # team 0 has three members: Léa, present_once, absentee
        world.attend(open_session, world.absentee, open_day, "pm")
        validate(open_session, validated=False)
    built, progress, _doc = build(
        Document.Kind.ATTESTATIONS, world, programme=world.programme, cohort=world.cohort
    )
    try:
        assert built.filename == "Attestations - Promotion 2026-2028.zip"
        with zipfile.ZipFile(built.path) as archive:
            names = archive.namelist()
            lea_text = text_of(archive.read("Attestation - Muller Lea.pdf"))
            readme = archive.read("Lisez-moi.txt").decode("utf-8-sig")
            absentee = world.absentee
            provisional_name = ascii_filename(
                f"Attestation PROVISOIRE - {absentee.last_name} {absentee.first_name}", "pdf"
            )
            provisional_text = text_of(archive.read(provisional_name))
    finally:
        built.path.unlink()
    assert "Lisez-moi.txt" in names and len(names) == 4
    assert f"Total des heures suivies {lea_total(world)}" in lea_text
    assert "PROVISOIRE" in provisional_text
    assert "3 attestation(s)" in readme
    assert "Attestations PROVISOIRES" in readme and absentee.get_full_name() in readme
    assert "les 3 personne(s) suivante(s), qui n'ont assisté" in readme
    assert progress.calls[0] == (0, 3) and progress.calls[-1] == (3, 3)
    with scope(organisation=world.organisation.pk):
        holders = set(Attestation.objects.values_list("person_id", flat=True))
    assert holders == {world.lea.pk, world.present_once.pk}


def test_a_cohort_where_nobody_attended_gets_no_zip(world):
    with scope(organisation=world.organisation.pk):
        other = build_programme(organisation=world.organisation, teams=1)
    with pytest.raises(BuildError, match="Personne n'a assisté"):
        build(Document.Kind.ATTESTATIONS, world, programme=other.programme, cohort=other.cohort)


def test_the_builders_are_the_real_ones():
    from documents.builders import get_builder

    assert get_builder(Document.Kind.ATTESTATION) is build_attestation


# --- Asking for one -------------------------------------------------------------------


def test_the_form_refuses_a_period_ending_before_it_starts(world, client):
    with scope(organisation=world.organisation.pk):
        coordinator = MembershipFactory(organisation=world.organisation, coordinator=True).user
    client.force_login(coordinator)
    url = reverse(
        "documents:attestation_request",
        args=[world.organisation.slug, world.programme.pk, world.lea.pk],
    )
    response = client.post(url, {"period_start": "2027-02-01", "period_end": "2027-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "La fin de la période ne peut pas précéder son début." in html
    assert 'aria-describedby="id_period_end' in html or "is-invalid" in html
    with scope(organisation=world.organisation.pk):
        assert not Document.objects.exists()


def test_a_person_asking_for_a_final_attestation_is_told_which_sheets_are_open(world, client):
    with scope(organisation=world.organisation.pk):
        validate(world.visio, validated=False)
    client.force_login(world.lea)
    url = reverse(
        "documents:attestation_request",
        args=[world.organisation.slug, world.programme.pk, world.lea.pk],
    )
    response = client.post(url, {"provisional": "0"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Attestation définitive impossible" in html
    assert "Webinaire de suivi" in html
    response = client.post(url, {"provisional": "1"})
    assert response.status_code == 302
    with scope(organisation=world.organisation.pk):
        document = Document.objects.get()
    assert document.provisional
    assert document.period_start == world.programme.start_date
    assert document.period_end == NOW.date()
    assert document.status == Document.Status.READY
    assert document.filename == "Attestation PROVISOIRE - Muller Lea.pdf"


def test_the_excused_day_never_shows(world):
    content, _name, _doc = build_bytes(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    assert str(EXCUSED_DAY.day) + " février" not in text_of(content)


def test_user_content_pointing_outside_builds_without_fetching(world, monkeypatch):
    """Markdown or HTML in objectives pointing at another host or a local file is text:
    nothing is fetched (the network and urllib fail loudly if anything tries)."""
    import socket
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    with scope(organisation=world.organisation.pk):
        world.programme.objectives = (
            "![x](http://evil.example/pixel.png)\n"
            '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://evil.example/a.css">'
        )
        world.programme.save(update_fields=["objectives"])
    content, _name, _doc = build_bytes(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    text = text_of(content)
    assert "![x](http://evil.example/pixel.png)" in text
    assert "root:" not in text


def test_two_people_with_the_same_name_get_distinct_files(world):
    with scope(organisation=world.organisation.pk):
        homonym = TeamMemberFactory(
            team=world.teams[1],
            role=world.roles[0],
            user=UserFactory(first_name="Lea", last_name="Muller"),
        ).user
        world.attend(world.visio, homonym, VISIO_DAY, "am")
    built, _progress, _doc = build(
        Document.Kind.ATTESTATIONS, world, programme=world.programme, cohort=world.cohort
    )
    try:
        with zipfile.ZipFile(built.path) as archive:
            names = set(archive.namelist())
    finally:
        built.path.unlink()
    assert {"Attestation - Muller Lea.pdf", "Attestation - Muller Lea (2).pdf"} <= names


def test_a_failed_batch_leaves_no_file_and_no_number(world, monkeypatch):
    import documents.attestations as attestations

    made = []
    real = attestations.temporary_path

    def spy(document, suffix):
        made.append(real(document, suffix))
        return made[-1]

    def explode(**kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(attestations, "temporary_path", spy)
    monkeypatch.setattr(attestations, "render_attestation", explode)
    with pytest.raises(RuntimeError):
        build(Document.Kind.ATTESTATIONS, world, programme=world.programme, cohort=world.cohort)
    assert made and not made[0].exists()
    with scope(organisation=world.organisation.pk):
        assert not Attestation.objects.exists()


def test_the_pipeline_builds_the_cohort_zip_with_the_real_builder(world):
    coordinator = MembershipFactory(organisation=world.organisation, coordinator=True).user
    with scope(organisation=world.organisation.pk):
        document = request_document(
            organisation=world.organisation,
            acting_user=coordinator,
            kind=Document.Kind.ATTESTATIONS,
            title="Attestations",
            cohort=world.cohort,
        )
        document.refresh_from_db()
        assert document.status == Document.Status.READY, document.error
        assert document.filename == "Attestations - Promotion 2026-2028.zip"
        with document.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            assert "Attestation - Muller Lea.pdf" in archive.namelist()
        assert Attestation.objects.filter(document=document).count() == 2


def test_the_request_page_has_labelled_period_fields(world, client):
    client.force_login(world.lea)
    url = reverse(
        "documents:attestation_request",
        args=[world.organisation.slug, world.programme.pk, world.lea.pk],
    )
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert 'for="id_period_start"' in page and 'value="2026-11-02"' in page
    assert 'for="id_period_end"' in page and 'value="2027-03-10"' in page
    assert "Provisoire (comprend les feuilles pas encore validées)" in page
