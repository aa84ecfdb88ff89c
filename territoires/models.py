from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .text import normalise


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
    # A commune's EPCI (its département is its ``parent``).
    epci = models.ForeignKey(
        "self",
        verbose_name=_("EPCI"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        limit_choices_to={"kind": Kind.EPCI},
    )
    # ``normalise(name)``: what searches compare (kept in step by ``save`` and by the
    # ``load_territories`` command, which writes in bulk).
    search_name = models.CharField(_("nom normalisé"), max_length=200, blank=True, editable=False)

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
        indexes = [
            models.Index(fields=["name"]),
            # Prefix searches (``LIKE 'lil%'``) use it on PostgreSQL too.
            models.Index(
                fields=["search_name"],
                name="territory_search_name",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalise(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The name with what tells it apart, as lists and the autocomplete show it:
        « Lille (59) », « Nord (59) — Département, Hauts-de-France », « Métropole
        Européenne de Lille — EPCI, Nord ». Reads ``parent``: select it with the territory."""
        if self.kind == self.Kind.COMMUNE:
            return f"{self.name} ({self.parent.code})" if self.parent_id else self.name
        kind = self.get_kind_display()
        name = f"{self.name} ({self.code})" if self.kind == self.Kind.DEPARTEMENT else self.name
        if self.parent_id:
            return f"{name} — {kind}, {self.parent.name}"
        return f"{name} — {kind}"


class Project(models.Model):
    """A territorial project an organisation follows, such as a Projet alimentaire
    territorial (PAT): where it stands and how far it is recognised."""

    class Kind(models.TextChoices):
        PAT = "pat", _("Projet alimentaire territorial (PAT)")
        OTHER = "other", _("Autre projet")

    class Stage(models.TextChoices):
        EMERGENCE = "emergence", _("Émergence")
        CONSTRUCTION = "construction", _("Construction")
        IMPLEMENTATION = "implementation", _("Mise en œuvre")
        RECOGNISED = "recognised", _("Reconnu")

    class Recognition(models.TextChoices):
        NONE = "none", _("Aucune")
        LEVEL_1 = "level_1", _("Niveau 1")
        LEVEL_2 = "level_2", _("Niveau 2")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    name = models.CharField(_("nom"), max_length=200)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PAT)
    stage = models.CharField(
        _("étape"), max_length=20, choices=Stage.choices, default=Stage.EMERGENCE
    )
    recognition = models.CharField(
        _("niveau de reconnaissance"),
        max_length=20,
        choices=Recognition.choices,
        default=Recognition.NONE,
    )
    website = models.URLField(_("site web"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
