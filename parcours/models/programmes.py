from datetime import date, timedelta

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from parcours.months import add_months
from sillon import limits

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Indiquez une couleur au format #RRGGBB, par exemple #2a6f97.")
)


class Programme(models.Model):
    """A parcours d'accompagnement run by an organisation over months or years."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")
        ARCHIVED = "archived", _("Archivé")

    class TeamLabel(models.TextChoices):
        """What the programme calls its teams (« le trinôme de Laon »)."""

        TEAM = "equipe", _("équipe")
        TRINOME = "trinome", _("trinôme")
        QUADRINOME = "quadrinome", _("quadrinôme")
        COLLECTIVE = "collectif", _("collectif")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)
    objectives = models.TextField(_("objectifs"), blank=True, max_length=limits.TEXT)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    team_label = models.CharField(
        _("nom donné aux équipes"),
        max_length=20,
        choices=TeamLabel.choices,
        default=TeamLabel.TEAM,
    )
    observers_see_names = models.BooleanField(
        _("les observateur·rices voient les noms"),
        default=False,
        help_text=_(
            "Sinon, les observateur·rices (financeurs, COPIL) ne voient que des chiffres "
            "d'ensemble, jamais de tableau par personne."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="programme_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def team_noun(self) -> str:
        """The team noun of this programme, lower case (« trinôme », « équipe »)."""
        return str(self.get_team_label_display())

    @property
    def team_noun_plural(self) -> str:
        """« trinômes », « équipes » (each of the labels takes an s)."""
        return self.team_noun + "s"

    @property
    def team_noun_title(self) -> str:
        """The team noun with a capital (« Trinôme »), to start a heading."""
        noun = self.team_noun
        return noun[:1].upper() + noun[1:]

    def month_start(self, month: int) -> date:
        """First day of "mois ``month``" of the parcours (mois 0 is the start month)."""
        return add_months(self.start_date.replace(day=1), month)


class Cohort(models.Model):
    """A promotion of territories going through a programme together."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("nom"), max_length=200)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    """A stage of the parcours. Its period is either explicit dates or months relative
    to the programme's start ("mois 0 … mois 6"), computed, never stored twice."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("nom"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    start_month = models.PositiveSmallIntegerField(_("mois de début"), null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(_("mois de fin"), null=True, blank=True)
    start_date = models.DateField(_("date de début"), null=True, blank=True)
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    colour = models.CharField(
        _("couleur"), max_length=7, default="#5b7083", validators=[colour_validator]
    )
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(start_month__isnull=False, end_month__isnull=False)
                    & Q(end_month__gte=F("start_month"))
                )
                | (
                    Q(start_date__isnull=False, end_date__isnull=False)
                    & Q(end_date__gte=F("start_date"))
                ),
                name="phase_has_a_period",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def uses_months(self) -> bool:
        return self.start_month is not None

    @property
    def starts_on(self) -> date:
        if self.uses_months:
            return self.programme.month_start(self.start_month)
        return self.start_date

    @property
    def ends_on(self) -> date:
        """Last day of the phase (inclusive)."""
        if self.uses_months:
            return self.programme.month_start(self.end_month + 1) - timedelta(days=1)
        return self.end_date


class SessionKind(models.Model):
    """A kind of session (formation, webinaire, CODEV…), configurable per programme."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="session_kinds")
    name = models.CharField(_("nom"), max_length=100)
    colour = models.CharField(
        _("couleur"), max_length=7, default="#2a6f97", validators=[colour_validator]
    )
    is_individual = models.BooleanField(
        _("séance individuelle"),
        default=False,
        help_text=_("Une séance de ce type concerne une seule équipe (accompagnement individuel)."),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("type de séance")
        verbose_name_plural = _("types de séance")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="session_kind_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
