"""Coordinator tools: who may use them, what they save, and how bad input is refused."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from parcours.models import (
    AgendaItem,
    Programme,
    Session,
    Workshop,
)
from ressources.models import Resource
from tests.factories import (
    SessionFactory,
    TeamFactory,
)
from tests.parcours.manage.conftest import (
    PARIS,
    PDF,
    messages_of,
    paris,
    url,
)

pytestmark = pytest.mark.django_db

# --- Sessions ------------------------------------------------------------------------


def session_data(world, **overrides):
    return {
        "title": "Formation J1/J2",
        "kind": world.kind.pk,
        "phase": "",
        "format": "presentiel",
        "status": "scheduled",
        "start_date": "2027-04-08",
        "start_time": "09:00",
        "end_date": "2027-04-09",
        "end_time": "17:00",
        "date_note": "",
        "place": "Hôtel de Région, Lille",
        "visio_url": "",
        "capacity": "",
        "objectives": "",
        "content": "",
        "audience": "cohort",
        "expected_presence": "required",
        "expected_role": "",
        **overrides,
    }


def create(client, world, **overrides):
    return client.post(
        url("parcours:session_create", world, programme_id=world.programme.pk),
        session_data(world, **overrides),
    )


def test_create_a_two_day_session_in_paris_time(coordinator_client, world):
    response = create(coordinator_client, world, facilitators=[world.trainer.pk])
    with scopes_disabled():
        session = Session.objects.get(title="Formation J1/J2")
        assert response.headers["Location"] == url(
            "parcours:session_detail", world, session_id=session.pk
        )
        assert session.starts_at == paris(2027, 4, 8, 9)
        assert session.ends_at == paris(2027, 4, 9, 17)
        assert list(session.facilitators.all()) == [world.trainer]


def test_all_day_session_ends_at_midnight_after_the_last_day(coordinator_client, world):
    create(
        coordinator_client,
        world,
        all_day="on",
        start_time="",
        end_time="",
        date_note="options : 9-10 ou 10-11 décembre",
    )
    with scopes_disabled():
        session = Session.objects.get(title="Formation J1/J2")
        assert session.all_day
        assert session.starts_at == paris(2027, 4, 8)
        assert session.ends_at == paris(2027, 4, 10)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "08:00", "end_date": ""}, "end_time", "La fin doit suivre le début."),
        ({"end_date": "2027-04-01"}, "end_date", "La fin doit suivre le début."),
        (
            {"start_date": "2029-01-10", "end_date": ""},
            "start_date",
            "La séance doit se tenir pendant le programme, entre le 01/06/2026 et le 30/06/2028.",
        ),
        (
            {"format": "visio", "place": "", "visio_url": "http://visio.exemple.fr/salle"},
            "visio_url",
            "Le lien de visio doit commencer par https:// (connexion chiffrée).",
        ),
        (
            {"place": ""},
            "place",
            "Indiquez l&#x27;adresse du lieu : la séance a lieu en présentiel.",
        ),
        ({"audience": "teams"}, "teams", "Choisissez au moins une équipe."),
        (
            {"expected_presence": "role"},
            "expected_role",
            "Choisissez le rôle attendu à cette séance.",
        ),
        (
            {"start_time": ""},
            "start_time",
            "Indiquez l&#x27;heure de début, ou cochez « journée(s) entière(s) ».",
        ),
    ],
)
def test_bad_session_input_is_refused_next_to_the_field(
    coordinator_client, world, overrides, field, message
):
    response = create(coordinator_client, world, **overrides)
    assert response.status_code == 200
    html = response.content.decode()
    error_block = html.split(f'id="id_{field}_error"', 1)
    assert len(error_block) == 2, f"no error next to {field}"
    assert message in error_block[1][:400]
    with scopes_disabled():
        assert not Session.objects.filter(title="Formation J1/J2").exists()


def test_individual_audience_needs_exactly_one_team(coordinator_client, world):
    response = create(coordinator_client, world, audience="team", teams=[t.pk for t in world.teams])
    assert "Une séance individuelle concerne exactement une équipe." in response.content.decode()


def test_overlap_asks_for_confirmation(coordinator_client, world):
    overlapping = {
        "start_date": "2027-03-10",
        "end_date": "",
        "start_time": "11:00",
        "end_time": "13:00",
    }
    response = create(coordinator_client, world, **overlapping)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cette séance chevauche d'autres séances des mêmes équipes" in html
    assert world.session.title in html and "mercredi 10 mars 2027, 9 h 30 – 12 h 30" in html
    assert "Enregistrer malgré le chevauchement" in html
    with scopes_disabled():
        assert not Session.objects.filter(title="Formation J1/J2").exists()
    response = create(coordinator_client, world, confirm_overlap="on", **overlapping)
    assert response.status_code == 302
    with scopes_disabled():
        assert Session.objects.filter(title="Formation J1/J2").exists()


def edit_data(world, session, **overrides):
    local_start = session.starts_at.astimezone(PARIS)
    local_end = session.ends_at.astimezone(PARIS)
    current = {
        "title": session.title,
        "format": session.format,
        "place": session.place,
        "visio_url": session.visio_url,
        "start_date": local_start.date().isoformat(),
        "start_time": local_start.strftime("%H:%M"),
        "end_date": "",
        "end_time": local_end.strftime("%H:%M"),
        "expected_presence": "wished",
    }
    return session_data(world, **{**current, **overrides})


def test_edit_a_session_moves_it(coordinator_client, world):
    target = url("parcours:session_edit", world, session_id=world.session.pk)
    page = coordinator_client.get(target).content.decode()
    assert 'value="2027-03-10"' in page and 'value="09:30"' in page
    response = coordinator_client.post(target, edit_data(world, world.session, start_time="10:00"))
    assert response.status_code == 302
    with scopes_disabled():
        world.session.refresh_from_db()
        assert world.session.starts_at == paris(2027, 3, 10, 10)
        assert world.session.sequence == 1


def test_editing_a_past_session_asks_for_confirmation(coordinator_client, world):
    with scopes_disabled():
        past = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            starts_at=paris(2026, 10, 16, 9, 30),
            ends_at=paris(2026, 10, 16, 12, 30),
        )
    target = url("parcours:session_edit", world, session_id=past.pk)
    assert "Cette séance est déjà passée" in coordinator_client.get(target).content.decode()
    data = edit_data(world, past, title="Lancement (corrigé)")
    response = coordinator_client.post(target, data)
    assert "Cochez cette case pour modifier une séance déjà passée." in response.content.decode()
    with scopes_disabled():
        past.refresh_from_db()
        assert past.title != "Lancement (corrigé)"
    response = coordinator_client.post(target, {**data, "confirm_past": "on"})
    assert response.status_code == 302
    with scopes_disabled():
        past.refresh_from_db()
        assert past.title == "Lancement (corrigé)"


def test_duplicate_redirects_to_the_copy(coordinator_client, world):
    response = coordinator_client.post(
        url("parcours:session_duplicate", world, session_id=world.session.pk)
    )
    with scopes_disabled():
        copy = Session.objects.exclude(pk=world.session.pk).get()
        assert copy.status == Session.Status.TENTATIVE
        assert copy.agenda_items.count() == 1
    assert response.headers["Location"] == url("parcours:session_edit", world, session_id=copy.pk)


def test_cancel_confirms_then_cancels(coordinator_client, world):
    target = url("parcours:session_cancel", world, session_id=world.session.pk)
    page = coordinator_client.get(target).content.decode()
    assert "Motif (facultatif)" in page
    with scopes_disabled():
        assert Session.objects.get(pk=world.session.pk).status == Session.Status.SCHEDULED
    coordinator_client.post(target, {"reason": "Intervenante malade"})
    with scopes_disabled():
        world.session.refresh_from_db()
        assert world.session.status == Session.Status.CANCELLED
        assert world.session.cancellation_reason == "Intervenante malade"
    # A cancelled session can no longer be edited.
    response = coordinator_client.get(
        url("parcours:session_edit", world, session_id=world.session.pk)
    )
    assert response.status_code == 302


def test_cancel_page_says_participants_are_notified_when_published(coordinator_client, world):
    with scopes_disabled():
        world.programme.status = Programme.Status.PUBLISHED
        world.programme.save(update_fields=["status"])
    page = coordinator_client.get(
        url("parcours:session_cancel", world, session_id=world.session.pk)
    ).content.decode()
    assert "seront prévenu·es par e-mail" in page


def individual_data(world, **overrides):
    return {
        "kind": world.individual_kind.pk,
        "title": "Accompagnement individuel n°2",
        "format": "visio",
        "date": "2027-05-04",
        "start_time": "14:00",
        "duration": "120",
        "place": "",
        "visio_url": "https://visio.exemple.fr/acc-2",
        "objectives": "",
        "phase": "",
        "expected_presence": "wished",
        "expected_role": "",
        **overrides,
    }


def test_generate_individual_sessions_for_every_team(coordinator_client, world):
    with scopes_disabled():
        for _ in range(6):
            TeamFactory(cohort=world.cohort)
    target = url("parcours:individual_sessions", world, programme_id=world.programme.pk)
    page = coordinator_client.get(target).content.decode()
    # Individual kinds come first.
    assert page.index("Accompagnement individuel</option>") < page.index("Formation</option>")
    response = coordinator_client.post(target, individual_data(world))
    assert messages_of(response) == ["8 séances créées, à confirmer avec chaque équipe."]
    with scopes_disabled():
        sessions = Session.objects.filter(title__startswith="Accompagnement individuel n°2")
        assert sessions.count() == 8
        first = sessions.first()
        assert first.audience == Session.Audience.TEAM
        assert first.status == Session.Status.TENTATIVE
        assert first.ends_at - first.starts_at == timedelta(hours=2)
        assert first.starts_at == paris(2027, 5, 4, 14)


def test_generate_individual_sessions_refuses_a_plain_http_link(coordinator_client, world):
    target = url("parcours:individual_sessions", world, programme_id=world.programme.pk)
    response = coordinator_client.post(
        target, individual_data(world, visio_url="http://visio.exemple.fr/acc-2")
    )
    html = response.content.decode()
    assert (
        "Le lien de visio doit commencer par https://" in html.split('id="id_visio_url_error"')[1]
    )
    with scopes_disabled():
        assert not Session.objects.filter(title__startswith="Accompagnement individuel").exists()


# --- Agenda, workshops ---------------------------------------------------------------


def test_agenda_with_two_rounds_of_workshops(coordinator_client, world):
    with scopes_disabled():
        seminar = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title="Séminaire",
            starts_at=paris(2027, 6, 3, 9),
            ends_at=paris(2027, 6, 3, 17),
        )
    target = url("parcours:agenda_edit", world, session_id=seminar.pk)
    for start, end, kind, title in [
        ("09:00", "09:30", "break", "Accueil café"),
        ("09:30", "11:00", "workshops", "Histoires de territoire, 1er tour"),
        ("11:15", "12:30", "workshops", "Histoires de territoire, 2e tour"),
    ]:
        response = coordinator_client.post(
            target,
            {"day": "1", "start_time": start, "end_time": end, "kind": kind, "title": title},
        )
        assert response.status_code == 302, response.content.decode()
    with scopes_disabled():
        rounds = list(AgendaItem.objects.filter(session=seminar, kind="workshops"))
    for number, round_ in enumerate(rounds):
        for letter in "AB":
            response = coordinator_client.post(
                url("parcours:workshop_add", world, session_id=seminar.pk, item_id=round_.pk),
                {
                    f"atelier-{round_.pk}-title": f"Atelier {letter}{number + 1}",
                    f"atelier-{round_.pk}-room": f"Salle {letter}",
                    f"atelier-{round_.pk}-speakers": "",
                    f"atelier-{round_.pk}-description": "",
                    f"atelier-{round_.pk}-capacity": "",
                },
            )
            assert response.status_code == 302
    page = coordinator_client.get(target).content.decode()
    for title in ["Atelier A1", "Atelier B1", "Atelier A2", "Atelier B2", "Salle A", "Salle B"]:
        assert title in page
    assert "jeudi 3 juin 2027" in page

    # A workshop without a room is refused next to the room field of its round.
    response = coordinator_client.post(
        url("parcours:workshop_add", world, session_id=seminar.pk, item_id=rounds[0].pk),
        {f"atelier-{rounds[0].pk}-title": "Sans salle", f"atelier-{rounds[0].pk}-room": ""},
    )
    assert f'id="id_atelier-{rounds[0].pk}-room_error"' in response.content.decode()

    # Edit a workshop, then a round; delete a workshop, then a round.
    with scopes_disabled():
        workshop = Workshop.objects.get(title="Atelier A1")
    response = coordinator_client.post(
        url("parcours:workshop_edit", world, session_id=seminar.pk, workshop_id=workshop.pk),
        {"title": "Atelier A1 bis", "room": "Salle C", "speakers": "", "description": ""},
    )
    assert response.status_code == 302
    response = coordinator_client.post(
        url("parcours:agenda_item_edit", world, session_id=seminar.pk, item_id=rounds[1].pk),
        {
            "day": "1",
            "start_time": "11:30",
            "end_time": "12:45",
            "kind": "workshops",
            "title": "2e tour",
        },
    )
    assert response.status_code == 302
    coordinator_client.post(
        url("parcours:workshop_delete", world, session_id=seminar.pk, workshop_id=workshop.pk)
    )
    coordinator_client.post(
        url("parcours:agenda_item_delete", world, session_id=seminar.pk, item_id=rounds[1].pk)
    )
    with scopes_disabled():
        assert not Workshop.objects.filter(pk=workshop.pk).exists()
        assert list(AgendaItem.objects.filter(session=seminar).values_list("title", flat=True)) == [
            "Accueil café",
            "Histoires de territoire, 1er tour",
        ]
        assert Workshop.objects.filter(round__session=seminar).count() == 1


def test_agenda_bad_input(coordinator_client, world):
    target = url("parcours:agenda_edit", world, session_id=world.session.pk)
    response = coordinator_client.post(
        target,
        {"day": "2", "start_time": "10:00", "end_time": "11:00", "kind": "plenary", "title": "X"},
    )
    assert (
        "La séance dure 1 jour(s) : choisissez un jour entre 1 et 1." in response.content.decode()
    )
    response = coordinator_client.post(
        target,
        {"day": "1", "start_time": "10:00", "end_time": "09:00", "kind": "plenary", "title": "X"},
    )
    html = response.content.decode()
    assert "La fin doit suivre le début." in html.split('id="id_end_time_error"')[1][:300]
    with scopes_disabled():
        assert not AgendaItem.objects.filter(title="X").exists()


# --- Documents (resources of the library attached to the session) ---------------------


def add_url(world):
    return reverse("ressources:session_add", args=[world.organisation.slug, world.session.pk])


def upload(client, world, name, content, title="Programme de la journée"):
    return client.post(
        add_url(world),
        {"title": title, "file": SimpleUploadedFile(name, content), "kind": "training"},
    )


def stored(title="Programme de la journée") -> bool:
    with scopes_disabled():
        return Resource.objects.filter(title=title).exists()


def test_the_session_page_has_one_documents_section(coordinator_client, world):
    page = coordinator_client.get(
        url("parcours:session_detail", world, session_id=world.session.pk)
    ).content.decode()
    assert page.count("Documents et productions") == 1
    assert "Programme" in page
    assert add_url(world) in page
    assert "/documents/ajouter/" not in page


def test_the_trainers_attach_documents_not_the_observers_nor_the_participants(client, world):
    with scopes_disabled():
        world.session.facilitators.add(world.trainer)  # the programme is still a draft
    client.force_login(world.trainer)
    assert client.get(add_url(world)).status_code == 200
    for person in (world.observer, world.participant):
        client.force_login(person)
        assert client.get(add_url(world)).status_code == 404
        assert upload(client, world, "programme.pdf", PDF).status_code == 404
    assert not stored()


def test_document_upload_accepts_a_real_pdf(coordinator_client, world):
    page = coordinator_client.get(add_url(world)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = upload(coordinator_client, world, "programme.pdf", PDF)
    assert response.status_code == 302
    with scopes_disabled():
        document = Resource.objects.get(title="Programme de la journée")
        assert document.session_id == world.session.pk
        assert document.mime_type == "application/pdf"


def test_document_upload_refuses_text_named_pdf(coordinator_client, world):
    response = upload(coordinator_client, world, "faux.pdf", b"Ceci n'est pas un PDF.\n" * 10)
    html = response.content.decode()
    assert "Ce fichier n&#x27;est pas au bon format." in html.split('id="id_file_error"')[1][:300]
    assert not stored()


@override_settings(RESOURCE_MAX_UPLOAD_MB=1)
def test_document_upload_size_cap(coordinator_client, world):
    response = upload(coordinator_client, world, "gros.pdf", PDF + b"0" * (1024 * 1024))
    html = response.content.decode()
    assert "la limite est de 1 Mo par fichier" in html.split('id="id_file_error"')[1][:300]
    assert not stored()


def test_document_delete(coordinator_client, world, django_capture_on_commit_callbacks):
    name, storage = world.document.file.name, world.document.file.storage
    slug = world.organisation.slug
    target = reverse("ressources:resource_delete", args=[slug, world.document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(target)
    assert response.status_code == 302
    back = url("parcours:session_detail", world, session_id=world.session.pk)
    assert response["Location"] == back
    with scopes_disabled():
        assert not Resource.objects.filter(pk=world.document.pk).exists()
    assert not storage.exists(name)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("capacity", "99999999999999999999999", "inférieure ou égale à 100000"),
        ("content", "x" * 20_001, "au plus 20000 caractères"),
        ("objectives", "x" * 20_001, "au plus 20000 caractères"),
    ],
)
def test_an_oversized_capacity_or_text_is_refused_next_to_its_field(
    coordinator_client, world, field, value, error
):
    response = create(coordinator_client, world, **{field: value})
    assert response.status_code == 200
    html = response.content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert error in html.replace("100 000", "100000").replace("20 000", "20000")
    tag = re.search(rf'<(?:input|textarea)[^>]*name="{field}"[^>]*>', html).group(0)
    assert "is-invalid" in tag  # the error sits next to its field
    with scopes_disabled():
        assert not Session.objects.filter(title="Formation J1/J2").exists()
