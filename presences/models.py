from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class HalfDay(models.TextChoices):
    MORNING = "am", _("Matin")
    AFTERNOON = "pm", _("Après-midi")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    ABSENT = "absent", _("Absent·e")
    EXCUSED = "excused", _("Excusé·e")
    PARTIAL = "partial", _("Retard ou départ anticipé")


# Statuses that count as having attended the half-day (rates, attestations).
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL)


class AttendanceSheet(models.Model):
    """The attendance record of one session (« feuille d'émargement »): who is on it
    beyond the expected people, and whether the trainer validated it (which locks it
    until a coordinator reopens it)."""

    class Status(models.TextChoices):
        OPEN = "open", _("En cours")
        VALIDATED = "validated", _("Validée")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.OneToOneField(
        "parcours.Session", on_delete=models.CASCADE, related_name="attendance_sheet"
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("feuille d'émargement")
        verbose_name_plural = _("feuilles d'émargement")

    def __str__(self) -> str:
        return str(self.session)

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED


class SheetParticipant(models.Model):
    """Someone on a session's sheet who was not expected (a colleague who came along),
    added by the trainer. Expected people are computed, never stored."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    sheet = models.ForeignKey(AttendanceSheet, on_delete=models.CASCADE, related_name="guests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        "parcours.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("participant·e non prévu·e")
        verbose_name_plural = _("participant·es non prévu·es")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "user"], name="sheet_participant_once")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Attendance(models.Model):
    """One person's presence at one half-day of a session. The team and role are those
    the person held when it was recorded (rates per team and per role stay right after
    a replacement)."""

    # Deleting its session is refused (parcours.services.deletion): cancel it instead.
    deletion_refusal = _("des présences enregistrées")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.ForeignKey(
        "parcours.Session", on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    team = models.ForeignKey(
        "parcours.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.ForeignKey(
        "parcours.TeamRole", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("jour"))
    half_day = models.CharField(_("demi-journée"), max_length=2, choices=HalfDay.choices)
    status = models.CharField(_("présence"), max_length=20, choices=AttendanceStatus.choices)
    note = models.CharField(_("précision"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["session", "day", "half_day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user", "day", "half_day"], name="attendance_once_per_half_day"
            )
        ]
        indexes = [models.Index(fields=["organisation", "user"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.day} {self.get_half_day_display()}"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED


class AttendanceChange(models.Model):
    """History of a session's attendance: each change (who, when, before, after), the
    validation and reopenings of the sheet. Never edited."""

    deletion_unlisted = True  # see parcours.services.deletion

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("Présence modifiée")
        VALIDATED = "validated", _("Feuille validée")
        REOPENED = "reopened", _("Feuille rouverte")
        GUEST_ADDED = "guest_added", _("Participant·e ajouté·e")
        SIGNED = "signed", _("Signature")
        DAY_VALIDATED = "day_validated", _("Journée signée et validée")
        DAY_REOPENED = "day_reopened", _("Journée rouverte")
        WORKSHOP = "workshop", _("Présence en atelier")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.ForeignKey(
        "parcours.Session", on_delete=models.CASCADE, related_name="attendance_changes"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECORDED)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person whose attendance changed (RECORDED, GUEST_ADDED).",
    )
    day = models.DateField(null=True, blank=True)
    half_day = models.CharField(max_length=2, choices=HalfDay.choices, blank=True)
    before = models.CharField(max_length=20, choices=AttendanceStatus.choices, blank=True)
    after = models.CharField(max_length=20, choices=AttendanceStatus.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    # The workshop whose attendance changed (WORKSHOP).
    workshop = models.ForeignKey(
        "parcours.Workshop", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("changement de présence")
        verbose_name_plural = _("historique des présences")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.session}"


class SignatureMethod(models.TextChoices):
    TABLET = "tablet", _("tablette")
    PHONE = "phone", _("téléphone")


class AttendanceSignature(models.Model):
    """A person's signature of one half-day (« émargement électronique »): drawn with a
    finger on the trainer's tablet or on their own phone after typing the room's code,
    or typed with the keyboard. The drawing is kept as stroke points (integers in a
    600 × 200 box, see ``presences.strokes``), never as SVG or HTML from the browser."""

    deletion_refusal = _("des signatures d'émargement")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.ForeignKey(
        "parcours.Session", on_delete=models.CASCADE, related_name="attendance_signatures"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("jour"))
    half_day = models.CharField(_("demi-journée"), max_length=2, choices=HalfDay.choices)
    signed_at = models.DateTimeField(_("signé à"))
    method = models.CharField(_("moyen"), max_length=10, choices=SignatureMethod.choices)
    strokes = models.JSONField(_("tracé"), default=list, blank=True)
    typed_name = models.CharField(_("nom saisi au clavier"), max_length=150, blank=True)
    device = models.CharField(_("appareil"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="Who held the device: the trainer for a tablet, the person for a phone.",
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("signature d'émargement")
        verbose_name_plural = _("signatures d'émargement")
        ordering = ["session", "day", "half_day", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user", "day", "half_day"], name="signature_once_per_half_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.day} {self.get_half_day_display()}"


class SheetDay(models.Model):
    """One day of a sheet: the trainer signs it at the end of the day and validates it
    (which locks its half-days); a coordinator may reopen it. The sheet is validated
    once every day is."""

    deletion_unlisted = True  # see parcours.services.deletion

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    sheet = models.ForeignKey(AttendanceSheet, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("jour"))
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    trainer_strokes = models.JSONField(default=list, blank=True)
    trainer_typed_name = models.CharField(max_length=150, blank=True)
    trainer_signed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("journée d'émargement")
        verbose_name_plural = _("journées d'émargement")
        ordering = ["sheet", "day"]
        constraints = [models.UniqueConstraint(fields=["sheet", "day"], name="sheet_day_once")]

    def __str__(self) -> str:
        return f"{self.sheet} — {self.day}"

    @property
    def is_validated(self) -> bool:
        return self.validated_at is not None


class WorkshopStatus(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    ABSENT = "absent", _("Absent·e")


class WorkshopAttendance(models.Model):
    """One person's presence at one parallel workshop of a session's agenda (seed 001:
    « Histoires de territoire », two rounds). A person who chose another workshop of
    the round, or none, and came to this one is a walk-in (``walk_in``). Attestations
    claim only the workshops recorded here as attended, never those merely chosen."""

    deletion_refusal = _("des présences en atelier")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    workshop = models.ForeignKey(
        "parcours.Workshop", on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("présence"), max_length=20, choices=WorkshopStatus.choices)
    walk_in = models.BooleanField(_("venu·e sans avoir choisi l'atelier"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("présence en atelier")
        verbose_name_plural = _("présences en atelier")
        ordering = ["workshop", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="workshop_attendance_once")
        ]
        indexes = [models.Index(fields=["organisation", "user"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.workshop}"

    @property
    def attended(self) -> bool:
        return self.status == WorkshopStatus.PRESENT
