"""Campaigns: a questionnaire version sent to a target at a moment, open between two
times; and the rules that create an "à chaud" campaign after each session of a kind."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits


class Moment(models.TextChoices):
    T0 = "t0", _("T0 (point de départ)")
    T1 = "t1", _("T1 (mi-parcours)")
    T2 = "t2", _("T2 (fin de parcours)")
    BEFORE = "before", _("Avant l'action (attentes)")
    DURING = "during", _("Pendant l'action")
    HOT = "hot", _("À chaud")
    COLD = "cold", _("À froid")
    FREE = "free", _("Libre")


PROGRESSION_MOMENTS = (Moment.T0, Moment.T1, Moment.T2)
SATISFACTION_MOMENTS = (Moment.HOT, Moment.COLD)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        LAUNCHED = "launched", _("Lancée")
        CANCELLED = "cancelled", _("Annulée")

    class Audience(models.TextChoices):
        COHORT = "cohort", _("Toutes les équipes du programme")
        TEAMS = "teams", _("Certaines équipes")
        SESSION = "session", _("Les participant·es d'une séance")
        PEOPLE = "people", _("Des personnes nommément désignées")
        # A call's questionnaires: one collective answer per application, filled by its
        # applicants; never offered for a programme campaign.
        APPLICANTS = "applicants", _("Les candidat·es d'un appel")

    class Mode(models.TextChoices):
        TEAM = "team", _("Une réponse collective par équipe")
        PERSON = "person", _("Une réponse par personne")
        ASSESS_TEAM = "assess_team", _("Les intervenant·es évaluent chaque équipe")
        ASSESS_PERSON = "assess_person", _("Les intervenant·es évaluent chaque participant·e")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="campaigns"
    )
    # Set for the questions of a call for applications (motivation, T0 self-diagnostic):
    # answered by applications, never listed nor reminded as a programme campaign.
    call = models.ForeignKey(
        "candidatures.Call",
        verbose_name=_("appel à candidatures"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="campaigns",
    )
    # None for an external evaluation (run with another tool, seed 004's « à froid »).
    questionnaire = models.ForeignKey(
        "evaluation.Questionnaire",
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
    )
    # Fixed when the campaign is launched: every response answers this version.
    version = models.ForeignKey(
        "evaluation.QuestionnaireVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
    )
    title = models.CharField(_("titre"), max_length=200)
    message = models.TextField(
        _("message aux répondant·es"),
        blank=True,
        help_text=_("Repris dans l'e-mail d'invitation et en tête du questionnaire."),
        max_length=limits.NOTE,
    )
    moment = models.CharField(
        _("moment"), max_length=20, choices=Moment.choices, default=Moment.FREE
    )
    audience = models.CharField(
        _("public"), max_length=20, choices=Audience.choices, default=Audience.COHORT
    )
    teams = models.ManyToManyField(
        "parcours.Team", verbose_name=_("équipes"), blank=True, related_name="campaigns"
    )
    session = models.ForeignKey(
        "parcours.Session",
        verbose_name=_("séance"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="campaigns",
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personnes"),
        blank=True,
        related_name="targeted_campaigns",
    )
    mode = models.CharField(
        _("qui répond"), max_length=20, choices=Mode.choices, default=Mode.PERSON
    )
    anonymous = models.BooleanField(
        _("réponses anonymes"),
        default=False,
        help_text=_(
            "Les réponses ne peuvent pas être reliées à leur auteur·rice, même par les "
            "coordinateurs ; le fait d'avoir répondu est enregistré à part pour relancer."
        ),
    )
    # A session's participants: the campaign waits for the attendance sheet until this
    # moment (default: the next morning), then goes to those recorded; with no sheet by
    # then, to the registered, and ``audience_fallback`` flags the results.
    sheet_wait_until = models.DateTimeField(
        _("attendre la feuille d'émargement jusqu'au"), null=True, blank=True
    )
    audience_fallback = models.BooleanField(default=False, editable=False)
    # An external evaluation has no questionnaire: its headline figures are recorded.
    external = models.BooleanField(
        _("évaluation externe"),
        default=False,
        help_text=_("Menée avec un autre outil : vous en saisissez les chiffres clés."),
    )
    external_invited = models.PositiveIntegerField(
        _("personnes sollicitées"), null=True, blank=True
    )
    external_respondents = models.PositiveIntegerField(_("répondant·es"), null=True, blank=True)
    external_satisfaction = models.DecimalField(
        _("taux de satisfaction (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    external_summary = models.TextField(_("synthèse"), blank=True, max_length=limits.TEXT)
    external_report = models.FileField(
        _("rapport"), upload_to="evaluation/external/%Y/%m/", blank=True
    )
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("seuil d'anonymat"),
        default=5,
        validators=[MinValueValidator(3)],
        help_text=_(
            "Pour une campagne anonyme, aucun résultat n'est montré avant ce nombre de "
            "réponses (3 au minimum)."
        ),
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("évaluateur·rices"),
        blank=True,
        related_name="assessed_campaigns",
    )
    # The self-assessment shown beside this assessment (or the reverse).
    paired_with = models.ForeignKey(
        "self",
        verbose_name=_("auto-évaluation correspondante"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairs",
    )
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    launched_at = models.DateTimeField(null=True, blank=True)
    automatic_rule = models.ForeignKey(
        "evaluation.AutomaticCampaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("campagne d'évaluation")
        verbose_name_plural = _("campagnes d'évaluation")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="campaign_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(anonymity_threshold__gte=3), name="campaign_anonymity_threshold_min_3"
            ),
            models.CheckConstraint(
                condition=Q(external=True) | Q(questionnaire__isnull=False),
                name="campaign_questionnaire_unless_external",
            ),
            models.CheckConstraint(
                condition=Q(external_satisfaction__isnull=True)
                | Q(external_satisfaction__gte=0, external_satisfaction__lte=100),
                name="campaign_external_satisfaction_percent",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(mode="person"),
                name="campaign_anonymous_only_per_person",
            ),
            # A call has at most one questionnaire per moment (motivation: free, T0).
            models.UniqueConstraint(
                fields=["call", "moment"], name="campaign_once_per_call_moment"
            ),
        ]
        indexes = [models.Index(fields=["programme", "moment"])]

    def __str__(self) -> str:
        return self.title

    # States a person sees: brouillon, programmée, ouverte, close, annulée.
    @property
    def state(self) -> str:
        if self.status != self.Status.LAUNCHED:
            return self.status
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now >= self.closes_at:
            return "closed"
        return "open"

    @property
    def state_label(self) -> str:
        return {
            "draft": _("Brouillon"),
            "cancelled": _("Annulée"),
            "upcoming": _("Programmée"),
            "open": _("Ouverte"),
            "closed": _("Clôturée"),
        }[self.state]

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def is_assessment(self) -> bool:
        return self.mode in (self.Mode.ASSESS_TEAM, self.Mode.ASSESS_PERSON)

    @property
    def is_call_campaign(self) -> bool:
        return self.call_id is not None

    @property
    def per_team(self) -> bool:
        """Whether one response stands for a whole team (collective answer, or the
        assessment of a team)."""
        return self.mode in (self.Mode.TEAM, self.Mode.ASSESS_TEAM)


class AutomaticCampaign(models.Model):
    """ "Évaluation à chaud" after every session of a kind: a campaign opening at the
    session's end, for its participants, created and kept in step with the session."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="automatic_campaigns"
    )
    session_kind = models.ForeignKey(
        "parcours.SessionKind",
        verbose_name=_("type de séance"),
        on_delete=models.CASCADE,
        related_name="automatic_campaigns",
    )
    questionnaire = models.ForeignKey(
        "evaluation.Questionnaire",
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="automatic_campaigns",
    )
    open_days = models.PositiveSmallIntegerField(
        _("durée d'ouverture (jours)"), default=14, help_text=_("Entre 1 et 90 jours.")
    )
    anonymous = models.BooleanField(_("réponses anonymes"), default=True)
    enabled = models.BooleanField(_("règle active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("évaluation à chaud automatique")
        verbose_name_plural = _("évaluations à chaud automatiques")
        ordering = ["session_kind__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "session_kind"], name="automatic_campaign_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_kind} → {self.questionnaire}"


class CampaignReminder(models.Model):
    """A "relancer" sent by a coordinator: who, when, to how many people."""

    deletion_unlisted = True  # see parcours.services.deletion

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.sent_at:%Y-%m-%d %H:%M}"
