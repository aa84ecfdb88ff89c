"""The engagement: versions of the text, signatures that keep what was signed, the team
« engagée » when every required role signed, and the pages of the coordinator and of
the team members."""

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from notifications.models import OutboxMessage
from organisations.models import AuditEntry
from parcours import engagement_status as selectors
from parcours import services
from parcours.models import EngagementText, Session, Signature, TeamMember
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
BODY = (
    "En signant ce parcours, je m'engage à noter/bloquer dans mon agenda ces dates clés du projet."
)
AGENT = "Mozilla/5.0 (Linux; Android 14) Firefox/140.0 " + "x" * 400


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def world():
    """Seed 000: a published programme, two teams of a trinôme (élu·e and chargé·e de
    mission required, responsable de service not), its coordinator, three key sessions:
    the launch (16/10), the individual meeting n°1 (date by poll), training n°1."""
    with scopes_disabled():
        built = build_programme(start_date=date(2026, 6, 1), end_date=date(2028, 6, 30))
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.team = built.teams[0]
        built.elu, built.charge, built.responsable = built.team.members.select_related(
            "user", "role"
        ).order_by("pk")
        for member, (first, last) in zip(
            (built.elu, built.charge, built.responsable),
            [("Élise", "Dupont-Moreau"), ("Karim", "Benali"), ("Anne", "Leroy")],
            strict=True,
        ):
            member.user.first_name, member.user.last_name = first, last
            member.user.save()
        built.launch = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            title="Lancement",
            starts_at=paris(2026, 10, 16, 9, 30),
            ends_at=paris(2026, 10, 16, 12, 30),
        )
        built.meeting = SessionFactory(
            programme=built.programme,
            kind=built.individual_kind,
            title="Rencontre individuelle n°1",
            starts_at=paris(2026, 11, 5, 14),
            ends_at=paris(2026, 11, 5, 16),
            date_note="sondage date",
        )
        built.training = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            title="Formation n°1",
            starts_at=paris(2026, 12, 9),
            ends_at=paris(2026, 12, 12),
            all_day=True,
        )
    return built


def publish(world, body=BODY, sessions=None, requires_resignature=True):
    with scope(organisation=world.organisation.pk):
        return services.publish_engagement_text(
            programme=world.programme,
            acting_user=world.coordinator,
            body=body,
            key_sessions=[world.launch, world.meeting, world.training]
            if sessions is None
            else sessions,
            requires_resignature=requires_resignature,
        )


def current_text(world):
    with scope(organisation=world.organisation.pk):
        return selectors.current_engagement_text(world.programme)


def sign(world, member, *, user=None, name=None, consent=True, text=None, digest=None):
    with scope(organisation=world.organisation.pk):
        text = text or selectors.current_engagement_text(world.programme)
        return services.sign_engagement(
            member=member,
            acting_user=user or member.user,
            typed_name=member.user.get_full_name() if name is None else name,
            consent=consent,
            ip_address="203.0.113.7",
            user_agent=AGENT,
            text_id=text.pk,
            text_hash=text.digest(member.team_id) if digest is None else digest,
        )


def digest(text) -> str:
    with scopes_disabled():
        return text.digest()


def rendered(text) -> str:
    with scopes_disabled():
        return text.rendered()


def signatures():
    with scopes_disabled():
        return Signature.objects.count()


def status(world, team=None):
    with scope(organisation=world.organisation.pk):
        return selectors.engagement_status(team or world.team)


def error_messages(raised) -> dict:
    return raised.value.message_dict if hasattr(raised.value, "error_dict") else raised.value


# --- Versions ------------------------------------------------------------------------


def test_publishing_makes_numbered_versions_that_never_change(world):
    first = publish(world, requires_resignature=False)
    second = publish(world, body=BODY + " Version corrigée.", sessions=[world.launch])
    assert (first.version, second.version) == (1, 2)
    # The first version always asks for signatures; the choice is the coordinator's after.
    assert first.requires_resignature and second.requires_resignature
    with scopes_disabled():
        first.refresh_from_db()
        assert first.body == BODY
        assert sorted(s.pk for s in first.key_sessions.all()) == sorted(
            [world.launch.pk, world.meeting.pk, world.training.pk]
        )
        assert AuditEntry.objects.filter(action="parcours.engagement.published").count() == 2
    assert current_text(world).pk == second.pk


