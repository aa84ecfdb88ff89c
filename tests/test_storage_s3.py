"""Every kind of file in an S3-compatible object store (moto, on this machine): uploaded,
read back, served by Sillon after its permission checks, deleted — a session document and
a call's document (resources of the library), the organisation's logo printed in a PDF,
a generated attestation with the logo and signature, an external evaluation's report.
The bucket is private: files go through Sillon, and a URL handed out by the storage is
signed and expires."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from PIL import Image
from pypdf import PdfReader

from documents.models import Document
from documents.services import request_document
from evaluation.models import Campaign
from ressources.models import Visibility
from ressources.services import create_resource
from sillon import pdf
from tests.documents import attestation_world
from tests.evaluation.attendance_world import at, build_world
from tests.factories import (
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
    build_programme,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png(colour=(31, 95, 139)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 12), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def stored(s3_server, storage, name) -> bytes | None:
    """The object's bytes read straight from the bucket (None: no such object)."""
    key = f"{storage.location}/{name}"
    found = s3_server.client.list_objects_v2(Bucket=s3_server.bucket, Prefix=key)
    if not any(item["Key"] == key for item in found.get("Contents", [])):
        return None
    return s3_server.client.get_object(Bucket=s3_server.bucket, Key=key)["Body"].read()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def images_in(content: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages)


# --- The storage itself ----------------------------------------------------------------


