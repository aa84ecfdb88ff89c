"""A team's page and the replacement of a member: the history of who held which role
when is kept, the former member's signature stops counting, and each person sees what
their role allows (e-mail addresses for staff only, 404 for everyone else)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from organisations.models import AuditEntry
from parcours import engagement_status as selectors
from parcours import services
from parcours.models import TeamMember
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
    TeamRoleFactory,
    UserFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

BODY = "En signant ce parcours, je m'engage à noter ces dates clés du projet."


@pytest.fixture
def world():
    """A published programme, two trinômes (élu·e and chargé·e de mission required), its
    coordinator, trainer and observer, and a coordinator of another organisation."""
    with scopes_disabled():
        built = build_programme(start_date=date(2026, 6, 1), end_date=date(2028, 6, 30))
        org = built.organisation
        built.coordinator = MembershipFactory(organisation=org, coordinator=True).user
        built.trainer = MembershipFactory(organisation=org, trainer=True).user
        built.observer = MembershipFactory(organisation=org, observer=True).user
        built.stranger = MembershipFactory(coordinator=True).user
        built.team = built.teams[0]
        built.elu, built.charge, built.responsable = built.team.members.select_related(
            "user", "role"
        ).order_by("pk")
        built.elu.user.first_name, built.elu.user.last_name = "Élise", "Dupont"
        built.elu.user.save()
        built.other_member = built.teams[1].members.select_related("user").first()
        built.newcomer = UserFactory(first_name="Nadia", last_name="Martin")
        built.launch = SessionFactory(
            programme=built.programme, kind=built.kind, title="Lancement du parcours"
        )
    return built


def publish(world):
    with scope(organisation=world.organisation.pk):
        return services.publish_engagement_text(
            programme=world.programme,
            acting_user=world.coordinator,
            body=BODY,
            key_sessions=[world.launch],
            requires_resignature=True,
        )


def sign(world, member):
    with scope(organisation=world.organisation.pk):
        text = selectors.current_engagement_text(world.programme)
        return services.sign_engagement(
            member=member,
            acting_user=member.user,
            typed_name=member.user.get_full_name(),
            consent=True,
            ip_address="203.0.113.7",
            user_agent="Firefox",
            text_id=text.pk,
            text_hash=text.digest(),
        )


def engaged(world) -> bool:
    with scope(organisation=world.organisation.pk):
        return selectors.engagement_status(world.team).engaged


def replace(world, member, user, **kwargs):
    with scope(organisation=world.organisation.pk):
        return services.replace_team_member(
            member=member, acting_user=world.coordinator, user=user, **kwargs
        )


def members_and_entries() -> tuple[list, int]:
    with scopes_disabled():
        rows = list(TeamMember.objects.values_list("pk", "user_id", "role_id", "left_at"))
        return rows, AuditEntry.objects.count()


def page_url(world, team=None) -> str:
    return reverse(
        "parcours:team_detail",
        args=[world.organisation.slug, world.programme.pk, (team or world.team).pk],
    )


def action_url(world, name: str) -> str:
    return reverse(
        f"parcours:{name}", args=[world.organisation.slug, world.programme.pk, world.team.pk]
    )


# --- Services ------------------------------------------------------------------------


def test_replacing_a_member_keeps_the_history_and_their_signature_stops_counting(world):
    publish(world)
    sign(world, world.elu)
    sign(world, world.charge)
    assert engaged(world)

    successor = replace(world, world.elu, world.newcomer)

    with scopes_disabled():
        world.elu.refresh_from_db()
        assert world.elu.left_at is not None
        assert successor.role == world.roles[0] and successor.left_at is None
        assert successor.user == world.newcomer
        # Both rows stay: who held the role, and when.
        assert list(
            TeamMember.objects.filter(team=world.team, role=world.roles[0])
            .order_by("pk")
            .values_list("user_id", flat=True)
        ) == [world.elu.user_id, world.newcomer.pk]
        entry = AuditEntry.objects.get(action="parcours.team_member.replaced")
        assert entry.data["former"] == world.elu.user.email
        assert entry.data["member"] == world.newcomer.email
    # The élu·e's signature was theirs: the role waits for the newcomer's.
    assert not engaged(world)
    sign(world, successor)
    assert engaged(world)


def test_a_replacement_may_take_another_role_from_a_given_day(world):
    left = timezone.now() - timedelta(days=3)
    with scopes_disabled():
        TeamMember.objects.filter(pk=world.responsable.pk).update(
            joined_at=left - timedelta(days=30)
        )
        world.responsable.refresh_from_db()
        economy = TeamRoleFactory(
            programme=world.programme, name="Acteur·rice économique", required=False
        )
    successor = replace(world, world.responsable, world.newcomer, role=economy, left_at=left)
    with scopes_disabled():
        world.responsable.refresh_from_db()
        successor.refresh_from_db()
    assert world.responsable.left_at == left
    assert successor.joined_at == left
    assert successor.role == economy


def test_removing_a_member_keeps_their_row_and_may_leave_a_required_role_empty(world):
    with scope(organisation=world.organisation.pk):
        services.remove_team_member(member=world.elu, acting_user=world.coordinator)
        status = selectors.engagement_status(world.team)
    with scopes_disabled():
        world.elu.refresh_from_db()
        assert world.elu.left_at is not None
        assert AuditEntry.objects.filter(action="parcours.team_member.removed").count() == 1
    elu_role = next(row for row in status.roles if row.role == world.roles[0])
    assert elu_role.members == [] and elu_role.required
    with pytest.raises(ValidationError) as raised, scope(organisation=world.organisation.pk):
        services.remove_team_member(member=world.elu, acting_user=world.coordinator)
    assert raised.value.message_dict == {"member": ["Cette personne a déjà quitté l'équipe."]}


def refusal_cases():
    def same_person(world):
        return world.elu, world.elu.user, {}

    def already_in_team(world):
        return world.elu, world.charge.user, {}

    def already_left(world):
        with scopes_disabled():
            TeamMember.objects.filter(pk=world.elu.pk).update(left_at=timezone.now())
            world.elu.refresh_from_db()
        return world.elu, world.newcomer, {}

    def role_full(world):
        # The chargé·e de mission role takes one person: the responsable cannot be
        # replaced by a second one.
        return world.responsable, world.newcomer, {"role": world.roles[1]}

    def role_of_another_programme(world):
        with scopes_disabled():
            other = TeamRoleFactory(name="Rôle ailleurs")
        return world.elu, world.newcomer, {"role": other}

    def departure_in_the_future(world):
        return world.elu, world.newcomer, {"left_at": timezone.now() + timedelta(days=2)}

    return [
        (same_person, "email", "C'est déjà cette personne"),
        (already_in_team, "email", "Cette personne fait déjà partie de l'équipe."),
        (already_left, "member", "Cette personne a déjà quitté l'équipe."),
        (role_full, "role", "Le rôle « Chargé·e de mission » est déjà pourvu (1 personne"),
        (role_of_another_programme, "role", "Choisissez un rôle de ce programme."),
        (departure_in_the_future, "left_at", "La date de départ ne peut pas être dans le futur."),
    ]


@pytest.mark.parametrize(("case", "field", "message"), refusal_cases())
def test_bad_replacements_are_refused_in_french_and_nothing_is_saved(world, case, field, message):
    member, user, kwargs = case(world)
    before = members_and_entries()
    with pytest.raises(ValidationError) as raised:
        replace(world, member, user, **kwargs)
    assert raised.value.message_dict[field][0].startswith(message)
    assert members_and_entries() == before


def test_a_role_that_takes_two_people_accepts_a_second_one(world):
    with scopes_disabled():
        world.roles[1].max_per_team = 2
        world.roles[1].save()
    successor = replace(world, world.responsable, world.newcomer, role=world.roles[1])
    assert successor.role == world.roles[1]


# --- The team's page -----------------------------------------------------------------


def test_the_coordinator_sees_members_roles_signatures_and_the_tools(client, world):
    publish(world)
    sign(world, world.elu)
    client.force_login(world.coordinator)
    html = client.get(page_url(world)).content.decode()
    assert world.team.name in html
    assert "Élise Dupont" in html and world.elu.user.email in html
    assert "signé le" in html and "signature manquante" in html
    assert "Équipe pas encore engagée" in html
    assert "Chargé·e de mission" in html
    assert html.count('name="member"') == 2 * 3  # « Remplacer » and « Retirer » per member
    assert action_url(world, "team_member_replace") in html


def test_the_page_says_engaged_once_every_required_role_signed(client, world):
    publish(world)
    sign(world, world.elu)
    sign(world, world.charge)
    client.force_login(world.elu.user)
    html = client.get(page_url(world)).content.decode()
    assert "✓ Équipe engagée" in html
    assert "Mon engagement" in html


@pytest.mark.parametrize(
    ("who", "emails", "tools"),
    [("trainer", True, False), ("observer", False, False), ("member", False, False)],
)
def test_each_role_reads_the_page_with_what_it_may_see(client, world, who, emails, tools):
    user = world.elu.user if who == "member" else getattr(world, who)
    client.force_login(user)
    response = client.get(page_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.team.name in html and "Élise Dupont" in html
    assert (world.charge.user.email in html) is emails
    assert (action_url(world, "team_member_replace") in html) is tools
    assert ("Retirer" in html) is tools


def test_other_teams_former_members_and_other_organisations_get_404(client, world):
    with scopes_disabled():
        TeamMember.objects.filter(pk=world.responsable.pk).update(left_at=timezone.now())
    for user in (world.other_member.user, world.responsable.user, world.stranger):
        client.force_login(user)
        assert client.get(page_url(world)).status_code == 404
    # The other organisation's coordinator, with their own slug and the victim's ids.
    with scopes_disabled():
        stranger_org = world.stranger.memberships.get().organisation
    client.force_login(world.stranger)
    url = reverse(
        "parcours:team_detail", args=[stranger_org.slug, world.programme.pk, world.team.pk]
    )
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(page_url(world)).status_code in (302, 404)


def test_only_the_coordinator_may_replace_or_remove(client, world):
    before = members_and_entries()
    for user in (world.trainer, world.observer, world.elu.user, world.stranger):
        client.force_login(user)
        data = {"member": world.charge.pk, f"m{world.charge.pk}-email": world.newcomer.email}
        assert client.post(action_url(world, "team_member_replace"), data).status_code == 404
        assert client.post(action_url(world, "team_member_remove"), data).status_code == 404
    assert members_and_entries() == before


def test_a_draft_programmes_team_is_hidden_from_its_members_and_trainers(client, world):
    with scopes_disabled():
        world.programme.status = "draft"
        world.programme.save()
    for user in (world.elu.user, world.trainer):
        client.force_login(user)
        assert client.get(page_url(world)).status_code == 404
    client.force_login(world.coordinator)
    assert client.get(page_url(world)).status_code == 200


def test_the_coordinator_replaces_a_member_from_the_page(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        action_url(world, "team_member_replace"),
        {"member": world.elu.pk, f"m{world.elu.pk}-email": world.newcomer.email.upper()},
        follow=True,
    )
    html = response.content.decode()
    assert "Nadia Martin remplace Élise Dupont dans l&#x27;équipe" in html
    assert "Historique de l’équipe" in html and "toujours membre" in html
    with scopes_disabled():
        world.elu.refresh_from_db()
        assert world.elu.left_at is not None
        assert TeamMember.objects.current().get(team=world.team, role=world.roles[0]).user == (
            world.newcomer
        )


def test_an_unknown_address_is_refused_next_to_the_field(client, world):
    client.force_login(world.coordinator)
    before = members_and_entries()
    response = client.post(
        action_url(world, "team_member_replace"),
        {"member": world.elu.pk, f"m{world.elu.pk}-email": "personne@inconnue.fr"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aucun compte avec cette adresse." in html
    assert f'id="id_m{world.elu.pk}-email_error"' in html or "is-invalid" in html
    assert '<details class="mb-2" open>' in html
    assert members_and_entries() == before


def test_a_service_refusal_is_shown_next_to_the_field(client, world):
    client.force_login(world.coordinator)
    before = members_and_entries()
    response = client.post(
        action_url(world, "team_member_replace"),
        {"member": world.elu.pk, f"m{world.elu.pk}-email": world.charge.user.email},
    )
    assert "Cette personne fait déjà partie de l&#x27;équipe." in response.content.decode()
    assert members_and_entries() == before


def test_a_member_of_another_team_or_a_former_member_cannot_be_targeted(client, world):
    with scopes_disabled():
        TeamMember.objects.filter(pk=world.responsable.pk).update(left_at=timezone.now())
    client.force_login(world.coordinator)
    before = members_and_entries()
    for pk in (world.other_member.pk, world.responsable.pk, "abc", ""):
        data = {"member": pk, f"m{pk}-email": world.newcomer.email}
        assert client.post(action_url(world, "team_member_replace"), data).status_code == 404
        assert client.post(action_url(world, "team_member_remove"), data).status_code == 404
    assert members_and_entries() == before


def test_the_coordinator_removes_a_member_and_the_page_flags_the_empty_role(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        action_url(world, "team_member_remove"), {"member": world.elu.pk}, follow=True
    )
    html = response.content.decode()
    assert "Élise Dupont a quitté l&#x27;équipe" in html
    assert "rôle indispensable non pourvu" in html


def test_the_page_lists_the_teams_next_sessions_it_may_see(client, world):
    with scopes_disabled():
        own = SessionFactory(
            programme=world.programme,
            kind=world.individual_kind,
            title="Rencontre individuelle de l'équipe",
            audience="team",
            teams=[world.team],
        )
        SessionFactory(
            programme=world.programme,
            kind=world.individual_kind,
            title="Rencontre d'une autre équipe",
            audience="team",
            teams=[world.teams[1]],
        )
        SessionFactory(programme=world.programme, kind=world.kind, title="Séance passée", past=True)
        SessionFactory(
            programme=world.programme, kind=world.kind, title="Séance annulée", cancelled=True
        )
    for user in (world.elu.user, world.coordinator):
        client.force_login(user)
        html = client.get(page_url(world)).content.decode()
        assert "Lancement du parcours" in html
        assert "Visio · 3 h" in html  # its format and duration
        assert own.title.replace("'", "&#x27;") in html
        assert "autre équipe" not in html
        assert "Séance passée" not in html and "Séance annulée" not in html


def test_the_evaluation_panel_links_the_teams_progression(client, world):
    link = reverse(
        "evaluation:team_progression",
        args=[world.organisation.slug, world.programme.pk, world.team.pk],
    )
    for user in (world.coordinator, world.trainer, world.elu.user):
        client.force_login(user)
        html = client.get(page_url(world)).content.decode()
        assert "Autodiagnostic et progression" in html and link in html
    client.force_login(world.observer)
    assert link not in client.get(page_url(world)).content.decode()


def test_the_team_list_links_each_team_page(client, world):
    client.force_login(world.coordinator)
    url = reverse("parcours:team_list", args=[world.organisation.slug, world.programme.pk])
    assert page_url(world) in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_the_page_runs_a_constant_number_of_queries(client, world, who):
    publish(world)
    client.force_login(world.coordinator if who == "coordinator" else world.elu.user)
    added = []

    def add_rows(count):
        with scopes_disabled():
            for index in range(count - len(added)):
                member = TeamMemberFactory(team=world.team, role=None)
                TeamMemberFactory(team=world.team, role=world.roles[2], former=True)
                TeamFactory(cohort=world.cohort)
                SessionFactory(
                    programme=world.programme,
                    kind=world.individual_kind,
                    audience="team",
                    teams=[world.team],
                    starts_at=world.launch.starts_at + timedelta(days=index + 1),
                    ends_at=world.launch.ends_at + timedelta(days=index + 1),
                )
                added.append(member)

    assert_constant_queries(client, page_url(world), add_rows, sizes=(2, 8))
