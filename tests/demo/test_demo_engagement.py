"""``manage.py load_demo``: seed 000's engagement — published on 12 June 2026, signed
around 19 June, one team not « engagée », one chargée de mission replaced."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import User
from demo import common as demo
from demo import engagement as demo_engagement
from demo.teams import TEAMS, team_member_login
from organisations.models import AuditEntry, Organisation
from parcours import engagement_status as selectors
from parcours import services
from parcours.models import EngagementText, Programme, Signature, Team, TeamMember

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def hdf():
    return Organisation.objects.get(slug=demo.HDF_SLUG)


def programme():
    return Programme.objects.get(name=demo.HDF_PROGRAMME)


def test_seven_teams_engaged_and_the_pays_de_bray_waiting_for_its_elue():
    output = load()
    summary = "Engagement v1 : 7 équipes engagées sur 8, 24 signatures (dont 1 d'un membre parti)"
    assert summary in output
    with scope(organisation=hdf().pk):
        dashboard = selectors.engagement_dashboard(programme())
        text = dashboard.text
        assert text.version == 1
        assert text.published_at.astimezone(PARIS).date() == date(2026, 6, 12)
        assert text.published_by.email == "claire.dubois@hautsdefrance.example"
        assert "je m'engage à noter et à bloquer dans mon agenda" in text.body
        titles = [session.title for session in text.key_sessions.all()]
        assert len(titles) == 10  # the launch, the 8 first meetings, the training
        assert sum(title.startswith("Accompagnement individuel n°1") for title in titles) == 8
        assert "Lancement du projet" in titles
        assert any(title.startswith("Formation J1/J2") for title in titles)
        not_engaged = [team for team in dashboard.teams if not team.engaged]
        assert [team.team.name for team in not_engaged] == [demo_engagement.UNSIGNED_TEAM]
        assert [role.name for role in not_engaged[0].missing_roles] == ["Élu·e référent·e"]
        # Signed around 19 June, each with the fingerprint of the text as displayed.
        signatures = list(Signature.objects.filter(text=text))
        shown = EngagementText.objects.get(pk=text.pk)
        assert all(s.text_hash == shown.digest(s.member.team_id) for s in signatures)
        # Each team signs its own key dates (its own individual meeting), not the others'.
        assert len({signature.text_hash for signature in signatures}) == 8
        june = [s for s in signatures if s.signed_at.astimezone(PARIS).month == 6]
        assert len(june) == 23
        assert all(
            date(2026, 6, 17) <= s.signed_at.astimezone(PARIS).date() <= date(2026, 6, 22)
            for s in june
        )
        # The responsable de service is a required role of the trinôme: each signed.
        responsables = [s for s in signatures if s.member.role.name == "Responsable de service"]
        assert len(responsables) == 8


def test_the_pays_de_laon_keeps_the_history_of_its_chargee_de_mission():
    load()
    with scope(organisation=hdf().pk):
        team = Team.objects.get(name=demo_engagement.REPLACED_TEAM)
        rows = list(
            TeamMember.objects.filter(team=team, role__name="Chargé·e de mission")
            .select_related("user")
            .order_by("joined_at")
        )
        former, successor = rows
        assert former.user.email == "camille.renard@agglo-laon.example"
        assert former.left_at == datetime(2026, 9, 30, 18, tzinfo=PARIS)
        assert former.joined_at < datetime(2026, 6, 19, tzinfo=PARIS)
        assert successor.user.get_full_name() == "Romain Delattre"
        assert successor.left_at is None
        assert successor.joined_at == datetime(2026, 10, 1, 9, tzinfo=PARIS)
        (kept,) = former.signatures.all()
        assert kept.signed_at.astimezone(PARIS).date() == date(2026, 6, 18)
        (signed,) = successor.signatures.all()
        assert signed.signed_at == datetime(2026, 10, 7, 10, 35, tzinfo=PARIS)
        status = selectors.engagement_status(team)
        assert status.engaged
        current = [row.member.user.last_name for row in status.members]
        assert "Delattre" in current and "Renard" not in current
        assert TeamMember.objects.current().filter(team=team).count() == 3


def test_the_demo_signatures_hold_the_services_fingerprint_and_the_logins_still_work(client):
    load()
    organisation = hdf()
    with scope(organisation=organisation.pk):
        text = selectors.current_engagement_text(programme())
        team = Team.objects.get(name=demo_engagement.UNSIGNED_TEAM)
        elue = TeamMember.objects.current().get(team=team, role__name="Élu·e référent·e")
        # The missing élue signs through the service: the demo text is the one in force.
        services.sign_engagement(
            member=elue,
            acting_user=elue.user,
            typed_name="Annie Boucher",
            consent=True,
            ip_address="192.0.2.200",
            user_agent="pytest",
            text_id=text.pk,
            text_hash=text.digest(team.pk),
        )
        assert selectors.engagement_dashboard(programme()).engaged_count == 8
        assert (
            selectors.pending_engagements(
                User.objects.get(email=team_member_login()[1]), organisation
            )
            == []
        )
        mel = Team.objects.get(name=TEAMS[0][0])
        programme_id = programme().pk
    thomas = User.objects.get(email="thomas.leroy@mel.example")
    client.force_login(thomas)
    url = reverse("parcours:engagement_sign", args=[organisation.slug, programme_id, mel.pk])
    response = client.get(url)
    assert response.status_code == 200
    client.force_login(User.objects.get(email="claire.dubois@hautsdefrance.example"))
    response = client.get(
        reverse("parcours:engagement_dashboard", args=[organisation.slug, programme_id])
    )
    assert response.status_code == 200
    assert "Delattre" in response.content.decode()


def test_loading_twice_creates_nothing_twice():
    first_output = load()
    with scopes_disabled():
        counts = [
            model.objects.count()
            for model in (EngagementText, Signature, TeamMember, User, AuditEntry)
        ]
    assert load() == first_output
    with scopes_disabled():
        assert [
            model.objects.count()
            for model in (EngagementText, Signature, TeamMember, User, AuditEntry)
        ] == counts
