"""Attendance rates: exact figures per session, team, person and role on a small
hand-made programme; who sees the dashboard and the team's record; the exports; a
constant number of queries."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from parcours.models import Programme, TeamMember
from presences import stats
from presences.models import AttendanceSheet
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# Programme figures of the world below (cancelled session left out).
PEOPLE = {
    # name: (team, role, recorded, present, partial, excused, absent, rate)
    "Alice Arnaud": ("A", "Élu·e référent·e", 5, 5, 0, 0, 0, 100.0),
    "Bruno Bernard": ("A", "Chargé·e de mission", 5, 2, 1, 1, 1, 60.0),
    "Chloé Caron": ("A", "Responsable de service", 1, 0, 0, 1, 0, 0.0),
    "Denis Durand": ("A", "Responsable de service", 4, 4, 0, 0, 0, 100.0),
    "Emma Estève": ("B", "Élu·e référent·e", 5, 1, 0, 0, 4, 20.0),
    "Fabien Fournier": ("B", "Chargé·e de mission", 5, 4, 0, 0, 1, 80.0),
    "Gaëlle Garnier": ("B", "Responsable de service", 1, 0, 1, 0, 0, 100.0),
    "Hugo Invité": ("", "", 1, 1, 0, 0, 0, 100.0),
}


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(paris(2026, 12, 20, 12), tick=False):
        yield


def _named(user, first, last):
    user.first_name, user.last_name = first, last
    user.save()


def record(session, member_or_user, day, half_day, status, *, team=None, role=None):
    if isinstance(member_or_user, TeamMember):
        user, team, role = member_or_user.user, member_or_user.team, member_or_user.role
    else:
        user = member_or_user
    return AttendanceFactory(
        session=session, user=user, team=team, role=role, day=day, half_day=half_day, status=status
    )


@pytest.fixture
def world():
    """Two teams of a trinôme; the launch (one morning, validated), the J1/J2 training
    (four half-days, open), a cancelled session with a row, a started session not
    recorded, a future one. Chloé (team A, responsable) left after the launch and Denis
    took her place; Hugo came along to the training without a team."""
    with scopes_disabled():
        w = build_programme(start_date=date(2026, 6, 1), end_date=date(2028, 6, 30))
        org = w.organisation
        w.coordinator = MembershipFactory(organisation=org, coordinator=True).user
        w.trainer = MembershipFactory(organisation=org, trainer=True).user
        w.observer = MembershipFactory(
            organisation=org, observer=True, user__first_name="Odile", user__last_name="Veille"
        ).user
        w.team_a, w.team_b = w.teams
        w.team_a.name, w.team_b.name = "A", "B"
        w.team_a.save()
        w.team_b.save()
        a1, a2, a3 = w.team_a.members.select_related("user", "role", "team").order_by("pk")
        b1, b2, b3 = w.team_b.members.select_related("user", "role", "team").order_by("pk")
        for member, name in zip(
            (a1, a2, a3, b1, b2, b3),
            [
                ("Alice", "Arnaud"),
                ("Bruno", "Bernard"),
                ("Chloé", "Caron"),
                ("Emma", "Estève"),
                ("Fabien", "Fournier"),
                ("Gaëlle", "Garnier"),
            ],
            strict=True,
        ):
            _named(member.user, *name)
        guest = UserFactory(first_name="Hugo", last_name="Invité")
        w.a1, w.a2, w.a3, w.b1, w.b2, w.b3, w.guest = a1, a2, a3, b1, b2, b3, guest

        w.launch = SessionFactory(
            programme=w.programme,
            kind=w.kind,
            title="Lancement",
            starts_at=paris(2026, 10, 16, 9, 30),
            ends_at=paris(2026, 10, 16, 12, 30),
        )
        day = date(2026, 10, 16)
        record(w.launch, a1, day, "am", "present")
        record(w.launch, a2, day, "am", "present")
        record(w.launch, a3, day, "am", "excused")
        record(w.launch, b1, day, "am", "present")
        record(w.launch, b2, day, "am", "absent")
        record(w.launch, b3, day, "am", "partial")
        AttendanceSheet.objects.create(
            organisation=org, session=w.launch, status=AttendanceSheet.Status.VALIDATED
        )

        # Chloé leaves, Denis takes her role: her rows keep team A and her role.
        TeamMember.objects.filter(pk=a3.pk).update(left_at=timezone.now())
        a4 = TeamMemberFactory(team=w.team_a, role=a3.role)
        _named(a4.user, "Denis", "Durand")
        w.a4 = a4

        w.training = SessionFactory(
            programme=w.programme,
            kind=w.kind,
            title="Formation J1/J2",
            in_person=True,
            starts_at=paris(2026, 12, 7, 9, 30),
            ends_at=paris(2026, 12, 8, 17),
        )
        halves = [
            (date(2026, 12, 7), "am"),
            (date(2026, 12, 7), "pm"),
            (date(2026, 12, 8), "am"),
            (date(2026, 12, 8), "pm"),
        ]
        for (d, h), a2_status in zip(
            halves, ["present", "partial", "absent", "excused"], strict=True
        ):
            record(w.training, a1, d, h, "present")
            record(w.training, a2, d, h, a2_status)
            record(w.training, a4, d, h, "present")
            record(w.training, b1, d, h, "absent")
            record(w.training, b2, d, h, "present")
        record(w.training, guest, date(2026, 12, 7), "am", "present")
        AttendanceSheet.objects.create(organisation=org, session=w.training)

        w.cancelled = SessionFactory(
            programme=w.programme,
            kind=w.kind,
            title="Webinaire annulé",
            cancelled=True,
            starts_at=paris(2026, 11, 3, 10),
            ends_at=paris(2026, 11, 3, 12),
        )
        record(w.cancelled, a1, date(2026, 11, 3), "am", "absent")
        w.not_recorded = SessionFactory(
            programme=w.programme,
            kind=w.individual_kind,
            title="Rencontre individuelle n°1",
            starts_at=paris(2026, 12, 15, 14),
            ends_at=paris(2026, 12, 15, 16),
        )
        w.future = SessionFactory(
            programme=w.programme,
            kind=w.kind,
            title="Formation n°2",
            starts_at=paris(2027, 1, 12, 9, 30),
            ends_at=paris(2027, 1, 12, 17),
        )
    return w


def dashboard_url(w, **params):
    url = reverse("presences:attendance_dashboard", args=[w.organisation.slug, w.programme.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def export_url(w, **params):
    url = reverse("presences:attendance_export", args=[w.organisation.slug, w.programme.pk])
    return url + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def team_url(w, team):
    return reverse("parcours:team_detail", args=[w.organisation.slug, w.programme.pk, team.pk])


def counts_tuple(counts):
    return (counts.recorded, counts.present, counts.partial, counts.excused, counts.absent)


def results(client, url) -> str:
    """The dashboard's figures only (its htmx fragment, without the panels below)."""
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# --- Figures ------------------------------------------------------------------------


