"""The engagement: versions of the text, signatures that keep what was signed, the team
« engagée » when every required role signed, and the pages of the coordinator and of
the team members."""

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
from parcours.models import EngagementText, Signature, TeamMember
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    build_programme,
)
from tests.parcours.engagement.conftest import (
    AGENT,
    BODY,
    current_text,
    digest,
    paris,
    publish,
    sign,
    signatures,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

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
    from accounts.services import export_personal_data

    publish(world)
    member = world.elu
    signature = sign(world, member)
    with scopes_disabled():
        team_name = member.team.name
    section = export_personal_data(user=member.user)["parcours"]["signatures_d_engagement"]
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
