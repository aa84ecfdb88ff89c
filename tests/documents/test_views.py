"""Documents' pages: who may see and download what (404 for everyone else), the live
progress bar and its htmx polling, retry, the list, and the buttons on other pages."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from documents.extensions import attendance_attestations_panel
from documents.models import Document, stale_after
from documents.tasks import build_document_task
from tests.factories import (
    AttendanceFactory,
    DocumentFactory,
    SessionFactory,
    TeamMemberFactory,
    UserFactory,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(world, name, *args):
    return reverse(f"documents:{name}", args=[world.organisation.slug, *args])


def make(world, **kwargs):
    with scope(organisation=world.organisation.pk):
        return DocumentFactory(organisation=world.organisation, **kwargs)


def client_for(client, user):
    client.force_login(user)
    return client


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def no_dispatch(monkeypatch):
    monkeypatch.setattr(build_document_task, "apply_async", lambda args, **options: None)


# --- Who sees what --------------------------------------------------------------------


@pytest.fixture
def attestation(world):
    """The member's attestation, asked for and built by the coordinator."""
    return make(
        world,
        ready=True,
        kind="attestation",
        title="Attestation de Camille",
        requested_by=world.coordinator,
        programme=world.programme,
        person=world.member,
    )


@pytest.fixture
def sheet(world):
    return make(
        world,
        ready=True,
        kind="attendance_sheet",
        title="Feuille d'émargement vierge — Formation J1",
        requested_by=world.coordinator,
        programme=world.programme,
        session=world.session,
    )


@pytest.mark.parametrize(
    ("who", "sees_attestation", "sees_sheet"),
    [
        ("coordinator", True, True),
        ("member", True, False),  # the person it is about
        ("trainer", False, True),  # the session's facilitator
        ("teammate", False, False),
        ("other_member", False, False),
        ("other_trainer", False, False),
        ("observer", False, False),
    ],
)
def test_who_may_open_and_download_a_document(
    client, world, attestation, sheet, who, sees_attestation, sees_sheet
):
    client_for(client, getattr(world, who))
    for document, allowed in ((attestation, sees_attestation), (sheet, sees_sheet)):
        for name in ("detail", "download"):
            response = client.get(url(world, name, document.pk))
            assert response.status_code == (200 if allowed else 404), (who, document, name)
            if name == "download" and allowed:
                # Read to the end: the client's wrapper closes the file without closing
                # the test's database connection (``response.close()`` would, on PostgreSQL).
                b"".join(response.streaming_content)


def test_the_requester_sees_their_document(client, world):
    document = make(world, ready=True, requested_by=world.teammate, title="Demandée par moi")
    response = client_for(client, world.teammate).get(url(world, "detail", document.pk))
    assert response.status_code == 200
    assert "Demandée par moi" in response.content.decode()


