"""The call for applications (AMI), the applications and their review; a selected
application becomes a team (``parcours``) whose people are invited to join it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from parcours.models.teams import new_token
from sillon import limits


class Call(models.Model):
    """An appel à manifestation d'intérêt: the public page candidates read, and the
    window in which they apply to join a programme's cohort."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="calls"
    )
    cohort = models.ForeignKey(
        "parcours.Cohort",
        verbose_name=_("promotion"),
        on_delete=models.PROTECT,
        related_name="calls",
        help_text=_("Les candidatures retenues deviennent des équipes de cette promotion."),
    )
    slug = models.SlugField(
        _("adresse"),
        max_length=80,
        help_text=_("La fin de l'adresse publique de l'appel, par exemple « ami-2026 »."),
    )
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("résumé"), max_length=400, blank=True)
    body = models.TextField(
        _("présentation"),
        blank=True,
        help_text=_("Mise en forme Markdown : **gras**, listes…"),
        max_length=limits.TEXT,
    )
    eligibility = models.TextField(
        _("conditions d'éligibilité"), blank=True, max_length=limits.TEXT
    )
    criteria = models.TextField(_("critères de sélection"), blank=True, max_length=limits.TEXT)
    faq = models.TextField(_("questions fréquentes"), blank=True, max_length=limits.TEXT)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    opens_at = models.DateTimeField(_("ouverture des candidatures"))
    closes_at = models.DateTimeField(_("clôture des candidatures"))
    webinar = models.ForeignKey(
        "parcours.Session",
        verbose_name=_("webinaire de questions-réponses"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("appel à candidatures")
        verbose_name_plural = _("appels à candidatures")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="call_unique_slug"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.is_published and self.opens_at <= at < self.closes_at


class ScoringCriterion(models.Model):
    """A line of the call's scoring grid, with its weight in the weighted average."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="scoring_criteria")
    name = models.CharField(_("critère"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=limits.NOTE)
    weight = models.PositiveSmallIntegerField(_("poids"), default=1)
    max_score = models.PositiveSmallIntegerField(_("note maximale"), default=5)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("critère de notation")
        verbose_name_plural = _("critères de notation")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="criterion_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """A territory's candidature to a call, filled by its lead and the people invited
    to complete it, then reviewed and decided by the coordinators."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Déposée")
        UNDER_REVIEW = "under_review", _("En cours d'examen")
        DECIDED = "decided", _("Décidée")
        WITHDRAWN = "withdrawn", _("Retirée")

    class Decision(models.TextChoices):
        SELECTED = "selected", _("Retenue")
        WAITING_LIST = "waiting_list", _("Liste d'attente")
        NOT_SELECTED = "not_selected", _("Non retenue")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    territory = models.ForeignKey(
        "territoires.Territory",
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    structure = models.CharField(
        _("structure porteuse"),
        max_length=200,
        blank=True,
        help_text=_("La collectivité ou la structure qui porte la candidature."),
    )
    project_name = models.CharField(_("nom du projet"), max_length=200, blank=True)
    project_stage = models.CharField(_("étape du projet"), max_length=20, blank=True)
    project_recognition = models.CharField(_("niveau de reconnaissance"), max_length=20, blank=True)
    project_website = models.URLField(_("site web du projet"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    decision = models.CharField(_("décision"), max_length=20, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(
        _("motifs de la décision"), blank=True, max_length=limits.NOTE
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    announced_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The human reference « AMI-2026-013 », given at the first submission and kept.
    reference = models.CharField(_("numéro"), max_length=20, blank=True, editable=False)
    # A coordinator's explicit reopening: the applicant may submit until then.
    reopened_until = models.DateTimeField(null=True, blank=True)
    team = models.OneToOneField(
        "parcours.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-submitted_at", "-created_at", "pk"]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["call", "territory"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                condition=~models.Q(reference=""),
                name="application_reference_once",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.territory_id:
            return self.territory.name
        return self.structure or self.project_name or _("Candidature sans territoire")

    def deadline(self):
        """When this application can no longer be submitted."""
        if self.reopened_until and self.reopened_until > self.call.closes_at:
            return self.reopened_until
        return self.call.closes_at


class ApplicationMember(models.Model):
    """A person proposed for the team in an application. Everyone but the lead is invited
    by e-mail to complete their part; ``user`` is set once they join."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    role = models.ForeignKey(
        "parcours.TeamRole",
        verbose_name=_("rôle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"))
    function = models.CharField(_("fonction"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_lead = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application_memberships",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    # The person confirmed their details and their commitment to the application.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("membre proposé")
        verbose_name_plural = _("membres proposés")
        ordering = ["application", "role__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "email"], name="application_member_once")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ApplicationEvent(models.Model):
    """One change of an application's state, with who made it and when."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Application.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("étape de la candidature")
        verbose_name_plural = _("étapes des candidatures")
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class Review(models.Model):
    """One reviewer's scoring of an application on the call's grid, with a comment."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="application_reviews"
    )
    comment = models.TextField(_("commentaire"), blank=True, max_length=limits.NOTE)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("évaluation de candidature")
        verbose_name_plural = _("évaluations de candidatures")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.application_id}"


class ReviewScore(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScoringCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("note"))

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
