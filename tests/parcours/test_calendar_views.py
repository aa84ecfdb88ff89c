"""The read side of the calendar: programmes, timeline, month, list, session page,
registrations, documents and a person's own calendar."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_scopes import scope, scopes_disabled

from parcours import services
from parcours.models import SessionRegistration, WorkshopRegistration
from ressources.models import Visibility
from ressources.services import create_resource
from tests.factories import (
    AgendaItemFactory,
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    SessionFactory,
    UserFactory,
    WorkshopFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries
from tests.responses import read_streaming

pytestmark = pytest.mark.django_db


def _members(team):
    with scopes_disabled():
        return [member.user for member in team.members.order_by("role__order")]


@pytest.fixture
def world():
    organisation = OrganisationFactory(slug="hdf")
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    observer = MembershipFactory(organisation=organisation, observer=True).user
    with scope(organisation=organisation.pk):
        parcours = build_programme(organisation=organisation, teams=2)
        team_a, team_b = parcours.teams
        phase = PhaseFactory(
            programme=parcours.programme, name="Construction d'une culture commune"
        )
        cohort_session = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            phase=phase,
            title="Formation J1 gouvernance",
        )
        own = SessionFactory(
            programme=parcours.programme,
            kind=parcours.individual_kind,
            title="Accompagnement individuel équipe A",
            audience="team",
            teams=[team_a],
            in_person=True,
        )
        other = SessionFactory(
            programme=parcours.programme,
            kind=parcours.individual_kind,
            title="Accompagnement individuel équipe B",
            audience="team",
            teams=[team_b],
            in_person=True,
        )
    return {
        "organisation": organisation,
        "parcours": parcours,
        "programme": parcours.programme,
        "coordinator": coordinator,
        "observer": observer,
        "member": _members(team_a)[0],
        "member_b": _members(team_b)[0],
        "team_a": team_a,
        "team_b": team_b,
        "cohort_session": cohort_session,
        "own": own,
        "other": other,
        "phase": phase,
    }


def _url(name, world, *args):
    return reverse(f"parcours:{name}", args=[world["organisation"].slug, *args])


def _month_param(session):
    return session.starts_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m")


def test_member_sees_own_and_cohort_sessions_only(client, world):
    client.force_login(world["member"])
    programme = world["programme"]
    pages = [
        _url("timeline", world, programme.pk),
        _url("session_list", world, programme.pk),
        _url("month", world, programme.pk) + "?mois=" + _month_param(world["own"]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Formation J1 gouvernance" in body, url
        assert "Accompagnement individuel équipe A" in body, url
        assert "Accompagnement individuel équipe B" not in body, url
    assert client.get(_url("session_detail", world, world["own"].pk)).status_code == 200
    assert client.get(_url("session_detail", world, world["other"].pk)).status_code == 404


def test_programme_list_and_timeline_content(client, world):
    client.force_login(world["member"])
    body = client.get(_url("programme_list", world)).content.decode()
    assert world["programme"].name in body
    assert "Nouveau programme" not in body
    body = client.get(_url("timeline", world, world["programme"].pk)).content.decode()
    # Marks are links with an accessible name; phases, months and the legend are drawn.
    own_url = _url("session_detail", world, world["own"].pk)
    assert f'href="{own_url}"' in body
    assert 'aria-label="Accompagnement individuel équipe A, ' in body
    assert "Construction d&#x27;une culture commune" in body
    assert "mois 0" in body
    assert 'class="tl-today-line"' in body
    assert 'role="region"' in body and 'tabindex="0"' in body
    assert "Brouillon" not in body


def test_coordinator_sees_draft_with_banner_and_tools(client, world):
    with scope(organisation=world["organisation"].pk):
        draft = build_programme(organisation=world["organisation"], teams=1, published=False)
        session = SessionFactory(
            programme=draft.programme, kind=draft.kind, title="Séance brouillon"
        )
    member = _members(draft.teams[0])[0]
    for user in (member, world["observer"]):
        client.force_login(user)
        assert client.get(_url("timeline", world, draft.programme.pk)).status_code == 404
        assert client.get(_url("session_list", world, draft.programme.pk)).status_code == 404
        assert client.get(_url("month", world, draft.programme.pk)).status_code == 404
        assert client.get(_url("session_detail", world, session.pk)).status_code == 404
        assert (
            draft.programme.name not in client.get(_url("programme_list", world)).content.decode()
        )
    client.force_login(world["coordinator"])
    body = client.get(_url("timeline", world, draft.programme.pk)).content.decode()
    assert "Brouillon : les participants ne voient pas encore ce programme." in body
    assert _url("programme_publish", world, draft.programme.pk) in body
    assert _url("session_create", world, draft.programme.pk) in body
    assert "Séance brouillon" in body
    body = client.get(_url("programme_list", world)).content.decode()
    assert "Nouveau programme" in body and draft.programme.name in body


def test_visio_link_only_for_expected_people(client, world):
    parcours = world["parcours"]
    with scope(organisation=world["organisation"].pk):
        session = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            title="Webinaire chargés de mission",
            expected_presence="role",
            expected_role=parcours.roles[1],
            visio_url="https://visio.exemple.fr/secret-room",
        )
    elected, officer = _members(world["team_a"])[:2]
    url = _url("session_detail", world, session.pk)
    client.force_login(officer)
    body = client.get(url).content.decode()
    assert "https://visio.exemple.fr/secret-room" in body
    client.force_login(elected)
    body = client.get(url).content.decode()
    assert "https://visio.exemple.fr/secret-room" not in body
    assert "Le lien de connexion est envoyé aux participants attendus." in body
    client.force_login(world["observer"])
    assert "https://visio.exemple.fr/secret-room" in client.get(url).content.decode()


def test_session_page_shows_expected_teams_by_role(client, world):
    url = _url("session_detail", world, world["cohort_session"].pk)
    a_names = [escape(user.get_full_name()) for user in _members(world["team_a"])]
    b_names = [escape(user.get_full_name()) for user in _members(world["team_b"])]
    client.force_login(world["member"])
    body = client.get(url).content.decode()
    assert all(name in body for name in a_names)
    assert not any(name in body for name in b_names)
    assert "Ajouter à mon agenda (.ics)" in body
    assert _url("session_edit", world, world["cohort_session"].pk) not in body
    client.force_login(world["coordinator"])
    body = client.get(url).content.decode()
    assert all(name in body for name in a_names + b_names)
    assert _url("session_edit", world, world["cohort_session"].pk) in body
    assert _url("agenda_edit", world, world["cohort_session"].pk) in body


def test_tentative_and_cancelled_sessions_say_so(client, world):
    parcours = world["parcours"]
    with scope(organisation=world["organisation"].pk):
        tentative = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            tentative=True,
            date_note="options : 9-10 ou 10-11 décembre",
        )
        cancelled = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            cancelled=True,
            cancellation_reason="Grève des transports",
        )
    client.force_login(world["member"])
    body = client.get(_url("session_detail", world, tentative.pk)).content.decode()
    assert "À confirmer" in body and "options : 9-10 ou 10-11 décembre" in body
    body = client.get(_url("session_detail", world, cancelled.pk)).content.decode()
    assert "Annulée" in body and "Grève des transports" in body
    body = client.get(_url("timeline", world, parcours.programme.pk)).content.decode()
    assert "à confirmer" in body and "annulée" in body


def test_list_filters(client, world):
    client.force_login(world["coordinator"])
    url = _url("session_list", world, world["programme"].pk)
    individual = world["parcours"].individual_kind.pk
    body = client.get(url, {"kind": individual}).content.decode()
    assert "Accompagnement individuel équipe A" in body
    assert "Formation J1 gouvernance" not in body
    body = client.get(url, {"format": "visio"}).content.decode()
    assert "Formation J1 gouvernance" in body
    assert "Accompagnement individuel équipe A" not in body
    body = client.get(url, {"team": world["team_b"].pk}).content.decode()
    assert "Accompagnement individuel équipe B" in body
    assert "Formation J1 gouvernance" in body  # the whole cohort's session concerns team B
    assert "Accompagnement individuel équipe A" not in body
    body = client.get(url, {"phase": world["phase"].pk}).content.decode()
    assert "Formation J1 gouvernance" in body
    assert "Accompagnement individuel équipe B" not in body
    body = client.get(url, {"status": "cancelled"}).content.decode()
    assert "Aucune séance ne correspond à ces filtres." in body
    # htmx gets only the results.
    response = client.get(url, {"kind": individual}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="resultats"' in body and "<html" not in body
    assert "Accompagnement individuel équipe A" in body


def test_list_facilitator_filter_and_team_choices(client, world):
    trainer = MembershipFactory(organisation=world["organisation"], trainer=True).user
    with scopes_disabled():
        world["own"].facilitators.set([trainer])
    client.force_login(world["coordinator"])
    url = _url("session_list", world, world["programme"].pk)
    body = client.get(url, {"facilitator": trainer.pk}).content.decode()
    assert "Accompagnement individuel équipe A" in body
    assert "Formation J1 gouvernance" not in body
    # A team member is offered only their own team.
    client.force_login(world["member"])
    body = client.get(url).content.decode()
    assert world["team_a"].name in body
    assert world["team_b"].name not in body


def _add_sessions(world, count):
    parcours = world["parcours"]
    trainer = MembershipFactory(organisation=world["organisation"], trainer=True).user
    with scope(organisation=world["organisation"].pk):
        for index in range(count):
            start = timezone.now() + timedelta(days=3 + index * 5)
            team = parcours.teams[index % 2]
            SessionFactory(
                programme=parcours.programme,
                kind=parcours.individual_kind if index % 2 else parcours.kind,
                audience="team" if index % 2 else "cohort",
                teams=[team] if index % 2 else None,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                facilitators=[trainer],
                status=["scheduled", "tentative", "cancelled"][index % 3],
            )


@pytest.mark.parametrize("name", ["timeline", "session_list", "month"])
@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_constant_query_count(client, world, name, who):
    client.force_login(world[who])
    url = _url(name, world, world["programme"].pk)
    added = {"count": 0}

    def add_rows(count):
        _add_sessions(world, count)
        added["count"] += count

    assert_constant_queries(client, url, add_rows)


def test_month_view_grid(client, world):
    client.force_login(world["member"])
    session = world["own"]
    url = _url("month", world, world["programme"].pk)
    body = client.get(url, {"mois": _month_param(session)}).content.decode()
    assert '<th scope="col">lundi</th>' in body
    assert session.title in body
    # Out-of-range or malformed months fall back to a month of the programme.
    assert client.get(url, {"mois": "1990-01"}).status_code == 200
    assert client.get(url, {"mois": "n'importe quoi"}).status_code == 200


def test_month_view_multi_day_session_on_each_day(client, world):
    parcours = world["parcours"]
    start = parcours.programme.start_date + timedelta(days=40)
    with scope(organisation=world["organisation"].pk):
        from tests.factories import _aware

        session = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            title="Formation J1-J2",
            starts_at=_aware(start, 9),
            ends_at=_aware(start + timedelta(days=1), 17),
        )
    client.force_login(world["member"])
    url = _url("month", world, parcours.programme.pk)
    body = client.get(url, {"mois": _month_param(session)}).content.decode()
    assert body.count("Formation J1-J2") >= 2


def test_my_calendar_across_organisations(client, world):
    member = world["member"]
    other_organisation = OrganisationFactory(name="Réseau rural")
    with scope(organisation=other_organisation.pk):
        # The team has its élu·e and chargé·e de mission: the member joins as its
        # responsable de service (each role holds one person).
        elsewhere = build_programme(organisation=other_organisation, teams=1, members_per_team=2)
        services.add_team_member(
            team=elsewhere.teams[0], acting_user=None, user=member, role=elsewhere.roles[2]
        )
        far_session = SessionFactory(
            programme=elsewhere.programme, kind=elsewhere.kind, title="Séminaire du réseau"
        )
        SessionFactory(
            programme=elsewhere.programme,
            kind=elsewhere.kind,
            title="Rencontre passée",
            past=True,
        )
    client.force_login(member)
    body = client.get(reverse("my_calendar")).content.decode()
    assert "Séminaire du réseau" in body and "Réseau rural" in body
    assert "Formation J1 gouvernance" in body
    assert "Accompagnement individuel équipe B" not in body
    assert "Rencontre passée" not in body
    assert (
        reverse("parcours:session_detail", args=[other_organisation.slug, far_session.pk]) in body
    )
    assert reverse("calendar_feed_settings") in body
    body = client.get(reverse("my_calendar"), {"passees": "1"}).content.decode()
    assert "Rencontre passée" in body and "Séminaire du réseau" not in body
    client.logout()
    assert client.get(reverse("my_calendar")).status_code == 302


def test_register_to_open_session(client, world):
    parcours = world["parcours"]
    with scope(organisation=world["organisation"].pk):
        session = SessionFactory(
            programme=parcours.programme, kind=parcours.kind, audience="open", capacity=1
        )
    client.force_login(world["member"])
    url = _url("session_register", world, session.pk)
    assert client.get(url).status_code == 405
    response = client.post(url, {"action": "register"}, follow=True)
    assert "Vous êtes inscrit·e" in response.content.decode()
    with scopes_disabled():
        assert SessionRegistration.objects.filter(session=session, user=world["member"]).exists()
    # Full: the next person gets a French error.
    client.force_login(world["member_b"])
    response = client.post(url, {"action": "register"}, follow=True)
    assert "Cette séance est complète." in response.content.decode()
    # htmx gets the refreshed fragment.
    client.force_login(world["member"])
    response = client.post(url, {"action": "unregister"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Votre inscription est annulée." in body and "<html" not in body
    with scopes_disabled():
        assert not SessionRegistration.objects.filter(session=session).exists()


def test_register_refused_on_a_cohort_session(client, world):
    client.force_login(world["member"])
    url = _url("session_register", world, world["cohort_session"].pk)
    assert client.post(url, {"action": "register"}).status_code == 404


def test_choose_workshop_one_per_round_and_capacity(client, world):
    session = world["cohort_session"]
    with scope(organisation=world["organisation"].pk):
        first_round = AgendaItemFactory(session=session, workshops=True, start_time="10:00")
        AgendaItemFactory(session=session, workshops=True, start_time="14:00", end_time="15:30")
        a = WorkshopFactory(round=first_round, title="Histoires de territoire A", capacity=1)
        b = WorkshopFactory(round=first_round, title="Histoires de territoire B")
    member = world["member"]
    client.force_login(member)
    page = client.get(_url("session_detail", world, session.pk)).content.decode()
    assert "Histoires de territoire A" in page and "Choisir cet atelier" in page
    assert "1 place restante" in page
    response = client.post(_url("workshop_choose", world, session.pk, a.pk), follow=True)
    assert "Vous participerez à l&#x27;atelier « Histoires de territoire A »." in (
        response.content.decode()
    )
    response = client.post(
        _url("workshop_choose", world, session.pk, b.pk), headers={"HX-Request": "true"}
    )
    assert "Votre choix" in response.content.decode()
    with scopes_disabled():
        choices = WorkshopRegistration.objects.filter(user=member, round=first_round)
        assert [choice.workshop_id for choice in choices] == [b.pk]
    # A is free again; a teammate takes its only seat, then A is full for the member.
    teammate = _members(world["team_a"])[1]
    client.force_login(teammate)
    client.post(_url("workshop_choose", world, session.pk, a.pk))
    client.force_login(member)
    response = client.post(_url("workshop_choose", world, session.pk, a.pk), follow=True)
    assert "Cet atelier est complet : choisissez-en un autre." in response.content.decode()


def test_workshop_choice_needs_to_be_expected(client, world):
    session = world["cohort_session"]
    with scope(organisation=world["organisation"].pk):
        workshop = WorkshopFactory(round__session=session)
    client.force_login(world["observer"])
    response = client.post(_url("workshop_choose", world, session.pk, workshop.pk), follow=True)
    assert "Seules les personnes attendues" in response.content.decode()
    with scopes_disabled():
        assert not WorkshopRegistration.objects.exists()


def test_document_download(client, world, settings, tmp_path):
    """A session's document (a resource of the library attached to it) is read by whoever
    reads the session: its team, the observers, the staff; not another team's member."""
    settings.MEDIA_ROOT = tmp_path
    with scope(organisation=world["organisation"].pk):
        document = create_resource(
            organisation=world["organisation"],
            acting_user=world["coordinator"],
            title="Support de l'accompagnement",
            file=SimpleUploadedFile("support.pdf", b"%PDF-1.4\n%test\n", "application/pdf"),
            visibility=Visibility.PROGRAMME,
            session=world["own"],
        )
    slug = world["organisation"].slug
    url = reverse("ressources:resource_download", args=[slug, document.pk])
    client.force_login(world["member"])
    response = client.get(url)
    assert response.status_code == 200
    assert read_streaming(response).startswith(b"%PDF")
    page = client.get(_url("session_detail", world, world["own"].pk)).content.decode()
    assert "Support de l&#x27;accompagnement" in page
    # Once: in the library's panel, no longer in a section of its own.
    assert page.count(f'href="{url}"') == 1
    client.force_login(world["observer"])
    response = client.get(url)
    assert response.status_code == 200
    assert read_streaming(response).startswith(b"%PDF")
    # Another team's member (same programme) and a stranger get 404.
    client.force_login(world["member_b"])
    assert client.get(url).status_code == 404
    library = client.get(reverse("ressources:library", args=[slug])).content.decode()
    assert "Support de l&#x27;accompagnement" not in library
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
