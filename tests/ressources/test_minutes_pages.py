"""The minutes' pages: the session's panel, the editor (rows added without JavaScript,
refusals in French, validated minutes refused), the workflow buttons, the readers of a
team's coaching and of a COPIL (404 for the others), the PDF, and the programme's
« Comptes rendus » tab with its gaps and a bounded number of queries."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from notifications.models import OutboxMessage
from plans.models import Action
from ressources.models import Minutes
from ressources.services import minutes as services
from tests.factories import SessionFactory
from tests.querycount import assert_constant_queries
from tests.ressources.factories import minutes_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    built = minutes_world()
    with scope(organisation=built.organisation.pk):
        yield built


def body(response) -> str:
    return html.unescape(response.content.decode())


def url(world, name, minutes, *args):
    return reverse(f"ressources:{name}", args=[world.organisation.slug, minutes.pk, *args])


def session_url(world, session):
    return reverse("parcours:session_detail", args=[world.organisation.slug, session.pk])


def validated(world, session=None, **values):
    session = session or world.copil
    minutes = services.start_minutes(session=session, acting_user=world.trainer)
    services.save_version(
        minutes=minutes,
        acting_user=world.trainer,
        items=[{"title": "Point", "text": "Texte du point"}],
        decisions=["Décision Alpha"],
        **values,
    )
    services.validate_minutes(minutes=minutes, acting_user=world.trainer)
    return Minutes.objects.get(pk=minutes.pk)


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }


def editor_data(**rows):
    data = {"other_names": ""}
    for prefix in ("items", "decisions", "actions"):
        data.update(management(prefix, 0))
    for key, value in rows.items():
        data[key] = value
    return data


def test_the_session_page_offers_to_write_then_shows_the_minutes(client, world):
    client.force_login(world.trainer)
    page = body(client.get(session_url(world, world.copil)))
    assert "Rédiger le compte rendu" in page
    response = client.post(
        reverse("ressources:minutes_start", args=[world.organisation.slug, world.copil.pk])
    )
    minutes = Minutes.objects.get(session=world.copil)
    assert response.url == url(world, "minutes_edit", minutes)
    # A member of a team sees nothing while it is a draft, then a link once validated.
    client.force_login(world.members[0])
    assert "Compte rendu" not in body(client.get(session_url(world, world.copil)))
    assert client.get(url(world, "minutes_detail", minutes)).status_code == 404
    client.post(reverse("ressources:minutes_start", args=[world.organisation.slug, world.copil.pk]))
    assert client.get(url(world, "minutes_edit", minutes)).status_code == 404


def test_the_editor_adds_rows_without_javascript_and_saves(client, world):
    minutes = services.start_minutes(session=world.copil, acting_user=world.trainer)
    client.force_login(world.trainer)
    edit = url(world, "minutes_edit", minutes)
    page = body(client.get(edit))
    assert "Tour de table" in page and "D’après la feuille de présence" in page
    data = editor_data(**{"ajouter": "decisions"})
    response = client.post(edit, data)
    assert response.status_code == 200
    assert 'name="decisions-0-text"' in response.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).versions.get().decisions.count() == 0
    data = editor_data(
        **management("items", 1),
        **management("decisions", 1),
        **management("actions", 1),
        **{
            "items-0-title": "Tour de table",
            "items-0-text": "[clic](javascript:alert(1)) ![x](https://ailleurs.example/x.png)",
            "decisions-0-text": "Décision Bêta",
            "actions-0-text": "Recenser les cantines",
            "actions-0-owner": str(world.members[0].pk),
            "actions-0-team": str(world.team.pk),
            "actions-0-due_on": world.in_a_month.isoformat(),
        },
    )
    response = client.post(edit, data)
    assert response.status_code == 302, body(response)
    page = body(client.get(url(world, "minutes_detail", minutes)))
    assert "Décision Bêta" in page and "Recenser les cantines" in page
    # The link is neutralised (text, no href) and the outside image stripped.
    assert 'href="javascript' not in page and "ailleurs.example" not in page
    assert "<img" not in page.split("Ordre du jour")[1]


def test_the_editor_refuses_over_long_texts_in_french(client, world):
    minutes = services.start_minutes(session=world.copil, acting_user=world.trainer)
    client.force_login(world.trainer)
    data = editor_data(**management("items", 1), **{"items-0-title": "T" * 20_000})
    response = client.post(url(world, "minutes_edit", minutes), data)
    assert response.status_code == 400
    assert "Assurez-vous que cette valeur comporte au plus 200 caractères" in body(response)


def test_validated_minutes_are_not_edited_but_corrected(client, world):
    minutes = validated(world)
    client.force_login(world.trainer)
    response = client.get(url(world, "minutes_edit", minutes), follow=True)
    assert "Ce compte rendu est validé : faites une correction." in body(response)
    response = client.post(url(world, "minutes_correct", minutes))
    assert response.url == url(world, "minutes_edit", minutes)
    first = body(client.get(url(world, "minutes_version", minutes, 1)))
    assert "Ancienne version" in first and "Décision Alpha" in first


def test_the_workflow_buttons_share_and_validate_once(client, world):
    minutes = services.start_minutes(session=world.copil, acting_user=world.trainer)
    services.save_version(minutes=minutes, acting_user=world.trainer, decisions=["Décision Gamma"])
    client.force_login(world.coordinator)
    client.post(url(world, "minutes_share", minutes))
    assert OutboxMessage.objects.filter(kind="minutes.shared").count() == 2
    client.force_login(world.others[0])  # an attendee comments
    page = body(client.get(url(world, "minutes_detail", minutes)))
    assert "Décision Gamma" in page and "Commenter" in page
    client.post(url(world, "minutes_comment", minutes, 1), {"text": "Une précision"})
    client.force_login(world.coordinator)
    assert "Une précision" in body(client.get(url(world, "minutes_detail", minutes)))
    client.post(url(world, "minutes_validate", minutes))
    response = client.post(url(world, "minutes_validate", minutes), follow=True)
    assert "déjà validé" in body(response)
    assert OutboxMessage.objects.filter(kind="minutes.validated").count() == 2
    response = client.get(url(world, "minutes_pdf", minutes, 1))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 200),
        ("team_mate", 200),
        ("coordinator", 200),
        ("trainer", 200),
        ("other_team", 404),
        ("observer", 404),
    ],
)
def test_a_team_coaching_is_read_by_its_team_and_staff_only(client, world, who, status):
    minutes = validated(world, world.coaching, present=[world.members[0]])
    people = {
        "member": world.members[0],
        "team_mate": world.members[2],
        "coordinator": world.coordinator,
        "trainer": world.trainer,
        "other_team": world.others[0],
        "observer": world.observer,
    }
    client.force_login(people[who])
    assert client.get(url(world, "minutes_detail", minutes)).status_code == status
    assert client.get(url(world, "minutes_pdf", minutes, 1)).status_code == status


def test_a_copil_is_read_by_the_expected_and_the_observers(client, world):
    minutes = validated(world)
    for person in (world.members[1], world.others[2], world.observer):
        client.force_login(person)
        assert client.get(url(world, "minutes_detail", minutes)).status_code == 200
        assert "Compte rendu" in body(client.get(session_url(world, world.copil)))
        # Readers never write.
        assert client.post(url(world, "minutes_correct", minutes)).status_code == 404
    client.force_login(world.members[0])
    assert client.get(url(world, "minutes_edit", minutes)).status_code == 404


def test_the_programme_tab_lists_the_gaps_in_constant_queries(client, world):
    validated(world)
    client.force_login(world.coordinator)
    tab = reverse(
        "ressources:programme_minutes", args=[world.organisation.slug, world.programme.pk]
    )
    page = body(client.get(tab))
    assert "Comptes rendus" in page and "Accompagnement individuel" in page
    gaps = page.split("Séances tenues et leurs comptes rendus")[0]
    assert "Accompagnement individuel" in gaps and "COPIL préparatoire" not in gaps

    def add(count):
        for index in range(count):
            session = SessionFactory(
                programme=world.programme,
                kind=world.kind,
                past=True,
                starts_at=timezone.now() - timedelta(days=20 + index),
                ends_at=timezone.now() - timedelta(days=20 + index) + timedelta(hours=2),
            )
            if index % 2:
                validated(world, session)

    queries = assert_constant_queries(client, tab, add, sizes=(4, 12))
    print(f"programme minutes tab: {queries} queries")
    client.force_login(world.members[0])
    assert client.get(tab).status_code == 404


def test_the_action_reaches_the_plan(client, world):
    validated(
        world,
        actions=[
            {
                "text": "Action Delta",
                "owner": world.members[0],
                "team": world.team,
                "due_on": world.in_a_month,
            }
        ],
    )
    action = Action.objects.get(source="minutes")
    client.force_login(world.members[0])
    plan_url = reverse(
        "plans:plan_detail", args=[world.organisation.slug, world.programme.pk, action.plan_id]
    )
    assert "Action Delta" in body(client.get(plan_url))
