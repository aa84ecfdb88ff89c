"""Importing a cohort's teams and their members from a CSV or XLSX file: the file is read
(headers matched whatever their case and accents), every row is checked and shown with
its problems before anything is written, the confirmation checks again and creates the
teams, the invitations (and their e-mails) and the former members with their dates, in
one transaction. A member's dates are corrected from the team's page."""

from datetime import date, datetime, timedelta

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from notifications.models import OutboxMessage
from organisations.models import AuditEntry
from parcours import services
from parcours.models import Team, TeamInvitation, TeamMember
from parcours.services import team_import as team_import_service
from parcours.team_import import (
    HEADERS,
    check_team_rows,
    parse_team_file,
    sign_rows,
)
from tests.factories import (
    MembershipFactory,
    TeamFactory,
    TeamMemberFactory,
    TeamRoleFactory,
    TerritoryFactory,
    UserFactory,
    build_programme,
)

pytestmark = pytest.mark.django_db

ELU, CHARGE, SERVICE, PARTNER = (
    "Élu·e référent·e",
    "Chargé·e de mission",
    "Responsable de service",
    "Partenaire",
)


@pytest.fixture
def world():
    """A programme with the trinôme roles and a fourth, optional one; its coordinator
    and trainer, another organisation's coordinator; three territories."""
    with scopes_disabled():
        built = build_programme(teams=0)
        org = built.organisation
        built.partner = TeamRoleFactory(
            programme=built.programme, name=PARTNER, order=3, required=False
        )
        built.coordinator = MembershipFactory(organisation=org, coordinator=True).user
        built.trainer = MembershipFactory(organisation=org, trainer=True).user
        built.stranger = MembershipFactory(coordinator=True).user
        built.omer = TerritoryFactory(
            kind="epci", code="200069037", name="CA du Pays de Saint-Omer"
        )
        built.bourg = TerritoryFactory(kind="commune", code="01053", name="Bourg-en-Bresse")
        built.amiens = TerritoryFactory(kind="epci", code="248000531", name="Amiens Métropole")
    return built


def url(world, name="team_import", *extra) -> str:
    return reverse(f"parcours:{name}", args=[world.organisation.slug, world.programme.pk, *extra])


def person(team="PAT du Pays de Saint-Omer", territory="200069037", n=0, role=ELU, **extra):
    row = {
        "territory": territory,
        "team": team,
        "first_name": f"Prénom{n}",
        "last_name": f"Nom{n}",
        "email": f"personne{n}@territoire.example",
        "role": role,
        "joined_on": "",
        "left_on": "",
    }
    row.update(extra)
    return row


def full_team(team, territory, start=0):
    return [
        person(team, territory, start + index, role)
        for index, role in enumerate([ELU, CHARGE, SERVICE, PARTNER])
    ]


def csv_file(rows, *, headers=None, delimiter=";", name="equipes.csv") -> SimpleUploadedFile:
    headers = headers or [
        "Territoire",
        "Équipe",
        "Prénom",
        "Nom",
        "E-mail",
        "Rôle",
        "Arrivée",
        "Départ",
    ]
    keys = ["territory", "team", "first_name", "last_name", "email", "role", "joined_on", "left_on"]
    lines = [delimiter.join(headers)]
    lines += [delimiter.join(row[key] for key in keys) for row in rows]
    content = ("\ufeff" + "\n".join(lines) + "\n").encode()
    return SimpleUploadedFile(name, content, "text/csv")


def check(world, rows):
    with scope(organisation=world.organisation.pk):
        return check_team_rows(cohort=world.cohort, rows=rows)


def errors_of(preview):
    return {row.line: row.errors for row in preview.rows if row.errors}


def counts():
    with scopes_disabled():
        return (
            Team.objects.count(),
            TeamInvitation.objects.count(),
            TeamMember.objects.count(),
            OutboxMessage.objects.count(),
            AuditEntry.objects.count(),
        )


# --- Reading the file ----------------------------------------------------------------


def test_a_csv_file_is_read_whatever_the_case_and_accents_of_its_headers(world):
    rows = [person(first_name="  Léa ", email=" lea@bray.example ")]
    uploaded = csv_file(
        rows,
        headers=["TERRITOIRE", "equipe", "prenom", "NOM", "Email", "role", "arrivee", "depart"],
    )
    (row,) = parse_team_file(uploaded)
    assert row["first_name"] == "Léa" and row["email"] == "lea@bray.example"
    assert row["team"] == "PAT du Pays de Saint-Omer" and row["role"] == ELU


