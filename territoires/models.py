from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Territory(models.Model):
    """A place of the French reference geography, shared by every organisation.

    Régions, départements, EPCI and communes carry their official code (INSEE code, or
    SIREN for an EPCI); PNR, pays / PETR and syndicats are free entries.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Région")
        DEPARTEMENT = "departement", _("Département")
        EPCI = "epci", _("EPCI")
        COMMUNE = "commune", _("Commune")
        PNR = "pnr", _("Parc naturel régional")
        PAYS = "pays", _("Pays / PETR")
        SYNDICAT = "syndicat", _("Syndicat")
        OTHER = "other", _("Autre territoire")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code officiel"), max_length=20, blank=True)
    name = models.CharField(_("nom"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("rattachement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=~Q(code=""),
                name="territory_unique_official_code",
            )
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name
