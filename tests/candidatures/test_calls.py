"""The call for applications: its public pages (published only; coordinators preview a
draft), and the coordinator's pages to write, publish and equip it (attachments checked
on their content, a scoring grid with weights)."""

import io
import zipfile
from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from candidatures import services
from candidatures.actions import Action
from candidatures.models import Application, Call, CallAttachment, Review, ReviewScore
from organisations.models import AuditEntry
from tests.factories import (
    CallFactory,
    MembershipFactory,
    ScoringCriterionFactory,
    SessionFactory,
    UserFactory,
    build_application,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def office_file(*entries: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            stored = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=stored)
    return buffer.getvalue()


XLSX = office_file(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"))
DOCX = office_file(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<document/>"))
ODS = office_file(
    ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")
)


@pytest.fixture
def world():
    """A published PAT programme with one team, its coordinator, and a published call
    open since yesterday for three weeks."""
    with scopes_disabled():
        built = build_programme(teams=1)
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.call = CallFactory(
            cohort=built.cohort,
            published=True,
            slug="ami-2026",
            title="AMI Alimentation 2026",
            summary="Rejoindre le parcours des PAT.",
            contact_email="ami@exemple.fr",
        )
        built.member = built.teams[0].members.select_related("user").first().user
    return built


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.coordinator)
    return client


def public_url(world, call=None):
    call = call or world.call
    return reverse("candidatures:call_public", args=[world.organisation.slug, call.slug])


def manage_url(world, name, call=None, **extra):
    call = call or world.call
    args = [world.organisation.slug, world.programme.pk, call.pk, *extra.values()]
    return reverse(f"candidatures:{name}", args=args)


def make_call(world, **kwargs) -> Call:
    with scopes_disabled():
        return CallFactory(cohort=world.cohort, **kwargs)


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


def test_attachments_listed_with_their_size(client, world, coordinator_client):
    with scope(organisation=world.organisation.pk):
        services.add_call_attachment(
            call=world.call,
            acting_user=world.coordinator,
            title="Règlement de l'AMI",
            file=SimpleUploadedFile("reglement.pdf", PDF),
        )
    client.logout()
    body = client.get(public_url(world)).content.decode()
    assert "Règlement de l&#x27;AMI" in body
    assert "octets" in body


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
        CallAttachment.objects.create(
            organisation=world.organisation,
            call=call,
            title="Annexe secrète",
            file=SimpleUploadedFile("annexe.pdf", PDF),
            content_type="application/pdf",
            size=len(PDF),
        )
    return call


def test_draft_is_404_for_anonymous(client, world, draft):
    assert client.get(public_url(world, draft)).status_code == 404
    with scopes_disabled():
        attachment = draft.attachments.get()
    url = reverse(
        "candidatures:call_attachment",
        args=[world.organisation.slug, draft.slug, attachment.pk],
    )
    assert client.get(url).status_code == 404


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


def test_attachment_download_has_its_content_type(client, world):
    with scope(organisation=world.organisation.pk):
        attachment = services.add_call_attachment(
            call=world.call,
            acting_user=world.coordinator,
            title="Tableau budgétaire",
            file=SimpleUploadedFile("budget.xlsx", XLSX),
        )
    url = reverse(
        "candidatures:call_attachment",
        args=[world.organisation.slug, world.call.slug, attachment.pk],
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="tableau-budgetaire.xlsx"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == XLSX


def test_attachment_of_another_call_is_404(client, world):
    other = make_call(world, published=True)
    with scope(organisation=world.organisation.pk):
        attachment = services.add_call_attachment(
            call=other,
            acting_user=world.coordinator,
            title="Annexe",
            file=SimpleUploadedFile("annexe.pdf", PDF),
        )
    url = reverse(
        "candidatures:call_attachment",
        args=[world.organisation.slug, world.call.slug, attachment.pk],
    )
    assert client.get(url).status_code == 404


# --- Attachments (coordinator) -------------------------------------------------------


def upload(client, world, name, content, title="Règlement"):
    return client.post(
        manage_url(world, "call_attachments"),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


def attachment_count(world) -> int:
    with scopes_disabled():
        return CallAttachment.objects.filter(call=world.call).count()


def test_upload_of_a_real_pdf_stores_type_and_size(coordinator_client, world):
    response = upload(coordinator_client, world, "reglement.pdf", PDF)
    assert response.status_code == 302
    with scopes_disabled():
        attachment = CallAttachment.objects.get(call=world.call)
        assert attachment.content_type == "application/pdf"
        assert attachment.size == len(PDF)
        assert AuditEntry.objects.filter(action=Action.CALL_ATTACHMENT_ADDED).exists()


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
        assert CallAttachment.objects.get(call=world.call).content_type == type_


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("faux.pdf", PNG),
        ("faux.pdf", b"Ceci n'est pas un PDF.\n" * 10),
        ("archive.docx", office_file(("a.txt", "x"))),
    ],
)
def test_upload_refuses_a_file_that_is_not_what_it_says(coordinator_client, world, name, content):
    response = upload(coordinator_client, world, name, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any("pas au bon format" in error for error in errors)
    assert attachment_count(world) == 0


def test_upload_refuses_an_office_file_under_another_extension(coordinator_client, world):
    response = upload(coordinator_client, world, "budget.xlsx", DOCX)
    errors = response.context["form"].errors["file"]
    assert any("ne correspond pas à son extension" in error for error in errors)
    assert attachment_count(world) == 0


def test_upload_refuses_a_huge_file_stating_the_limit(coordinator_client, world):
    response = upload(coordinator_client, world, "gros.pdf", PDF + b"0" * (10 * 1024 * 1024))
    errors = response.context["form"].errors["file"]
    assert any("la limite est de 10,0\xa0Mio" in error for error in errors), errors
    assert "la limite est de 10,0\xa0Mio" in response.content.decode()
    assert attachment_count(world) == 0


def test_attachment_removed(coordinator_client, world):
    upload(coordinator_client, world, "reglement.pdf", PDF)
    with scopes_disabled():
        attachment = CallAttachment.objects.get(call=world.call)
    url = manage_url(world, "call_attachment_delete", attachment_id=attachment.pk)
    assert coordinator_client.get(url).status_code == 405
    assert coordinator_client.post(url).status_code == 302
    assert attachment_count(world) == 0


# --- Writing the call ----------------------------------------------------------------


def call_data(world, **overrides) -> dict:
    data = {
        "title": "AMI PAT 2027",
        "slug": "ami-2027",
        "summary": "Candidatez en équipe.",
        "cohort": world.cohort.pk,
        "opens_at": "2027-06-03T09:00",
        "closes_at": "2027-06-30T23:59",
        "body": "Présentation de l'appel.",
        "eligibility": "",
        "criteria": "",
        "faq": "",
        "webinar": "",
        "contact_email": "ami@exemple.fr",
    }
    data.update(overrides)
    return data


def calls_of(world):
    with scopes_disabled():
        return list(Call.objects.filter(programme=world.programme).order_by("pk"))


def test_create_call_reads_dates_on_the_organisations_clock(coordinator_client, world):
    url = reverse("candidatures:call_create", args=[world.organisation.slug, world.programme.pk])
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(url, call_data(world))
    assert response.status_code == 302
    with scopes_disabled():
        call = Call.objects.get(slug="ami-2027")
        assert call.status == Call.Status.DRAFT
        assert call.opens_at == paris(2027, 6, 3, 9)
        assert call.closes_at == paris(2027, 6, 30, 23, 59)
        assert call.organisation == world.organisation
        assert AuditEntry.objects.filter(action=Action.CALL_SAVED, target=call.title).exists()
    assert response.url == manage_url(world, "call_manage", call=call)


def test_create_without_address_takes_the_title(coordinator_client, world):
    url = reverse("candidatures:call_create", args=[world.organisation.slug, world.programme.pk])
    coordinator_client.post(url, call_data(world, slug="", title="Appel à projets PAT 2027"))
    with scopes_disabled():
        assert Call.objects.filter(slug="appel-a-projets-pat-2027").exists()


def test_create_with_closing_before_opening_is_refused(coordinator_client, world):
    before = len(calls_of(world))
    url = reverse("candidatures:call_create", args=[world.organisation.slug, world.programme.pk])
    response = coordinator_client.post(
        url, call_data(world, opens_at="2027-06-30T09:00", closes_at="2027-06-03T09:00")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"] == [
        "La clôture des candidatures doit suivre leur ouverture."
    ]
    assert "La clôture des candidatures doit suivre leur ouverture." in response.content.decode()
    assert len(calls_of(world)) == before


def test_a_time_that_does_not_exist_on_the_clock_is_refused(coordinator_client, world):
    # 28 March 2027, 2 h 30 in Paris: clocks jump from 2 h to 3 h.
    before = len(calls_of(world))
    url = reverse("candidatures:call_create", args=[world.organisation.slug, world.programme.pk])
    response = coordinator_client.post(url, call_data(world, opens_at="2027-03-28T02:30"))
    assert response.status_code == 200
    assert "opens_at" in response.context["form"].errors
    assert len(calls_of(world)) == before


def test_edit_with_closing_before_opening_changes_nothing(coordinator_client, world):
    with scopes_disabled():
        original = Call.objects.get(pk=world.call.pk)
    response = coordinator_client.post(
        manage_url(world, "call_edit"),
        call_data(
            world,
            slug="ami-2026",
            title="Nouveau titre",
            opens_at="2027-06-30T09:00",
            closes_at="2027-06-30T09:00",
        ),
    )
    assert response.status_code == 200
    assert "closes_at" in response.context["form"].errors
    with scopes_disabled():
        call = Call.objects.get(pk=world.call.pk)
    assert (call.title, call.opens_at, call.closes_at) == (
        original.title,
        original.opens_at,
        original.closes_at,
    )


def test_edit_saves_changed_fields(coordinator_client, world):
    response = coordinator_client.post(
        manage_url(world, "call_edit"), call_data(world, slug="ami-2026", title="AMI revu")
    )
    assert response.status_code == 302
    with scopes_disabled():
        call = Call.objects.get(pk=world.call.pk)
        assert call.title == "AMI revu"
        assert call.is_published  # still published
        entry = AuditEntry.objects.filter(action=Action.CALL_SAVED).latest("pk")
        assert "title" in entry.data["fields"]


def test_edit_form_shows_dates_on_the_organisations_clock(coordinator_client, world):
    with scopes_disabled():
        world.call.opens_at = paris(2026, 6, 3, 9)
        world.call.save()
    body = coordinator_client.get(manage_url(world, "call_edit")).content.decode()
    assert 'value="2026-06-03T09:00"' in body
    assert 'type="datetime-local"' in body


def test_duplicate_address_is_refused_next_to_the_field(coordinator_client, world):
    url = reverse("candidatures:call_create", args=[world.organisation.slug, world.programme.pk])
    response = coordinator_client.post(url, call_data(world, slug="ami-2026"))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["slug"]
    assert "utilise déjà l'adresse « ami-2026 »" in error
    assert len(calls_of(world)) == 1


def test_same_address_allowed_in_another_organisation(world):
    with scopes_disabled():
        other = build_programme(teams=0)
        coordinator = MembershipFactory(organisation=other.organisation, coordinator=True).user
    with scope(organisation=other.organisation.pk):
        call = services.create_call(
            programme=other.programme,
            acting_user=coordinator,
            cohort=other.cohort,
            slug="ami-2026",
            title="AMI ailleurs",
            opens_at=paris(2027, 1, 1),
            closes_at=paris(2027, 2, 1),
        )
    assert call.slug == "ami-2026"


def test_cohort_and_webinar_must_belong_to_the_programme(world):
    with scopes_disabled():
        other = build_programme(organisation=world.organisation, teams=0)
        foreign_session = SessionFactory(programme=other.programme, kind=other.kind)
    with scope(organisation=world.organisation.pk), pytest.raises(ValidationError) as caught:
        services.create_call(
            programme=world.programme,
            acting_user=world.coordinator,
            cohort=other.cohort,
            webinar=foreign_session,
            slug="mauvais",
            title="Appel",
            opens_at=paris(2027, 1, 1),
            closes_at=paris(2027, 2, 1),
        )
    assert set(caught.value.message_dict) == {"cohort", "webinar"}


def test_form_offers_only_the_programmes_cohorts_and_sessions(coordinator_client, world):
    with scopes_disabled():
        other = build_programme(organisation=world.organisation, teams=0)
        SessionFactory(programme=other.programme, kind=other.kind, title="Séance d'ailleurs")
        SessionFactory(programme=world.programme, kind=world.kind, title="Webinaire Q&R")
    form = coordinator_client.get(manage_url(world, "call_edit")).context["form"]
    assert list(form.fields["cohort"].queryset) == [world.cohort]
    assert [s.title for s in form.fields["webinar"].queryset] == ["Webinaire Q&R"]


# --- Publishing ----------------------------------------------------------------------


def test_publish_a_draft(coordinator_client, world):
    call = make_call(world, title="Appel prêt")
    response = coordinator_client.post(manage_url(world, "call_publish", call=call))
    assert response.status_code == 302
    with scopes_disabled():
        call.refresh_from_db()
        assert AuditEntry.objects.filter(action=Action.CALL_PUBLISHED).exists()
    assert call.is_published
    assert call.published_at is not None
    assert coordinator_client.get(public_url(world, call)).status_code == 200


def test_publish_refused_without_a_body(coordinator_client, world):
    call = make_call(world, body="   ")
    response = coordinator_client.post(manage_url(world, "call_publish", call=call), follow=True)
    assert "Rédigez la présentation de l&#x27;appel avant de le publier." in (
        response.content.decode()
    )
    with scopes_disabled():
        call.refresh_from_db()
    assert not call.is_published


def test_manage_page_lists_what_keeps_a_draft_from_publication(coordinator_client, world):
    call = make_call(world, body="")
    body = coordinator_client.get(manage_url(world, "call_manage", call=call)).content.decode()
    assert "Avant de publier" in body
    assert "Publier l’appel" not in body


def test_publish_refused_twice(world):
    with scope(organisation=world.organisation.pk), pytest.raises(ValidationError) as caught:
        services.publish_call(call=world.call, acting_user=world.coordinator)
    assert caught.value.messages == ["Cet appel est déjà publié."]


def test_publication_problems_name_the_dates_and_the_body(world):
    call = Call(
        organisation=world.organisation,
        programme=world.programme,
        opens_at=paris(2027, 2, 1),
        closes_at=paris(2027, 1, 1),
    )
    problems = services.publication_problems(call)
    assert set(problems) == {"cohort", "body", "closes_at"}


def test_publish_get_is_refused(coordinator_client, world):
    call = make_call(world)
    assert coordinator_client.get(manage_url(world, "call_publish", call=call)).status_code == 405


# --- Scoring grid --------------------------------------------------------------------


def save_criterion(world, **kwargs):
    fields = {"name": "Dynamique partenariale", "weight": 2, "max_score": 5, "order": 1}
    fields.update(kwargs)
    with scope(organisation=world.organisation.pk):
        return services.save_scoring_criterion(
            call=world.call, acting_user=world.coordinator, **fields
        )


def reviewed(world, criterion, score):
    with scopes_disabled():
        application = build_application(call=world.call, status="under_review")
        review = Review.objects.create(
            organisation=world.organisation, application=application, reviewer=world.coordinator
        )
        ReviewScore.objects.create(
            organisation=world.organisation, review=review, criterion=criterion, score=score
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"weight": 0}, "weight"), ({"max_score": 0}, "max_score"), ({"max_score": 21}, "max_score")],
)
def test_criterion_limits(world, fields, field):
    with pytest.raises(ValidationError) as caught:
        save_criterion(world, **fields)
    assert list(caught.value.message_dict) == [field]


