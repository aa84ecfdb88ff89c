"""The call for applications: its public pages (published only; coordinators preview a
draft) with their documents (resources of the library, public with the call), and the
coordinator's way to add them (checked on their content, capped in size)."""

from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from organisations.models import AuditEntry
from ressources.actions import Audited
from ressources.models import Resource, Visibility
from ressources.services import create_resource
from tests.candidatures.calls.conftest import (
    DOCX,
    ODS,
    PDF,
    PNG,
    XLSX,
    make_call,
    manage_url,
    office_file,
    paris,
    public_url,
)
from tests.factories import (
    CallFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
    build_application,
    build_programme,
)

pytestmark = pytest.mark.django_db

# --- Public page ---------------------------------------------------------------------


def test_published_call_is_readable_anonymously_with_two_ways_to_apply(client, world):
    response = client.get(public_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "AMI Alimentation 2026" in body
    assert "Rejoindre le parcours des PAT." in body
    assert "ouvert" in body
    assert "mailto:ami@exemple.fr" in body
    start = reverse("candidatures:application_start", args=[world.organisation.slug, "ami-2026"])
    assert "Créer un compte pour candidater" in body
    assert f"{reverse('account_signup')}?next={quote(start, safe='/')}" in body
    assert "J'ai déjà un compte" in body
    assert f"{reverse('account_login')}?next={quote(start, safe='/')}" in body
    assert "Brouillon — aperçu" not in body


def test_signed_in_visitor_gets_the_apply_button(client, world):
    client.force_login(UserFactory())
    response = client.get(public_url(world))
    start = reverse("candidatures:application_start", args=[world.organisation.slug, "ami-2026"])
    assert f'href="{start}"' in response.content.decode()
    assert "Créer un compte pour candidater" not in response.content.decode()


def test_applicant_is_offered_to_resume_their_application(client, world):
    lead = UserFactory()
    with scopes_disabled():
        application = build_application(call=world.call, lead=lead)
    client.force_login(lead)
    body = client.get(public_url(world)).content.decode()
    assert "Reprendre ma candidature" in body
    detail = reverse(
        "candidatures:application_detail",
        args=[world.organisation.slug, "ami-2026", application.pk],
    )
    assert detail in body


def test_closed_call_says_so_and_offers_no_button(client, world):
    call = make_call(world, published=True, closed=True, title="AMI clos")
    body = client.get(public_url(world, call)).content.decode()
    assert "Les candidatures sont closes depuis le" in body
    assert "clos" in body
    assert "Créer un compte pour candidater" not in body


def test_dates_in_french_on_the_organisations_clock(client, world):
    with scopes_disabled():
        world.organisation.time_zone = "Indian/Reunion"  # UTC+4, no summer time
        world.organisation.save()
        world.call.opens_at = datetime(2026, 6, 3, 5, 0, tzinfo=ZoneInfo("UTC"))
        world.call.closes_at = datetime(2026, 6, 30, 19, 59, tzinfo=ZoneInfo("UTC"))
        world.call.save()
    with time_machine.travel(paris(2026, 6, 1, 12), tick=False):
        body = client.get(public_url(world)).content.decode()
    assert "mercredi 3 juin 2026 à 9 h" in body
    assert "mardi 30 juin 2026 à 23 h 59" in body
    assert "à venir" in body
    assert "Les candidatures ouvriront le mercredi 3 juin 2026 à 9 h." in body


def test_webinar_shown_without_its_visio_link(client, world):
    with scopes_disabled():
        webinar = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title="Webinaire Q&R de l'AMI",
            starts_at=paris(2026, 6, 10, 14),
            ends_at=paris(2026, 6, 10, 15, 30),
            visio_url="https://visio.exemple.fr/secret-ami",
        )
        world.call.webinar = webinar
        world.call.save()
    body = client.get(public_url(world)).content.decode()
    assert "Webinaire Q&amp;R de l&#x27;AMI" in body
    assert "mercredi 10 juin 2026, 14 h – 15 h 30" in body
    assert "Visio" in body
    assert "secret-ami" not in body


def call_document(world, call=None, title="Règlement de l'AMI", name="reglement.pdf", **extra):
    """A document of the call: a resource of the library attached to it (public, as the
    call's management page adds them)."""
    call = call or world.call
    fields = {"visibility": Visibility.PUBLIC, **extra}
    with scope(organisation=world.organisation.pk):
        return create_resource(
            organisation=world.organisation,
            acting_user=world.coordinator,
            title=title,
            file=SimpleUploadedFile(name, PDF if name.endswith(".pdf") else XLSX),
            call=call,
            **fields,
        )


