"""The PDFs a person keeps: the receipt of a submitted application (its applicants only,
never for a draft) and a signed engagement (the signer; a coordinator for any member),
read back as text."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from candidatures import receipts
from candidatures.extensions import application_parts
from candidatures.parts import ApplicationPart
from organisations.home_sections import HomeSection
from parcours import receipts as parcours_receipts
from parcours import services
from parcours.models import Session, Signature, TeamMember
from sillon import pdf
from tests.factories import (
    ApplicationMemberFactory,
    CallFactory,
    MembershipFactory,
    SessionFactory,
    TeamMemberFactory,
    UserFactory,
    build_application,
    build_programme,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SUBMITTED_AT = datetime(2026, 6, 18, 16, 45, tzinfo=PARIS)
BODY = "En signant ce parcours, je m’engage à noter/bloquer dans mon agenda ces dates clés."
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def pdf_text(content: bytes) -> str:
    """The PDF's text with its spaces and line breaks collapsed."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.fixture
def answers_part(tmp_path, settings, contribute):
    """A part of the application contributed by a higher app (as evaluation does): it
    prints the motivation answers on the receipt."""
    (tmp_path / "receipt_answers.html").write_text(
        "<h2>Motivation</h2><p>{{ answer }}</p>", encoding="utf-8"
    )
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0] = {**templates[0], "DIRS": [*templates[0]["DIRS"], str(tmp_path)]}
    settings.TEMPLATES = templates
    state = {"answer": "Nous voulons relier nos cantines aux fermes du territoire."}

    def receipt(application):
        return HomeSection("receipt_answers.html", {"answer": state["answer"]})

    part = ApplicationPart(
        key="test_answers",
        applicant=lambda request, application, editable: None,
        review=lambda request, application: None,
        missing=lambda application: [],
        receipt=receipt,
    )
    contribute(application_parts, lambda sender, **kwargs: part)
    return state


@pytest.fixture
def world():
    """A published call of a programme with the trinôme roles; a complete application
    submitted on 18 June 2026 at 16 h 45 (Paris) by Léa Martin, with a chargé·e de
    mission who joined and a responsable de service invited but not joined yet."""
    with scopes_disabled():
        built = build_programme(teams=2)
        built.call = CallFactory(
            cohort=built.cohort, published=True, title="AMI Gouvernance des PAT 2026"
        )
        lead = UserFactory(first_name="Léa", last_name="Martin", email="lea.martin@cc.example")
        built.application = build_application(
            call=built.call,
            lead=lead,
            complete=False,
            status="submitted",
            submitted_at=SUBMITTED_AT,
            territory__name="Communauté de communes du Val de Sambre",
            structure="CC du Val de Sambre",
            project_name="PAT du Val de Sambre",
            project_stage="construction",
        )
        built.lead = lead
        built.joined = UserFactory(first_name="Karim", last_name="Benali")
        ApplicationMemberFactory(
            application=built.application,
            first_name="Karim",
            last_name="Benali",
            email=built.joined.email,
            function="Chargé de mission alimentation",
            role=built.roles[1],
            user=built.joined,
            joined_at=timezone.now(),
        )
        ApplicationMemberFactory(
            application=built.application,
            first_name="Anne",
            last_name="Leroy",
            email="anne.leroy@cc.example",
            function="Responsable du service restauration",
            role=built.roles[2],
        )
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
    return built


def receipt_url(world, application=None):
    application = application or world.application
    return reverse(
        "candidatures:application_receipt",
        kwargs={
            "organisation_slug": world.organisation.slug,
            "call_slug": world.call.slug,
            "application_id": application.pk,
        },
    )


def receipt_pdf(world) -> bytes:
    with scope(organisation=world.organisation.pk):
        return receipts.application_receipt_pdf(world.application)


def fingerprint(world) -> str:
    with scope(organisation=world.organisation.pk):
        return receipts.receipt_context(world.application)["fingerprint"]


# --- The receipt ---------------------------------------------------------------------


def test_the_receipt_lists_the_team_the_answers_and_when_it_was_submitted(world, answers_part):
    text = pdf_text(receipt_pdf(world))
    assert "Récépissé de dépôt" in text
    assert world.organisation.name in text
    assert "AMI Gouvernance des PAT 2026" in text
    assert "Communauté de communes du Val de Sambre" in text
    assert "CC du Val de Sambre" in text
    assert "PAT du Val de Sambre" in text
    assert "Construction" in text  # the project's stage, by its label
    for expected in (
        "Léa Martin",
        "lea.martin@cc.example",
        "Élu·e référent·e",
        "Karim Benali",
        "Chargé de mission alimentation",
        "Chargé·e de mission",
        "Anne Leroy",
        "anne.leroy@cc.example",
        "Responsable du service restauration",
        "Responsable de service",
    ):
        assert expected in text
    assert "Nous voulons relier nos cantines aux fermes du territoire." in text
    # Submitted at 14 h 45 UTC: written on the organisation's clock, the French way.
    assert "jeudi 18 juin 2026 à 16 h 45" in text
    assert fingerprint(world) in text.replace(" ", "")


