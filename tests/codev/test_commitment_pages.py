"""Correcting and removing a commitment of a CODEV séance: the client, the facilitator
and the coordinators may (as they add one); another team of the group gets 403, a team
outside the group or another organisation 404; what is refused is said next to the
field, in French, and nothing is saved. Plain form posts, no JavaScript."""

from datetime import timedelta

import pytest
from django.utils import timezone

from codev.models import Commitment
from codev.services import cases
from organisations.models import AuditEntry
from tests.codev.test_seance_pages import (
    make_group,
    make_seances,
    member_of,
    name_client,
    url,
    write_case,
)
from tests.factories import build_programme

pytestmark = pytest.mark.django_db


def seance_day(group_session):
    return timezone.localtime(group_session.session.starts_at).date()


@pytest.fixture
def seance(world):
    """A CODEV group of four teams and its séance in 20 days, the first team client."""
    group = make_group(world, teams=world.teams[:4])
    (group_session,) = make_seances(world, group)
    return name_client(world, group_session, world.teams[0])


@pytest.fixture
def commitment(world, seance):
    person = member_of(world.teams[0])
    case = write_case(seance, person)
    return cases.save_commitment(
        case=case,
        acting_user=person,
        what="Écrire aux maires",
        owner=person,
        due_on=seance_day(seance) + timedelta(days=30),
    )


def edit_url(world, seance, commitment):
    return url(world, "seance_commitment_edit", seance, commitment.pk)


def delete_url(world, seance, commitment):
    return url(world, "seance_commitment_delete", seance, commitment.pk)


def test_the_client_corrects_a_commitment(client, world, seance, commitment):
    other = member_of(world.teams[0], 1)
    client.force_login(member_of(world.teams[0], 2))
    text = client.get(url(world, "seance_commitments", seance)).content.decode()
    assert edit_url(world, seance, commitment) in text
    assert delete_url(world, seance, commitment) in text
    page = client.get(edit_url(world, seance, commitment)).content.decode()
    assert "Modifier l’engagement" in page and 'value="Écrire aux maires"' in page
    due = seance_day(seance) + timedelta(days=45)
    response = client.post(
        edit_url(world, seance, commitment),
        {"what": "Écrire aux maires et aux EPCI", "owner": str(other.pk), "due_on": due},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == url(world, "seance_commitments", seance)
    commitment.refresh_from_db()
    assert (commitment.what, commitment.owner, commitment.due_on) == (
        "Écrire aux maires et aux EPCI",
        other,
        due,
    )
    entry = AuditEntry.objects.get(action="codev.commitment.updated")
    assert entry.actor == member_of(world.teams[0], 2)


def test_the_facilitator_and_the_coordinator_correct_and_remove(client, world, seance, commitment):
    client.force_login(world.trainer)
    text = client.get(url(world, "seance", seance)).content.decode()
    assert "Engagements du client" in text
    assert (
        "Noter les engagements du client"
        in client.get(url(world, "seance_runner", seance)).content.decode()
    )
    due = seance_day(seance) + timedelta(days=10)
    response = client.post(
        edit_url(world, seance, commitment),
        {"what": "Écrire aux maires", "owner": str(commitment.owner_id), "due_on": due},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.due_on == due
    # The facilitator adds one too, as the client would.
    response = client.post(
        url(world, "seance_commitments", seance),
        {"what": "Réunir le COPIL", "owner": str(commitment.owner_id), "due_on": due},
    )
    assert response.status_code == 302
    client.force_login(world.coordinator)
    response = client.post(delete_url(world, seance, commitment))
    assert response.status_code == 302
    assert list(Commitment.objects.values_list("what", flat=True)) == ["Réunir le COPIL"]
    entry = AuditEntry.objects.get(action="codev.commitment.deleted")
    assert (entry.actor, entry.target) == (world.coordinator, "Écrire aux maires")


def test_the_client_removes_a_commitment_with_a_plain_post(client, world, seance, commitment):
    client.force_login(member_of(world.teams[0]))
    assert client.get(delete_url(world, seance, commitment)).status_code == 405
    response = client.post(delete_url(world, seance, commitment), follow=True)
    assert "Engagement « Écrire aux maires » supprimé." in response.content.decode()
    assert not Commitment.objects.exists()


def test_another_team_may_not_touch_the_commitments(client, world, seance, commitment):
    due = (seance_day(seance) + timedelta(days=5)).isoformat()
    forged = {"what": "Piraté", "owner": str(commitment.owner_id), "due_on": due}
    # A team outside the group, and a team of another organisation: not found.
    other = build_programme(teams=1)
    for person in (member_of(world.teams[6]), member_of(other.teams[0])):
        client.force_login(person)
        assert client.get(edit_url(world, seance, commitment)).status_code == 404
        assert client.post(edit_url(world, seance, commitment), forged).status_code == 404
        assert client.post(delete_url(world, seance, commitment)).status_code == 404
    # A consultant team of the group reads the séance, but may not change them.
    client.force_login(member_of(world.teams[1]))
    assert client.get(edit_url(world, seance, commitment)).status_code == 403
    assert client.post(edit_url(world, seance, commitment), forged).status_code == 403
    assert client.post(delete_url(world, seance, commitment)).status_code == 403
    commitment.refresh_from_db()
    assert commitment.what == "Écrire aux maires"
    assert not AuditEntry.objects.filter(action__startswith="codev.commitment.").exists()


def test_a_commitment_of_another_seance_is_not_found_here(client, world, seance, commitment):
    group = make_group(world, name="CODEV 2", teams=world.teams[4:6])
    (elsewhere,) = make_seances(world, group)
    name_client(world, elsewhere, world.teams[4])
    client.force_login(world.coordinator)
    address = url(world, "seance_commitment_edit", elsewhere, commitment.pk)
    assert client.get(address).status_code == 404
    address = url(world, "seance_commitment_delete", elsewhere, commitment.pk)
    assert client.post(address).status_code == 404
    assert Commitment.objects.filter(pk=commitment.pk).exists()


def test_a_bad_correction_is_refused_next_to_the_field_and_nothing_saved(
    client,
    world,
    seance,
    commitment,
):
    client.force_login(member_of(world.teams[0]))
    before = seance_day(seance) - timedelta(days=1)
    response = client.post(
        edit_url(world, seance, commitment),
        {"what": "", "owner": "", "due_on": before.isoformat()},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dites à quoi le client s&#x27;engage." in text
    assert "Choisissez qui porte cet engagement." in text
    assert "L&#x27;échéance ne peut pas précéder la séance" in text
    assert text.count("invalid-feedback") >= 3
    commitment.refresh_from_db()
    assert commitment.what == "Écrire aux maires"
    assert commitment.due_on == seance_day(seance) + timedelta(days=30)
    assert not AuditEntry.objects.filter(action__startswith="codev.commitment.").exists()