def test_the_sessions_count_half_days_and_leave_cancelled_and_future_ones_out(world):
    with scope(organisation=world.organisation.pk):
        rows = stats.session_rates(world.programme)
    assert [row.session.title for row in rows] == [
        "Lancement",
        "Formation J1/J2",
        "Rencontre individuelle n°1",
    ]
    launch, training, meeting = rows
    assert counts_tuple(launch.counts) == (6, 3, 1, 1, 1)
    assert launch.counts.rate_text == "66,7\u00a0%"
    assert launch.is_validated and launch.is_recorded
    # 5 people × 4 half-days, and Hugo's morning.
    assert counts_tuple(training.counts) == (21, 14, 1, 1, 5)
    assert training.counts.rate_text == "71,4\u00a0%"
    assert training.is_recorded and not training.is_validated
    assert not meeting.is_recorded and meeting.counts.rate is None
    assert meeting.counts.rate_text == "—"


def test_teams_roles_and_the_programme_total(world):
    with scope(organisation=world.organisation.pk):
        teams = stats.team_rates(world.programme)
        roles = stats.role_rates(world.programme)
    assert [(t.label, counts_tuple(t.counts), t.counts.rate_text) for t in teams] == [
        ("A", (15, 11, 1, 2, 1), "80\u00a0%"),
        ("B", (11, 5, 1, 0, 5), "54,5\u00a0%"),
        ("", (1, 1, 0, 0, 0), "100\u00a0%"),
    ]
    assert [t.counts.is_low for t in teams] == [False, True, False]
    assert [(r.label, counts_tuple(r.counts), r.counts.rate_text) for r in roles] == [
        ("Élu·e référent·e", (10, 6, 0, 0, 4), "60\u00a0%"),
        ("Chargé·e de mission", (10, 6, 1, 1, 2), "70\u00a0%"),
        ("Responsable de service", (6, 4, 1, 1, 0), "83,3\u00a0%"),
        ("", (1, 1, 0, 0, 0), "100\u00a0%"),
    ]
    total = stats.total(roles)
    assert counts_tuple(total) == (27, 17, 2, 2, 6)
    assert total.attended == 19
    assert total.rate_text == "70,4\u00a0%"
    assert total.rate_n_text == "70,4\u00a0% (n = 27)"


