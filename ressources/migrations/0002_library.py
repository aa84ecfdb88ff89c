"""The resources library (tags, resources) and the copy of the session documents and
call attachments into it: one upload model. On PostgreSQL, the GIN index of the French
search vector."""

import mimetypes
import os

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import ressources.models.resources


def _size(field) -> int:
    """The stored file's size; 0 when the file is missing from storage (a file lost
    before the move): the row is still copied, its download answering 404 as before."""
    try:
        return field.storage.size(field.name)
    except (OSError, NotImplementedError, ValueError):
        return 0


def copy_uploads(apps, schema_editor):
    """Each session document and call attachment becomes a resource attached to the same
    session or call, pointing to the same stored file (nothing is copied in storage)."""
    from django_scopes import scopes_disabled

    Resource = apps.get_model("ressources", "Resource")
    SessionDocument = apps.get_model("parcours", "SessionDocument")
    CallAttachment = apps.get_model("candidatures", "CallAttachment")
    with scopes_disabled():
        for document in SessionDocument.objects.select_related("session").iterator():
            name = os.path.basename(document.file.name or "")
            Resource.objects.create(
                organisation_id=document.organisation_id,
                title=document.title[:200],
                file=document.file.name,
                uploaded_by_id=document.uploaded_by_id,
                date=document.uploaded_at.date(),
                kind="training",
                visibility="programme",
                programme_id=document.session.programme_id,
                phase_id=document.session.phase_id,
                session_id=document.session_id,
                original_name=name,
                mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                size=_size(document.file),
            )
        for attachment in CallAttachment.objects.select_related("call").iterator():
            name = os.path.basename(attachment.file.name or "")
            Resource.objects.create(
                organisation_id=attachment.organisation_id,
                title=attachment.title[:200],
                file=attachment.file.name,
                date=attachment.uploaded_at.date(),
                kind="other",
                visibility="public",
                programme_id=attachment.call.programme_id,
                call_id=attachment.call_id,
                original_name=name,
                mime_type=attachment.content_type
                or mimetypes.guess_type(name)[0]
                or "application/octet-stream",
                size=attachment.size,
            )


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX ressources_search_vector ON ressources_resource USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ressources_search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("candidatures", "0002_bounded_texts"),
        ("organisations", "0004_bounded_texts"),
        ("parcours", "0007_registration_structure"),
        ("ressources", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Tag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[("theme", "thème"), ("chantier", "chantier")],
                        max_length=20,
                        verbose_name="catégorie",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="nom")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                    ),
                ),
            ],
            options={
                "verbose_name": "étiquette",
                "verbose_name_plural": "étiquettes",
                "ordering": ["category", "name"],
            },
        ),
        migrations.CreateModel(
            name="Resource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="titre")),
                (
                    "description",
                    models.TextField(blank=True, max_length=20000, verbose_name="description"),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        upload_to=ressources.models.resources.resource_upload_to,
                        verbose_name="fichier",
                    ),
                ),
                ("url", models.URLField(blank=True, max_length=2000, verbose_name="lien")),
                (
                    "author",
                    models.CharField(blank=True, max_length=200, verbose_name="auteur ou autrice"),
                ),
                (
                    "date",
                    models.DateField(default=django.utils.timezone.localdate, verbose_name="date"),
                ),
                (
                    "licence",
                    models.CharField(
                        choices=[
                            ("all_rights", "Tous droits réservés"),
                            ("cc_by", "CC BY"),
                            ("cc_by_sa", "CC BY-SA"),
                            ("cc_by_nc", "CC BY-NC"),
                            ("cc0", "CC0 / domaine public"),
                            ("etalab", "Licence Ouverte"),
                        ],
                        default="all_rights",
                        max_length=20,
                        verbose_name="licence",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("training", "Support de formation"),
                            ("tool", "Outil"),
                            ("sheet", "Fiche"),
                            ("minutes", "Compte rendu"),
                            ("team_output", "Production d'équipe"),
                            ("other", "Autre"),
                        ],
                        default="other",
                        max_length=20,
                        verbose_name="type",
                    ),
                ),
                (
                    "visibility",
                    models.CharField(
                        choices=[
                            ("organisation", "L'organisation"),
                            ("programme", "Le programme"),
                            ("team", "L'équipe"),
                            ("public", "Public"),
                        ],
                        default="organisation",
                        max_length=20,
                        verbose_name="visibilité",
                    ),
                ),
                (
                    "original_name",
                    models.CharField(blank=True, max_length=255, verbose_name="nom du fichier"),
                ),
                ("mime_type", models.CharField(blank=True, max_length=100)),
                ("size", models.PositiveBigIntegerField(default=0)),
                ("sha256", models.CharField(blank=True, max_length=64)),
                ("search_text", models.TextField(blank=True, editable=False, max_length=200000)),
                (
                    "search_vector",
                    ressources.models.resources.SearchVectorColumn(editable=False, null=True),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "call",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="resources",
                        to="candidatures.call",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                    ),
                ),
                (
                    "phase",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="parcours.phase",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="parcours.programme",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="resources",
                        to="parcours.session",
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
                    "uploaded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "tags",
                    models.ManyToManyField(
                        blank=True, related_name="resources", to="ressources.tag"
                    ),
                ),
            ],
            options={
                "verbose_name": "ressource",
                "verbose_name_plural": "ressources",
                "ordering": ["-date", "-pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(
                fields=("organisation", "category", "name"), name="ressources_tag_once"
            ),
        ),
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(fields=["organisation", "visibility"], name="ressources_visibility"),
        ),
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(fields=["organisation", "-date", "-id"], name="ressources_by_date"),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(copy_uploads, migrations.RunPython.noop),
    ]