def test_download_sends_the_file_as_an_attachment(client, world, attestation):
    response = client_for(client, world.member).get(url(world, "download", attestation.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="attestation.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.7\n%%EOF\n"


def test_no_download_before_the_document_is_ready(client, world):
    building = make(world, requested_by=world.member, status="building", progress=50)
    failed = make(world, requested_by=world.member, failed=True)
    client_for(client, world.member)
    for document in (building, failed):
        assert client.get(url(world, "download", document.pk)).status_code == 404


# --- The progress page ------------------------------------------------------------------


def test_a_document_in_progress_shows_a_polled_progress_bar(client, world):
    document = make(
        world,
        kind="attestations",
        requested_by=world.coordinator,
        status="building",
        progress=37,
        steps_done=37,
        steps_total=100,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    client_for(client, world.coordinator)
    page = client.get(url(world, "detail", document.pk)).content.decode()
    assert "<h1>" in page
    assert 'role="progressbar"' in page
    assert 'aria-valuenow="37"' in page
    assert "37 sur 100 attestations" in page
    assert 'hx-trigger="every 1s"' in page
    assert f'hx-get="{url(world, "detail", document.pk)}"' in page
    assert "Actualiser" in page
    assert "<noscript>" in page
    assert "Télécharger" not in page
    # The polled fragment is the state alone.
    fragment = client.get(url(world, "detail", document.pk), **HTMX).content.decode()
    assert 'id="document-state"' in fragment
    assert "<h1>" not in fragment
    assert "37 sur 100 attestations" in fragment


def test_a_ready_document_stops_polling_and_offers_the_download(client, world, attestation):
    with scope(organisation=world.organisation.pk):
        Document.objects.filter(pk=attestation.pk).update(size=120 * 1024)
    client_for(client, world.coordinator)
    fragment = client.get(url(world, "detail", attestation.pk), **HTMX).content.decode()
    assert "hx-trigger" not in fragment
    assert "Télécharger (PDF, 120 Ko)" in fragment
    assert url(world, "download", attestation.pk) in fragment


def test_a_failed_document_shows_its_message_and_can_be_retried(client, world):
    document = make(
        world,
        requested_by=world.coordinator,
        programme=world.programme,
        person=world.member,
        status="failed",
        error="Cette personne n'a assisté à aucune séance.",
    )
    client_for(client, world.coordinator)
    page = client.get(url(world, "detail", document.pk)).content.decode()
    assert "Cette personne n&#x27;a assisté à aucune séance." in page
    assert "hx-trigger" not in page
    assert "Relancer" in page
    assert url(world, "retry", document.pk) in page
    response = client.post(url(world, "retry", document.pk), follow=True)
    assert "Création relancée : le document se prépare." in texts(response)
    with scope(organisation=world.organisation.pk):
        document.refresh_from_db()
    assert document.status == Document.Status.READY  # eager Celery built it again
    assert "Télécharger (PDF," in response.content.decode()


def test_retry_with_htmx_answers_the_state_fragment(client, world, no_dispatch):
    document = make(world, requested_by=world.member, failed=True, person=world.member)
    client_for(client, world.member)
    fragment = client.post(url(world, "retry", document.pk), **HTMX).content.decode()
    assert "Création relancée : le document se prépare." in fragment
    assert 'hx-trigger="every 1s"' in fragment
    # A second retry is refused: it is no longer failed.
    response = client.post(url(world, "retry", document.pk), follow=True)
    assert texts(response) == ["Ce document n'a pas échoué : il est prêt ou en cours de création."]


def test_a_build_whose_worker_died_says_it_resumes_on_its_own(client, world):
    document = make(
        world,
        requested_by=world.coordinator,
        status="building",
        progress=12,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    client_for(client, world.coordinator)
    with time_machine.travel(timezone.now() + stale_after() + timedelta(minutes=1)):
        page = client.get(url(world, "detail", document.pk)).content.decode()
    assert "La création s'est interrompue avant la fin" in page
    assert "Elle reprend automatiquement depuis le début : rien à faire de votre côté." in page
    assert "Relancer" not in page
    assert 'hx-trigger="every 1s"' in page  # still polled: it comes back on its own


def test_retry_is_post_only_and_for_people_who_see_the_document(client, world):
    document = make(world, requested_by=world.member, failed=True)
    assert client_for(client, world.member).get(url(world, "retry", document.pk)).status_code == 405
    client.force_login(world.teammate)
    assert client.post(url(world, "retry", document.pk)).status_code == 404


# --- The list -------------------------------------------------------------------------


def test_the_list_shows_mine_and_coordinators_see_all(client, world, attestation, sheet):
    mine = make(world, requested_by=world.teammate, title="Ma feuille à moi")
    client_for(client, world.teammate)
    page = client.get(url(world, "list")).content.decode()
    assert "Ma feuille à moi" in page
    assert "Attestation de Camille" not in page
    client.force_login(world.member)
    page = client.get(url(world, "list")).content.decode()
    assert "Attestation de Camille" in page  # about them
    assert "Ma feuille à moi" not in page
    client.force_login(world.coordinator)
    page = client.get(url(world, "list")).content.decode()
    for title in ("Ma feuille à moi", "Attestation de Camille", "Demandé par"):
        assert title in page
    assert mine.pk


def test_the_list_runs_a_constant_number_of_queries(client, world):
    client_for(client, world.coordinator)

    def add_rows(count):
        with scopes_disabled():
            for index in range(count):
                person = UserFactory()
                DocumentFactory(
                    organisation=world.organisation,
                    requested_by=UserFactory(),
                    person=person,
                    programme=world.programme,
                    cohort=world.cohort,
                    session=SessionFactory(programme=world.programme, kind=world.kind),
                    ready=index % 2 == 0,
                )

    assert_constant_queries(client, url(world, "list"), add_rows)


# --- Asking for documents ---------------------------------------------------------------


def test_the_facilitator_asks_for_a_blank_and_a_filled_sheet(client, world):
    client_for(client, world.trainer)
    response = client.post(
        url(world, "attendance_sheet_request", world.session.pk), {"filled": "0"}
    )
    with scope(organisation=world.organisation.pk):
        blank = Document.objects.get(kind="attendance_sheet")
    assert response.url == url(world, "detail", blank.pk)
    assert blank.requested_by == world.trainer
    assert blank.session == world.session
    assert blank.title == "Feuille d'émargement vierge — Formation J1"
    assert blank.status == Document.Status.READY
    client.post(url(world, "attendance_sheet_request", world.session.pk), {"filled": "1"})
    with scope(organisation=world.organisation.pk):
        filled = Document.objects.get(kind="filled_attendance_sheet")
    assert filled.title == "Feuille d'émargement remplie — Formation J1"


def test_a_filled_sheet_without_attendance_is_refused_in_french(client, world):
    with scopes_disabled():
        upcoming = SessionFactory(
            programme=world.programme, kind=world.kind, facilitators=[world.trainer]
        )
    client_for(client, world.trainer)
    session_url = reverse("parcours:session_detail", args=[world.organisation.slug, upcoming.pk])
    response = client.post(
        url(world, "attendance_sheet_request", upcoming.pk),
        {"filled": "1", "next": session_url},
    )
    assert response.url == session_url
    response = client.get(session_url)
    assert any(
        m.startswith("Aucune présence n'est encore enregistrée pour cette séance")
        for m in texts(response)
    )
    with scope(organisation=world.organisation.pk):
        assert not Document.objects.exists()


def test_only_coordinators_and_facilitators_ask_for_sheets(client, world):
    for who in ("other_trainer", "observer", "member"):
        client_for(client, getattr(world, who))
        response = client.post(url(world, "attendance_sheet_request", world.session.pk))
        assert response.status_code == 404, who
    client_for(client, world.coordinator)
    response = client.post(url(world, "attendance_sheet_request", world.session.pk))
    assert response.status_code == 302


def test_an_offsite_next_is_ignored(client, world):
    with scopes_disabled():
        upcoming = SessionFactory(programme=world.programme, kind=world.kind)
    client_for(client, world.coordinator)
    response = client.post(
        url(world, "attendance_sheet_request", upcoming.pk),
        {"filled": "1", "next": "https://ailleurs.example/"},
    )
    assert response.url == reverse(
        "parcours:session_detail", args=[world.organisation.slug, upcoming.pk]
    )


def test_the_coordinator_asks_for_the_cohort_zip_and_one_person(client, world):
    client_for(client, world.coordinator)
    client.post(url(world, "attestations_request", world.programme.pk), {"cohort": world.cohort.pk})
    client.post(url(world, "attestations_request", world.programme.pk), {"person": world.member.pk})
    with scope(organisation=world.organisation.pk):
        zip_ = Document.objects.get(kind="attestations")
        one = Document.objects.get(kind="attestation")
    assert zip_.cohort == world.cohort
    assert (
        zip_.title == f"Attestations de participation — {world.programme.name}, Promotion 2026–2028"
    )
    assert one.person == world.member
    assert one.title.startswith("Attestation de participation — ")


def test_the_cohort_zip_is_for_coordinators(client, world):
    for who in ("trainer", "observer", "member"):
        client_for(client, getattr(world, who))
        response = client.post(url(world, "attestations_request", world.programme.pk))
        assert response.status_code == 404, who


def test_a_person_asks_for_their_own_attestation_only(client, world):
    client_for(client, world.member)
    response = client.post(url(world, "attestation_request", world.programme.pk, world.member.pk))
    with scope(organisation=world.organisation.pk):
        document = Document.objects.get()
    assert response.url == url(world, "detail", document.pk)
    assert document.person == world.member
    for user in (world.teammate, world.other_member):
        response = client.post(url(world, "attestation_request", world.programme.pk, user.pk))
        assert response.status_code == 404
    # The coordinator asks for anyone of the programme, not for a stranger.
    client.force_login(world.coordinator)
    stranger = UserFactory()
    response = client.post(url(world, "attestation_request", world.programme.pk, stranger.pk))
    assert response.status_code == 404
    response = client.post(url(world, "attestation_request", world.programme.pk, world.teammate.pk))
    # Refused on the form's page, the reason above the form.
    assert response.status_code == 200
    assert "n&#x27;a assisté à aucune séance terminée de ce programme" in response.content.decode()


# --- The buttons on other pages ---------------------------------------------------------


def test_the_session_page_offers_the_sheets_to_its_facilitator(client, world):
    session_url = reverse(
        "parcours:session_detail", args=[world.organisation.slug, world.session.pk]
    )
    page = client_for(client, world.trainer).get(session_url).content.decode()
    assert "Feuilles d'émargement" in page
    assert "Feuille vierge (PDF)" in page
    assert "Feuille remplie (PDF)" in page
    client.force_login(world.member)
    assert "Feuille vierge (PDF)" not in client.get(session_url).content.decode()


def test_the_team_page_offers_my_attestation_to_a_member_who_attended(client, world):
    team_url = reverse(
        "parcours:team_detail",
        args=[world.organisation.slug, world.programme.pk, world.teams[0].pk],
    )
    page = client_for(client, world.member).get(team_url).content.decode()
    assert "Mon attestation" in page
    assert url(world, "attestation_request", world.programme.pk, world.member.pk) in page
    client.force_login(world.teammate)  # attended nothing
    assert "Mon attestation" not in client.get(team_url).content.decode()


def test_the_attendance_panel_lists_the_people_who_attended(world):
    with scopes_disabled():
        late = TeamMemberFactory(team=world.teams[1]).user
        AttendanceFactory(session=world.session, user=late, status="absent")
    request = RequestFactory().get("/")
    with scope(organisation=world.organisation.pk):
        request.user = world.coordinator
        panel = attendance_attestations_panel(
            None, request=request, organisation=world.organisation, programme=world.programme
        )
        assert [p.pk for p in panel.context["people"]] == [world.member.pk]
        request.user = world.trainer
        panel = attendance_attestations_panel(
            None, request=request, organisation=world.organisation, programme=world.programme
        )
        assert panel is None


def test_the_main_navigation_leads_to_the_documents(client, world):
    home = reverse("organisations:home", args=[world.organisation.slug])
    page = client_for(client, world.member).get(home).content.decode()
    assert f'<a class="nav-link" href="{url(world, "list")}">Documents</a>' in page


def test_the_attendance_dashboard_shows_the_attestations_panel(client, world):
    dashboard = reverse(
        "presences:attendance_dashboard", args=[world.organisation.slug, world.programme.pk]
    )
    page = client_for(client, world.coordinator).get(dashboard).content.decode()
    assert "Attestations de participation" in page
    assert "Attestations de la promotion (ZIP)" in page
    assert url(world, "attestations_request", world.programme.pk) in page


def test_personal_data_export_lists_the_documents_about_me(client, world, attestation):
    client_for(client, world.member)
    data = json.loads(client.get(reverse("accounts:export_data")).content)
    assert [d["titre"] for d in data["documents"]["documents"]] == [attestation.title]
    assert data["documents"]["documents"][0]["à_mon_sujet"] is True
