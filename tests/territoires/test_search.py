"""Finding a territory by name (accents, hyphens, « St ») or by official code."""

import pytest

from territoires.selectors import resolve_territory, search_territories
from territoires.text import normalise, normalise_query

pytestmark = pytest.mark.usefixtures("territories")


def names(query, **kwargs):
    return [t.label for t in search_territories(query, **kwargs)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("VILLENEUVE D'ASCQ", "villeneuve d ascq"),
        ("Villeneuve-d’Ascq", "villeneuve d ascq"),
        ("Annœullin", "annoeullin"),
        ("  L'Haÿ-les-Roses ", "l hay les roses"),
    ],
)
def test_normalise(typed, expected):
    assert normalise(typed) == expected


def test_normalise_query_spells_out_abbreviations():
    assert normalise_query("St-Omer") == "saint omer"
    assert normalise_query("Ste Marie") == "sainte marie"
    assert normalise_query("Communauté d'agglomération du Pays de Saint-Omer") == (
        "ca du pays de saint omer"
    )


def test_search_ignores_accents_case_hyphens_and_apostrophes():
    # The exact name first, then the names it starts.
    assert names("saint etienne") == [
        "Saint-Étienne (42)",
        "Saint-Étienne Métropole — EPCI, Loire",
    ]
    assert names("villeneuve d'ascq") == ["Villeneuve-d'Ascq (59)"]
    assert names("VILLENEUVE-D’ASCQ") == ["Villeneuve-d'Ascq (59)"]
    assert names("annoeullin") == ["Annœullin (59)"]


def test_st_stands_for_saint():
    assert "Saint-Omer (62)" in names("St Omer")
    assert names("ste marie") == ["Sainte-Marie (59)", "Sainte-Marie (62)"]


def test_exact_name_then_prefix_then_contains_epci_first():
    # Lille itself, then names containing it.
    assert names("lille") == ["Lille (59)", "Métropole Européenne de Lille — EPCI, Nord"]
    # Same match rank: the EPCI before the commune.
    assert names("saint") == [
        "Saint-Étienne Métropole — EPCI, Loire",
        "Saint-Étienne (42)",
        "Saint-Omer (62)",
        "Sainte-Marie (59)",
        "Sainte-Marie (62)",
        "CA du Pays de Saint-Omer — EPCI, Pas-de-Calais",
    ]


def test_words_in_any_order():
    assert names("lille metropole") == ["Métropole Européenne de Lille — EPCI, Nord"]


def test_search_by_code():
    assert names("59350") == ["Lille (59)"]
    assert names("200093201") == ["Métropole Européenne de Lille — EPCI, Nord"]
    # The département first, then the codes it starts (none: communes need 3 digits).
    assert names("59") == ["Nord (59) — Département, Hauts-de-France"]
    assert names("593") == ["Lille (59)"]
    # Région 32 and no département 32 in this dataset.
    assert names("32") == ["Hauts-de-France — Région"]


def test_kinds_and_limit():
    assert names("saint", kinds=["commune"], limit=2) == ["Saint-Étienne (42)", "Saint-Omer (62)"]
    assert names("") == []
    assert names("zzz") == []


def test_resolve_a_unique_name_a_label_or_a_code():
    assert resolve_territory("lille")[0].code == "59350"
    assert resolve_territory("Sainte-Marie (62)")[0].code == "62001"
    assert resolve_territory("Métropole Européenne de Lille — EPCI, Nord")[0].code == "200093201"
    assert resolve_territory("200069037")[0].name == "CA du Pays de Saint-Omer"


def test_resolve_an_ambiguous_name_gives_the_candidates():
    territory, candidates = resolve_territory("Sainte-Marie")
    assert territory is None
    assert [t.label for t in candidates] == ["Sainte-Marie (59)", "Sainte-Marie (62)"]
    assert resolve_territory("nulle part") == (None, [])
