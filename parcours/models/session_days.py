from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class SessionDay(models.Model):
    """One local day of a session with its morning and afternoon times: what attendance
    is taken on and what attestations count. A day may have only a morning, only an
    afternoon, or one single slot (kept in the half it starts in)."""

    deletion_unlisted = True  # see parcours.services.deletion

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.ForeignKey("parcours.Session", on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("jour"))
    morning_starts = models.TimeField(_("début de la matinée"), null=True, blank=True)
    morning_ends = models.TimeField(_("fin de la matinée"), null=True, blank=True)
    afternoon_starts = models.TimeField(_("début de l'après-midi"), null=True, blank=True)
    afternoon_ends = models.TimeField(_("fin de l'après-midi"), null=True, blank=True)
    # Set when a coordinator changed the times: kept when the session is edited.
    edited = models.BooleanField(default=False, editable=False)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("jour de séance")
        verbose_name_plural = _("jours de séance")
        ordering = ["session", "day"]
        constraints = [
            models.UniqueConstraint(fields=["session", "day"], name="session_day_once"),
            models.CheckConstraint(
                condition=(Q(morning_starts__isnull=True) & Q(morning_ends__isnull=True))
                | Q(morning_ends__gt=F("morning_starts")),
                name="session_day_morning_in_order",
            ),
            models.CheckConstraint(
                condition=(Q(afternoon_starts__isnull=True) & Q(afternoon_ends__isnull=True))
                | Q(afternoon_ends__gt=F("afternoon_starts")),
                name="session_day_afternoon_in_order",
            ),
            models.CheckConstraint(
                condition=Q(morning_ends__isnull=True)
                | Q(afternoon_starts__isnull=True)
                | Q(afternoon_starts__gte=F("morning_ends")),
                name="session_day_afternoon_after_morning",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.day}"

    @property
    def has_morning(self) -> bool:
        return self.morning_starts is not None and self.morning_ends is not None

    @property
    def has_afternoon(self) -> bool:
        return self.afternoon_starts is not None and self.afternoon_ends is not None
