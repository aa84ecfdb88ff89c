"""The catalogue sheet of a programme (« fiche catalogue », seed 004): what a training
offer says of itself and what a Qualiopi auditor checks — objectives, public,
prerequisites, duration, modalities, dates, place, price, accessibility and its
contact, trainers, evaluation methods — and its dated versions.

The programme's description and objectives live on ``Programme`` and are edited with the
sheet; every other field lives here. Each save that changes the content adds a
``CatalogueVersion`` (the content as JSON): the previous versions stay readable."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits


class CatalogueSheet(models.Model):
    class Modality(models.TextChoices):
        IN_PERSON = "presentiel", _("Présentiel")
        REMOTE = "distanciel", _("Distanciel")
        MIXED = "mixte", _("Mixte (présentiel et distanciel)")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.OneToOneField(
        "parcours.Programme", on_delete=models.CASCADE, related_name="catalogue_sheet"
    )
    slug = models.SlugField(
        _("adresse de la fiche publique"),
        max_length=80,
        help_text=_("Lettres minuscules, chiffres et tirets : /catalogue/<adresse>/."),
    )
    audience = models.TextField(_("public visé"), blank=True, max_length=limits.NOTE)
    prerequisites = models.TextField(_("prérequis"), blank=True, max_length=limits.NOTE)
    duration_hours = models.DecimalField(
        _("durée en heures"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    duration_days = models.DecimalField(
        _("durée en jours"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    modality = models.CharField(
        _("modalités"), max_length=20, choices=Modality.choices, default=Modality.IN_PERSON
    )
    dates = models.CharField(
        _("dates"),
        max_length=300,
        blank=True,
        help_text=_("Vide : les dates du programme."),
    )
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    free = models.BooleanField(_("gratuit"), default=False)
    price = models.CharField(
        _("tarif"), max_length=200, blank=True, help_text=_("Par exemple : 450 € net de taxe.")
    )
    accessibility = models.TextField(
        _("accessibilité aux personnes en situation de handicap"),
        blank=True,
        max_length=limits.NOTE,
    )
    accessibility_contact_name = models.CharField(
        _("référent·e handicap"), max_length=200, blank=True
    )
    accessibility_contact_email = models.EmailField(
        _("adresse e-mail du ou de la référent·e"), blank=True
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formateur·rices"),
        blank=True,
        related_name="catalogue_sheets",
    )
    evaluation_methods = models.TextField(
        _("modalités d'évaluation"), blank=True, max_length=limits.NOTE
    )
    published = models.BooleanField(_("publiée"), default=False)
    updated_at = models.DateTimeField(_("mise à jour le"), null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("fiche catalogue")
        verbose_name_plural = _("fiches catalogue")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="catalogue_sheet_unique_slug"
            ),
        ]

    def __str__(self) -> str:
        return str(self.programme)


class CatalogueVersion(models.Model):
    """The content of a sheet as it was saved on ``created_at`` (number 1, 2…)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    sheet = models.ForeignKey(CatalogueSheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("contenu"))
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("version de fiche catalogue")
        verbose_name_plural = _("versions de fiche catalogue")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "number"], name="catalogue_version_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} v{self.number}"