def test_bad_versions_are_refused_in_french(world):
    with pytest.raises(ValidationError) as raised:
        publish(world, body="   ")
    assert raised.value.message_dict == {"body": ["Écrivez le texte de l'engagement."]}
    with scopes_disabled():
        other = SessionFactory(kind__name="Autre")
    with pytest.raises(ValidationError) as raised:
        publish(world, sessions=[other])
    assert raised.value.message_dict == {
        "key_sessions": ["Choisissez des séances de ce programme."]
    }
    publish(world)
    with pytest.raises(ValidationError) as raised:
        publish(world)
    assert "identique à la version en vigueur" in raised.value.message_dict["body"][0]
    with scopes_disabled():
        assert EngagementText.objects.count() == 1


def test_the_rendered_text_lists_the_key_dates_from_the_calendar(world):
    text = publish(world)
    assert rendered(text) == (
        f"{BODY}\n\nDates clés :\n"
        "- Lancement : vendredi 16 octobre 2026, 9 h 30 – 12 h 30\n"
        "- Rencontre individuelle n°1 : jeudi 5 novembre 2026, 14 h – 16 h (sondage date)\n"
        "- Formation n°1 : du mercredi 9 décembre au vendredi 11 décembre 2026"
    )
    before = digest(text)
    # Dates are read from the calendar, never copied: a moved session changes the text.
    with scopes_disabled():
        Session.objects.filter(pk=world.launch.pk).update(
            starts_at=paris(2026, 10, 17, 9, 30), ends_at=paris(2026, 10, 17, 12, 30)
        )
    assert "samedi 17 octobre 2026" in rendered(current_text(world))
    assert digest(current_text(world)) != before


# --- Signing -------------------------------------------------------------------------


def test_a_signature_keeps_what_was_signed_by_whom_when_and_from_where(world):
    text = publish(world)
    signature = sign(world, world.elu, name="  élise   DUPONT moreau ")
    expected = hashlib.sha256(rendered(text).encode()).hexdigest()
    with scopes_disabled():
        signature.refresh_from_db()
        assert signature.text_id == text.pk
        assert signature.member_id == world.elu.pk
        assert signature.user_id == world.elu.user_id
        assert signature.typed_name == "élise DUPONT moreau"
        assert signature.consent is True
        assert signature.ip_address == "203.0.113.7"
        assert signature.user_agent == AGENT[:300]
        assert signature.text_hash == expected
        assert abs((signature.signed_at - timezone.now()).total_seconds()) < 60
        entry = AuditEntry.objects.get(action="parcours.engagement.signed")
    assert entry.actor == world.elu.user
    assert entry.data["version"] == 1
    assert entry.data["text_hash"] == expected


def test_the_name_may_be_written_last_name_first_without_accents(world):
    publish(world)
    sign(world, world.elu, name="Dupont Moreau Elise")
    assert signatures() == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"consent": False}, "consent", "Cochez la case pour confirmer votre engagement."),
        ({"name": ""}, "typed_name", "Écrivez votre prénom et votre nom."),
        ({"name": "Karim Benali"}, "typed_name", "Le nom saisi ne correspond pas"),
    ],
)
def test_a_signature_without_consent_or_with_another_name_is_refused(world, kwargs, field, message):
    publish(world)
    with pytest.raises(ValidationError) as raised:
        sign(world, world.elu, **kwargs)
    assert message in raised.value.message_dict[field][0]
    assert signatures() == 0
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action="parcours.engagement.signed").exists()


def test_someone_else_cannot_sign_for_a_member(world):
    publish(world)
    with pytest.raises(ValidationError) as raised:
        sign(world, world.elu, user=world.charge.user, name="Élise Dupont-Moreau")
    assert raised.value.messages == ["Seule la personne concernée peut signer son engagement."]
    assert signatures() == 0


