"""Minutes of sessions (``ressources.models.minutes``), and the database's guard of
validated versions: triggers refuse changing a validated version (its number, status,
sheet flag, minutes or validation date) and writing any content row (attendee, item,
decision, action) of a validated version. Deleting stays possible (a session deleted
takes its minutes with it), and so does an account's or a team's removal (the
``SET NULL`` of a person or a team is no change of content)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MESSAGE = "validated minutes are immutable"
CONTENT = {
    "ressources_minutesattendee": ('"order"', "name", "version_id"),
    "ressources_minutesitem": ('"order"', "title", "text", "version_id"),
    "ressources_minutesdecision": ('"order"', "text", "version_id"),
    "ressources_minutesaction": (
        '"order"',
        "text",
        "owner_name",
        "due_on",
        "lineage",
        "version_id",
    ),
}
VERSION_COLUMNS = ("number", "status", "from_sheet", "minutes_id", "validated_at")


def _sqlite_statements():
    yield (
        "CREATE TRIGGER ressources_minutesversion_locked BEFORE UPDATE OF "
        + ", ".join(VERSION_COLUMNS)
        + " ON ressources_minutesversion FOR EACH ROW WHEN OLD.status = 'validated' "
        + f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
    )
    for table, columns in CONTENT.items():
        locked = (
            "(SELECT status FROM ressources_minutesversion WHERE id = {row}.version_id)"
            " = 'validated'"
        )
        yield (
            f"CREATE TRIGGER {table}_locked_insert BEFORE INSERT ON {table} FOR EACH ROW "
            f"WHEN {locked.format(row='NEW')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )
        yield (
            f"CREATE TRIGGER {table}_locked_update BEFORE UPDATE OF {', '.join(columns)} "
            f"ON {table} FOR EACH ROW WHEN {locked.format(row='OLD')} OR "
            f"{locked.format(row='NEW')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )


def _postgresql_statements():
    yield (
        "CREATE FUNCTION ressources_minutes_version_locked() RETURNS trigger AS $$ BEGIN "
        f"RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;"
    )
    yield (
        "CREATE TRIGGER ressources_minutesversion_locked BEFORE UPDATE OF "
        + ", ".join(VERSION_COLUMNS)
        + " ON ressources_minutesversion FOR EACH ROW WHEN (OLD.status = 'validated') "
        + "EXECUTE FUNCTION ressources_minutes_version_locked();"
    )
    yield (
        "CREATE FUNCTION ressources_minutes_content_locked() RETURNS trigger AS $$ BEGIN "
        "IF EXISTS (SELECT 1 FROM ressources_minutesversion WHERE id = NEW.version_id "
        "AND status = 'validated') OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM "
        "ressources_minutesversion WHERE id = OLD.version_id AND status = 'validated')) "
        "THEN RAISE EXCEPTION 'validated minutes are immutable'; END IF; RETURN NEW; END; "
        "$$ LANGUAGE plpgsql;"
    )
    for table, columns in CONTENT.items():
        yield (
            f"CREATE TRIGGER {table}_locked BEFORE INSERT OR UPDATE OF {', '.join(columns)} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION ressources_minutes_content_locked();"
        )


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = _sqlite_statements()
    elif vendor == "postgresql":
        statements = _postgresql_statements()
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    on = " ON ressources_minutesversion" if vendor == "postgresql" else ""
    schema_editor.execute(f"DROP TRIGGER IF EXISTS ressources_minutesversion_locked{on};")
    for table in CONTENT:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_locked ON {table};")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_locked_insert;")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_locked_update;")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ressources_minutes_version_locked();")
        schema_editor.execute("DROP FUNCTION IF EXISTS ressources_minutes_content_locked();")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_bounded_texts"),
        ("parcours", "0007_registration_structure"),
        ("plans", "0001_action_plans"),
        ("ressources", "0002_library"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Minutes",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Brouillon"),
                            ("shared", "En relecture"),
                            ("validated", "Validé"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="état",
                    ),
                ),
                ("current_number", models.PositiveIntegerField(default=1)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                    ),
                ),
                (
                    "session",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="minutes",
                        to="parcours.session",
                    ),
                ),
            ],
            options={
                "verbose_name": "compte rendu",
                "verbose_name_plural": "comptes rendus",
                "ordering": ["session__starts_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MinutesVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(default=1, verbose_name="version")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Brouillon"),
                            ("shared", "En relecture"),
                            ("validated", "Validée"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="état",
                    ),
                ),
                ("from_sheet", models.BooleanField(default=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("shared_at", models.DateTimeField(blank=True, null=True)),
                ("validated_at", models.DateTimeField(blank=True, null=True)),
                (
                    "minutes",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="ressources.minutes",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                    ),
                ),
                (
                    "validated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "version d'un compte rendu",
                "verbose_name_plural": "versions d'un compte rendu",
                "ordering": ["minutes", "number"],
            },
        ),
        migrations.CreateModel(
            name="MinutesItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "title",
                    models.CharField(max_length=200, verbose_name="point de l'ordre du jour"),
                ),
                (
                    "text",
                    models.TextField(
                        blank=True, max_length=20000, verbose_name="compte rendu du point"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="ressources.minutesversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "point de l'ordre du jour",
                "verbose_name_plural": "ordre du jour",
                "ordering": ["version", "order", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="MinutesDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveIntegerField(default=0)),
                ("text", models.TextField(max_length=5000, verbose_name="décision")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="decisions",
                        to="ressources.minutesversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "décision",
                "verbose_name_plural": "décisions",
                "ordering": ["version", "order", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="MinutesComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(max_length=5000, verbose_name="commentaire")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="ressources.minutesversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "commentaire d'un compte rendu",
                "verbose_name_plural": "commentaires d'un compte rendu",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MinutesAttendee",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveIntegerField(default=0)),
                ("name", models.CharField(max_length=200, verbose_name="nom")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="parcours.team",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendees",
                        to="ressources.minutesversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "participant·e",
                "verbose_name_plural": "participant·es",
                "ordering": ["version", "order", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="MinutesAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveIntegerField(default=0)),
                ("text", models.CharField(max_length=200, verbose_name="action")),
                (
                    "owner_name",
                    models.CharField(blank=True, max_length=200, verbose_name="pilote (nom)"),
                ),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="échéance")),
                ("lineage", models.PositiveBigIntegerField(blank=True, null=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="pilote",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="plans.actionplan",
                        verbose_name="plan",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="parcours.team",
                        verbose_name="équipe",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actions",
                        to="ressources.minutesversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "action décidée",
                "verbose_name_plural": "actions décidées",
                "ordering": ["version", "order", "pk"],
                "abstract": False,
            },
        ),
        migrations.AddConstraint(
            model_name="minutesversion",
            constraint=models.UniqueConstraint(
                fields=("minutes", "number"), name="minutes_version_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="minutesversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "validated"), ("validated_at__isnull", False)),
                    models.Q(("status", "validated"), _negated=True),
                    _connector="OR",
                ),
                name="minutes_version_validated_dated",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