def test_a_comma_separated_csv_in_windows_1252_is_read():
    content = (
        "territoire,équipe,prénom,nom,e-mail,rôle\n01053,PAT de Bourg,Zoé,Hervé,z@b.example,Élu\n"
    )
    uploaded = SimpleUploadedFile("e.csv", content.encode("cp1252"), "text/csv")
    (row,) = parse_team_file(uploaded)
    assert (row["first_name"], row["last_name"], row["role"]) == ("Zoé", "Hervé", "Élu")
    assert row["joined_on"] == "" and row["left_on"] == ""


def test_an_xlsx_file_is_read_with_its_dates_and_numeric_codes(world):
    dataset = tablib.Dataset(headers=HEADERS)
    dataset.append(
        [
            1053,
            "PAT de Bourg",
            "Zoé",
            "Hervé",
            "z@b.example",
            ELU,
            datetime(2024, 9, 1),
            "15/03/2025",
        ]
    )
    dataset.append([None, None, None, None, None, None, None, None])  # a blank line
    uploaded = SimpleUploadedFile("equipes.xlsx", dataset.export("xlsx"))
    (row,) = parse_team_file(uploaded)
    assert row["territory"] == "1053" and row["joined_on"] == "2024-09-01"
    preview = check(world, [row])
    (checked,) = preview.rows
    # The leading zero a spreadsheet drops is put back; both date forms are read.
    assert checked.territory == world.bourg
    assert (checked.joined_on, checked.left_on) == (date(2024, 9, 1), date(2025, 3, 15))
    assert checked.is_former


