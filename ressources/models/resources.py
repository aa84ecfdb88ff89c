"""The resources library: files and links of an organisation, tagged, searchable, shown
to whom their visibility allows. Session documents and a call's attachments are
resources too, attached to their session or call."""

import os

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits

__all__ = ["Licence", "Resource", "ResourceKind", "Tag", "Visibility", "resource_upload_to"]


class Tag(models.Model):
    """A theme or a work stream (« chantier ») of the organisation's library."""

    class Category(models.TextChoices):
        THEME = "theme", _("thème")
        WORK_STREAM = "chantier", _("chantier")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    name = models.CharField(_("nom"), max_length=100)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("étiquette")
        verbose_name_plural = _("étiquettes")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category", "name"], name="ressources_tag_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Licence(models.TextChoices):
    ALL_RIGHTS = "all_rights", _("Tous droits réservés")
    CC_BY = "cc_by", _("CC BY")
    CC_BY_SA = "cc_by_sa", _("CC BY-SA")
    CC_BY_NC = "cc_by_nc", _("CC BY-NC")
    CC0 = "cc0", _("CC0 / domaine public")
    ETALAB = "etalab", _("Licence Ouverte")


class ResourceKind(models.TextChoices):
    TRAINING = "training", _("Support de formation")
    TOOL = "tool", _("Outil")
    SHEET = "sheet", _("Fiche")
    MINUTES = "minutes", _("Compte rendu")
    TEAM_OUTPUT = "team_output", _("Production d'équipe")
    OTHER = "other", _("Autre")


class Visibility(models.TextChoices):
    ORGANISATION = "organisation", _("L'organisation")
    PROGRAMME = "programme", _("Le programme")
    TEAM = "team", _("L'équipe")
    PUBLIC = "public", _("Public")


class SearchVectorColumn(SearchVectorField):
    """A ``tsvector`` column on PostgreSQL, a text column never filled elsewhere.
    Only the search expressions of ``django.contrib.postgres`` are used, not the app."""

    def _check_postgres_installed(self, *args):
        return []

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


def resource_upload_to(resource: "Resource", filename: str) -> str:
    """``ressources/<organisation id>/<year>/<file name>``: the storage adds a suffix
    when the name is taken."""
    base = os.path.basename(filename)[-100:]
    return f"ressources/{resource.organisation_id}/{timezone.now():%Y}/{base}"


class Resource(models.Model):
    """A file or a link of the library."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    title = models.CharField(_("titre"), max_length=limits.TITLE)
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)
    file = models.FileField(_("fichier"), upload_to=resource_upload_to, blank=True, max_length=255)
    url = models.URLField(_("lien"), blank=True, max_length=2000)
    author = models.CharField(_("auteur ou autrice"), max_length=limits.TITLE, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.ALL_RIGHTS
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=ResourceKind.choices, default=ResourceKind.OTHER
    )
    visibility = models.CharField(
        _("visibilité"), max_length=20, choices=Visibility.choices, default=Visibility.ORGANISATION
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="resources")
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    phase = models.ForeignKey(
        "parcours.Phase", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        "parcours.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
    )
    team = models.ForeignKey(
        "parcours.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    call = models.ForeignKey(
        "candidatures.Call",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
    )
    # What the file is, read from its content when stored.
    original_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    mime_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # Text of the file (PDF, office documents), bounded; filled after the upload.
    search_text = models.TextField(blank=True, editable=False, max_length=200_000)
    # PostgreSQL: title (A), description (B) and the file's text (C) in French, kept by
    # the services (``ressources.search.refresh_vector``); its GIN index is created by the
    # migration on PostgreSQL only. Empty on SQLite, where search falls back to icontains.
    search_vector = SearchVectorColumn(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "visibility"], name="ressources_visibility"),
            models.Index(fields=["organisation", "-date", "-id"], name="ressources_by_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return not self.file and bool(self.url)
