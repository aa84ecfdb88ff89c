"""Loads the Code officiel géographique from the ``@etalab/decoupage-administratif`` npm
package (installed by ``make setup``; nothing is fetched at run time): régions,
départements, EPCI (code = SIREN) and current communes (code = INSEE code).

Idempotent: rows are matched on (kind, code); a second run updates what changed (names,
links) and creates nothing twice. Territories missing from a newer dataset (merged
communes) are kept: teams and projects may point to them."""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from .models import Territory
from .text import normalise

DEFAULT_SOURCE = (
    Path(settings.BASE_DIR) / "node_modules" / "@etalab" / "decoupage-administratif" / "data"
)
BATCH_SIZE = 2000
Kind = Territory.Kind
# Loaded in this order: each level links to the one before.
LEVELS = [Kind.REGION, Kind.DEPARTEMENT, Kind.EPCI, Kind.COMMUNE]
FILES = {
    Kind.REGION: "regions.json",
    Kind.DEPARTEMENT: "departements.json",
    Kind.EPCI: "epci.json",
    Kind.COMMUNE: "communes.json",
}


class SourceError(Exception):
    """The dataset folder is missing or unreadable (message in French)."""


@dataclass
class Row:
    name: str
    parent: tuple[str, str] | None = None  # (kind, code)
    epci: tuple[str, str] | None = None


@dataclass
class LevelCount:
    total: int = 0
    created: int = 0
    updated: int = 0


@dataclass
class LoadResult:
    counts: dict[str, LevelCount] = field(default_factory=dict)


def _read(source: Path, kind: str) -> list[dict]:
    path = source / FILES[kind]
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(
            f"Fichier introuvable : {path}. Installez le jeu de données avec « make setup » "
            "(paquet npm @etalab/decoupage-administratif) ou indiquez --source."
        ) from None
    except (OSError, ValueError) as error:
        raise SourceError(f"Lecture impossible de {path} : {error}") from None


def read_dataset(source: Path) -> dict[str, dict[str, Row]]:
    """What the dataset says, per kind: code → Row."""
    regions = {item["code"]: Row(item["nom"]) for item in _read(source, Kind.REGION)}
    departements = {
        item["code"]: Row(
            item["nom"],
            parent=(Kind.REGION, item["region"]) if item.get("region") in regions else None,
        )
        for item in _read(source, Kind.DEPARTEMENT)
    }
    communes_data = [
        item
        for item in _read(source, Kind.COMMUNE)
        if item.get("type", "commune-actuelle") == "commune-actuelle"
    ]
    commune_departement = {item["code"]: item.get("departement") for item in communes_data}
    epcis = {}
    commune_epci = {}
    for item in _read(source, Kind.EPCI):
        member_departements = Counter()
        for member in item.get("membres", []):
            commune_epci[member["code"]] = item["code"]
            departement = commune_departement.get(member["code"])
            if departement in departements:
                member_departements[departement] += 1
        # The département of most of its communes; none when two tie or none is known.
        ranked = member_departements.most_common(2)
        parent = None
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            parent = (Kind.DEPARTEMENT, ranked[0][0])
        epcis[item["code"]] = Row(item["nom"], parent=parent)
    communes = {}
    for item in communes_data:
        departement = item.get("departement")
        epci = commune_epci.get(item["code"])
        communes[item["code"]] = Row(
            item["nom"],
            parent=(Kind.DEPARTEMENT, departement) if departement in departements else None,
            epci=(Kind.EPCI, epci) if epci in epcis else None,
        )
    return {
        Kind.REGION: regions,
        Kind.DEPARTEMENT: departements,
        Kind.EPCI: epcis,
        Kind.COMMUNE: communes,
    }


def _insert(rows: list[tuple]) -> None:
    """A plain multi-row INSERT: ``bulk_create`` spends most of a full load (35 000
    communes) building model instances and SQL."""
    columns = ["kind", "code", "name", "search_name", "parent_id", "epci_id"]
    # Identifiers only (quoted), values as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        connection.ops.quote_name(Territory._meta.db_table),
        ", ".join(connection.ops.quote_name(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


def _ids(kind: str) -> dict[str, int]:
    return dict(Territory.objects.filter(kind=kind).exclude(code="").values_list("code", "pk"))


@transaction.atomic
def load(source: Path = DEFAULT_SOURCE) -> LoadResult:
    dataset = read_dataset(Path(source))
    result = LoadResult()
    ids: dict[tuple[str, str], int] = {}
    for kind in LEVELS:
        rows = dataset[kind]
        existing = {
            code: (pk, name, search_name, parent_id, epci_id)
            for pk, code, name, search_name, parent_id, epci_id in Territory.objects.filter(
                kind=kind
            )
            .exclude(code="")
            .values_list("pk", "code", "name", "search_name", "parent_id", "epci_id")
        }
        count = LevelCount(total=len(rows))
        to_create, to_update = [], []
        for code, row in rows.items():
            wanted = {
                "name": row.name,
                "search_name": normalise(row.name),
                "parent_id": ids.get(row.parent) if row.parent else None,
                "epci_id": ids.get(row.epci) if row.epci else None,
            }
            if code not in existing:
                to_create.append((kind, code, *wanted.values()))
                continue
            pk, *current = existing[code]
            if tuple(current) != tuple(wanted.values()):
                to_update.append(Territory(pk=pk, kind=kind, code=code, **wanted))
        _insert(to_create)
        Territory.objects.bulk_update(
            to_update, ["name", "search_name", "parent", "epci"], batch_size=500
        )
        count.created, count.updated = len(to_create), len(to_update)
        result.counts[kind] = count
        ids.update({(kind, code): pk for code, pk in _ids(kind).items()})
    return result


def load_once(source: Path = DEFAULT_SOURCE) -> str:
    """For the demo: load the geography unless its communes are already there, and
    say so in one line (the same line on every run)."""
    if not Territory.objects.filter(kind=Kind.COMMUNE).exclude(code="").exists():
        try:
            load(source)
        except SourceError:
            return (
                "Territoires : jeu de données absent ; lancez « make setup » puis "
                "« python manage.py load_territories »."
            )
    counts = [
        f"{Territory.objects.filter(kind=kind).exclude(code='').count()} {label}"
        for kind, label in [
            (Kind.REGION, "régions"),
            (Kind.DEPARTEMENT, "départements"),
            (Kind.EPCI, "EPCI"),
            (Kind.COMMUNE, "communes"),
        ]
    ]
    return "Territoires : " + ", ".join(counts) + "."
