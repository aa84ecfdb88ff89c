"""The library's pages: searching (a word only in a PDF's text), filters and sorting, what
each person sees (the same rare word planted in two organisations and two teams),
downloads and their headers, the public library, adding from the forms (refusals next to
the fields), a team's production from a phone, a session's documents, the programme's
tab, the tags, and the search page's query count."""

import html

import pytest
from django.urls import reverse
from django_scopes import scope

from ressources import services
from ressources.models import Resource
from tests.querycount import assert_constant_queries
from tests.responses import read_streaming
from tests.ressources.factories import library_world, pdf_bytes, upload

pytestmark = pytest.mark.django_db

RARE = "zorglubienne"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db):
    built = library_world()
    with scope(organisation=built.organisation.pk):
        yield built


def url(world, name, *args, organisation=None):
    return reverse(f"ressources:{name}", args=[(organisation or world.organisation).slug, *args])


def body(response) -> str:
    return html.unescape(response.content.decode())


def add(world, user=None, organisation=None, **fields):
    fields.setdefault("title", "Support")
    if "url" not in fields and "file" not in fields:
        fields["url"] = "https://example.org/support"
    return services.create_resource(
        organisation=organisation or world.organisation,
        acting_user=user or world.coordinator,
        **fields,
    )


def found(client, world, user, text=RARE, organisation=None) -> str:
    client.force_login(user)
    response = client.get(url(world, "library", organisation=organisation), {"q": text})
    assert response.status_code == 200
    return body(response)


def test_a_word_only_in_the_pdf_text_is_found(client, world):
    add(
        world,
        title="Support de la journée",
        file=upload("support.pdf", pdf_bytes(f"La démarche {RARE} des territoires")),
        url="",
    )
    add(world, title="Autre chose")
    page = found(client, world, world.coordinator)
    assert "Support de la journée" in page
    assert "Autre chose" not in page


def test_search_never_shows_another_organisation_or_another_team(client, world):
    add(world, title="Org A publique", description=RARE, visibility="organisation")
    add(world, title="Équipe A", description=RARE, visibility="team", team=world.team)
    add(
        world,
        title="Équipe B",
        description=RARE,
        visibility="team",
        team=world.other_team,
    )
    with scope(organisation=world.other_organisation.pk):
        add(
            world,
            user=world.stranger,
            organisation=world.other_organisation,
            title="Org B",
            description=RARE,
        )
    as_member = found(client, world, world.member)
    assert "Org A publique" in as_member and "Équipe A" in as_member
    assert "Équipe B" not in as_member and "Org B" not in as_member
    as_outsider = found(client, world, world.outsider)
    assert "Équipe B" in as_outsider and "Équipe A" not in as_outsider
    as_observer = found(client, world, world.observer)
    assert "Org A publique" in as_observer
    assert "Équipe A" not in as_observer and "Équipe B" not in as_observer
    as_coordinator = found(client, world, world.coordinator)
    assert "Équipe A" in as_coordinator and "Équipe B" in as_coordinator
    assert "Org B" not in as_coordinator
    with scope(organisation=world.other_organisation.pk):
        as_stranger = found(client, world, world.stranger, organisation=world.other_organisation)
    assert "Org B" in as_stranger and "Org A" not in as_stranger


def test_filters_and_sorting(client, world):
    add(world, title="Bêta", kind="tool", tags=[world.theme])
    add(world, title="Alpha", kind="sheet")
    client.force_login(world.coordinator)
    page = body(client.get(url(world, "library"), {"kind": "tool"}))
    assert "Bêta" in page and "Alpha" not in page
    page = body(client.get(url(world, "library"), {"theme": world.theme.pk}))
    assert "Bêta" in page and "Alpha" not in page
    page = body(client.get(url(world, "library"), {"tri": "titre"}))
    assert page.index("Alpha") < page.index("Bêta")
    assert (
        client.get(url(world, "library"), {"theme": "99999999999999999999999"}).status_code == 200
    )


