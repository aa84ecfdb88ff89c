"""The outbox of e-mails, in-app notifications, preferences, suppressed addresses and
the reminder log (each reminder claimed once before it is sent)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Category(models.TextChoices):
    """What a person can choose to receive or not, per category."""

    CONVOCATIONS = "convocations", _("Convocations et changements de séance")
    REMINDERS = "reminders", _("Rappels (séances à venir, échéances)")
    REQUESTS = "requests", _("Demandes à traiter (signatures, questionnaires, sondages)")
    TEAM_NEWS = "team_news", _("Nouvelles de mon équipe")


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", _("Un e-mail à chaque fois")
    DIGEST = "digest", _("Un résumé quotidien")
    OFF = "off", _("Rien (ni e-mail ni notification)")


class OutboxMessage(models.Model):
    """One e-mail to one address. Written in the transaction of what caused it; a Celery
    task sends it after commit, retries with back-off, and records what happened."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        HELD = "held", _("Réservé au résumé quotidien")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        UNCERTAIN = "uncertain", _("Incertain (envoi interrompu)")
        FAILED = "failed", _("Échec")
        BOUNCED = "bounced", _("Rejeté par le destinataire")
        DIGESTED = "digested", _("Envoyé dans le résumé")
        SUPPRESSED = "suppressed", _("Non envoyé : adresse en échec")

    class FailureReason(models.TextChoices):
        """Why a message failed for good, in the coordinator's words."""

        BAD_MESSAGE = "bad_message", _("Message impossible à construire (en-tête ou pièce jointe)")
        INVALID_ADDRESS = "invalid_address", _("Adresse du destinataire invalide")
        RECIPIENT_REFUSED = "recipient_refused", _("Adresse refusée par le serveur d'envoi")
        REJECTED = "rejected", _("Message refusé par le serveur ou le fournisseur d'e-mails")
        UNREACHABLE = "unreachable", _("Serveur d'envoi injoignable après plusieurs tentatives")
        UNEXPECTED = "unexpected", _("Erreur inattendue pendant l'envoi")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    to_email = models.EmailField(_("destinataire"))
    kind = models.CharField(_("type de message"), max_length=60)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("objet"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"filename", "mimetype", "content" (base64)}]
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    failure_reason = models.CharField(
        _("raison de l'échec"), max_length=30, choices=FailureReason.choices, blank=True
    )
    provider_message_id = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["recipient", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"


class Notification(models.Model):
    """An in-app notification (the bell), linking to the page concerned."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    category = models.CharField(max_length=20, choices=Category.choices)
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("détail"), blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "organisation", "read_at"])]

    def __str__(self) -> str:
        return self.title


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Preference(models.Model):
    """How a person wants to receive one category of messages, everywhere. No row
    means "un e-mail à chaque fois"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.IMMEDIATE)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_preference_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.category} · {self.channel}"


class UnsubscribeKey(models.Model):
    """The secret, revocable key of a person's one-click unsubscribe links."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unsubscribe_key"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)

    class Meta:
        verbose_name = _("clé de désabonnement")
        verbose_name_plural = _("clés de désabonnement")

    def __str__(self) -> str:
        return str(self.user)


class SuppressedAddress(models.Model):
    """An address that bounced or complained (reported by the e-mail provider's webhook):
    nothing more is sent to it until someone fixes it."""

    email = models.EmailField(unique=True)
    reason = models.CharField(max_length=40)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adresse en échec")
        verbose_name_plural = _("adresses en échec")

    def __str__(self) -> str:
        return self.email


class ReminderSetting(models.Model):
    """A coordinator's adjustment of one reminder rule for one programme: other offsets,
    or switched off. No row means the rule's defaults."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="reminder_settings"
    )
    rule = models.CharField(max_length=60)
    enabled = models.BooleanField(_("activé"), default=True)
    offsets = models.JSONField(_("délais"), default=list)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("réglage de rappel")
        verbose_name_plural = _("réglages de rappel")
        constraints = [
            models.UniqueConstraint(fields=["programme", "rule"], name="one_setting_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.rule}"


class ReminderLog(models.Model):
    """Each (rule, object, recipient, occasion) is claimed here, by a unique row, before
    its message is written: a second scan, a retry or a second worker finds the row and
    never sends it again."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Réservé")
        QUEUED = "queued", _("Message écrit")
        SKIPPED = "skipped", _("Non envoyé (préférence ou adresse)")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    rule = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_logs"
    )
    occasion = models.CharField(max_length=120)
    due_at = models.DateTimeField()
    claim_token = models.CharField(max_length=40, db_index=True)
    claimed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CLAIMED)
    message = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("journal des rappels")
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_id", "recipient", "occasion"], name="reminder_once"
            )
        ]
        indexes = [models.Index(fields=["recipient", "due_at"])]

    def __str__(self) -> str:
        return f"{self.rule} #{self.object_id} → {self.recipient_id} ({self.occasion})"


class ScanMark(models.Model):
    """How far a periodic scan has run (its high-water mark): the next run looks at what
    fell due since then, so reminders due while the scans were down are caught up."""

    name = models.CharField(max_length=60, unique=True)
    reached_at = models.DateTimeField()

    class Meta:
        verbose_name = _("avancement d'un balayage")
        verbose_name_plural = _("avancement des balayages")

    def __str__(self) -> str:
        return f"{self.name} · {self.reached_at:%Y-%m-%d %H:%M}"
