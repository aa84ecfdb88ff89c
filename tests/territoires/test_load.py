"""``manage.py load_territories``: the reference geography from the packaged dataset,
idempotent, with EPCI and communes linked."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from territoires.models import Territory
from tests.territoires.conftest import COMMUNES, EPCI, write_dataset

pytestmark = pytest.mark.django_db


def load(source) -> str:
    out = StringIO()
    call_command("load_territories", source=source, stdout=out)
    return out.getvalue()


def get(kind, code) -> Territory:
    return Territory.objects.select_related("parent", "epci").get(kind=kind, code=code)


def test_loads_each_level_with_counts_in_french(dataset):
    output = load(dataset)

    assert "régions : 2 (2 créé(s), 0 mis à jour)" in output
    assert "départements : 3 (3 créé(s), 0 mis à jour)" in output
    assert "EPCI : 3 (3 créé(s), 0 mis à jour)" in output
    # The associated commune (not a current one) is left out.
    assert "communes : 7 (7 créé(s), 0 mis à jour)" in output
    assert not Territory.objects.filter(code="59298").exists()
    assert Territory.objects.count() == 15


def test_links_departements_epci_and_communes(dataset):
    load(dataset)

    nord = get("departement", "59")
    assert nord.parent == get("region", "32")
    lille = get("commune", "59350")
    assert lille.parent == nord
    assert lille.epci.name == "Métropole Européenne de Lille"
    assert lille.label == "Lille (59)"
    # The EPCI's département is the one of most of its communes.
    mel = get("epci", "200093201")
    assert mel.parent == nord
    assert mel.label == "Métropole Européenne de Lille — EPCI, Nord"
    assert set(mel.communes.values_list("code", flat=True)) == {"59350", "59009", "62001"}
    assert get("commune", "62001").parent.code == "62"
    assert get("commune", "59011").search_name == "annoeullin"
    assert get("commune", "59009").search_name == "villeneuve d ascq"


def test_an_epci_split_evenly_between_departements_has_none(tmp_path):
    epci = [
        {
            "code": "200000001",
            "nom": "CC des Deux Rives",
            "membres": [{"code": "59350"}, {"code": "62765"}],
        },
    ]
    load(write_dataset(tmp_path, epci=epci))

    assert get("epci", "200000001").parent is None


def test_a_second_run_creates_nothing_and_updates_what_changed(dataset, tmp_path):
    load(dataset)
    ids = dict(Territory.objects.values_list("code", "pk"))

    output = load(dataset)
    assert "communes : 7 (0 créé(s), 0 mis à jour)" in output
    assert "EPCI : 3 (0 créé(s), 0 mis à jour)" in output

    renamed = [dict(c, nom="Lille-en-Flandre") if c["code"] == "59350" else c for c in COMMUNES]
    moved = [
        dict(e, membres=[m for m in e["membres"] if m["code"] != "62001"])
        if e["code"] == "200093201"
        else e
        for e in EPCI
    ]
    output = load(write_dataset(tmp_path / "v2", communes=renamed, epci=moved))

    assert "communes : 7 (0 créé(s), 2 mis à jour)" in output
    assert dict(Territory.objects.values_list("code", "pk")) == ids
    lille = get("commune", "59350")
    assert (lille.name, lille.search_name) == ("Lille-en-Flandre", "lille en flandre")
    assert get("commune", "62001").epci is None


def test_existing_territories_are_matched_on_their_code(dataset):
    # As the demo creates them before the full dataset is loaded.
    region = Territory.objects.create(kind="region", code="32", name="Hauts de France")

    load(dataset)

    region.refresh_from_db()
    assert region.name == "Hauts-de-France"
    assert Territory.objects.filter(kind="region", code="32").count() == 1


def test_a_missing_dataset_is_explained(tmp_path):
    with pytest.raises(CommandError, match="make setup"):
        load(tmp_path / "nowhere")


def test_save_keeps_the_search_name_in_step():
    territory = Territory.objects.create(kind="pnr", name="Parc naturel régional de l'Avesnois")
    assert territory.search_name == "parc naturel regional de l avesnois"

    territory.name = "PNR Caps et Marais d’Opale"
    territory.save(update_fields=["name"])
    territory.refresh_from_db()
    assert territory.search_name == "pnr caps et marais d opale"
