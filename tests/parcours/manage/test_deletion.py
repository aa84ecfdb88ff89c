"""Safe deletions: every deletion is a page saying what goes with it, nothing is deleted
on GET, what holds records (attendance, signatures, evaluation answers) or was convened
is refused with the reason, and another organisation's phase or session is a 404."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from organisations.models import AuditEntry
from parcours import services
from parcours.models import AgendaItem, Phase, Session
from ressources.models import Resource
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    ConvocationFactory,
    MembershipFactory,
    SessionFactory,
    WorkshopRegistrationFactory,
    build_programme,
)
from tests.parcours.manage.conftest import messages_of, paris, url

pytestmark = pytest.mark.django_db


def phase_sessions(world, count=3, attendances_each=0):
    """``count`` sessions in the world's phase, each with ``attendances_each`` people
    recorded present."""
    sessions = []
    with scopes_disabled():
        for n in range(count):
            session = SessionFactory(
                programme=world.programme,
                kind=world.kind,
                phase=world.phase,
                starts_at=paris(2027, 4, 5 + n, 9, 30),
                ends_at=paris(2027, 4, 5 + n, 12, 30),
            )
            AgendaItemFactory(session=session)
            for _ in range(attendances_each):
                AttendanceFactory(session=session)
            sessions.append(session)
    return sessions


def phase_delete_url(world, phase=None):
    return url(
        "parcours:phase_delete",
        world,
        programme_id=world.programme.pk,
        phase_id=(phase or world.phase).pk,
    )


def count_rows():
    with scopes_disabled():
        return Phase.objects.count(), Session.objects.count(), AgendaItem.objects.count()


# --- Phases --------------------------------------------------------------------------


def test_deleting_a_phase_shows_what_goes_with_it_and_get_deletes_nothing(
    coordinator_client, world
):
    sessions = phase_sessions(world, attendances_each=8)
    before = count_rows()
    response = coordinator_client.get(phase_delete_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Supprimer la phase « {world.phase.name} » ?" in page
    assert "Cette phase regroupe 3 séances." in page
    assert "3 séances seront supprimées, avec 3 temps du programme de la journée" in page
    assert "24 présences" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert count_rows() == before
    with scopes_disabled():
        assert all(Session.objects.get(pk=s.pk).phase_id == world.phase.pk for s in sessions)


def test_a_phase_whose_sessions_have_attendance_keeps_them(coordinator_client, world):
    sessions = phase_sessions(world, attendances_each=8)
    before = count_rows()
    target = phase_delete_url(world)
    page = coordinator_client.get(target).content.decode()
    assert "Des séances de cette phase ont des présences enregistrées" in page
    # Deleting the sessions too is refused, with the reason next to the choice.
    response = coordinator_client.post(target, {"sessions": "delete"})
    assert response.status_code == 200
    assert "Des séances de cette phase ont des présences enregistrées" in (
        response.content.decode()
    )
    assert count_rows() == before
    # The phase alone may go: its sessions and their attendance stay.
    response = coordinator_client.post(target, {"sessions": "keep"})
    assert response.status_code == 302
    assert messages_of(response) == [
        f"Phase « {world.phase.name} » supprimée ; ses séances restent dans le programme."
    ]
    with scopes_disabled():
        assert not Phase.objects.filter(pk=world.phase.pk).exists()
        for session in sessions:
            session.refresh_from_db()
            assert session.phase_id is None
            assert session.attendances.count() == 8


def test_post_deletes_a_phase_with_its_sessions(coordinator_client, world):
    sessions = phase_sessions(world)
    page = coordinator_client.get(phase_delete_url(world)).content.decode()
    assert "3 séances seront supprimées, avec 3 temps du programme de la journée." in page
    # The choice is required: no silent default.
    response = coordinator_client.post(phase_delete_url(world), {})
    assert response.status_code == 200
    assert count_rows()[1] == 4
    response = coordinator_client.post(phase_delete_url(world), {"sessions": "delete"})
    assert response.status_code == 302
    assert response.headers["Location"] == url(
        "parcours:phase_list", world, programme_id=world.programme.pk
    )
    with scopes_disabled():
        assert not Phase.objects.filter(pk=world.phase.pk).exists()
        assert not Session.objects.filter(pk__in=[s.pk for s in sessions]).exists()
        assert Session.objects.filter(pk=world.session.pk).exists()
        entry = AuditEntry.objects.get(action="parcours.phase.deleted")
        assert entry.data["removed"]["séances"] == 3


def test_a_phase_without_sessions_is_deleted_after_confirmation(coordinator_client, world):
    page = coordinator_client.get(phase_delete_url(world)).content.decode()
    assert "Cette phase ne regroupe aucune séance" in page
    response = coordinator_client.post(phase_delete_url(world))
    assert response.status_code == 302
    with scopes_disabled():
        assert not Phase.objects.filter(pk=world.phase.pk).exists()


def test_the_phase_list_links_to_the_confirmation(coordinator_client, world):
    page = coordinator_client.get(
        url("parcours:phase_list", world, programme_id=world.programme.pk)
    ).content.decode()
    assert f'href="{phase_delete_url(world)}"' in page
    assert f'action="{phase_delete_url(world)}"' not in page


# --- Sessions ------------------------------------------------------------------------


def session_delete_url(world, session=None):
    return url("parcours:session_delete", world, session_id=(session or world.session).pk)


def test_deleting_a_session_says_what_goes_then_deletes_on_post(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    target = session_delete_url(world)
    before = count_rows()
    page = coordinator_client.get(target).content.decode()
    assert "1 séance sera supprimée, avec 1 temps du programme de la journée" in page
    # The session's document, a resource of the library, goes with it, its file too.
    assert "1 atelier" in page and "1 ressource" in page
    assert "Le fichier joint (document de la séance, ressource de la bibliothèque)" in page
    assert count_rows() == before
    name, storage = world.document.file.name, world.document.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(target)
    assert response.status_code == 302
    assert response.headers["Location"] == url(
        "parcours:timeline", world, programme_id=world.programme.pk
    )
    with scopes_disabled():
        assert not Session.objects.filter(pk=world.session.pk).exists()
        assert not AgendaItem.objects.filter(pk=world.round.pk).exists()
        assert not Resource.objects.filter(pk=world.document.pk).exists()
        assert AuditEntry.objects.filter(action="parcours.session.deleted").count() == 1
    assert not storage.exists(name)


def test_a_session_with_attendance_is_refused_with_the_reason(coordinator_client, world):
    with scopes_disabled():
        AttendanceFactory(session=world.session)
    target = session_delete_url(world)
    page = coordinator_client.get(target).content.decode()
    assert "Cette séance a des présences enregistrées : annulez-la plutôt." in page
    assert "Supprimer la séance</button>" not in page
    cancel = url("parcours:session_cancel", world, session_id=world.session.pk)
    assert f'href="{cancel}"' in page
    response = coordinator_client.post(target)
    assert response.status_code == 200
    assert "Cette séance a des présences enregistrées : annulez-la plutôt." in (
        response.content.decode()
    )
    with scopes_disabled():
        assert Session.objects.filter(pk=world.session.pk).exists()
        assert world.session.attendances.count() == 1


def test_a_convened_session_is_cancelled_rather_than_deleted(coordinator_client, world):
    with scopes_disabled():
        ConvocationFactory(session=world.session)
    page = coordinator_client.get(session_delete_url(world)).content.decode()
    assert "Cette séance a des convocations envoyées : annulez-la plutôt." in page
    coordinator_client.post(session_delete_url(world))
    with scopes_disabled():
        assert Session.objects.filter(pk=world.session.pk).exists()


def test_the_service_refuses_too(world):
    with scopes_disabled():
        AttendanceFactory(session=world.session)
        with pytest.raises(ValidationError) as error:
            services.delete_session(session=world.session, acting_user=world.coordinator)
        assert "présences enregistrées" in str(error.value)
        assert Session.objects.filter(pk=world.session.pk).exists()


# --- Another organisation ------------------------------------------------------------


def test_another_organisations_phase_and_session_are_404(client, world):
    with scopes_disabled():
        other = build_programme(published=False)
        intruder = MembershipFactory(organisation=other.organisation, coordinator=True).user
        phase_sessions(world, count=1)
    client.force_login(intruder)
    before = count_rows()
    targets = [
        phase_delete_url(world),
        session_delete_url(world),
        # The victim's ids under the intruder's own organisation.
        url(
            "parcours:phase_delete",
            other,
            programme_id=world.programme.pk,
            phase_id=world.phase.pk,
        ),
        url("parcours:session_delete", other, session_id=world.session.pk),
    ]
    for target in targets:
        assert client.get(target).status_code == 404, target
        assert client.post(target, {"sessions": "delete"}).status_code == 404, target
    assert count_rows() == before


# --- Duplication ---------------------------------------------------------------------


def test_duplicating_asks_first_and_says_what_is_copied(coordinator_client, world):
    target = url("parcours:session_duplicate", world, session_id=world.session.pk)
    page = coordinator_client.get(target).content.decode()
    assert f"Dupliquer « {world.session.title} » ?" in page
    assert "le programme de la journée : 1 élément (dont 1 atelier)" in page
    assert "les documents joints à la séance (une copie de chaque fichier)" in page
    with scopes_disabled():
        assert Session.objects.count() == 1
    coordinator_client.post(target)
    with scopes_disabled():
        assert Session.objects.count() == 2
        # The session's document follows the copy, with a file of its own.
        copies = Resource.objects.filter(title="Programme").order_by("pk")
        assert copies[0].session_id == world.session.pk
        assert copies.count() == 2 and copies[0].file.name != copies[1].file.name


def test_duplicate_is_away_from_the_save_button(coordinator_client, world):
    page = coordinator_client.get(
        url("parcours:session_edit", world, session_id=world.session.pk)
    ).content.decode()
    save = page.index("Enregistrer la séance")
    others = page.index('id="autres-actions"')
    duplicate = url("parcours:session_duplicate", world, session_id=world.session.pk)
    assert save < others < page.index(f'href="{duplicate}"')
    # No form posts to the duplication from the edit page: it is a link to a confirmation.
    assert f'action="{duplicate}"' not in page
    detail = coordinator_client.get(
        url("parcours:session_detail", world, session_id=world.session.pk)
    ).content.decode()
    assert f'action="{duplicate}"' not in detail


# --- The day agenda and documents ----------------------------------------------------


def test_removing_an_agenda_item_says_what_goes_then_removes_on_post(coordinator_client, world):
    with scopes_disabled():
        WorkshopRegistrationFactory(workshop=world.workshop)
    target = url(
        "parcours:agenda_item_delete", world, session_id=world.session.pk, item_id=world.round.pk
    )
    page = coordinator_client.get(target).content.decode()
    assert "1 atelier" in page
    assert "1 inscription à un atelier : les personnes inscrites perdent leur choix" in page
    with scopes_disabled():
        assert AgendaItem.objects.filter(pk=world.round.pk).exists()
    response = coordinator_client.post(target)
    assert response.status_code == 302
    with scopes_disabled():
        assert not AgendaItem.objects.filter(pk=world.round.pk).exists()


def test_removing_a_workshop_or_a_document_asks_first(coordinator_client, world):
    s = {"session_id": world.session.pk}
    workshop = url("parcours:workshop_delete", world, **s, workshop_id=world.workshop.pk)
    document = reverse(
        "ressources:resource_delete", args=[world.organisation.slug, world.document.pk]
    )
    assert "Retirer l&#x27;atelier" in coordinator_client.get(workshop).content.decode()
    assert "sera supprimée, avec son fichier" in coordinator_client.get(document).content.decode()
    with scopes_disabled():
        assert world.round.workshops.count() == 1
        assert world.session.resources.count() == 1
    coordinator_client.post(workshop)
    coordinator_client.post(document)
    with scopes_disabled():
        assert world.round.workshops.count() == 0
        assert world.session.resources.count() == 0
