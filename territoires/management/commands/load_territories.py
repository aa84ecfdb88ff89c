"""``manage.py load_territories [--source DIR]``: the French reference geography
(régions, départements, EPCI, communes) from the packaged Code officiel géographique.
See ``territoires.loader``."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territoires.loader import DEFAULT_SOURCE, LEVELS, SourceError, load
from territoires.models import Territory

LABELS = {
    Territory.Kind.REGION: "régions",
    Territory.Kind.DEPARTEMENT: "départements",
    Territory.Kind.EPCI: "EPCI",
    Territory.Kind.COMMUNE: "communes",
}


class Command(BaseCommand):
    help = (
        "Charge les régions, départements, EPCI et communes depuis le paquet "
        "@etalab/decoupage-administratif (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=DEFAULT_SOURCE,
            help="Dossier des fichiers JSON (regions.json, departements.json, epci.json, "
            "communes.json). Par défaut : le paquet npm installé par « make setup ».",
        )

    def handle(self, *args, source, **options):
        started = time.monotonic()
        try:
            result = load(source)
        except SourceError as error:
            raise CommandError(str(error)) from None
        elapsed = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(f"Territoires chargés en {elapsed} s."))
        for kind in LEVELS:
            count = result.counts[kind]
            self.stdout.write(
                f"  {LABELS[kind]} : {count.total} "
                f"({count.created} créé(s), {count.updated} mis à jour)"
            )