@pytest.mark.parametrize(
    ("uploaded", "message"),
    [
        (SimpleUploadedFile("e.csv", b"%PDF-1.4\n%fake\n"), "pas un tableur"),
        (SimpleUploadedFile("e.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 100), "pas un tableur"),
        (SimpleUploadedFile("e.csv", b"a\x00b\x00c"), "pas un tableur lisible"),
        (SimpleUploadedFile("e.csv", b"x" * (1024 * 1024 + 1)), "la limite est de 1"),
        (SimpleUploadedFile("e.csv", b"nom;prenom\nA;B\n"), "Il manque les colonnes"),
        (SimpleUploadedFile("e.csv", (";".join(HEADERS) + "\n").encode()), "aucune ligne"),
    ],
)
def test_a_bad_file_is_refused_next_to_the_field_and_nothing_is_saved(
    client, world, uploaded, message
):
    client.force_login(world.coordinator)
    before = counts()
    response = client.post(url(world), {"cohort": world.cohort.pk, "file": uploaded})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert 'id="id_file_error"' in response.text or "invalid-feedback" in response.text
    assert counts() == before


def test_an_empty_file_is_refused(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        url(world), {"cohort": world.cohort.pk, "file": SimpleUploadedFile("e.csv", b"")}
    )
    assert response.context["form"].errors["file"] == ["Ce fichier est vide."]


# --- Checking every row --------------------------------------------------------------


def test_a_clean_file_has_no_problem_and_counts_what_will_be_done(world):
    rows = full_team("PAT du Pays de Saint-Omer", "200069037") + full_team(
        "PAT d'Amiens", "Amiens Métropole", start=10
    )
    preview = check(world, rows)
    assert errors_of(preview) == {}
    assert preview.is_valid
    assert [team.territory for team in preview.teams] == [world.omer, world.amiens]
    assert (preview.teams_to_create, preview.invitations, preview.former_members) == (2, 8, 0)


def test_each_row_problem_is_named_in_french(world):
    with scopes_disabled():
        team = TeamFactory(cohort=world.cohort, name="PAT existant", territory=world.omer)
        TeamMemberFactory(team=team, user=UserFactory(email="deja@membre.example"))
        TeamInvitation.objects.create(
            organisation=world.organisation, team=team, email="deja@invite.example"
        )
    rows = [
        person("PAT 1", territory="99999", n=1),  # 2
        person("PAT 2", territory="Nulle Part", n=2),  # 3
        person("PAT D", n=3, email="double@territoire.example"),  # 4
        person("PAT D", n=4, role=CHARGE, email="DOUBLE@territoire.example"),  # 5
        person("PAT existant", n=5, email="deja@membre.example"),  # 6
        person("PAT existant", n=6, email="deja@invite.example", role=CHARGE),  # 7
        person("PAT D", n=7, role=ELU),  # 8: a second élu·e in the team
        person("PAT 9", n=8, role="Trésorier"),  # 9
        person("PAT 10", n=9, email="pas-une-adresse", role=SERVICE),  # 10
        person("PAT 11", n=10, role=PARTNER, joined_on="10/05/2025", left_on="01/02/2025"),  # 11
        person(team="", n=11),  # 12
        person("PAT 13", n=12, role=PARTNER, joined_on="32/13/2025"),  # 13
        person("PAT 14", n=13, role=PARTNER, left_on="01/02/2025"),  # 14
        person("PAT 15", n=14, role=PARTNER, first_name="", last_name=""),  # 15
        person("PAT existant", territory="248000531", n=15, role=SERVICE),  # 16
    ]
    errors = errors_of(check(world, rows))
    assert errors[2] == [
        "Territoire inconnu : « 99999 ». Indiquez son code officiel (INSEE ou SIREN) ou son "
        "nom exact."
    ]
    assert "Territoire inconnu : « Nulle Part »" in errors[3][0]
    assert 4 not in errors
    assert errors[5] == ["Cette adresse e-mail figure déjà ligne 4 pour cette équipe."]
    assert errors[6] == ["Cette personne fait déjà partie de l'équipe."]
    assert errors[7] == ["Une invitation attend déjà cette adresse dans cette équipe."]
    assert errors[8] == ["Le rôle « Élu·e référent·e » est limité à 1 personne par équipe."]
    assert errors[9] == [
        "Rôle inconnu : « Trésorier ». Rôles du programme : Élu·e référent·e, Chargé·e de "
        "mission, Responsable de service, Partenaire."
    ]
    assert errors[10] == ["Adresse e-mail invalide : « pas-une-adresse »."]
    assert errors[11] == ["La date de départ précède la date d'arrivée."]
    assert errors[12] == ["Indiquez le nom de l'équipe."]
    assert errors[13] == ["Date d'arrivée illisible : « 32/13/2025 » (jj/mm/aaaa attendu)."]
    assert errors[14] == ["Indiquez la date d'arrivée d'une personne déjà partie."]
    assert errors[15] == ["Indiquez le prénom.", "Indiquez le nom."]
    assert errors[16] == [
        "L'équipe « PAT existant » existe déjà dans la promotion avec un autre territoire."
    ]


def test_role_names_are_matched_whatever_their_case_and_the_limit_counts_existing_members(
    world,
):
    with scopes_disabled():
        team = TeamFactory(cohort=world.cohort, name="PAT existant")
        TeamMemberFactory(team=team, role=world.roles[1])
    rows = [
        person("pat existant", "", 1, role="élu·e RÉFÉRENT·E"),
        person("PAT existant", "", 2, role=CHARGE),
    ]
    preview = check(world, rows)
    assert preview.rows[0].role == world.roles[0] and not preview.rows[0].errors
    assert preview.rows[1].errors == [
        "Le rôle « Chargé·e de mission » est limité à 1 personne par équipe."
    ]
    assert preview.teams[0].existing == team and preview.teams_to_create == 0


def test_a_role_of_one_or_more_people_has_no_limit(world):
    with scopes_disabled():
        world.partner.max_per_team = None
        world.partner.save()
    rows = [person(n=n, role=PARTNER) for n in range(4)]
    assert errors_of(check(world, rows)) == {}


def test_a_former_member_takes_no_place_in_the_role(world):
    rows = [
        person(n=1, role=ELU, joined_on="01/09/2024", left_on="15/03/2025"),
        person(n=2, role=ELU, joined_on="2025-03-15"),
    ]
    preview = check(world, rows)
    assert errors_of(preview) == {}
    assert (preview.invitations, preview.former_members) == (1, 1)
    # An arrival date without departure: an invitation, dated when accepted.
    assert "date d'arrivée sera celle de l'acceptation" in preview.rows[1].notes[0]


def test_a_departure_in_the_future_is_refused(world):
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    rows = [person(joined_on="01/09/2024", left_on=tomorrow)]
    assert errors_of(check(world, rows)) == {
        2: ["La date de départ ne peut pas être dans le futur."]
    }


def test_a_missing_required_role_is_shown_per_team(world):
    rows = [
        person("PAT A", "", 1, role=ELU),
        person("PAT A", "", 2, role=SERVICE),
        *full_team("PAT B", "", start=10),
    ]
    preview = check(world, rows)
    team_a, team_b = preview.teams
    assert [role.name for role in team_a.missing_roles] == [CHARGE]
    assert team_b.missing_roles == []
    # A team may be imported incomplete: its page flags the empty role afterwards.
    assert preview.is_valid


def test_the_same_team_named_with_two_territories_is_flagged(world):
    rows = [person(n=1, territory="200069037"), person(n=2, territory="01053", role=CHARGE)]
    assert errors_of(check(world, rows)) == {
        3: [
            "Territoire différent de celui des autres lignes de l'équipe "
            "« PAT du Pays de Saint-Omer »."
        ]
    }


def test_a_territory_name_shared_by_two_communes_asks_for_the_code(world):
    with scopes_disabled():
        TerritoryFactory(kind="commune", code="97411", name="Saint-Denis")
        TerritoryFactory(kind="commune", code="93066", name="Saint-Denis")
    (row,) = check(world, [person(territory="saint denis")]).rows
    assert row.errors == [
        "Plusieurs territoires répondent à « saint denis » : indiquez son code officiel "
        "(INSEE ou SIREN)."
    ]


# --- The preview page, then the confirmation ------------------------------------------


def preview_page(client, world, rows):
    return client.post(url(world), {"cohort": world.cohort.pk, "file": csv_file(rows)})


def confirm(client, world, response):
    return client.post(
        url(world, "team_import_confirm"), {"rows": response.context["token"]}, follow=True
    )


def ten_teams():
    return [
        row for index in range(10) for row in full_team(f"PAT n°{index + 1}", "", start=index * 4)
    ]


def test_the_upload_page_documents_the_columns_and_offers_the_templates(client, world):
    client.force_login(world.coordinator)
    response = client.get(url(world))
    assert response.status_code == 200
    for header in HEADERS:
        assert f"<code>{header}</code>" in response.text
    assert url(world, "team_import_template_csv") in response.text
    assert url(world, "team_import_template_xlsx") in response.text
    team_list = client.get(url(world, "team_list"))
    assert url(world) in team_list.text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_files_can_be_imported_as_they_are(client, world, fmt):
    client.force_login(world.coordinator)
    response = client.get(url(world, f"team_import_template_{fmt}"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="modele-import-equipes.{fmt}"'
    rows = parse_team_file(SimpleUploadedFile(f"modele.{fmt}", response.content))
    preview = check(world, rows)
    assert errors_of(preview) == {}
    assert (preview.invitations, preview.former_members) == (4, 1)


def test_the_preview_writes_nothing_then_the_confirmation_imports_everything(client, world):
    client.force_login(world.coordinator)
    before = counts()
    response = preview_page(client, world, ten_teams())
    assert response.status_code == 200
    assert "Aperçu de l" in response.text and "Confirmer l'import" in response.text
    assert counts() == before

    response = confirm(client, world, response)
    assert response.redirect_chain[-1][0] == url(world, "team_list")
    assert "10 équipes, 40 invitations envoyées" in response.text
    with scopes_disabled():
        assert Team.objects.filter(cohort=world.cohort).count() == 10
        invitations = TeamInvitation.objects.filter(team__cohort=world.cohort)
        assert invitations.count() == 40
        first = invitations.get(email="personne0@territoire.example")
        assert (first.first_name, first.role, first.invited_by) == (
            "Prénom0",
            world.roles[0],
            world.coordinator,
        )
        assert OutboxMessage.objects.filter(organisation=world.organisation).count() >= 40
        assert {m.to_email for m in OutboxMessage.objects.all()} >= {
            f"personne{n}@territoire.example" for n in range(40)
        }
        entry = AuditEntry.objects.get(action="parcours.teams.imported")
        assert entry.data["teams_created"] == 10 and entry.data["invitations"] == 40
        assert entry.actor == world.coordinator


def test_a_former_member_is_recorded_with_their_dates_and_no_invitation(client, world):
    with scopes_disabled():
        known = UserFactory(email="ancien@territoire.example")
    rows = [
        person(
            n=1,
            role=ELU,
            email="ancien@territoire.example",
            joined_on="01/09/2024",
            left_on="15/03/2025",
        ),
        person(
            n=2,
            role=ELU,
            email="nouvelle@territoire.example",
            first_name="Nina",
            joined_on="01/09/2024",
            left_on="15/03/2025",
        ),
        person(n=3, role=ELU),
    ]
    client.force_login(world.coordinator)
    response = confirm(client, world, preview_page(client, world, rows))
    assert "1 équipe, 1 invitation envoyée, 2 anciens membres enregistrés" in response.text
    zone = world.organisation.time_zone
    with scopes_disabled():
        former = TeamMember.objects.get(user=known)
        assert timezone.localtime(former.joined_at, timezone=zone_info(zone)).date() == date(
            2024, 9, 1
        )
        assert timezone.localtime(former.left_at, timezone=zone_info(zone)).date() == date(
            2025, 3, 15
        )
        created = TeamMember.objects.get(user__email="nouvelle@territoire.example")
        assert created.user.first_name == "Nina" and not created.user.has_usable_password()
        assert not TeamInvitation.objects.filter(
            email__in=[known.email, created.user.email]
        ).exists()
        assert TeamInvitation.objects.filter(email="personne3@territoire.example").exists()


def zone_info(zone):
    from zoneinfo import ZoneInfo

    return ZoneInfo(zone)


def test_a_file_with_problems_cannot_be_confirmed(client, world):
    client.force_login(world.coordinator)
    response = preview_page(client, world, [person(role="Trésorier")])
    assert response.context["token"] == ""
    assert "Rôle inconnu : « Trésorier »" in response.text
    assert "Confirmer l'import" not in response.text


def test_the_confirmation_checks_again_and_writes_nothing_if_a_row_went_wrong(client, world):
    client.force_login(world.coordinator)
    response = preview_page(client, world, full_team("PAT du Pays de Saint-Omer", "200069037"))
    with scope(organisation=world.organisation.pk):
        # Meanwhile another coordinator creates the team and invites someone of the file.
        team = services.create_team(
            cohort=world.cohort, acting_user=world.coordinator, name="PAT du Pays de Saint-Omer"
        )
        services.invite_to_team(
            team=team, acting_user=world.coordinator, email="personne1@territoire.example"
        )
    before = counts()
    response = confirm(client, world, response)
    assert "rien n&#x27;a été importé" in response.text
    assert "Une invitation attend déjà cette adresse dans cette équipe." in response.text
    assert counts() == before


def test_everything_is_undone_when_one_write_fails(client, world, monkeypatch):
    client.force_login(world.coordinator)
    response = preview_page(client, world, ten_teams())
    real = team_import_service.invite_to_team
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["email"])
        if len(calls) == 30:
            from django.core.exceptions import ValidationError

            raise ValidationError({"role": "Le rôle est déjà pourvu."})
        return real(**kwargs)

    monkeypatch.setattr(team_import_service, "invite_to_team", failing)
    before = counts()
    response = confirm(client, world, response)
    assert "Le rôle est déjà pourvu." in response.text
    assert counts() == before


def test_a_tampered_or_foreign_token_is_refused(client, world):
    client.force_login(world.coordinator)
    before = counts()
    response = client.post(url(world, "team_import_confirm"), {"rows": "faux"}, follow=True)
    assert response.redirect_chain[-1][0] == url(world)
    assert "envoyez le fichier à nouveau" in response.text
    # Signed for another coordinator: refused as well.
    token = sign_rows(
        organisation_id=world.organisation.pk,
        programme_id=world.programme.pk,
        user_id=world.trainer.pk,
        cohort_id=world.cohort.pk,
        rows=[person()],
    )
    response = client.post(url(world, "team_import_confirm"), {"rows": token}, follow=True)
    assert "envoyez le fichier à nouveau" in response.text
    assert counts() == before


@pytest.mark.parametrize(
    "name", ["team_import", "team_import_template_csv", "team_import_template_xlsx"]
)
def test_only_the_coordinators_of_the_organisation_reach_the_import(client, world, name):
    for user in (world.trainer, world.stranger):
        client.force_login(user)
        assert client.get(url(world, name)).status_code == 404
    client.force_login(world.trainer)
    before = counts()
    assert preview_page(client, world, [person()]).status_code == 404
    token = sign_rows(
        organisation_id=world.organisation.pk,
        programme_id=world.programme.pk,
        user_id=world.trainer.pk,
        cohort_id=world.cohort.pk,
        rows=[person()],
    )
    assert client.post(url(world, "team_import_confirm"), {"rows": token}).status_code == 404
    assert counts() == before


def test_the_preview_runs_the_same_number_of_queries_for_10_and_40_rows(client, world):
    with scopes_disabled():
        TeamFactory(cohort=world.cohort, name="PAT n°1")
    client.force_login(world.coordinator)
    preview_page(client, world, ten_teams()[:10])  # warm caches
    measured = []
    for size in (10, 40):
        rows = [
            {**row, "territory": ["200069037", "Amiens Métropole", "1053", ""][index % 4]}
            for index, row in enumerate(ten_teams()[:size])
        ]
        with CaptureQueriesContext(connection) as context:
            response = preview_page(client, world, rows)
        assert response.status_code == 200 and len(response.context["preview"].rows) == size
        measured.append(len(context.captured_queries))
    assert measured[0] == measured[1], measured
    assert measured[0] <= 20


# --- A member's dates, from the team's page -------------------------------------------


@pytest.fixture
def dated(world):
    with scopes_disabled():
        world.team = TeamFactory(cohort=world.cohort, name="PAT de Bray")
        world.former = TeamMemberFactory(team=world.team, role=world.roles[0], former=True)
        world.current = TeamMemberFactory(team=world.team, role=world.roles[0])
    return world


def dates_url(world, member):
    return url(world, "team_member_dates", world.team.pk, member.pk)


def test_the_coordinator_dates_a_replacement_in_a_past_programme(client, dated):
    client.force_login(dated.coordinator)
    page = client.get(url(dated, "team_detail", dated.team.pk))
    assert dates_url(dated, dated.former) in page.text
    assert client.get(dates_url(dated, dated.former)).status_code == 200
    response = client.post(
        dates_url(dated, dated.former),
        {"joined_at": "2024-09-01", "left_at": "2025-03-15"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url(dated, "team_detail", dated.team.pk)
    assert "1er septembre 2024" in response.text and "15 mars 2025" in response.text
    with scopes_disabled():
        dated.former.refresh_from_db()
        assert dated.former.left_at.astimezone(zone_info("Europe/Paris")).date() == date(
            2025, 3, 15
        )
        assert AuditEntry.objects.filter(action="parcours.team_member.dated").count() == 1


def test_dates_are_checked_in_french_next_to_their_field(client, dated):
    client.force_login(dated.coordinator)
    response = client.post(
        dates_url(dated, dated.former), {"joined_at": "2025-03-15", "left_at": "2024-09-01"}
    )
    assert response.context["form"].errors == {
        "left_at": ["La date de départ ne peut pas précéder la date d'arrivée."]
    }
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(dates_url(dated, dated.current), {"joined_at": future})
    assert response.context["form"].errors == {
        "joined_at": ["La date d'arrivée ne peut pas être dans le futur."]
    }
    # A current member has no departure field: they leave through « Retirer ».
    assert "left_at" not in response.context["form"].fields


def test_set_membership_dates_refuses_a_departure_for_a_current_member(dated):
    from django.core.exceptions import ValidationError

    with scope(organisation=dated.organisation.pk), pytest.raises(ValidationError) as caught:
        services.set_membership_dates(
            member=dated.current,
            acting_user=dated.coordinator,
            joined_on=date(2024, 9, 1),
            left_on=date(2025, 1, 1),
        )
    assert "Retirer" in caught.value.message_dict["left_at"][0]


def test_a_member_s_dates_are_the_coordinator_s_only(client, dated):
    for user in (dated.trainer, dated.stranger):
        client.force_login(user)
        assert client.get(dates_url(dated, dated.former)).status_code == 404
    client.force_login(dated.coordinator)
    with scopes_disabled():
        elsewhere = TeamMemberFactory(team=TeamFactory(cohort=dated.cohort))
    assert client.get(dates_url(dated, elsewhere)).status_code == 404