def public_download(world, resource):
    return reverse("ressources:public_download", args=[world.organisation.slug, resource.pk])


def test_documents_listed_with_their_size_for_anonymous_visitors(client, world):
    document = call_document(world)
    client.logout()
    body = client.get(public_url(world)).content.decode()
    assert "Règlement de l&#x27;AMI" in body
    assert "octets" in body
    assert public_download(world, document) in body
    response = client.get(public_download(world, document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_a_document_of_the_call_not_public_is_neither_listed_nor_downloadable(client, world):
    guide = call_document(world, title="Guide des relecteurs", visibility=Visibility.ORGANISATION)
    body = client.get(public_url(world)).content.decode()
    assert "Guide des relecteurs" not in body
    assert client.get(public_download(world, guide)).status_code == 404


def test_rich_text_is_sanitised(client, world):
    with scopes_disabled():
        world.call.body = (
            "**Important**\n\n<script>alert('corps')</script>\n\n[clic](javascript:alert(1))"
        )
        world.call.eligibility = '<img src=x onerror="alert(2)"> [lien](JAVASCRIPT:alert(3))'
        world.call.faq = '## Question\n\n<a href="javascript:alert(4)">piège</a>'
        world.call.save()
    body = client.get(public_url(world)).content.decode()
    assert "<strong>Important</strong>" in body
    assert "<script>alert" not in body
    # Raw HTML and refused links stay as inert text; no link or attribute can run code.
    assert "&lt;script&gt;" in body
    assert '<a href="javascript' not in body.lower()
    assert "<img src=x" not in body
    assert "<h2>Question</h2>" in body


# --- Drafts stay hidden --------------------------------------------------------------


@pytest.fixture
def draft(world):
    with scopes_disabled():
        call = CallFactory(cohort=world.cohort, slug="brouillon-secret", title="Appel secret")
    call_document(world, call=call, title="Annexe secrète", name="annexe.pdf")
    return call


def test_draft_is_404_for_anonymous(client, world, draft):
    assert client.get(public_url(world, draft)).status_code == 404
    with scopes_disabled():
        annex = Resource.objects.get(call=draft)
    assert client.get(public_download(world, annex)).status_code == 404


def test_draft_is_404_for_a_team_member(client, world, draft):
    client.force_login(world.member)
    assert client.get(public_url(world, draft)).status_code == 404


def test_draft_is_404_for_another_organisations_coordinator(client, world, draft):
    with scopes_disabled():
        other = build_programme(teams=0).organisation
        stranger = MembershipFactory(organisation=other, coordinator=True).user
    client.force_login(stranger)
    assert client.get(public_url(world, draft)).status_code == 404
    # Nor through their own organisation's address.
    url = reverse("candidatures:call_public", args=[other.slug, draft.slug])
    assert client.get(url).status_code == 404


def test_draft_is_previewed_by_its_coordinators_with_a_banner(coordinator_client, world, draft):
    response = coordinator_client.get(public_url(world, draft))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Brouillon — aperçu" in body
    assert "Appel secret" in body
    assert "Créer un compte pour candidater" not in body


def test_public_list_shows_published_calls_open_first_and_no_draft(client, world, draft):
    make_call(world, published=True, closed=True, title="Appel de l'an dernier")
    make_call(
        world,
        published=True,
        title="Appel à venir",
        opens_at=timezone.now() + timedelta(days=5),
        closes_at=timezone.now() + timedelta(days=30),
    )
    response = client.get(reverse("candidatures:call_public_list", args=[world.organisation.slug]))
    body = response.content.decode()
    assert "Appel secret" not in body
    assert "brouillon-secret" not in body
    positions = [
        body.index("AMI Alimentation 2026"),
        body.index("Appel à venir"),
        body.index("Appel de l&#x27;an dernier"),
    ]
    assert positions == sorted(positions)
    for badge in ("ouvert", "à venir", "clos"):
        assert f">{badge}</span>" in body


def test_document_download_has_its_content_type(client, world):
    document = call_document(world, title="Tableau budgétaire", name="budget.xlsx")
    response = client.get(public_download(world, document))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="budget.xlsx"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == XLSX


def test_a_document_of_another_call_is_not_listed(client, world):
    other = make_call(world, published=True, title="Autre appel")
    call_document(world, call=other, title="Annexe de l'autre appel")
    body = client.get(public_url(world)).content.decode()
    assert "Annexe de l&#x27;autre appel" not in body


# --- Documents (coordinator, through the library) ------------------------------------


def add_url(world, call=None):
    call = call or world.call
    return reverse("ressources:call_add", args=[world.organisation.slug, call.pk])


def upload(client, world, name, content, title="Règlement"):
    return client.post(add_url(world), {"title": title, "file": SimpleUploadedFile(name, content)})


def document_count(world) -> int:
    with scopes_disabled():
        return Resource.objects.filter(call=world.call).count()


def test_the_management_page_offers_to_add_a_document(coordinator_client, world):
    call_document(world)
    body = coordinator_client.get(manage_url(world, "call_manage")).content.decode()
    assert "Documents de l'appel" in body
    assert add_url(world) in body
    assert "Règlement de l&#x27;AMI" in body
    page = coordinator_client.get(add_url(world)).content.decode()
    assert 'enctype="multipart/form-data"' in page


def test_upload_of_a_real_pdf_stores_type_and_size_public(coordinator_client, world):
    response = upload(coordinator_client, world, "reglement.pdf", PDF)
    assert response.status_code == 302
    assert response["Location"] == manage_url(world, "call_manage")
    with scopes_disabled():
        document = Resource.objects.get(call=world.call)
        assert document.mime_type == "application/pdf"
        assert document.size == len(PDF)
        assert document.visibility == Visibility.PUBLIC
        assert document.programme_id == world.programme.pk
        assert AuditEntry.objects.filter(action=Audited.RESOURCE_ADDED).exists()


@pytest.mark.parametrize(
    ("name", "content", "type_"),
    [
        ("budget.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "lettre.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_office_files_get_their_exact_type(coordinator_client, world, name, content, type_):
    assert upload(coordinator_client, world, name, content).status_code == 302
    with scopes_disabled():
        assert Resource.objects.get(call=world.call).mime_type == type_


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("faux.pdf", b"Ceci n'est pas un PDF.\n" * 10),
        ("archive.docx", office_file(("a.txt", "x"))),
    ],
)
def test_upload_refuses_a_file_that_is_not_what_it_says(coordinator_client, world, name, content):
    response = upload(coordinator_client, world, name, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any("pas au bon format" in error for error in errors)
    assert document_count(world) == 0


@pytest.mark.parametrize(("name", "content"), [("budget.xlsx", DOCX), ("faux.pdf", PNG)])
def test_upload_refuses_a_file_under_another_extension(coordinator_client, world, name, content):
    response = upload(coordinator_client, world, name, content)
    errors = response.context["form"].errors["file"]
    assert any("ne correspond pas à son extension" in error for error in errors)
    assert document_count(world) == 0


@override_settings(RESOURCE_MAX_UPLOAD_MB=1)
def test_upload_refuses_a_huge_file_stating_the_limit(coordinator_client, world):
    response = upload(coordinator_client, world, "gros.pdf", PDF + b"0" * (1024 * 1024))
    errors = response.context["form"].errors["file"]
    assert any("la limite est de 1 Mo par fichier" in error for error in errors), errors
    assert "la limite est de 1 Mo par fichier" in response.content.decode()
    assert document_count(world) == 0


def test_document_removed_with_its_file(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    upload(coordinator_client, world, "reglement.pdf", PDF)
    with scopes_disabled():
        document = Resource.objects.get(call=world.call)
    name, storage = document.file.name, document.file.storage
    url = reverse("ressources:resource_delete", args=[world.organisation.slug, document.pk])
    assert "Retirer" in coordinator_client.get(manage_url(world, "call_manage")).content.decode()
    assert coordinator_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == manage_url(world, "call_manage")
    assert document_count(world) == 0
    assert not storage.exists(name)


def test_only_the_coordinators_add_documents_to_a_call(client, world):
    client.force_login(world.member)
    assert client.get(add_url(world)).status_code == 404
    with scopes_disabled():
        other = build_programme(teams=0).organisation
        stranger = MembershipFactory(organisation=other, coordinator=True).user
    client.force_login(stranger)
    assert client.get(add_url(world)).status_code == 404
    assert upload(client, world, "reglement.pdf", PDF).status_code == 404
    assert document_count(world) == 0
