"""A tiny Code officiel géographique, in the shape of the
``@etalab/decoupage-administratif`` files, written in a temporary folder."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

REGIONS = [
    {"code": "32", "nom": "Hauts-de-France"},
    {"code": "84", "nom": "Auvergne-Rhône-Alpes"},
]
DEPARTEMENTS = [
    {"code": "59", "region": "32", "nom": "Nord"},
    {"code": "62", "region": "32", "nom": "Pas-de-Calais"},
    {"code": "42", "region": "84", "nom": "Loire"},
]


def commune(code, name, departement, region="32", kind="commune-actuelle"):
    return {
        "code": code,
        "nom": name,
        "departement": departement,
        "region": region,
        "type": kind,
    }


COMMUNES = [
    commune("59350", "Lille", "59"),
    commune("59009", "Villeneuve-d'Ascq", "59"),
    commune("59011", "Annœullin", "59"),
    commune("62765", "Saint-Omer", "62"),
    commune("62001", "Sainte-Marie", "62"),
    commune("59999", "Sainte-Marie", "59"),
    commune("42218", "Saint-Étienne", "42", region="84"),
    # Not a current commune: never loaded.
    commune("59298", "Hellemmes-Lille", "59", kind="commune-associee"),
]
EPCI = [
    {
        "code": "200093201",
        "nom": "Métropole Européenne de Lille",
        "type": "METRO",
        # Two communes in the Nord, one in the Pas-de-Calais: its département is the Nord.
        "membres": [{"code": "59350"}, {"code": "59009"}, {"code": "62001"}],
    },
    {
        "code": "200069037",
        "nom": "CA du Pays de Saint-Omer",
        "type": "CA",
        "membres": [{"code": "62765"}],
    },
    {
        "code": "244200770",
        "nom": "Saint-Étienne Métropole",
        "type": "METRO",
        "membres": [{"code": "42218"}],
    },
]


def write_dataset(
    folder, *, regions=REGIONS, departements=DEPARTEMENTS, epci=EPCI, communes=COMMUNES
):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in [
        ("regions", regions),
        ("departements", departements),
        ("epci", epci),
        ("communes", communes),
    ]:
        (folder / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False))
    return folder


@pytest.fixture
def dataset(tmp_path):
    return write_dataset(tmp_path / "data")


@pytest.fixture
def territories(db, dataset):
    """The tiny dataset, loaded."""
    call_command("load_territories", source=dataset, stdout=StringIO())
    return dataset
