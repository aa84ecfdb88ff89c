"""The library's writes: a file or a link, checked on its content and bounded; refused
input saves nothing; tags of the organisation only; the file's text extracted for the
search; who may add what; copying a programme's session documents."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django_scopes import scope

from organisations.models import AuditEntry
from ressources import services
from ressources.extract import extract_text
from ressources.models import Resource
from sillon import uploads
from tests.factories import SessionFactory
from tests.ressources.factories import docx_bytes, library_world, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db):
    built = library_world()
    with scope(organisation=built.organisation.pk):
        yield built


def add(world, user=None, **fields):
    fields.setdefault("title", "Support J1")
    if "url" not in fields and "file" not in fields:
        fields["file"] = upload("support.pdf", pdf_bytes("bonjour"))
    return services.create_resource(
        organisation=world.organisation, acting_user=user or world.coordinator, **fields
    )


def refused(world, field, user=None, **fields) -> str:
    before = Resource.objects.count()
    with pytest.raises(ValidationError) as caught:
        add(world, user=user, **fields)
    assert Resource.objects.count() == before
    return " ".join(caught.value.message_dict[field])


def test_a_pdf_is_stored_with_what_it_is_and_its_text(world):
    resource = add(
        world,
        file=upload("Compte rendu — été.pdf", pdf_bytes("Le maraîchage périurbain")),
        tags=[world.theme, world.work_stream],
    )
    resource.refresh_from_db()
    assert resource.mime_type == "application/pdf"
    assert resource.original_name == "Compte rendu — été.pdf"
    assert resource.size > 0 and len(resource.sha256) == 64
    assert resource.file.name.startswith(f"ressources/{world.organisation.pk}/")
    assert "maraîchage" in resource.search_text
    assert resource.author == world.coordinator.get_full_name()
    assert set(resource.tags.all()) == {world.theme, world.work_stream}
    assert AuditEntry.objects.filter(action="ressources.resource.added").exists()


def test_a_word_document_gives_its_text(world):
    resource = add(world, file=upload("fiche.docx", docx_bytes("Fiche d'intention agrivoltaïsme")))
    resource.refresh_from_db()
    assert resource.mime_type == uploads.DOCX
    assert "agrivoltaïsme" in resource.search_text


def test_a_fake_pdf_is_refused(world):
    message = refused(world, "file", file=upload("rapport.pdf", b"<html><script>x</script>"))
    assert "format" in message


def test_a_pdf_named_docx_is_refused(world):
    message = refused(world, "file", file=upload("rapport.docx", pdf_bytes("x")))
    assert "ne correspond pas à son extension" in message


@override_settings(RESOURCE_MAX_UPLOAD_MB=1)
def test_a_file_over_the_cap_is_refused_naming_the_cap(world):
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    message = refused(world, "file", file=upload("gros.pdf", big))
    assert "la limite est de 1 Mo" in message


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "JaVaScRiPt:x"],
)
def test_links_other_than_web_links_are_refused(world, url):
    message = refused(world, "url", url=url)
    assert "http://" in message


def test_a_web_link_is_a_resource(world):
    resource = add(world, url="https://www.example.org/guide")
    assert resource.is_link and not resource.file


def test_a_file_and_a_link_together_are_refused(world):
    refused(world, "url", url="https://example.org", file=upload("a.pdf", pdf_bytes("a")))


def test_a_20000_character_title_is_refused(world):
    message = refused(world, "title", title="T" * 20_000)
    assert "20000" in message.replace("\u202f", "").replace(" ", "")


def test_an_external_image_in_the_description_is_refused(world):
    message = refused(world, "description", description="Voir ![](https://evil.example/x.png)")
    assert "images" in message


def test_a_tag_of_another_organisation_is_refused(world):
    message = refused(world, "tags", tags=[world.foreign_tag])
    assert "n'appartient pas à votre organisation" in message


def test_a_team_visibility_needs_a_team(world):
    refused(world, "visibility", visibility="team")


def test_a_team_member_adds_to_their_own_team_only(world):
    resource = add(world, user=world.member, team=world.team, visibility="team", kind="team_output")
    assert resource.programme == world.programme
    refused(world, "team", user=world.member, team=world.other_team, visibility="team")
    refused(world, "visibility", user=world.member, team=world.team, visibility="public")


def test_a_session_takes_documents_from_its_trainer_not_from_a_team_member(world):
    resource = add(world, user=world.trainer, session=world.session, visibility="programme")
    assert resource.programme == world.programme
    refused(world, "session", user=world.member, session=world.session, visibility="programme")


def test_a_broken_office_file_keeps_the_resource_with_no_text(world):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    resource = add(world, file=upload("casse.docx", buffer.getvalue()))
    resource.refresh_from_db()
    assert resource.search_text == ""


def test_extraction_never_raises():
    assert extract_text(b"%PDF-1.4 garbage", uploads.PDF) == ""
    assert extract_text(b"not a zip", uploads.DOCX) == ""


def test_changing_the_file_replaces_it_and_its_text(world):
    resource = add(world, file=upload("v1.pdf", pdf_bytes("version ancienne")))
    old_name = resource.file.name
    services.update_resource(
        resource=resource,
        acting_user=world.coordinator,
        file=upload("v2.pdf", pdf_bytes("version nouvelle")),
        title="Support J1 (v2)",
    )
    resource.refresh_from_db()
    assert resource.title == "Support J1 (v2)"
    assert "nouvelle" in resource.search_text
    assert not resource.file.storage.exists(old_name)


def test_deleting_removes_the_row_and_the_file(world):
    resource = add(world)
    name = resource.file.name
    services.delete_resource(resource=resource, acting_user=world.coordinator)
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert not resource.file.storage.exists(name)


def test_tags_are_unique_per_category(world):
    with pytest.raises(ValidationError):
        services.create_tag(
            organisation=world.organisation,
            acting_user=world.coordinator,
            category="theme",
            name="alimentation",
        )
    tag = services.create_tag(
        organisation=world.organisation,
        acting_user=world.coordinator,
        category="chantier",
        name="Alimentation",
    )
    services.rename_tag(tag=tag, acting_user=world.coordinator, name="Alimentation durable")
    services.delete_tag(tag=tag, acting_user=world.coordinator)


def test_copying_session_documents_copies_rows_and_files(world):
    source = add(world, session=world.session, visibility="programme", tags=[world.theme])
    new_session = SessionFactory(programme=world.programme, kind=world.kind, title="J1 (copie)")
    copied = services.copy_session_resources({world.session.pk: new_session}, world.coordinator)
    assert copied == 1
    (copy,) = Resource.objects.filter(session=new_session)
    assert copy.pk != source.pk and copy.file.name != source.file.name
    with copy.file.open("rb") as copied_file, source.file.open("rb") as source_file:
        assert copied_file.read() == source_file.read()
    assert list(copy.tags.all()) == [world.theme]