def test_the_fingerprint_follows_what_was_submitted(world, answers_part):
    first = fingerprint(world)
    assert len(first) == 64
    assert fingerprint(world) == first  # the same submission, the same fingerprint
    answers_part["answer"] = "Une autre réponse."
    changed_answer = fingerprint(world)
    assert changed_answer != first
    with scopes_disabled():
        world.application.members.filter(first_name="Anne").update(email="a.leroy@cc.example")
    assert fingerprint(world) not in (first, changed_answer)


def test_html_in_what_applicants_typed_is_printed_as_text_and_nothing_is_fetched(
    world, monkeypatch
):
    fetched = []
    real_own_file = pdf._own_file

    def spy(url):
        fetched.append(url)
        return real_own_file(url)

    monkeypatch.setattr(pdf, "_own_file", spy)
    with scopes_disabled():
        world.application.members.filter(first_name="Anne").update(
            first_name="<script>alert(1)</script>",
            function='<img src="http://evil.example/pixel.png"><img src="file:///etc/passwd">',
        )
    text = pdf_text(receipt_pdf(world)).replace(" ", "")  # a narrow column may wrap them
    assert "<script>alert(1)</script>Leroy" in text
    assert '<imgsrc="http://evil.example/pixel.png">' in text
    # Only our own style sheet was asked for: the typed tags are text, not images.
    assert fetched == ["https://sillon.invalid/static/css/print.css"]


def test_applicants_download_the_receipt_of_a_submitted_application(client, world):
    for user in (world.lead, world.joined):
        client.force_login(user)
        response = client.get(receipt_url(world))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="recepisse-candidature-'
            'communaute-de-communes-du-val-de-sambre.pdf"'
        )
        assert "Karim Benali" in pdf_text(response.content)


def test_a_draft_has_no_receipt(client, world):
    with scopes_disabled():
        draft = build_application(call=world.call, lead=world.lead, complete=False)
    client.force_login(world.lead)
    assert client.get(receipt_url(world, draft)).status_code == 404
    # Sent back to draft by a coordinator: no receipt until submitted again.
    with scopes_disabled():
        type(world.application).objects.filter(pk=world.application.pk).update(status="draft")
    assert client.get(receipt_url(world)).status_code == 404


def test_nobody_else_gets_the_receipt(client, world):
    assert client.get(receipt_url(world)).status_code == 404  # anonymous
    with scopes_disabled():
        invited_not_joined = UserFactory(email="anne.leroy@cc.example")
        other_applicant = build_application(call=world.call).created_by
    for user in (UserFactory(), other_applicant, invited_not_joined, world.coordinator):
        client.force_login(user)
        assert client.get(receipt_url(world)).status_code == 404
    # Another organisation's address for the same ids.
    with scopes_disabled():
        other = MembershipFactory(coordinator=True).organisation
    client.force_login(world.lead)
    url = receipt_url(world).replace(f"/{world.organisation.slug}/", f"/{other.slug}/", 1)
    assert client.get(url).status_code == 404


# --- The signed engagement -------------------------------------------------------------


@pytest.fixture
def engaged(world):
    """The engagement published with two key dates; the élue of the first team signed."""
    with scopes_disabled():
        world.team = world.teams[0]
        world.elu, world.charge, world.responsable = world.team.members.select_related(
            "user", "role"
        ).order_by("pk")
        world.elu.user.first_name, world.elu.user.last_name = "Élise", "Dupont-Moreau"
        world.elu.user.save()
        world.launch = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title="Lancement",
            starts_at=datetime(2026, 10, 16, 9, 30, tzinfo=PARIS),
            ends_at=datetime(2026, 10, 16, 12, 30, tzinfo=PARIS),
        )
        world.training = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title="Formation n°1",
            starts_at=datetime(2026, 12, 9, tzinfo=PARIS),
            ends_at=datetime(2026, 12, 12, tzinfo=PARIS),
            all_day=True,
        )
    with scope(organisation=world.organisation.pk):
        world.text = services.publish_engagement_text(
            programme=world.programme,
            acting_user=world.coordinator,
            body=BODY,
            key_sessions=[world.launch, world.training],
        )
        world.signature = services.sign_engagement(
            member=world.elu,
            acting_user=world.elu.user,
            typed_name="Élise Dupont-Moreau",
            consent=True,
            ip_address="203.0.113.7",
            user_agent=AGENT,
            text_id=world.text.pk,
            text_hash=world.text.digest(world.team.pk),
        )
    return world


def engagement_url(world, team=None, member=None):
    url = reverse(
        "parcours:engagement_pdf",
        args=[world.organisation.slug, world.programme.pk, (team or world.team).pk],
    )
    return f"{url}?membre={member.pk}" if member is not None else url


