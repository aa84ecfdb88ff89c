"""The pages of a CODEV séance: the séance, the client's case, the facilitator's six
steps, the commitments and their follow-up. Who sees and writes what, what is refused
(next to the field, nothing saved), and how many queries the séance page runs."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from codev.models import Advice, Case, Commitment, Group, GroupKind, StepNote
from codev.services import cases, groups, sessions
from parcours.models import TeamMember
from tests.codev.conftest import in_days
from tests.factories import build_programme
from tests.querycount import assert_constant_queries
from tests.responses import read_streaming

pytestmark = pytest.mark.django_db


def make_group(world, name="CODEV 1", teams=()):
    group = groups.save_group(
        group=Group(programme=world.programme, name=name, kind=GroupKind.CODEV),
        acting_user=world.coordinator,
        facilitators=[world.trainer],
    )
    groups.set_members(group=group, teams=teams, acting_user=world.coordinator)
    return group


def member_of(team, index=0):
    with scopes_disabled():
        members = TeamMember.objects.filter(team=team).select_related("user").order_by("pk")
        return list(members)[index].user


def make_seances(world, group, days=(20,)):
    return [
        sessions.create_series(
            groups=[group],
            acting_user=world.coordinator,
            title=f"CODEV visio J+{day}",
            kind=world.kind,
            format="visio",
            visio_url="https://visio.exemple.fr/codev",
            starts_at=in_days(day, 9),
            ends_at=in_days(day, 12),
        )[0]
        for day in days
    ]


def name_client(world, group_session, team):
    sessions.set_roles(
        group_session=group_session,
        client=group_session.group.memberships.get(team=team),
        facilitator=world.trainer,
        acting_user=world.coordinator,
    )
    group_session.refresh_from_db()
    return group_session


@pytest.fixture
def seance(world):
    """A CODEV group of four teams and its séance in 20 days, the first team client."""
    group = make_group(world, teams=world.teams[:4])
    (group_session,) = make_seances(world, group)
    return name_client(world, group_session, world.teams[0])


def write_case(group_session, person, **extra):
    return cases.save_case(
        group_session=group_session,
        acting_user=person,
        title=extra.pop("title", "Mobiliser les élu·es"),
        question=extra.pop("question", "Comment associer les élu·es au PAT ?"),
        **extra,
    )


def url(world, name, group_session, *args):
    return reverse(f"codev:{name}", args=[world.organisation.slug, group_session.pk, *args])


# --- The séance page ------------------------------------------------------------------


def test_the_group_reads_the_seance_with_roles_case_advice_and_commitments(client, world, seance):
    case = write_case(seance, member_of(world.teams[0]), context="Deux réunions désertées.")
    consultant = seance.group.memberships.get(team=world.teams[1])
    cases.add_advice(case=case, text="Rencontrer chaque maire.", consultant=consultant)
    cases.save_commitment(
        case=case,
        acting_user=member_of(world.teams[0]),
        what="Écrire aux maires",
        owner=member_of(world.teams[0]),
        due_on=timezone.localdate() + timedelta(days=40),
    )
    client.force_login(member_of(world.teams[2]))
    text = client.get(url(world, "seance", seance)).content.decode()
    assert "Mobiliser les élu·es" in text
    assert "Deux réunions désertées." in text
    assert "Rencontrer chaque maire." in text
    assert world.teams[1].name in text  # a consultant
    assert "Écrire aux maires" in text
    assert "Compte rendu (PDF)" in text
    assert "Préparer notre cas" not in text and "Modifier notre cas" not in text
    assert "Animer la séance" not in text


def test_the_seance_is_not_found_outside_the_group_and_the_organisation(client, world, seance):
    client.force_login(member_of(world.teams[6]))  # a team of the programme, not of the group
    assert client.get(url(world, "seance", seance)).status_code == 404
    other = build_programme(teams=1)
    client.force_login(member_of(other.teams[0]))
    assert client.get(url(world, "seance", seance)).status_code == 404


def test_the_client_sees_its_buttons_and_the_facilitator_the_runner(client, world, seance):
    client.force_login(member_of(world.teams[0], 1))
    text = client.get(url(world, "seance", seance)).content.decode()
    assert "Préparer notre cas" in text and "Nos engagements" in text
    client.force_login(world.trainer)
    assert "Animer la séance" in client.get(url(world, "seance", seance)).content.decode()


def test_the_seance_page_queries_do_not_grow(client, world):
    """With more groups, more advice, commitments and former cases: the same count."""
    group = make_group(world, teams=world.teams[:4])
    first, current = make_seances(world, group, days=(-30, 20))
    name_client(world, first, world.teams[1])
    name_client(world, current, world.teams[0])
    client_person = member_of(world.teams[0])
    former_case = write_case(first, member_of(world.teams[1]))
    case = write_case(current, client_person)
    consultants = list(group.memberships.exclude(team=world.teams[0]))
    added = {"groups": 0}

    def grow(count):
        for _ in range(count):
            added["groups"] += 1
            make_group(world, name=f"Autre {added['groups']}")
            cases.add_advice(
                case=case, text="Un conseil", consultant=consultants[added["groups"] % 3]
            )
            Commitment.objects.create(
                organisation=world.organisation,
                case=former_case,
                what="Un engagement",
                owner=member_of(world.teams[1]),
                due_on=timezone.localdate(),
            )

    client.force_login(client_person)
    assert_constant_queries(client, url(world, "seance", current), grow, sizes=(2, 20))


def test_the_former_clients_follow_up_opens_the_seance(client, world):
    group = make_group(world, teams=world.teams[:4])
    first, current = make_seances(world, group, days=(-30, 20))
    name_client(world, first, world.teams[1])
    former_person = member_of(world.teams[1])
    former_case = write_case(first, former_person, title="Le cas d'avant")
    commitment = Commitment.objects.create(
        organisation=world.organisation,
        case=former_case,
        what="Réunir le COPIL",
        owner=former_person,
        due_on=timezone.localdate(),
    )
    client.force_login(former_person)
    text = client.get(url(world, "seance", current)).content.decode()
    assert "Ce que sont devenus les engagements" in text
    assert "Réunir le COPIL" in text
    assert "Dire ce que sont devenus nos engagements" in text
    response = client.post(
        url(world, "seance_follow_up", first),
        {"text": "Le COPIL s'est réuni en mars.", f"status_{commitment.pk}": "done"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    former_case.refresh_from_db()
    assert commitment.status == "done"
    assert former_case.follow_up == "Le COPIL s'est réuni en mars."
    client.force_login(member_of(world.teams[2]))
    text = client.get(url(world, "seance", current)).content.decode()
    assert "Le COPIL s&#x27;est réuni en mars." in text
    assert "Dire ce que sont devenus" not in text
    # Another team may not answer for them.
    response = client.post(url(world, "seance_follow_up", first), {"text": "Faux"})
    assert response.status_code == 403
    former_case.refresh_from_db()
    assert former_case.follow_up == "Le COPIL s'est réuni en mars."


# --- Before: the case -------------------------------------------------------------------


def test_the_client_prepares_its_case_with_a_document(client, world, seance, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(member_of(world.teams[0], 2))
    assert client.get(url(world, "seance_case", seance)).status_code == 200
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    response = client.post(
        url(world, "seance_case", seance),
        {
            "title": "Mobiliser les élu·es",
            "question": "Comment faire venir les élu·es ?",
            "context": "Contexte",
            "tried": "Deux réunions",
            "document": pdf,
            "document_title": "Note de cadrage",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(group_session=seance)
    assert case.tried == "Deux réunions"
    (document,) = case.documents.all()
    assert document.title == "Note de cadrage"
    download = client.get(url(world, "seance_case_document", seance, document.pk))
    assert read_streaming(download).startswith(b"%PDF")
    client.force_login(member_of(world.teams[6]))  # not in the group
    assert client.get(url(world, "seance_case_document", seance, document.pk)).status_code == 404


def test_a_case_with_no_question_or_a_fake_document_saves_nothing(
    client, world, seance, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(member_of(world.teams[0]))
    response = client.post(url(world, "seance_case", seance), {"title": "Un titre"})
    assert response.status_code == 200
    assert "Formulez la question que vous posez au groupe." in response.content.decode()
    fake = SimpleUploadedFile("note.pdf", b"<html>pas un pdf</html>")
    response = client.post(
        url(world, "seance_case", seance),
        {"title": "Un titre", "question": "Une question ?", "document": fake},
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Case.objects.filter(group_session=seance).exists()


def test_a_case_cannot_be_edited_by_another_team(client, world, seance):
    write_case(seance, member_of(world.teams[0]), title="Le vrai cas")
    client.force_login(member_of(world.teams[1]))  # a consultant of the group
    assert client.get(url(world, "seance_case", seance)).status_code == 403
    response = client.post(
        url(world, "seance_case", seance), {"title": "Piraté", "question": "Piraté ?"}
    )
    assert response.status_code == 403
    client.force_login(member_of(world.teams[6]))  # not in the group
    response = client.post(
        url(world, "seance_case", seance), {"title": "Piraté", "question": "Piraté ?"}
    )
    assert response.status_code == 404
    assert Case.objects.get(group_session=seance).title == "Le vrai cas"


# --- During: the six steps --------------------------------------------------------------


def test_the_facilitator_runs_the_six_steps_with_notes_and_advice(client, world, seance):
    case = write_case(seance, member_of(world.teams[0]))
    client.force_login(world.trainer)
    assert client.get(url(world, "seance_runner", seance)).status_code == 200
    client.post(url(world, "seance_step", seance), {"step": "1"})
    text = client.get(url(world, "seance_runner", seance)).content.decode()
    assert "Étape 1 : Exposé de la situation" in text
    assert "minutes restantes" in text and "fin prévue à" in text
    for step in range(1, 7):
        response = client.post(
            url(world, "seance_notes", seance),
            {"step": str(step), "notes": f"Notes {step}", "then": "next"},
        )
        assert response.status_code == 302
    seance.refresh_from_db()
    assert seance.finished_at is not None and seance.current_step is None
    assert StepNote.objects.filter(group_session=seance).count() == 6
    case.refresh_from_db()
    assert case.contract == "Notes 3"
    consultant = seance.group.memberships.get(team=world.teams[2])
    response = client.post(
        url(world, "seance_advice", seance),
        {"consultant": str(consultant.pk), "text": "Cartographier les acteurs."},
    )
    assert response.status_code == 302
    assert Advice.objects.get(case=case).consultant == consultant


def test_advice_refused_next_to_the_field(client, world, seance):
    case = write_case(seance, member_of(world.teams[0]))
    client.force_login(world.coordinator)
    client_membership = seance.client
    response = client.post(
        url(world, "seance_advice", seance), {"consultant": str(client_membership.pk), "text": ""}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Advice.objects.filter(case=case).exists()


def test_only_facilitators_and_coordinators_run_the_seance(client, world, seance):
    write_case(seance, member_of(world.teams[0]))
    client.force_login(member_of(world.teams[0]))
    assert client.get(url(world, "seance_runner", seance)).status_code == 403
    assert client.post(url(world, "seance_step", seance), {"step": "1"}).status_code == 403
    response = client.post(url(world, "seance_notes", seance), {"step": "1", "notes": "x"})
    assert response.status_code == 403
    seance.refresh_from_db()
    assert seance.current_step is None
    assert not StepNote.objects.filter(group_session=seance).exists()
    client.force_login(world.coordinator)
    assert client.get(url(world, "seance_runner", seance)).status_code == 200


# --- After: the commitments -------------------------------------------------------------


def test_the_client_records_its_commitments(client, world, seance):
    write_case(seance, member_of(world.teams[0]))
    owner = member_of(world.teams[0], 1)
    client.force_login(member_of(world.teams[0]))
    due = timezone.localtime(seance.session.starts_at).date() + timedelta(days=30)
    response = client.post(
        url(world, "seance_commitments", seance),
        {"what": "Réunir les maires", "owner": str(owner.pk), "due_on": due.isoformat()},
    )
    assert response.status_code == 302
    (commitment,) = Commitment.objects.filter(case__group_session=seance)
    assert commitment.owner == owner
    client.force_login(member_of(world.teams[3]))
    assert "Réunir les maires" in client.get(url(world, "seance", seance)).content.decode()


def test_a_commitment_with_no_owner_or_an_early_deadline_is_refused(client, world, seance):
    write_case(seance, member_of(world.teams[0]))
    client.force_login(member_of(world.teams[0]))
    before = timezone.localtime(seance.session.starts_at).date() - timedelta(days=1)
    response = client.post(
        url(world, "seance_commitments", seance),
        {"what": "Réunir les maires", "owner": "", "due_on": before.isoformat()},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choisissez qui porte cet engagement." in text
    assert "L&#x27;échéance ne peut pas précéder la séance" in text
    assert not Commitment.objects.exists()
    client.force_login(member_of(world.teams[1]))
    response = client.post(
        url(world, "seance_commitments", seance),
        {"what": "x", "owner": str(member_of(world.teams[1]).pk), "due_on": "2030-01-01"},
    )
    assert response.status_code == 403
    assert not Commitment.objects.exists()
