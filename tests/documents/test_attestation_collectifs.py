"""Attestations of an open-registration seminar (seed 001), read back with pdftotext:
the collectif, the structure and the fonction, and only the workshops recorded as
attended (a workshop merely chosen is never claimed)."""

import pytest
from django_scopes import scope

from documents.attestations import build_attestation
from documents.models import Document
from presences.records import person_record, programme_records
from tests.documents.collectif_world import build_bytes, pdf_text, seminar_world  # noqa: F401

pytestmark = pytest.mark.django_db


def _attestation(seminar, person) -> str:
    return pdf_text(
        build_bytes(
            seminar,
            build_attestation,
            kind=Document.Kind.ATTESTATION,
            programme=seminar.programme,
            person=person,
        )
    )


def test_a_collectif_member_gets_collectif_structure_and_workshop(seminar):
    text = _attestation(seminar, seminar.alice)
    assert "(DGS, Collectif du Vimeu, Mairie de Friville-Escarbotin)" in text
    assert "Ateliers suivis : Atelier A — Alimentation" in text
    # Chosen at registration, never recorded: not claimed.
    assert "Atelier C" not in text


def test_a_walk_in_gets_the_workshop_attended_not_the_one_chosen(seminar):
    text = _attestation(seminar, seminar.bruno)
    assert "Ateliers suivis : Atelier A — Alimentation" in text
    assert "Atelier B" not in text
    assert "CCAS de Friville" in text


def test_without_workshop_attendance_no_workshop_is_claimed(seminar):
    emma = _attestation(seminar, seminar.emma)
    assert "Ateliers suivis" not in emma
    assert "Atelier B" not in emma
    assert "(Secrétaire générale, Commune de Rue)" in emma
    denis = _attestation(seminar, seminar.denis)  # recorded absent at A
    assert "Ateliers suivis" not in denis
    assert "(Directeur de l'action sociale, Département de la Somme)" in denis


def test_records_carry_workshops_and_structures_in_constant_queries(
    seminar, django_assert_max_num_queries
):
    with scope(organisation=seminar.organisation.pk):
        with django_assert_max_num_queries(4):
            records = {r.user.pk: r for r in programme_records(programme=seminar.programme)}
        alice = person_record(programme=seminar.programme, user=seminar.alice)
    assert records[seminar.alice.pk].sessions[0].workshops == ("Atelier A — Alimentation",)
    assert records[seminar.bruno.pk].sessions[0].workshops == ("Atelier A — Alimentation",)
    assert records[seminar.emma.pk].sessions[0].workshops == ()
    assert records[seminar.emma.pk].structure == "Commune de Rue"
    assert records[seminar.emma.pk].team is None
    assert records[seminar.chloe.pk].team == seminar.collectifs.amiens
    assert not records[seminar.chloe.pk].attended
    assert alice.structure == "Mairie de Friville-Escarbotin"
    assert alice.sessions[0].workshops == ("Atelier A — Alimentation",)
