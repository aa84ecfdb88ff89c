"""``manage.py check_restore``: is this (restored) instance consistent?

* every migration is applied;
* every file a ``FileField`` row names exists in its storage (asked through the storage
  API, ``storage.exists``, so it holds for the file system and for an object store);
* the reference geography is loaded (``load_territories``);
* the number of rows of each model, printed to compare with the instance backed up.

Exits with an error (status 1) listing the problems when one check fails. Run it after
``scripts/restore``, and after an upgrade to check nothing is missing."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scopes_disabled

# Missing files listed per field (and migrations listed), beyond which only their number
# is given.
SHOWN_PER_FIELD = 20


class Command(BaseCommand):
    help = (
        "Vérifie une instance restaurée : migrations appliquées, fichiers présents dans le "
        "stockage, territoires chargés, nombre de lignes par modèle."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        connection = connections[database]
        problems: list[str] = []
        problems += self.check_migrations(connection)
        if problems:
            # Querying models whose tables are not there would only add noise.
            raise CommandError("\n".join(["Instance incohérente :", *problems]))
        with scopes_disabled():
            counts = self.count_rows(database)
            problems += self.check_files(database)
        problems += self.check_reference_data(counts)
        if problems:
            raise CommandError("\n".join(["Instance incohérente :", *problems]))
        self.stdout.write(self.style.SUCCESS("Instance cohérente."))

    def check_migrations(self, connection) -> list[str]:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan:
            self.stdout.write("Migrations : toutes appliquées.")
            return []
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:SHOWN_PER_FIELD])
        more = " …" if len(plan) > SHOWN_PER_FIELD else ""
        return [
            f"- {len(plan)} migration(s) non appliquée(s) : {names}{more} "
            "(lancez « python manage.py migrate »)"
        ]

    def count_rows(self, database) -> dict[str, int]:
        self.stdout.write("Lignes par modèle :")
        counts = {}
        for model in self.models():
            counts[model._meta.label] = model._base_manager.using(database).count()
            self.stdout.write(f"  {model._meta.label} : {counts[model._meta.label]}")
        return counts

    def check_files(self, database) -> list[str]:
        problems = []
        checked = 0
        for model in self.models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
            for field in fields:
                missing = []
                rows = (
                    model._base_manager.using(database)
                    .exclude(**{field.name: ""})
                    .exclude(**{f"{field.name}__isnull": True})
                    .values_list("pk", field.attname)
                    .order_by("pk")
                )
                for pk, name in rows.iterator():
                    checked += 1
                    if not field.storage.exists(name):
                        missing.append((pk, name))
                for pk, name in missing[:SHOWN_PER_FIELD]:
                    problems.append(
                        f"- fichier absent du stockage : {model._meta.label}.{field.name} "
                        f"(ligne {pk}) : {name}"
                    )
                if len(missing) > SHOWN_PER_FIELD:
                    problems.append(
                        f"- … et {len(missing) - SHOWN_PER_FIELD} autre(s) fichier(s) absent(s) "
                        f"pour {model._meta.label}.{field.name}"
                    )
        self.stdout.write(f"Fichiers : {checked} vérifié(s).")
        return problems

    def check_reference_data(self, counts) -> list[str]:
        # Looked up by label: the project package imports no app.
        if "territoires.Territory" in counts and not counts["territoires.Territory"]:
            return [
                "- aucun territoire : lancez « python manage.py load_territories » "
                "(données de référence)"
            ]
        return []

    @staticmethod
    def models():
        return sorted(
            (m for m in apps.get_models() if m._meta.managed and not m._meta.proxy),
            key=lambda m: m._meta.label,
        )