def test_a_download_keeps_its_french_name_and_safe_headers(client, world):
    resource = add(world, file=upload("Compte rendu — été.pdf", pdf_bytes("été")), url="")
    client.force_login(world.member)
    response = client.get(url(world, "resource_download", resource.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        "filename*=utf-8''Compte%20rendu%20%E2%80%94%20%C3%A9t%C3%A9.pdf"
        in (response["Content-Disposition"])
    )
    assert read_streaming(response).startswith(b"%PDF")


def test_a_link_redirects_and_hidden_resources_answer_404(client, world):
    link = add(world, url="https://example.org/guide")
    team_only = add(world, visibility="team", team=world.team)
    client.force_login(world.outsider)
    response = client.get(url(world, "resource_download", link.pk))
    assert response.status_code == 302 and response["Location"] == "https://example.org/guide"
    assert client.get(url(world, "resource_detail", team_only.pk)).status_code == 404
    assert client.get(url(world, "resource_download", team_only.pk)).status_code == 404
    client.force_login(world.stranger)
    assert client.get(url(world, "resource_detail", link.pk)).status_code == 404


def test_the_public_library_needs_no_account(client, world):
    public = add(
        world,
        title="Guide public",
        visibility="public",
        file=upload("guide.pdf", pdf_bytes("guide")),
        url="",
    )
    private = add(world, title="Interne")
    page = body(client.get(url(world, "public_library")))
    assert "Guide public" in page and "Interne" not in page
    assert client.get(url(world, "public_detail", public.pk)).status_code == 200
    response = client.get(url(world, "public_download", public.pk))
    assert response.status_code == 200
    assert read_streaming(response).startswith(b"%PDF")
    assert client.get(url(world, "public_detail", private.pk)).status_code == 404
    assert client.get(url(world, "public_download", private.pk)).status_code == 404


def test_the_add_form_puts_refusals_next_to_the_fields(client, world):
    client.force_login(world.coordinator)
    data = {
        "title": "T" * 20_000,
        "url": "javascript:alert(1)",
        "kind": "tool",
        "licence": "cc_by",
        "visibility": "organisation",
    }
    response = client.post(url(world, "resource_add"), data)
    assert response.status_code == 200
    assert "au plus 200 caractères" in body(response)
    data["title"] = "Guide"
    response = client.post(url(world, "resource_add"), data)
    assert response.status_code == 200
    assert "http://" in body(response)
    data["url"] = ""
    data["file"] = upload("faux.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(url(world, "resource_add"), data)
    assert "pas au bon format" in body(response)
    assert not Resource.objects.exists()
    data["file"] = upload("vrai.pdf", pdf_bytes("vrai"))
    data["themes"] = [world.theme.pk]
    response = client.post(url(world, "resource_add"), data)
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert list(resource.tags.all()) == [world.theme]


def test_edit_and_delete(client, world):
    resource = add(world, title="Avant")
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "resource_edit", resource.pk),
        {
            "title": "Après",
            "url": "https://example.org/apres",
            "kind": "tool",
            "licence": "cc0",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Après" and resource.visibility == "public"
    assert client.get(url(world, "resource_delete", resource.pk)).status_code == 200
    client.post(url(world, "resource_delete", resource.pk))
    assert not Resource.objects.filter(pk=resource.pk).exists()


def test_only_coordinators_uploaders_and_facilitators_change_a_resource(client, world):
    resource = add(world, title="Du coordinateur")
    client.force_login(world.member)
    assert client.get(url(world, "resource_edit", resource.pk)).status_code == 404
    assert client.post(url(world, "resource_delete", resource.pk)).status_code == 404
    client.force_login(world.trainer)
    assert client.get(url(world, "resource_edit", resource.pk)).status_code == 404
    assert client.get(url(world, "resource_add")).status_code == 200


def test_a_team_member_adds_a_production_from_a_phone(client, world):
    client.force_login(world.member)
    page = client.get(url(world, "team_add", world.team.pk))
    assert page.status_code == 200
    assert 'capture="environment"' in page.content.decode()
    response = client.post(
        url(world, "team_add", world.team.pk),
        {
            "title": "Fiche d'intention",
            "file": upload("fiche.pdf", pdf_bytes("intention")),
            "visibility": "team",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.kind == "team_output" and resource.team == world.team
    assert client.get(url(world, "team_add", world.other_team.pk)).status_code == 404
    team_page = client.get(
        reverse(
            "parcours:team_detail",
            args=[world.organisation.slug, world.programme.pk, world.team.pk],
        )
    )
    assert "Fiche d'intention" in body(team_page)


def test_a_trainer_attaches_a_document_to_their_session(client, world):
    client.force_login(world.trainer)
    response = client.post(
        url(world, "session_add", world.session.pk),
        {"title": "Bilan oral", "file": upload("bilan.pdf", pdf_bytes("bilan")), "kind": "other"},
    )
    assert response.status_code == 302
    client.force_login(world.member)
    page = client.get(
        reverse("parcours:session_detail", args=[world.organisation.slug, world.session.pk])
    )
    assert "Bilan oral" in body(page)
    assert client.get(url(world, "session_add", world.session.pk)).status_code == 404


def test_the_programme_tab_lists_its_resources(client, world):
    add(world, title="Du programme", programme=world.programme, visibility="programme")
    add(world, title="Hors programme")
    client.force_login(world.member)
    page = body(client.get(url(world, "programme_resources", world.programme.pk)))
    assert "Du programme" in page and "Hors programme" not in page


def test_tags_are_managed_by_coordinators(client, world):
    client.force_login(world.trainer)
    assert client.get(url(world, "tags")).status_code == 404
    client.force_login(world.coordinator)
    assert client.get(url(world, "tags")).status_code == 200
    response = client.post(url(world, "tags"), {"category": "theme", "name": "Eau"})
    assert response.status_code == 302
    response = client.post(url(world, "tags"), {"category": "theme", "name": "eau"})
    assert "existe déjà" in body(response)


def test_the_search_page_runs_a_constant_number_of_queries(client, world):
    def add_rows(count):
        start = Resource.objects.count()
        rows = [
            Resource(
                organisation=world.organisation,
                title=f"Ressource {start + index}",
                url="https://example.org",
                programme=world.programme,
                team=world.team if index % 2 else None,
                visibility="team" if index % 2 else "organisation",
                session=world.session if index % 3 == 0 else None,
            )
            for index in range(count)
        ]
        created = Resource.objects.bulk_create(rows)
        world.theme.resources.add(*created)

    client.force_login(world.member)
    assert_constant_queries(client, url(world, "library") + "?q=Ressource", add_rows)
    client.force_login(world.coordinator)
    assert_constant_queries(client, url(world, "library"), add_rows, sizes=(60, 300))