def test_a_tampered_or_outdated_version_is_refused(world):
    first = publish(world)
    with pytest.raises(ValidationError) as raised:
        sign(world, world.elu, digest="0" * 64)
    assert "a changé depuis l'ouverture de la page" in raised.value.messages[0]
    publish(world, body=BODY + " Nouvelle version.")
    # The page of version 1, opened before version 2: its id and exact hash are refused.
    with pytest.raises(ValidationError):
        sign(world, world.elu, text=first, digest=digest(first))
    assert signatures() == 0


def test_a_key_session_moved_after_the_page_opened_refuses_the_old_hash(world):
    text = publish(world)
    shown = digest(text)
    with scopes_disabled():
        Session.objects.filter(pk=world.training.pk).update(
            starts_at=paris(2026, 12, 10), ends_at=paris(2026, 12, 12)
        )
    with pytest.raises(ValidationError):
        sign(world, world.elu, digest=shown)
    assert signatures() == 0


def test_a_version_is_signed_once_and_a_former_member_cannot_sign(world):
    publish(world)
    sign(world, world.elu)
    with pytest.raises(ValidationError) as raised:
        sign(world, world.elu)
    assert raised.value.messages == ["Vous avez déjà signé cette version de l'engagement."]
    with scopes_disabled():
        TeamMember.objects.filter(pk=world.charge.pk).update(left_at=timezone.now())
    with pytest.raises(ValidationError) as raised:
        sign(world, world.charge)
    assert raised.value.messages == ["Vous ne faites plus partie de cette équipe."]
    assert signatures() == 1


def test_nothing_to_sign_before_publication(world):
    with pytest.raises(ValidationError) as raised, scope(organisation=world.organisation.pk):
        services.sign_engagement(
            member=world.elu,
            acting_user=world.elu.user,
            typed_name="Élise Dupont-Moreau",
            consent=True,
            ip_address=None,
            user_agent="",
            text_id=None,
            text_hash="",
        )
    assert raised.value.messages == ["Aucun texte d'engagement n'est publié pour ce programme."]


# --- « Engagée » ---------------------------------------------------------------------


def test_the_team_is_engaged_when_every_required_role_signed(world):
    publish(world)
    assert not status(world).engaged
    sign(world, world.elu)
    assert not status(world).engaged
    assert [role.name for role in status(world).missing_roles] == ["Chargé·e de mission"]
    sign(world, world.charge)
    # The responsable de service is not required: the team is engaged without them.
    assert status(world).engaged
    assert not status(world, world.teams[1]).engaged


def test_a_new_version_asking_for_signatures_makes_the_team_not_engaged_again(world):
    publish(world)
    sign(world, world.elu)
    sign(world, world.charge)
    publish(world, body=BODY + " Précision.", requires_resignature=False)
    assert status(world).engaged
    publish(world, body=BODY + " Nouvelles dates.", requires_resignature=True)
    team = status(world)
    assert not team.engaged
    outdated = [row for row in team.members if row.outdated]
    assert {row.member.pk for row in outdated} == {world.elu.pk, world.charge.pk}
    sign(world, world.elu)
    sign(world, world.charge)
    assert status(world).engaged


def test_a_replaced_members_signature_no_longer_counts(world):
    publish(world)
    sign(world, world.elu)
    sign(world, world.charge)
    with scopes_disabled():
        TeamMember.objects.filter(pk=world.elu.pk).update(left_at=timezone.now())
        newcomer = TeamMemberFactory(team=world.team, role=world.roles[0])
    team = status(world)
    assert not team.engaged
    elu_row = next(role for role in team.roles if role.role == world.roles[0])
    assert [row.member.pk for row in elu_row.members] == [newcomer.pk]
    sign(world, newcomer)
    assert status(world).engaged


# --- Member page ---------------------------------------------------------------------


def sign_url(world, team=None):
    return reverse(
        "parcours:engagement_sign",
        args=[world.organisation.slug, world.programme.pk, (team or world.team).pk],
    )


