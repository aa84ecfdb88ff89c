import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

# A build whose heartbeat is older than this is taken for dead (its worker was killed):
# the sweep (``documents.queue.sweep``) takes it back. The build beats every
# ``DOCUMENT_HEARTBEAT_SECONDS`` (a thread of the worker), whatever its builder does.


def stale_after() -> timedelta:
    return timedelta(seconds=settings.DOCUMENT_STALE_AFTER_SECONDS)


def document_path(document: "Document", filename: str) -> str:
    # A random folder per document: the file's address cannot be guessed.
    return f"documents/{document.organisation_id}/{uuid.uuid4().hex}/{filename}"


class Document(models.Model):
    """A generated file (attendance sheet, attestation, a cohort's attestations as a
    ZIP…), built in the background by a Celery task: pending → building → ready, or
    failed with a message. The row is the durable queue: it is written before the task
    is sent, and the sweep sends again what the broker lost and takes back a build whose
    worker died (``documents.queue``). ``file`` is set only once the whole file is
    written, so a half-built one is never offered."""

    class Kind(models.TextChoices):
        ATTENDANCE_SHEET = "attendance_sheet", _("Feuille d'émargement vierge")
        FILLED_ATTENDANCE_SHEET = "filled_attendance_sheet", _("Feuille d'émargement remplie")
        ATTESTATION = "attestation", _("Attestation de participation")
        ATTESTATIONS = "attestations", _("Attestations de la promotion (ZIP)")
        CODEV_RECORD = "codev_record", _("Compte rendu de séance de CODEV")
        ACTION_PLAN = "action_plan", _("Plan d'action")
        PROGRAMME_SYNTHESIS = "programme_synthesis", _("Synthèse du programme")
        TEAM_REPORT = "team_report", _("Rapport de parcours d'une équipe")
        TEAM_REPORTS = "team_reports", _("Rapports de parcours des équipes (ZIP)")
        TRAINING_BILAN = "training_bilan", _("Bilan de formation")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        BUILDING = "building", _("En cours de création")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="requested_documents",
    )
    # What the document is about (depending on its kind).
    programme = models.ForeignKey(
        "parcours.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    cohort = models.ForeignKey(
        "parcours.Cohort", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        "parcours.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="generated_documents",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents_about",
    )
    plan = models.ForeignKey(
        "plans.ActionPlan",
        verbose_name=_("plan d'action"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        "parcours.Team",
        verbose_name=_("équipe"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # Syntheses: the coordinator's foreword, and what they cover ({"phase": id,
    # "starts_on": "YYYY-MM-DD", "ends_on": …, "teams": [ids]}; empty: everything).
    foreword = models.TextField(_("avant-propos"), blank=True, max_length=20000)
    scope = models.JSONField(_("périmètre"), default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    # The name of the step being built (« Présences », « Évaluations »…), if the builder
    # names its steps.
    step = models.CharField(_("étape"), max_length=100, blank=True)
    file = models.FileField(_("fichier"), upload_to=document_path, max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    # Attestations: the days they cover, and whether a provisional one was asked for.
    period_start = models.DateField(_("période : du"), null=True, blank=True)
    period_end = models.DateField(_("période : au"), null=True, blank=True)
    provisional = models.BooleanField(_("provisoire"), default=False)
    error = models.TextField(_("erreur"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Builds of this request whose worker died, taken back by the sweep (bounded).
    interruptions = models.PositiveSmallIntegerField(default=0)
    # When the task was last handed to the broker (empty: not yet, the broker was down).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("document généré")
        verbose_name_plural = _("documents générés")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="document_progress_at_most_100"
            )
        ]
        indexes = [models.Index(fields=["organisation", "requested_by", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_stale(self) -> bool:
        """Building, but its heartbeat stopped: its worker died (the sweep takes it back)."""
        if self.status != self.Status.BUILDING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return last is not None and timezone.now() - last > stale_after()

    @property
    def is_queued(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def in_progress(self) -> bool:
        """Pending or building (a dead build included: it is taken back on its own)."""
        return self.status in (self.Status.PENDING, self.Status.BUILDING)


class Attestation(models.Model):
    """The registry of final attestations de participation: each has a readable number
    (« ATT-2026-000042 », one sequence per organisation) and a random token for the
    verification link, and keeps what it stated (holder, programme, period, hours per
    session) as it was issued. Reissuing one for the same person and period revokes the
    previous one; a coordinator can revoke one. Provisional attestations are never
    registered."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("numéro"), max_length=30)
    token = models.CharField(max_length=64, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        on_delete=models.CASCADE,
        related_name="attestations",
    )
    holder_name = models.CharField(_("nom du titulaire"), max_length=300)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="attestations"
    )
    programme_name = models.CharField(_("programme"), max_length=300)
    period_start = models.DateField(_("du"))
    period_end = models.DateField(_("au"))
    total_minutes = models.PositiveIntegerField(_("durée totale (minutes)"))
    # [{"title", "days", "minutes", "place", "modality", "trainers"}], as printed.
    sessions = models.JSONField(default=list, blank=True)
    issued_at = models.DateTimeField(_("délivrée le"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attestations",
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.CharField(_("motif de révocation"), max_length=300, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("attestation délivrée")
        verbose_name_plural = _("attestations délivrées")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sequence"], name="attestation_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "number"], name="attestation_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="attestation_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "person", "programme"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