def test_the_settings_build_a_private_s3_storage(s3_storage, s3_server):
    from storages.backends.s3 import S3Storage

    assert isinstance(s3_storage._wrapped, S3Storage) or isinstance(s3_storage, S3Storage)
    name = s3_storage.save("essai/bonjour.txt", ContentFile(b"bonjour"))
    again = s3_storage.save("essai/bonjour.txt", ContentFile(b"encore"))
    # Two uploads of the same name keep both, as on the file system.
    assert again != name
    assert stored(s3_server, s3_storage, name) == b"bonjour"
    assert stored(s3_server, s3_storage, again) == b"encore"
    # No public URL: what the storage hands out is signed and expires in 5 minutes.
    query = parse_qs(urlsplit(s3_storage.url(name)).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    s3_storage.delete(name)
    assert stored(s3_server, s3_storage, name) is None
    assert not s3_storage.exists(name)


def test_the_pdf_fetcher_reads_media_through_the_storage(s3_storage, s3_server):
    name = s3_storage.save("organisations/logos/logo.png", ContentFile(png()))
    path, handle = pdf._own_file(f"{pdf.BASE_URL}media/{name}")
    with handle:
        assert path == f"/media/{name}"
        assert handle.read() == png()
    with pytest.raises(pdf.RefusedResource, match="not found"):
        pdf._own_file(f"{pdf.BASE_URL}media/organisations/logos/none.png")
    # The storage's own (signed) URL is another host: the fetcher refuses it.
    with pytest.raises(pdf.RefusedResource, match="outside"):
        pdf._own_file(s3_storage.url(name))


# --- Session documents and call documents (resources of the library) -------------------


def test_a_session_document_lives_in_the_bucket(
    s3_storage, s3_server, client, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    with scope(organisation=organisation.pk):
        built = build_programme(organisation=organisation, teams=2)
        session = SessionFactory(
            programme=built.programme,
            kind=built.individual_kind,
            audience="team",
            teams=[built.teams[0]],
        )
        member = built.teams[0].members.select_related("user").first().user
        outsider = built.teams[1].members.select_related("user").first().user
        document = create_resource(
            organisation=organisation,
            acting_user=coordinator,
            title="Support",
            file=SimpleUploadedFile("support.pdf", PDF_BYTES, "application/pdf"),
            visibility=Visibility.PROGRAMME,
            session=session,
        )
    name = document.file.name
    assert stored(s3_server, s3_storage, name) == PDF_BYTES
    args = [organisation.slug, document.pk]
    url = reverse("ressources:resource_download", args=args)
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="support.pdf"'
    assert body(response) == PDF_BYTES
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ressources:resource_delete", args=args))
    assert response.status_code == 302
    assert stored(s3_server, s3_storage, name) is None


def test_a_call_document_lives_in_the_bucket(
    s3_storage, s3_server, client, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        built = build_programme(teams=1)
        coordinator = MembershipFactory(organisation=built.organisation, coordinator=True).user
        call = CallFactory(cohort=built.cohort, published=True, slug="ami")
        draft = CallFactory(cohort=built.cohort, published=False, slug="brouillon")
    organisation = built.organisation
    with scope(organisation=organisation.pk):
        attachment, hidden = (
            create_resource(
                organisation=organisation,
                acting_user=coordinator,
                title=title,
                file=SimpleUploadedFile(f"{title.lower()}.pdf", PDF_BYTES),
                visibility=Visibility.PUBLIC,
                call=of,
            )
            for title, of in (("Règlement", call), ("Brouillon", draft))
        )
    name = attachment.file.name
    assert stored(s3_server, s3_storage, name) == PDF_BYTES
    response = client.get(
        reverse("ressources:public_download", args=[organisation.slug, attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == PDF_BYTES
    # A draft call's document stays out of reach of visitors.
    hidden_url = reverse("ressources:public_download", args=[organisation.slug, hidden.pk])
    assert client.get(hidden_url).status_code == 404
    client.force_login(coordinator)
    delete_url = reverse("ressources:resource_delete", args=[organisation.slug, attachment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete_url).status_code == 302
    assert stored(s3_server, s3_storage, name) is None


# --- The organisation's logo, on pages and in PDFs -------------------------------------


def test_the_logo_uploaded_is_served_and_printed_in_pdfs(s3_storage, s3_server, client):
    coordinator = MembershipFactory(coordinator=True)
    organisation = coordinator.organisation
    client.force_login(coordinator.user)
    logo = SimpleUploadedFile("logo.png", png())
    response = client.post(
        reverse("organisations:settings", args=[organisation.slug]),
        {"name": "Région Test", "brand_colour": "#1f5f8b", "time_zone": "Europe/Paris"}
        | {"logo": logo},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    name = organisation.logo.name
    assert stored(s3_server, s3_storage, name) == png()
    served = client.get(reverse("organisations:logo", args=[organisation.slug]))
    assert served["Content-Type"] == "image/png"
    assert served.content == png()
    html = render_to_string("pdf/base.html", {"organisation": organisation})
    assert f'src="/media/{name}"' in html
    assert images_in(pdf.html_to_pdf(html)) == 1
    organisation.logo.delete()
    assert stored(s3_server, s3_storage, name) is None
    assert client.get(reverse("organisations:logo", args=[organisation.slug])).status_code == 404


# --- Generated documents -----------------------------------------------------------------


def test_an_attestation_is_built_into_the_bucket_with_logo_and_signature(
    s3_storage, s3_server, client
):
    with time_machine.travel(attestation_world.NOW, tick=False):
        world = attestation_world.build_world(validated=True)
        organisation = world.organisation
        organisation.signatory_name = "Camille Martin"
        organisation.logo.save("logo.png", ContentFile(png()), save=False)
        organisation.signature_image.save("signature.png", ContentFile(png((0, 0, 0))))
        coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        with scope(organisation=organisation.pk):
            document = request_document(
                organisation=organisation,
                acting_user=coordinator,
                kind=Document.Kind.ATTESTATION,
                title="Attestation",
                programme=world.programme,
                person=world.lea,
            )
            document.refresh_from_db()
        assert document.status == Document.Status.READY, document.error
        name = document.file.name
        content = stored(s3_server, s3_storage, name)
        assert content.startswith(b"%PDF") and len(content) == document.size
        assert images_in(content) == 2  # the logo and the signature, read from the bucket
        url = reverse("documents:download", args=[organisation.slug, document.pk])
        client.force_login(coordinator)
        response = client.get(url)
        assert response.status_code == 200
        assert body(response) == content
        client.force_login(UserFactory())
        assert client.get(url).status_code == 404
        document.file.delete(save=False)
        assert stored(s3_server, s3_storage, name) is None


# --- External evaluation reports -------------------------------------------------------


def test_an_external_report_lives_in_the_bucket(s3_storage, s3_server, client):
    world = build_world()
    with time_machine.travel(at(2027, 3, 1, 10), tick=False):
        client.force_login(world.coordinator)
        slug = world.organisation.slug
        client.post(
            reverse("evaluation:external_create", args=[slug, world.programme.pk]),
            {
                "title": "À froid",
                "moment": "cold",
                "opens_at": "2027-02-01T09:00",
                "closes_at": "2027-02-20T18:00",
            },
        )
        with scopes_disabled():
            campaign = Campaign.objects.get(external=True)
        figures = reverse("evaluation:external_figures", args=[slug, campaign.pk])
        report_url = reverse("evaluation:external_report", args=[slug, campaign.pk])
        fields = {"external_invited": "40", "external_respondents": "31"}
        upload = SimpleUploadedFile("rapport.pdf", PDF_BYTES)
        assert client.post(figures, fields | {"external_report": upload}).status_code == 302
        campaign.refresh_from_db()
        name = campaign.external_report.name
        assert stored(s3_server, s3_storage, name) == PDF_BYTES
        response = client.get(report_url)
        assert response.status_code == 200
        assert body(response) == PDF_BYTES
        client.force_login(world.people[0])
        assert client.get(report_url).status_code == 404
        client.force_login(world.coordinator)
        assert client.post(figures, fields | {"remove_report": "on"}).status_code == 302
        assert stored(s3_server, s3_storage, name) is None
        assert client.get(report_url).status_code == 404