def test_each_person_keeps_the_team_and_role_of_the_record(world):
    with scope(organisation=world.organisation.pk):
        people = [stats.person_row(row) for row in stats.person_rates(world.programme)]
    got = {
        p.label: (
            p.detail["team"],
            p.detail["role"],
            *counts_tuple(p.counts),
            p.counts.export_rate,
        )
        for p in people
    }
    assert got == PEOPLE
    # Ordered by last name.
    assert [p.label for p in people] == list(PEOPLE)


def test_the_cohort_filter_keeps_its_teams_only(world):
    with scopes_disabled():
        other = CohortFactory(programme=world.programme, name="Promotion 2027")
        team = TeamFactory(cohort=other, name="C")
        member = TeamMemberFactory(team=team, role=world.roles[0])
        record(world.launch, member, date(2026, 10, 16), "am", "absent")
    with scope(organisation=world.organisation.pk):
        everyone = stats.total(stats.role_rates(world.programme))
        only_c = stats.total(stats.role_rates(world.programme, other))
        sessions = stats.session_rates(world.programme, other)
    assert counts_tuple(everyone) == (28, 17, 2, 2, 7)
    assert counts_tuple(only_c) == (1, 0, 0, 0, 1)
    assert [counts_tuple(s.counts) for s in sessions] == [(1, 0, 0, 0, 1), (0,) * 5, (0,) * 5]


def test_the_team_record_per_session_and_half_day(world):
    with scope(organisation=world.organisation.pk):
        record_a = stats.team_record(world.team_a)
    assert [m.name for m in record_a.members] == [
        "Alice Arnaud",
        "Bruno Bernard",
        "Chloé Caron",
        "Denis Durand",
    ]
    assert [m.role for m in record_a.members][2:] == ["Responsable de service"] * 2
    launch, training = record_a.sessions
    assert (launch.session_id, training.session_id) == (world.launch.pk, world.training.pk)
    assert training.half_days == [
        (date(2026, 12, 7), "am"),
        (date(2026, 12, 7), "pm"),
        (date(2026, 12, 8), "am"),
        (date(2026, 12, 8), "pm"),
    ]
    assert training.statuses[world.a2.user_id] == {
        (date(2026, 12, 7), "am"): "present",
        (date(2026, 12, 7), "pm"): "partial",
        (date(2026, 12, 8), "am"): "absent",
        (date(2026, 12, 8), "pm"): "excused",
    }
    assert world.a3.user_id not in training.statuses
    assert training.counts_by_user[world.a2.user_id].rate_text == "50\u00a0%"
    assert counts_tuple(launch.counts) == (3, 2, 0, 1, 0)
    assert counts_tuple(training.counts) == (12, 9, 1, 1, 1)
    assert record_a.counts.rate_text == "80\u00a0%"


