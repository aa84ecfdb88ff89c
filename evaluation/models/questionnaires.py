"""Questionnaires and their versions: sections, questions, choices and the criteria of
maturity grids. A published version is immutable; editing makes a new version, and
every response names the version it answered."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits


def new_key() -> str:
    """A stable identity for a question or criterion, kept from one version to the next
    (progression T0 → T1 → T2 matches criteria by it)."""
    return uuid.uuid4().hex[:12]


class Purpose(models.TextChoices):
    SELF_DIAGNOSTIC = "self_diagnostic", _("Autodiagnostic / autopositionnement")
    EXPECTATIONS = "expectations", _("Attentes avant une action")
    SATISFACTION = "satisfaction", _("Satisfaction")
    ASSESSMENT = "assessment", _("Évaluation par un·e intervenant·e")
    APPLICATION = "application", _("Questions de candidature")
    OTHER = "other", _("Autre")


class Questionnaire(models.Model):
    """A questionnaire of the organisation's library (``programme`` empty) or of one
    programme. Its content lives in versions."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
        help_text=_("Vide : le questionnaire est dans la bibliothèque de l'organisation."),
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)
    purpose = models.CharField(
        _("usage du questionnaire"), max_length=30, choices=Purpose.choices, default=Purpose.OTHER
    )
    # The questionnaire this one was copied from (library → programme, or a template).
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    template_code = models.CharField(max_length=50, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    archived = models.BooleanField(_("archivé"), default=False)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Affichée en tête du questionnaire."),
        max_length=limits.TEXT,
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("version de questionnaire")
        verbose_name_plural = _("versions de questionnaire")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_unique"
            ),
            # At most one draft at a time: the one being edited.
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=Q(status="draft"),
                name="questionnaire_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} (v{self.number})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Section(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Choix unique")
    MULTIPLE = "multiple", _("Choix multiples")
    SCALE = "scale", _("Échelle")
    GRID = "grid", _("Grille de maturité")
    SHORT_TEXT = "short_text", _("Texte court")
    LONG_TEXT = "long_text", _("Texte long")
    NUMBER = "number", _("Nombre")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Oui / non")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
# Kinds whose answers a chart can count (the others are listed).
CHARTED_KINDS = (
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.SCALE,
    QuestionKind.GRID,
    QuestionKind.YES_NO,
)
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 10_000


class Question(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(max_length=32, default=new_key, editable=False)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    label = models.CharField(_("intitulé"), max_length=500)
    help_text = models.TextField(_("aide"), blank=True, max_length=limits.NOTE)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    # Scales: bounds and labelled ends (1–4, 1–5, 1–10).
    scale_min = models.SmallIntegerField(_("minimum de l'échelle"), default=1)
    scale_max = models.SmallIntegerField(_("maximum de l'échelle"), default=5)
    min_label = models.CharField(_("libellé du minimum"), max_length=100, blank=True)
    max_label = models.CharField(_("libellé du maximum"), max_length=100, blank=True)
    # Numbers: optional bounds.
    min_value = models.FloatField(_("valeur minimale"), null=True, blank=True)
    max_value = models.FloatField(_("valeur maximale"), null=True, blank=True)
    # Satisfaction: the share of the two best levels of this question.
    confidential = models.BooleanField(
        _("réponse confidentielle"),
        default=False,
        help_text=_(
            "Visible des seuls coordinateurs et de la personne qui répond : jamais des "
            "intervenant·es ni des observateur·rices, ni dans les exports et PDF."
        ),
    )
    satisfaction = models.BooleanField(
        _("compte dans le taux de satisfaction"),
        default=False,
        help_text=_(
            "Pour une échelle ou un choix unique : la part des deux niveaux les plus hauts "
            "(pour un choix unique, les deux derniers choix)."
        ),
    )
    # A simple condition: shown only when the answer to an earlier question is one of
    # ``condition_values`` (choice ids, "oui"/"non", scale values as strings).
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("afficher selon la réponse à"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
    )
    condition_values = models.JSONField(_("valeurs déclenchantes"), default=list, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_key_per_version"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="question_scale_bounds"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_grid(self) -> bool:
        return self.kind == QuestionKind.GRID

    @property
    def has_choices(self) -> bool:
        return self.kind in (*CHOICE_KINDS, QuestionKind.GRID)

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Choice(models.Model):
    """An option of a choice question, or a level of a maturity grid (``value`` 1…n,
    from the least to the most mature)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("libellé"), max_length=300)
    value = models.PositiveSmallIntegerField(_("valeur"))

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        ordering = ["value", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="choice_value_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    """A row of a maturity grid; ``descriptors`` describe each level (aligned with the
    question's choices by value: descriptors[0] is level 1)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="criteria")
    key = models.CharField(max_length=32, default=new_key, editable=False)
    label = models.CharField(_("critère"), max_length=300)
    help_text = models.TextField(_("aide"), blank=True, max_length=limits.NOTE)
    descriptors = models.JSONField(_("descripteurs des niveaux"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="criterion_key_per_question")
        ]

    def __str__(self) -> str:
        return self.label

    def descriptor(self, value: int) -> str:
        index = value - 1
        return self.descriptors[index] if 0 <= index < len(self.descriptors) else ""
