from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from parcours.models.sessions import SessionFormat
from sillon import limits


class DatePoll(models.Model):
    """A « sondage de date » for a session still to be dated: the organiser proposes
    slots, the people expected at the session answer per slot, the organiser picks one
    and the session is scheduled on it (convocations go out).

    Polls launched together for every team of a cohort share a ``batch``: a slot picked
    for one team is no longer offered to the others (the trainer cannot be in two
    places)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ouvert")
        DECIDED = "decided", _("Date retenue")
        CANCELLED = "cancelled", _("Abandonné")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.ForeignKey(
        "parcours.Session", on_delete=models.CASCADE, related_name="date_polls"
    )
    message = models.TextField(
        _("message aux participant·es"),
        blank=True,
        help_text=_("Quelques mots pour expliquer les créneaux proposés (facultatif)."),
        max_length=limits.NOTE,
    )
    closes_at = models.DateTimeField(_("réponses attendues avant le"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    chosen_slot = models.ForeignKey(
        "sondages.Slot",
        verbose_name=_("créneau retenu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    batch = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("sondage de date")
        verbose_name_plural = _("sondages de date")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(status="open"), name="date_poll_one_open"
            )
        ]

    def __str__(self) -> str:
        return str(self.session)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Slot(models.Model):
    """A proposed date for a poll: start, end and format."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    format = models.CharField(
        _("format"), max_length=20, choices=SessionFormat.choices, default=SessionFormat.IN_PERSON
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["poll", "starts_at", "ends_at", "format"], name="slot_unique_in_poll"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.poll} — {self.starts_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    """One person's answer for one slot: oui / si nécessaire / non."""

    class Answer(models.TextChoices):
        YES = "yes", _("Oui")
        IF_NEEDED = "if_needed", _("Si nécessaire")
        NO = "no", _("Non")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes"
    )
    answer = models.CharField(_("réponse"), max_length=20, choices=Answer.choices)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("réponse à un créneau")
        verbose_name_plural = _("réponses aux créneaux")
        constraints = [models.UniqueConstraint(fields=["slot", "user"], name="vote_once")]

    def __str__(self) -> str:
        return f"{self.user} : {self.get_answer_display()}"


class PollComment(models.Model):
    """A voter's comment on a poll (« je peux me libérer l'après-midi »), one per person,
    updated when they answer again."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("commentaire"), max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("commentaire de sondage")
        verbose_name_plural = _("commentaires de sondage")
        ordering = ["updated_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="poll_comment_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.poll}"