# --- Pages --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "trainer", "observer_with_names"])
def test_the_staff_see_the_dashboard_and_its_tab(client, world, who):
    if who == "observer_with_names":
        with scopes_disabled():
            Programme.objects.filter(pk=world.programme.pk).update(observers_see_names=True)
        who = "observer"
    client.force_login(getattr(world, who))
    html = client.get(dashboard_url(world)).content.decode()
    assert "<h1" in html and html.count("<h1") == 1
    assert 'aria-current="page">Présences</a>' in html
    assert "Taux de présence du programme" in html
    assert "70,4\u00a0% (n = 27)" in html
    for label, value in [
        ("Séances commencées", 3),
        ("Séances relevées", 2),
        ("Feuilles d’émargement validées", 1),
        ("Demi-journées relevées", 27),
        ("Absent·e", 6),
    ]:
        assert f'{label}</dt>\n    <dd class="col-sm-7">{value}</dd>' in html
    for caption in ("par séance", "par équipe", "par personne", "par rôle"):
        assert f"<caption>Présences {caption}" in html
    assert "Webinaire annulé" not in html and "Formation n°2" not in html
    assert "Relevée, non validée" in html and "Non relevée" in html
    assert "Bruno Bernard" in html and "Hugo Invité" in html
    assert "Sans équipe" in html and "Sans rôle" in html
    # Team B is low, as text and not only by colour.
    assert "faible" in html
    timeline = reverse("parcours:timeline", args=[world.organisation.slug, world.programme.pk])
    assert dashboard_url(world) in client.get(timeline).content.decode()


def test_a_team_member_gets_404_and_no_tab(client, world):
    client.force_login(world.a1.user)
    assert client.get(dashboard_url(world)).status_code == 404
    assert client.get(export_url(world, format="csv", tableau="equipes")).status_code == 404
    timeline = reverse("parcours:timeline", args=[world.organisation.slug, world.programme.pk])
    response = client.get(timeline)
    assert response.status_code == 200
    assert dashboard_url(world) not in response.content.decode()


def test_someone_of_another_organisation_gets_404(client, world):
    stranger = MembershipFactory(organisation=OrganisationFactory(), coordinator=True).user
    client.force_login(stranger)
    assert client.get(dashboard_url(world)).status_code == 404
    assert client.get(export_url(world, format="csv", tableau="personnes")).status_code == 404


def test_the_cohort_filter_shows_only_with_several_cohorts(client, world):
    client.force_login(world.coordinator)
    assert 'name="promotion"' not in client.get(dashboard_url(world)).content.decode()
    with scopes_disabled():
        other = CohortFactory(programme=world.programme, name="Promotion 2027")
    html = client.get(dashboard_url(world)).content.decode()
    assert 'name="promotion"' in html
    html = results(client, dashboard_url(world, promotion=other.pk))
    assert "En résumé — Promotion 2027" in html
    assert "Bruno Bernard" not in html
    assert f"tableau=personnes&amp;promotion={other.pk}" in html
    # An unknown cohort is ignored.
    html = results(client, dashboard_url(world, promotion=999999))
    assert "Bruno Bernard" in html