def test_scoring_grid_page_adds_a_criterion_and_shows_the_total_weight(coordinator_client, world):
    with scopes_disabled():
        ScoringCriterionFactory(call=world.call, name="Portage politique", weight=3)
    url = manage_url(world, "scoring_grid")
    response = coordinator_client.post(
        url,
        {
            "name": "Ancrage territorial",
            "description": "",
            "weight": 2,
            "max_score": 10,
            "order": 2,
        },
    )
    assert response.status_code == 302
    body = coordinator_client.get(url).content.decode()
    assert "Ancrage territorial" in body
    assert "Portage politique" in body
    assert "<td>5</td>" in body  # total weight 3 + 2


def test_scoring_grid_page_shows_errors_next_to_fields(coordinator_client, world):
    response = coordinator_client.post(
        manage_url(world, "scoring_grid"),
        {"name": "Trop", "description": "", "weight": 1, "max_score": 25, "order": 1},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["max_score"] == [
        "La note maximale est comprise entre 1 et 20."
    ]
    with scopes_disabled():
        assert not world.call.scoring_criteria.exists()


def test_max_score_cannot_drop_below_a_given_score(coordinator_client, world):
    criterion = save_criterion(world, max_score=10)
    reviewed(world, criterion, 8)
    url = manage_url(world, "criterion_edit", criterion_id=criterion.pk)
    response = coordinator_client.post(
        url, {"name": criterion.name, "description": "", "weight": 2, "max_score": 5, "order": 1}
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["max_score"]
    assert "déjà donné 8" in error
    with scopes_disabled():
        criterion.refresh_from_db()
    assert criterion.max_score == 10
    # Down to the highest score given is fine.
    response = coordinator_client.post(
        url, {"name": criterion.name, "description": "", "weight": 2, "max_score": 8, "order": 1}
    )
    assert response.status_code == 302


def test_criterion_deleted_before_any_review(coordinator_client, world):
    criterion = save_criterion(world)
    url = manage_url(world, "criterion_delete", criterion_id=criterion.pk)
    assert coordinator_client.post(url).status_code == 302
    with scopes_disabled():
        assert not world.call.scoring_criteria.exists()


def test_criterion_deletion_refused_once_reviews_exist(coordinator_client, world):
    criterion = save_criterion(world)
    reviewed(world, criterion, 3)
    url = manage_url(world, "criterion_delete", criterion_id=criterion.pk)
    response = coordinator_client.post(url, follow=True)
    assert "ne peut plus être supprimé" in response.content.decode()
    with scopes_disabled():
        assert world.call.scoring_criteria.filter(pk=criterion.pk).exists()


# --- Coordinator pages: who sees them ------------------------------------------------


COORDINATOR_PAGES = [
    ("call_list", False),
    ("call_create", False),
    ("call_manage", True),
    ("call_edit", True),
    ("call_attachments", True),
    ("scoring_grid", True),
]


def coordinator_page_url(world, name, with_call):
    if not with_call:
        return reverse(f"candidatures:{name}", args=[world.organisation.slug, world.programme.pk])
    return manage_url(world, name)


@pytest.mark.parametrize(("name", "with_call"), COORDINATOR_PAGES)
def test_coordinator_pages_answer_the_coordinator(coordinator_client, world, name, with_call):
    assert coordinator_client.get(coordinator_page_url(world, name, with_call)).status_code == 200


@pytest.mark.parametrize("who", ["trainer", "observer", "member", "stranger"])
@pytest.mark.parametrize(("name", "with_call"), COORDINATOR_PAGES)
def test_coordinator_pages_are_404_for_everyone_else(client, world, who, name, with_call):
    with scopes_disabled():
        if who in ("trainer", "observer"):
            user = MembershipFactory(organisation=world.organisation, **{who: True}).user
        elif who == "member":
            user = world.member
        else:
            other = build_programme(teams=0).organisation
            user = MembershipFactory(organisation=other, coordinator=True).user
    client.force_login(user)
    assert client.get(coordinator_page_url(world, name, with_call)).status_code == 404


def test_coordinator_posts_are_404_for_a_trainer(client, world):
    with scopes_disabled():
        criterion = ScoringCriterionFactory(call=world.call)
        trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
    client.force_login(trainer)
    for url in (
        manage_url(world, "call_publish"),
        manage_url(world, "criterion_delete", criterion_id=criterion.pk),
        manage_url(world, "criterion_edit", criterion_id=criterion.pk),
    ):
        assert client.post(url).status_code == 404


def test_call_of_another_programme_is_404(coordinator_client, world):
    with scopes_disabled():
        other = build_programme(organisation=world.organisation, teams=0)
    url = reverse(
        "candidatures:call_manage",
        args=[world.organisation.slug, other.programme.pk, world.call.pk],
    )
    assert coordinator_client.get(url).status_code == 404


def test_criterion_of_another_call_is_404(coordinator_client, world):
    other = make_call(world)
    with scopes_disabled():
        criterion = ScoringCriterionFactory(call=other)
    url = manage_url(world, "criterion_edit", criterion_id=criterion.pk)
    assert coordinator_client.get(url).status_code == 404


# --- Coordinator overview and list ---------------------------------------------------


def test_programme_tab_for_coordinators_only(client, coordinator_client, world):
    timeline = reverse("parcours:timeline", args=[world.organisation.slug, world.programme.pk])
    list_url = reverse("candidatures:call_list", args=[world.organisation.slug, world.programme.pk])
    assert list_url in coordinator_client.get(timeline).content.decode()
    with scopes_disabled():
        trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
    client.force_login(trainer)
    assert list_url not in client.get(timeline).content.decode()


def test_manage_page_counts_applications_by_status(coordinator_client, world):
    with scopes_disabled():
        build_application(call=world.call)
        build_application(call=world.call, submitted=True)
        build_application(call=world.call, submitted=True)
        ScoringCriterionFactory(call=world.call, name="Portage politique", weight=3)
    response = coordinator_client.get(manage_url(world, "call_manage"))
    body = response.content.decode()
    assert "Déposée : <strong>2</strong>" in body
    assert "Brouillon : <strong>1</strong>" in body
    assert "3 candidatures en tout." in body
    assert manage_url(world, "application_list") in body
    assert "Portage politique" in body
    assert "Poids total : 3" in body


def test_call_list_counts_applications_in_constant_queries(coordinator_client, world):
    url = reverse("candidatures:call_list", args=[world.organisation.slug, world.programme.pk])

    def add_calls(count):
        with scopes_disabled():
            for _ in range(count):
                call = CallFactory(cohort=world.cohort, published=True)
                build_application(call=call)
                build_application(call=call, submitted=True)

    assert_constant_queries(coordinator_client, url, add_calls, sizes=(1, 5))
    body = coordinator_client.get(url).content.decode()
    assert "Déposée : 1" in body
    with scopes_disabled():
        assert Application.objects.filter(call__programme=world.programme).count() == 10
