"""The émargement of an open-registration seminar (seed 001), blank and filled, read
back with pdftotext: the registrants collectif by collectif then the individuals, each
with their structure and fonction."""

import pytest

from documents.attendance_sheets import build_blank_sheet, build_filled_sheet, sheet_context
from documents.models import Document
from tests.documents.collectif_world import build_bytes, pdf_text, seminar_world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_groups_are_the_collectifs_then_the_individuals(seminar):
    from django_scopes import scope

    with scope(organisation=seminar.organisation.pk):
        context = sheet_context(seminar.session, filled=True)
    assert [group.name for group in context["groups"]] == [
        "Collectif d'Amiens",
        "Collectif du Vimeu",
        "Inscrit·es individuel·les",
    ]
    assert context["show_structure"]
    vimeu = context["groups"][1]
    assert [(row.name, row.structure, row.role) for row in vimeu.rows] == [
        ("Bruno Caron", "CCAS de Friville-Escarbotin", "Directeur·rice de CCAS"),
        ("Alice Vasseur", "Mairie de Friville-Escarbotin", "DGS"),
    ]
    assert not context["others"]


def test_the_blank_sheet_prints_collectifs_and_structures(seminar):
    text = pdf_text(
        build_bytes(
            seminar, build_blank_sheet, kind=Document.Kind.ATTENDANCE_SHEET, session=seminar.session
        )
    )
    assert text.index("Collectif d'Amiens") < text.index("Collectif du Vimeu")
    assert text.index("Collectif du Vimeu") < text.index("Inscrit·es individuel·les")
    assert "Structure" in text and "Fonction" in text
    # (pdftotext drops the hyphen of a name cut at the end of a line)
    assert "Mairie de Friville" in text
    assert "Département de la Somme" in text
    assert "Sans équipe" not in text


def test_the_filled_sheet_prints_statuses_by_collectif(seminar):
    text = pdf_text(
        build_bytes(
            seminar,
            build_filled_sheet,
            kind=Document.Kind.FILLED_ATTENDANCE_SHEET,
            session=seminar.session,
        )
    )
    vimeu = text[text.index("Collectif du Vimeu") : text.index("Inscrit·es individuel·les")]
    assert "Alice Vasseur" in vimeu and "CCAS de Friville" in vimeu
    assert "Directeur·rice de CCAS" in vimeu
    assert "Présent·e" in vimeu
    assert "Feuille validée par Paule Formatrice" in text
