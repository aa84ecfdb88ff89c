"""``manage.py load_demo``: the French reference geography (``territoires.loader``, about
two seconds on SQLite, skipped once loaded), the demo organisations and their people
(``organisations.demo``), then the programmes of seeds 000 and 001 (``parcours.demo``)
and seed 000's evaluations (``evaluation.demo``).
It lives in the project app because it spans apps that must not import each other
upwards. Idempotent: a second run changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from evaluation import demo as evaluation_demo
from organisations import demo as organisations_demo
from parcours import demo as parcours_demo
from territoires import loader as territories_loader


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            territories = territories_loader.load_once()
            organisations = organisations_demo.load()
            result = parcours_demo.load(organisations)
            result.summary.extend(evaluation_demo.load(organisations))
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"  {territories}")
        for line in result.summary:
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        for line in organisations_demo.login_lines(result.logins):
            self.stdout.write(line)