def test_htmx_gets_the_results_fragment(client, world):
    client.force_login(world.coordinator)
    response = client.get(dashboard_url(world), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="resultats">')
    assert "<h1" not in html


def test_the_people_are_paginated_by_50(client, world):
    with scopes_disabled():
        for _ in range(50):
            record(world.launch, UserFactory(last_name="Zola"), date(2026, 10, 16), "am", "present")
    client.force_login(world.coordinator)
    html = client.get(dashboard_url(world)).content.decode()
    assert "Page 1 sur 2" in html
    html = results(client, dashboard_url(world, page=2))
    assert "Page 2 sur 2" in html and "Bruno Bernard" not in html


def test_the_team_page_shows_its_own_record(client, world):
    client.force_login(world.a1.user)
    html = client.get(team_url(world, world.team_a)).content.decode()
    assert "Présences de l’équipe" in html
    assert "Taux de présence de l’équipe : 80\u00a0%" in html
    assert "(n = 15 demi-journées relevées, dont 12 de présence)" in html
    assert "Chloé Caron" in html  # replaced, her record stays
    assert "7 décembre, après-midi : Retard ou départ anticipé" in html
    assert "non relevé·e" in html
    assert "Emma Estève" not in html
    # Another team's page stays closed to her.
    assert client.get(team_url(world, world.team_b)).status_code == 404


def test_the_staff_see_each_team_record(client, world):
    client.force_login(world.observer)
    html = client.get(team_url(world, world.team_b)).content.decode()
    assert "Taux de présence de l’équipe : 54,5\u00a0%" in html
    assert "faible" in html


def test_no_record_section_before_anything_is_recorded(client, world):
    with scopes_disabled():
        team = TeamFactory(cohort=world.cohort, name="C")
    client.force_login(world.coordinator)
    assert "Présences de l’équipe" not in client.get(team_url(world, team)).content.decode()


# --- Exports ------------------------------------------------------------------------


def test_the_people_csv(client, world):
    client.force_login(world.coordinator)
    response = client.get(export_url(world, format="csv", tableau="personnes"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "Nom",
        "Équipe",
        "Rôle",
        "Demi-journées relevées",
        "Présent·e",
        "Retard ou départ anticipé",
        "Excusé·e",
        "Absent·e",
        "Taux de présence (%)",
    ]
    assert len(rows) == 1 + len(PEOPLE)
    assert rows[2] == ["Bruno Bernard", "A", "Chargé·e de mission", "5", "2", "1", "1", "1", "60.0"]
    assert rows[-1] == ["Hugo Invité", "Sans équipe", "Sans rôle", "1", "1", "0", "0", "0", "100.0"]


def test_the_teams_sessions_and_roles_csv(client, world):
    client.force_login(world.trainer)
    teams = read_csv(client.get(export_url(world, format="csv", tableau="equipes")))
    assert teams[0][:2] == ["Équipe", "Promotion"]
    assert teams[1] == ["A", "Promotion 2026–2028", "15", "11", "1", "2", "1", "80.0"]
    assert teams[2][-1] == "54.5"
    sessions = read_csv(client.get(export_url(world, format="csv", tableau="seances")))
    assert sessions[0][:4] == ["Séance", "Jour de la séance", "Type de séance", "État du relevé"]
    assert sessions[1] == [
        "Lancement",
        "16 octobre 2026",
        "Formation",
        "Validée",
        "6",
        "3",
        "1",
        "1",
        "1",
        "66.7",
    ]
    assert sessions[2][:4] == [
        "Formation J1/J2",
        "du 7 au 8 décembre 2026",
        "Formation",
        "Relevée, non validée",
    ]
    assert sessions[3][3:5] == ["Non relevée", "0"] and sessions[3][-1] == ""
    roles = read_csv(client.get(export_url(world, format="csv", tableau="roles")))
    assert [row[0] for row in roles[1:]] == [
        "Élu·e référent·e",
        "Chargé·e de mission",
        "Responsable de service",
        "Sans rôle",
    ]


def test_the_xlsx_opens(client, world):
    openpyxl = pytest.importorskip("openpyxl")
    client.force_login(world.coordinator)
    response = client.get(export_url(world, format="xlsx", tableau="roles"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Rôle"
    assert values[1][0] == "Élu·e référent·e" and values[1][1] == 10


def test_a_formula_in_a_name_is_escaped(client, world):
    with scopes_disabled():
        world.team_a.name = '=HYPERLINK("http://x")'
        world.team_a.save()
    client.force_login(world.coordinator)
    rows = read_csv(client.get(export_url(world, format="csv", tableau="equipes")))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    "params", [{"format": "pdf", "tableau": "roles"}, {"format": "csv", "tableau": "x"}]
)
def test_an_unknown_export_is_404(client, world, params):
    client.force_login(world.coordinator)
    assert client.get(export_url(world, **params)).status_code == 404


# --- Query counts -------------------------------------------------------------------


def test_the_dashboard_runs_a_constant_number_of_queries(client, world):
    client.force_login(world.coordinator)

    def add_rows(count):
        with scopes_disabled():
            for n in range(count):
                team = TeamFactory(cohort=world.cohort)
                member = TeamMemberFactory(team=team, role=world.roles[n % 3])
                session = SessionFactory(programme=world.programme, kind=world.kind, past=True)
                day = timezone.localtime(session.starts_at).date()
                record(session, member, day, "am", "present")
                record(world.launch, member, date(2026, 10, 16), "am", "absent")
                if n % 2:
                    AttendanceSheet.objects.create(organisation=world.organisation, session=session)

    assert_constant_queries(client, dashboard_url(world), add_rows)


def test_the_team_page_record_runs_a_constant_number_of_queries(client, world):
    client.force_login(world.coordinator)

    def add_rows(count):
        with scopes_disabled():
            for _ in range(count):
                member = TeamMemberFactory(team=world.team_a, role=None)
                session = SessionFactory(programme=world.programme, kind=world.kind, past=True)
                day = timezone.localtime(session.starts_at).date()
                record(session, member, day, "am", "present")
                record(session, world.a1, day, "am", "excused")

    assert_constant_queries(client, team_url(world, world.team_a), add_rows)


# --- Observers: figures, never a person's row -----------------------------------------------

NAMES = ("Alice", "Arnaud", "Bruno", "Bernard", "Chloé", "Denis", "Emma", "Hugo", "Invité")


def _no_name(text: str):
    for name in NAMES:
        assert name not in text


def test_an_observer_sees_no_person_by_default(client, world):
    client.force_login(world.observer)
    html = client.get(dashboard_url(world)).content.decode()
    assert "70,4\u00a0% (n = 27)" in html
    for caption in ("par séance", "par équipe", "par rôle"):
        assert f"<caption>Présences {caption}" in html
    assert "<caption>Présences par personne" not in html
    assert "le tableau par personne n’est pas affiché" in html
    assert "tableau=personnes" not in html
    _no_name(html)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_observer_cannot_export_the_people(client, world, fmt):
    client.force_login(world.observer)
    assert client.get(export_url(world, format=fmt, tableau="personnes")).status_code == 404
    teams = client.get(export_url(world, format=fmt, tableau="equipes"))
    assert teams.status_code == 200
    if fmt == "csv":
        _no_name(teams.content.decode("utf-8"))


def test_an_observer_sees_the_team_rate_but_no_member_row(client, world):
    client.force_login(world.observer)
    html = client.get(team_url(world, world.team_a)).content.decode()
    section = html[html.index('id="equipe-presences-titre"') :]
    section = section[: section.index("</section>")]
    assert "Taux de présence de l’équipe : 80\u00a0%" in section
    assert "pas ceux de chaque personne" in section
    _no_name(section)
    # A member of the team sees every row.
    client.force_login(world.a1.user)
    assert "Bruno Bernard" in client.get(team_url(world, world.team_a)).content.decode()


def test_an_observer_sees_names_where_the_programme_allows_it(client, world):
    with scopes_disabled():
        Programme.objects.filter(pk=world.programme.pk).update(observers_see_names=True)
    client.force_login(world.observer)
    assert "Bruno Bernard" in client.get(dashboard_url(world)).content.decode()
    people = client.get(export_url(world, format="csv", tableau="personnes"))
    assert people.status_code == 200 and "Bruno Bernard" in people.content.decode("utf-8")
    html = client.get(team_url(world, world.team_a)).content.decode()
    assert "Bruno Bernard" in html[html.index('id="equipe-presences-titre"') :]