def test_a_member_reads_the_text_and_the_key_dates_then_signs(client, world):
    text = publish(world)
    client.force_login(world.elu.user)
    response = client.get(sign_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "je m&#x27;engage à noter/bloquer dans mon agenda" in html
    assert "Lancement : vendredi 16 octobre 2026, 9 h 30 – 12 h 30" in html
    assert "(sondage date)" in html
    assert f'value="{digest(text)}"' in html
    response = client.post(
        sign_url(world),
        {
            "text_id": text.pk,
            "text_hash": digest(text),
            "consent": "on",
            "typed_name": "Elise Dupont-Moreau",
        },
        HTTP_USER_AGENT="Navigateur de test",
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 302
    with scopes_disabled():
        signature = Signature.objects.get()
    assert (signature.ip_address, signature.user_agent) == ("198.51.100.4", "Navigateur de test")
    html = client.get(sign_url(world)).content.decode()
    assert "Vous avez signé cet engagement" in html
    assert digest(text)[:12] in html
    assert "Je signe" not in html
    assert "Télécharger mon engagement signé (PDF)" in html


def test_a_refused_signature_shows_the_error_next_to_the_field(client, world):
    text = publish(world)
    client.force_login(world.elu.user)
    response = client.post(
        sign_url(world),
        {"text_id": text.pk, "text_hash": digest(text), "typed_name": "Quelqu'un d'autre"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cochez la case pour confirmer votre engagement." in html
    assert "Le nom saisi ne correspond pas à votre nom" in html
    assert 'aria-describedby="id_typed_name' in html or "id_typed_name_error" in html
    assert signatures() == 0


def test_a_tampered_form_is_refused_and_shows_the_version_in_force(client, world):
    text = publish(world)
    client.force_login(world.elu.user)
    response = client.post(
        sign_url(world),
        {
            "text_id": text.pk,
            "text_hash": "f" * 64,
            "consent": "on",
            "typed_name": "Élise Dupont-Moreau",
        },
    )
    assert response.status_code == 200
    assert "a changé depuis l&#x27;ouverture de la page" in response.content.decode()
    assert signatures() == 0


def test_only_the_member_reaches_their_engagement_page(client, world):
    publish(world)
    with scopes_disabled():
        outsider = TeamMemberFactory(team=world.teams[1]).user
        former = world.responsable
        TeamMember.objects.filter(pk=former.pk).update(left_at=timezone.now())
    for user in (outsider, world.coordinator, former.user):
        client.force_login(user)
        assert client.get(sign_url(world)).status_code == 404
        assert client.post(sign_url(world), {"consent": "on"}).status_code == 404
    assert signatures() == 0


def test_the_home_page_links_the_engagement_until_it_is_signed(client, world):
    home = reverse("organisations:home", args=[world.organisation.slug])
    client.force_login(world.elu.user)
    assert "Engagement à signer" not in client.get(home).content.decode()
    publish(world)
    html = client.get(home).content.decode()
    assert "Engagement à signer" in html
    assert sign_url(world) in html
    sign(world, world.elu)
    assert "Engagement à signer" not in client.get(home).content.decode()


# --- Coordinator pages ---------------------------------------------------------------


def coordinator_urls(world):
    args = [world.organisation.slug, world.programme.pk]
    return [
        reverse("parcours:engagement_edit", args=args),
        reverse("parcours:engagement_dashboard", args=args),
        reverse("parcours:engagement_remind", args=args),
    ]


def test_members_and_trainers_do_not_reach_the_coordinator_pages(client, world):
    with scopes_disabled():
        trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
    for user in (world.elu.user, trainer):
        client.force_login(user)
        for address in coordinator_urls(world):
            assert client.get(address).status_code == 404
            assert client.post(address, {"body": "x"}).status_code == 404
    with scopes_disabled():
        assert not EngagementText.objects.exists()


def test_the_coordinator_publishes_then_chooses_about_resignature(client, world):
    edit, dashboard, _remind = coordinator_urls(world)
    client.force_login(world.coordinator)
    response = client.get(edit)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Lancement — vendredi 16 octobre 2026" in html
    assert "signer à nouveau" not in html  # no choice before any signature
    response = client.post(edit, {"body": BODY, "key_sessions": [world.launch.pk]})
    assert response.status_code == 302
    assert current_text(world).version == 1
    sign(world, world.elu)
    html = client.get(edit).content.decode()
    assert "doivent-elles signer à nouveau" in html
    response = client.post(
        edit,
        {
            "body": BODY + " Coquille.",
            "key_sessions": [world.launch.pk],
            "requires_resignature": "no",
        },
    )
    assert response.status_code == 302
    text = current_text(world)
    assert (text.version, text.requires_resignature) == (2, False)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Version 2 publiée : les signatures déjà recueillies restent valables."]
    response = client.post(edit, {"body": "", "requires_resignature": "yes"})
    assert response.status_code == 200
    assert "Écrivez le texte de l&#x27;engagement." in response.content.decode()
    html = client.get(dashboard).content.decode()
    assert "Engagement" in html


def test_the_dashboard_shows_who_signed_and_who_is_missing(client, world):
    publish(world)
    sign(world, world.elu)
    client.force_login(world.coordinator)
    response = client.get(coordinator_urls(world)[1])
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>Signatures par équipe et par rôle</caption>" in html
    assert "✓ signé le" in html
    assert "(version 1)" in html
    assert "signature manquante" in html
    assert "Pas encore engagée" in html
    assert "0 équipe engagée sur 2" in html or "0 équipes engagées sur 2" in html
    sign(world, world.charge)
    html = client.get(coordinator_urls(world)[1]).content.decode()
    assert "1 équipe engagée sur 2" in html


def test_the_dashboard_runs_a_constant_number_of_queries(client, world):
    """5 teams then 40 (past the 25 of a page): the counters and the order come from
    the database, the rows are built for one page only."""
    publish(world)
    client.force_login(world.coordinator)

    def add_teams(count):
        with scopes_disabled():
            text = EngagementText.objects.get(programme=world.programme)
            for _ in range(count):
                team = TeamFactory(cohort=world.cohort)
                members = [TeamMemberFactory(team=team, role=role) for role in world.roles]
                TeamMemberFactory(team=team, role=None)
                TeamMemberFactory(team=team, role=world.roles[0], former=True)
                for member in members[:2]:
                    signed_by(member, text)

    assert_constant_queries(client, coordinator_urls(world)[1], add_teams, sizes=(5, 40))


def test_the_reminder_goes_to_the_missing_people_at_most_once_an_hour(client, world):
    publish(world)
    sign(world, world.elu)
    _edit, _dashboard, remind = coordinator_urls(world)
    client.force_login(world.coordinator)
    response = client.post(remind)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Relance envoyée à 5 personnes."
    ]
    with scopes_disabled():
        reminded = set(
            OutboxMessage.objects.filter(kind="engagement.reminder").values_list(
                "recipient_id", flat=True
            )
        )
        assert world.elu.user_id not in reminded
        assert world.charge.user_id in reminded
        assert len(reminded) == 5
        message = OutboxMessage.objects.filter(recipient=world.charge.user).get()
        assert sign_url(world) in message.body_text
        assert AuditEntry.objects.filter(action="parcours.engagement.reminded").exists()
    response = client.post(remind)
    assert [str(m) for m in get_messages(response.wsgi_request)][-1:] == [
        "Une relance est déjà partie il y a moins d'une heure : laissez aux personnes le "
        "temps de signer."
    ]
    with scopes_disabled():
        assert OutboxMessage.objects.filter(kind="engagement.reminder").count() == 5


def test_nobody_to_remind_once_everyone_signed(world):
    publish(world)
    with scopes_disabled():
        for team in world.teams:
            for member in team.members.select_related("user"):
                member.user.first_name, member.user.last_name = "Jo", f"Membre{member.pk}"
                member.user.save()
        members = list(TeamMember.objects.filter(team__in=world.teams).select_related("user"))
    for member in members:
        sign(world, member)
    with pytest.raises(ValidationError) as raised, scope(organisation=world.organisation.pk):
        services.remind_missing_signatories(
            programme=world.programme, acting_user=world.coordinator
        )
    assert raised.value.messages == ["Tout le monde a signé : personne à relancer."]


def test_a_person_without_a_name_on_their_account_is_told_to_complete_it(world):
    publish(world)
    with scopes_disabled():
        nameless = TeamMemberFactory(
            team=world.team, role=world.roles[2], user=UserFactory(first_name="", last_name="")
        )
    with pytest.raises(ValidationError) as raised:
        sign(world, nameless, name="Personne")
    assert "complétez votre profil" in raised.value.message_dict["typed_name"][0]


def test_download_my_data_lists_what_a_person_signed(world):
    from accounts.extensions import personal_data

    publish(world)
    member = world.elu
    signature = sign(world, member)
    with scopes_disabled():
        team_name = member.team.name
    section = dict(personal_data.collect(user=member.user))["parcours"]["signatures_d_engagement"]
    assert section == [
        {
            "organisation": world.organisation.name,
            "programme": world.programme.name,
            "équipe": team_name,
            "version": 1,
            "nom_saisi": member.user.get_full_name(),
            "le": signature.signed_at.isoformat(),
            "adresse_ip": "203.0.113.7",
            "navigateur": AGENT[:300],
            "empreinte_du_texte": signature.text_hash,
        }
    ]


def test_the_dashboard_shows_teams_to_engage_first_25_per_page_with_totals(client, world):
    publish(world)
    for member in (world.elu, world.charge):
        sign(world, member)
    with scopes_disabled():
        for number in range(27):
            TeamFactory(cohort=world.team.cohort, name=f"Équipe {number:02d}")
    client.force_login(world.coordinator)
    address = reverse(
        "parcours:engagement_dashboard", args=[world.organisation.slug, world.programme.pk]
    )
    first = client.get(address).content.decode()
    assert "1 équipe engagée sur 29" in first
    assert "Page 1 sur 2" in first
    assert world.team.name not in first  # engaged: after the 28 teams still to engage
    last = client.get(address, {"page": 2}).content.decode()
    assert world.team.name in last


def test_a_member_reads_and_signs_only_the_key_dates_of_their_own_team(client, world):
    with scopes_disabled():
        other = world.teams[1]
        theirs = SessionFactory(
            programme=world.programme,
            kind=world.individual_kind,
            title="Rencontre individuelle — équipe voisine",
            audience="team",
            teams=[other],
            starts_at=paris(2026, 11, 12, 14),
            ends_at=paris(2026, 11, 12, 17),
        )
    publish(world, sessions=[world.launch, world.meeting, world.training, theirs])
    text = current_text(world)
    assert "équipe voisine" not in rendered_for(text, world.team)
    assert "équipe voisine" in rendered_for(text, other)
    client.force_login(world.elu.user)
    page = client.get(
        reverse(
            "parcours:engagement_sign",
            args=[world.organisation.slug, world.programme.pk, world.team.pk],
        )
    ).content.decode()
    assert "Lancement" in page and "équipe voisine" not in page
    # The fingerprint checked at signing is the one of the text this member read.
    signature = sign(world, world.elu)
    with scopes_disabled():
        assert signature.text_hash == text.digest(world.team.pk) != text.digest(other.pk)


def rendered_for(text, team) -> str:
    with scopes_disabled():
        return text.rendered(team.pk)


# --- Counters over every team, rows for one page --------------------------------------


def signed_by(member, text):
    """A signature of ``text`` straight in the table (any version, even one no longer
    in force: the service signs only the version in force)."""
    with scopes_disabled():
        return Signature.objects.create(
            organisation=member.organisation,
            text=text,
            member=member,
            user=member.user,
            typed_name=member.user.get_full_name(),
            consent=True,
            text_hash=digest(text),
        )


def test_the_totals_count_every_team_not_only_the_page_shown(client, world):
    """30 teams, two pages: the counters above the table (teams « engagées », people to
    remind, the « Sans rôle » column) and the order cover every team, with versions 2
    and 3 accepted (3 kept the signatures, 2 asked for new ones), replaced members
    ignored and inactive accounts not reminded."""
    client.force_login(world.coordinator)
    address = coordinator_urls(world)[1]
    assert "Aucun texte" in client.get(address).content.decode()
    v1 = publish(world)
    v2 = publish(world, body=BODY + " Version 2.")
    v3 = publish(world, body=BODY + " Version 3.", requires_resignature=False)
    elu, charge, responsable = world.roles
    with scopes_disabled():
        fillers = [
            TeamFactory(cohort=world.cohort, name=f"Groupe {number:02d}") for number in range(25)
        ]
        # Engaged on v3: its responsable (not required) is missing.
        signed_by(world.elu, v3)
        signed_by(world.charge, v3)
        # The élu·e of the first team, also in a filler team where they have not signed.
        TeamMemberFactory(team=fillers[0], user=world.elu.user, role=responsable)
        # Not engaged: the chargé·e signed v1 only (outdated); an inactive account.
        other = world.teams[1]
        other_elu, other_charge, other_responsable = other.members.order_by("pk")
        signed_by(other_elu, v2)
        signed_by(other_charge, v1)
        other_responsable.user.is_active = False
        other_responsable.user.save()
        # Not engaged: the chargé·e who left never signed, their successor has not yet.
        aval = TeamFactory(cohort=world.cohort, name="Groupe Aval")
        signed_by(TeamMemberFactory(team=aval, role=elu), v2)
        TeamMemberFactory(team=aval, role=charge, former=True)
        TeamMemberFactory(team=aval, role=charge)
        # Not engaged: only a former élu·e signed for the role.
        bocage = TeamFactory(cohort=world.cohort, name="Groupe Bocage")
        signed_by(TeamMemberFactory(team=bocage, role=elu, former=True), v3)
        signed_by(TeamMemberFactory(team=bocage, role=charge), v3)
        signed_by(TeamMemberFactory(team=bocage, role=responsable), v3)
        # Engaged on v2, with a member without a role who has not signed.
        cote = TeamFactory(cohort=world.cohort, name="Groupe Côte")
        signed_by(TeamMemberFactory(team=cote, role=elu), v2)
        signed_by(TeamMemberFactory(team=cote, role=charge), v2)
        nobody = TeamMemberFactory(team=cote, role=None)
        aval_successor = TeamMember.objects.get(team=aval, role=charge, left_at__isnull=True)
    first = client.get(address).content.decode()
    assert "2 équipes engagées sur 30" in first
    assert "5 personnes n’ont pas encore signé" in first
    assert "Sans rôle" in first  # the member without a role is on page 2
    assert "Page 1 sur 2" in first
    assert [f"Groupe {number:02d}" in first for number in range(25)] == [True] * 25
    last = client.get(address, {"page": 2}).content.decode()
    names = ["Groupe Aval", "Groupe Bocage", other.name, "Groupe Côte", world.team.name]
    assert all(name not in first for name in names)
    assert sorted(names, key=last.index) == names  # the teams to engage first
    with scope(organisation=world.organisation.pk):
        dashboard = selectors.engagement_dashboard(world.programme)
        missing = {user.pk for user in dashboard.missing_users()}
        # The SQL counters agree with the rows built in Python for every team.
        every = dashboard.teams
        assert dashboard.engaged_count == sum(row.engaged for row in every) == 2
        assert [team.pk for team in dashboard.ordered_teams] == [
            row.team.pk for row in sorted(every, key=lambda row: row.engaged)
        ]
        assert missing == {
            row.member.user_id
            for team in every
            for row in team.members
            if not row.signed and row.member.user.is_active
        }
    assert missing == {
        world.responsable.user_id,
        world.elu.user_id,
        other_charge.user_id,
        aval_successor.user_id,
        nobody.user_id,
    }


def test_the_dashboard_of_a_programme_without_teams_yet(client):
    with scopes_disabled():
        built = build_programme(teams=0)
        coordinator = MembershipFactory(organisation=built.organisation, coordinator=True).user
    with scope(organisation=built.organisation.pk):
        services.publish_engagement_text(
            programme=built.programme, acting_user=coordinator, body=BODY, key_sessions=[]
        )
    client.force_login(coordinator)
    address = reverse(
        "parcours:engagement_dashboard", args=[built.organisation.slug, built.programme.pk]
    )
    html = client.get(address, {"page": 3}).content.decode()
    assert "0 équipes engagées sur 0" in html
    assert "Aucune équipe dans ce programme pour l’instant." in html
    assert "Tous les membres actuels des équipes ont signé." in html
