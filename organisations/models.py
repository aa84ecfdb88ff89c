import secrets
from datetime import time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits

from .branding import validate_brand_colour

# URL segments that can never be an organisation's slug (they are Sillon's own pages).
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "auth",
        "compte",
        "invitation",
        "health",
        "static",
        "media",
        "accessibilite",
        "donnees-personnelles",
        "mentions-legales",
        "api",
        "www",
        "calendrier",
        "ical",
        "notifications",
        "anymail",
        "territoires",
    }
)
INVITATION_VALIDITY = timedelta(days=14)


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("« %(slug)s » est réservé par Sillon ; choisissez un autre identifiant."),
            params={"slug": value},
            code="reserved",
        )


# Organisations running programmes in France: metropolitan France and the overseas
# territories. A short list is also what a coordinator can scan in a select.
TIME_ZONE_CHOICES = [
    ("Europe/Paris", _("France métropolitaine et Corse (Europe/Paris)")),
    ("America/Guadeloupe", _("Guadeloupe (America/Guadeloupe)")),
    ("America/Martinique", _("Martinique (America/Martinique)")),
    ("America/Cayenne", _("Guyane (America/Cayenne)")),
    ("Indian/Reunion", _("La Réunion (Indian/Reunion)")),
    ("Indian/Mayotte", _("Mayotte (Indian/Mayotte)")),
    ("America/Miquelon", _("Saint-Pierre-et-Miquelon (America/Miquelon)")),
    ("America/St_Barthelemy", _("Saint-Barthélemy (America/St_Barthelemy)")),
    ("America/Marigot", _("Saint-Martin (America/Marigot)")),
    ("Pacific/Noumea", _("Nouvelle-Calédonie (Pacific/Noumea)")),
    ("Pacific/Tahiti", _("Polynésie française (Pacific/Tahiti)")),
    ("Pacific/Wallis", _("Wallis-et-Futuna (Pacific/Wallis)")),
]


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Organisation(models.Model):
    """The tenant: a Région, the CNFPT, a CAF, an association that runs programmes."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(
        _("identifiant dans l'adresse"),
        max_length=60,
        unique=True,
        validators=[
            validate_slug_not_reserved,
            RegexValidator(r"^[a-z0-9-]+$", _("Lettres minuscules, chiffres et tirets.")),
        ],
        help_text=_("Apparaît dans les adresses : /identifiant/…"),
    )
    logo = models.FileField(_("logo"), upload_to="organisations/logos/", blank=True)
    brand_colour = models.CharField(
        _("couleur principale"),
        max_length=7,
        default="#2f5d50",
        validators=[validate_brand_colour],
        help_text=_("Couleur des menus et boutons, contrastée avec le blanc (AA)."),
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    city = models.CharField(
        _("ville"),
        max_length=100,
        blank=True,
        help_text=_("Lieu de signature des attestations : « Fait à Lille, le … »."),
    )
    # What an attestation states about the organisme (« L'organisme … atteste que … »).
    legal_name = models.CharField(
        _("raison sociale"),
        max_length=200,
        blank=True,
        help_text=_("Nom légal sur les attestations ; à défaut, le nom ci-dessus."),
    )
    address = models.TextField(_("adresse postale"), blank=True, max_length=limits.NOTE)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", _("Le SIRET compte 14 chiffres."))],
    )
    training_body_number = models.CharField(
        _("numéro de déclaration d'activité (organisme de formation)"),
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^\d{11}$", _("Ce numéro compte 11 chiffres."))],
    )
    signatory_name = models.CharField(
        _("signataire des attestations"),
        max_length=200,
        blank=True,
        help_text=_("Prénom et nom de la personne qui signe les attestations."),
    )
    signatory_function = models.CharField(_("fonction du signataire"), max_length=200, blank=True)
    signature_image = models.FileField(
        _("image de la signature"),
        upload_to="organisations/signatures/",
        blank=True,
        help_text=_("PNG ou JPEG, facultative : apposée sous le nom du signataire."),
    )
    # Default half-days of a session day (each session day can change them).
    morning_starts = models.TimeField(_("début de la matinée"), default=time(9))
    morning_ends = models.TimeField(_("fin de la matinée"), default=time(12, 30))
    afternoon_starts = models.TimeField(_("début de l'après-midi"), default=time(13, 30))
    afternoon_ends = models.TimeField(_("fin de l'après-midi"), default=time(17))
    legal_notice = models.TextField(
        _("mentions légales"),
        blank=True,
        help_text=_("Éditeur, directeur de publication, hébergeur, contact."),
        max_length=limits.TEXT,
    )
    time_zone = models.CharField(
        _("fuseau horaire"), max_length=64, default="Europe/Paris", choices=TIME_ZONE_CHOICES
    )
    require_mfa_for_coordinators = models.BooleanField(
        _("double authentification obligatoire pour les coordinateurs"), default=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(morning_ends__gt=models.F("morning_starts"))
                & Q(afternoon_starts__gte=models.F("morning_ends"))
                & Q(afternoon_ends__gt=models.F("afternoon_starts")),
                name="organisation_half_days_in_order",
            )
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinateur·rice")
    TRAINER = "trainer", _("Formateur·rice / intervenant·e")
    OBSERVER = "observer", _("Observateur·rice")


class Access(models.TextChoices):
    """How a person reaches an organisation: a membership role, or as a participant
    (a member of one of its programmes' teams, with no membership)."""

    COORDINATOR = Role.COORDINATOR.value, Role.COORDINATOR.label
    TRAINER = Role.TRAINER.value, Role.TRAINER.label
    OBSERVER = Role.OBSERVER.value, Role.OBSERVER.label
    PARTICIPANT = "participant", _("Participant·e")


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("membre depuis"), auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="membership_unique_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        REVOKED = "revoked", _("Annulée")
        EXPIRED = "expired", _("Expirée")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    objects = ScopedManager(
        organisation="organisation", _manager_class=models.Manager.from_queryset(InvitationQuerySet)
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()}, {self.organisation})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class AuditEntry(models.Model):
    """What was *done*, by whom: one row per service call that matters.

    ``action`` is a stable key, ``<app>.<object>.<verb>``, declared in its app's
    ``actions.py``; the journal shows its label (``organisations.audit.action_label``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField(_("action"), max_length=80)
    target = models.CharField(_("objet"), max_length=255, blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des actions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target}"
