from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Convocation(models.Model):
    """One person convened to one session, when and how: by the session's own
    convocation, in the calendar of their programme (on publication, or when they join
    several sessions at once), or resent by a coordinator. ``sequence`` is the version of
    the session convened (its iCal SEQUENCE): an automatic convocation goes out once per
    person and version."""

    class Kind(models.TextChoices):
        CONVOCATION = "convocation", _("Convocation")
        DIGEST = "digest", _("Calendrier du parcours")
        RESENT = "resent", _("Convocation renvoyée")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.ForeignKey(
        "parcours.Session", on_delete=models.CASCADE, related_name="convocations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="convocations"
    )
    kind = models.CharField(_("envoi"), max_length=20, choices=Kind.choices)
    sequence = models.PositiveIntegerField(_("version de la séance"), default=0)
    sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    # The notifications.OutboxMessage written (an id, not a foreign key: the migrations
    # of notifications depend on parcours'). None: told in the app only (no address).
    outbox_message_id = models.BigIntegerField(_("message"), null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("convocation")
        verbose_name_plural = _("convocations")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["session", "user", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.session} ({self.sent_at:%Y-%m-%d %H:%M})"
