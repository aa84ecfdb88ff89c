"""``manage.py load_demo``: the demo data of ``demo.loader`` (the reference geography,
the demo organisations and their people, the programmes of seeds 000 and 001 and seed
000's evaluations), then how to log in. Idempotent: a second run changes nothing."""

from django.core.management.base import BaseCommand

from demo import loader


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    def handle(self, *args, **options):
        result, logins = loader.load()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        for line in result.summary:
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        for line in logins:
            self.stdout.write(line)
