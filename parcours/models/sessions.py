import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits


class SessionFormat(models.TextChoices):
    IN_PERSON = "presentiel", _("Présentiel")
    REMOTE = "visio", _("Visio")
    HYBRID = "hybride", _("Hybride")


class SessionQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Session.Status.CANCELLED)


class Session(models.Model):
    """A dated moment of the parcours: a training day, a webinar, a COPIL, an
    individual coaching of one team…"""

    class Status(models.TextChoices):
        TENTATIVE = "tentative", _("À confirmer")
        SCHEDULED = "scheduled", _("Programmée")
        CANCELLED = "cancelled", _("Annulée")

    class Audience(models.TextChoices):
        COHORT = "cohort", _("Toute la promotion")
        TEAMS = "teams", _("Certaines équipes")
        TEAM = "team", _("Une équipe (séance individuelle)")
        OPEN = "open", _("Inscription libre")
        INTERNAL = "internal", _("Interne (équipe d'animation)")
        # Set by the groups (codev): the group's teams and its people (registrations).
        GROUP = "group", _("Un groupe (CODEV, sous-groupe, groupe de travail)")

    # Audiences whose teams are chosen (``teams``) rather than the whole cohort.
    TEAM_AUDIENCES = (Audience.TEAM, Audience.TEAMS, Audience.GROUP)

    class Presence(models.TextChoices):
        WHOLE_TEAM_WISHED = "wished", _("Équipe complète souhaitable")
        WHOLE_TEAM_REQUIRED = "required", _("Équipe complète indispensable")
        ONE_ROLE = "role", _("Un rôle en particulier")
        ANY = "any", _("Au moins un membre de l'équipe")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="sessions"
    )
    phase = models.ForeignKey(
        "parcours.Phase",
        verbose_name=_("phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    kind = models.ForeignKey(
        "parcours.SessionKind",
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(_("titre"), max_length=200)
    format = models.CharField(
        _("format"), max_length=20, choices=SessionFormat.choices, default=SessionFormat.IN_PERSON
    )
    # Both empty for a session « date à confirmer », placed by its phase or target month.
    starts_at = models.DateTimeField(_("début"), null=True, blank=True)
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    target_month = models.DateField(
        _("mois visé"),
        null=True,
        blank=True,
        help_text=_("Pour une séance dont la date reste à confirmer."),
    )
    all_day = models.BooleanField(_("journée entière"), default=False)
    date_note = models.CharField(
        _("précision sur la date"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « options : 9-10 ou 10-11 décembre »."),
    )
    place = models.TextField(_("lieu (adresse)"), blank=True, max_length=limits.NOTE)
    visio_url = models.URLField(_("lien de visio"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("capacité"), null=True, blank=True)
    objectives = models.TextField(_("objectifs"), blank=True, max_length=limits.TEXT)
    content = models.TextField(_("contenu"), blank=True, max_length=limits.TEXT)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intervenant·es"),
        blank=True,
        related_name="facilitated_sessions",
    )
    audience = models.CharField(
        _("public"), max_length=20, choices=Audience.choices, default=Audience.COHORT
    )
    teams = models.ManyToManyField(
        "parcours.Team", verbose_name=_("équipes"), blank=True, related_name="sessions"
    )
    expected_presence = models.CharField(
        _("présence attendue"),
        max_length=20,
        choices=Presence.choices,
        default=Presence.WHOLE_TEAM_WISHED,
    )
    expected_role = models.ForeignKey(
        "parcours.TeamRole",
        verbose_name=_("rôle attendu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    cancellation_reason = models.CharField(_("motif d'annulation"), max_length=300, blank=True)
    # iCalendar identity: the UID never changes, SEQUENCE grows with each significant change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(
        organisation="organisation", _manager_class=models.Manager.from_queryset(SessionQuerySet)
    )

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = [F("starts_at").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(starts_at__isnull=True) & Q(ends_at__isnull=True))
                | Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["programme", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_remote(self) -> bool:
        return self.format in (SessionFormat.REMOTE, SessionFormat.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (SessionFormat.IN_PERSON, SessionFormat.HYBRID)

    @property
    def is_dated(self) -> bool:
        return self.starts_at is not None and self.ends_at is not None

    @property
    def is_internal(self) -> bool:
        return self.audience == self.Audience.INTERNAL

    @property
    def duration(self):
        if not self.is_dated:
            return None
        return self.ends_at - self.starts_at


class SessionRegistration(models.Model):
    """A person registered to an open session (seed 001's seminar)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_registrations"
    )
    # Who the person is at the event (open registration): printed on the sheet, the
    # émargement and the attestations.
    structure = models.CharField(_("structure"), max_length=200, blank=True)
    function = models.CharField(_("fonction"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.session}"