def test_the_engagement_pdf_holds_the_text_signed_and_the_proof(engaged):
    with scope(organisation=engaged.organisation.pk):
        content = parcours_receipts.engagement_pdf(engaged.signature)
        rendered = engaged.text.rendered(engaged.team.pk)
    text = pdf_text(content)
    assert "Engagement signé" in text
    assert " ".join(rendered.split()) in text  # the exact text, key dates included
    assert "Lancement : vendredi 16 octobre 2026, 9 h 30 – 12 h 30" in text
    assert "Élise Dupont-Moreau" in text
    assert "203.0.113.7" in text
    assert AGENT in text
    assert engaged.signature.signed_at.astimezone(PARIS).strftime("%Y") in text
    assert engaged.signature.text_hash in text.replace(" ", "")
    assert "a aujourd’hui la même empreinte que le texte signé" in text


def test_the_engagement_pdf_says_when_the_text_no_longer_matches(engaged):
    with scope(organisation=engaged.organisation.pk):
        Session.objects.filter(pk=engaged.launch.pk).update(
            starts_at=datetime(2026, 10, 23, 9, 30, tzinfo=PARIS),
            ends_at=datetime(2026, 10, 23, 12, 30, tzinfo=PARIS),
        )
        text = pdf_text(parcours_receipts.engagement_pdf(engaged.signature))
        today = engaged.text.digest(engaged.team.pk)
    assert "n’a plus la même empreinte que le texte signé" in text
    assert engaged.signature.text_hash in text.replace(" ", "")
    assert today in text.replace(" ", "")
    assert "vendredi 23 octobre 2026" in text


def test_the_signer_downloads_their_signed_engagement(client, engaged):
    client.force_login(engaged.elu.user)
    sign_page = reverse(
        "parcours:engagement_sign",
        args=[engaged.organisation.slug, engaged.programme.pk, engaged.team.pk],
    )
    assert "Télécharger mon engagement signé (PDF)" in client.get(sign_page).content.decode()
    response = client.get(engagement_url(engaged))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content)
    assert "Élise Dupont-Moreau" in text
    assert engaged.signature.text_hash in text.replace(" ", "")


def test_no_pdf_before_signing_nor_for_anyone_else(client, engaged):
    # Not signed yet: no link on the page, 404 on the PDF.
    client.force_login(engaged.charge.user)
    sign_page = reverse(
        "parcours:engagement_sign",
        args=[engaged.organisation.slug, engaged.programme.pk, engaged.team.pk],
    )
    assert "Télécharger mon engagement signé" not in client.get(sign_page).content.decode()
    assert client.get(engagement_url(engaged)).status_code == 404
    # A member may not ask for someone else's, even of their own team.
    assert client.get(engagement_url(engaged, member=engaged.elu)).status_code == 404
    with scopes_disabled():
        other_team_member = TeamMemberFactory(team=engaged.teams[1]).user
        TeamMember.objects.filter(pk=engaged.elu.pk).update(left_at=timezone.now())
    for user in (other_team_member, UserFactory(), engaged.elu.user):
        client.force_login(user)
        assert client.get(engagement_url(engaged)).status_code == 404
    # The signer, of another team's address.
    client.force_login(engaged.charge.user)
    assert client.get(engagement_url(engaged, team=engaged.teams[1])).status_code == 404


def test_a_coordinator_gets_any_members_signed_engagement_of_the_team(client, engaged):
    client.force_login(engaged.coordinator)
    response = client.get(engagement_url(engaged, member=engaged.elu))
    assert response.status_code == 200
    assert "Élise Dupont-Moreau" in pdf_text(response.content)
    # Without a member, or a member who has not signed, or of another team: 404.
    assert client.get(engagement_url(engaged)).status_code == 404
    assert client.get(engagement_url(engaged, member=engaged.charge)).status_code == 404
    assert (
        client.get(engagement_url(engaged, team=engaged.teams[1], member=engaged.elu)).status_code
        == 404
    )
    assert client.get(engagement_url(engaged) + "?membre=abc").status_code == 404
    # A trainer is no coordinator.
    with scopes_disabled():
        trainer = MembershipFactory(organisation=engaged.organisation, trainer=True).user
    client.force_login(trainer)
    assert client.get(engagement_url(engaged, member=engaged.elu)).status_code == 404


def test_a_former_members_signature_stays_available_to_the_coordinator(client, engaged):
    with scopes_disabled():
        TeamMember.objects.filter(pk=engaged.elu.pk).update(left_at=timezone.now())
        assert Signature.objects.filter(member=engaged.elu).exists()
    client.force_login(engaged.coordinator)
    assert client.get(engagement_url(engaged, member=engaged.elu)).status_code == 200


def test_formatting_uses_the_organisations_clock():
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=ZoneInfo("UTC"))  # the DST night
    assert (
        parcours_receipts.format_moment(moment, "Europe/Paris") == "dimanche 29 mars 2026 à 1 h 30"
    )
    assert parcours_receipts.format_moment(None, "Europe/Paris") == ""
