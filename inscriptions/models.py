"""Open registration (seed 001's seminar): an event page published for a session with
« inscription libre », the people registered on it (alone or in a collectif), and their
choice of one workshop per round.

A registrant counts once their confirmation link is clicked: ``pending`` → ``confirmed``.
Confirmed, they hold a ``parcours.SessionRegistration`` (and a place in the workshops
they chose, ``parcours.WorkshopRegistration``); a choice that found its workshop full
waits on its list (``Choice.waiting_since``) and is promoted, first come, when a place
frees up.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Event(models.Model):
    """A session opened to registration on a public page ``/<organisation>/evenements/<slug>/``."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.OneToOneField(
        "parcours.Session",
        verbose_name=_("séance"),
        on_delete=models.CASCADE,
        related_name="registration_event",
    )
    slug = models.SlugField(_("adresse de la page"), max_length=80)
    deadline = models.DateTimeField(_("date limite d'inscription"))
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        help_text=_("Vide : la capacité de la séance, ou sans limite."),
    )
    published = models.BooleanField(_("page publiée"), default=False)
    audience_text = models.TextField(_("public visé"), blank=True, max_length=limits.NOTE)
    contact = models.TextField(_("contacts"), blank=True, max_length=limits.NOTE)
    action_code = models.CharField(_("code de l'action"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("événement ouvert aux inscriptions")
        verbose_name_plural = _("événements ouverts aux inscriptions")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="event_unique_slug")
        ]

    def __str__(self) -> str:
        return self.session.title

    @property
    def places(self) -> int | None:
        """The number of people the event takes (None: no limit)."""
        if self.capacity is not None:
            return self.capacity
        return self.session.capacity


class Collective(models.Model):
    """A collectif registering together (the directors of a local authority): it becomes
    a team of the programme once its first person confirms."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="collectives")
    name = models.CharField(_("nom du collectif"), max_length=200)
    territory = models.ForeignKey(
        "territoires.Territory",
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        "parcours.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("collectif")
        verbose_name_plural = _("collectifs")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Registrant(models.Model):
    """One person registered to an event."""

    class Status(models.TextChoices):
        PENDING = "pending", _("à confirmer")
        CONFIRMED = "confirmed", _("confirmée")
        CANCELLED = "cancelled", _("annulée")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrants")
    collective = models.ForeignKey(
        Collective, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"))
    structure = models.CharField(_("structure"), max_length=200)
    function = models.CharField(_("fonction"), max_length=200)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The last change of the person's workshops or details, and whether it came after
    # the deadline (the coordinator's « changements tardifs »).
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_late = models.BooleanField(default=False)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("inscrit·e")
        verbose_name_plural = _("inscrit·es")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registrant_once_per_event",
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class WorkshopChoice(models.Model):
    """A registrant's workshop in one round: a place (``WorkshopRegistration``) once
    confirmed, or a place on the workshop's waiting list (``waiting_since``)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    registrant = models.ForeignKey(Registrant, on_delete=models.CASCADE, related_name="choices")
    round = models.ForeignKey("parcours.AgendaItem", on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(
        "parcours.Workshop", on_delete=models.CASCADE, related_name="event_choices"
    )
    waiting_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("choix d'atelier")
        verbose_name_plural = _("choix d'ateliers")
        ordering = ["round__start_time", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["registrant", "round"], name="choice_one_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.registrant} → {self.workshop}"

    @property
    def is_waiting(self) -> bool:
        return self.waiting_since is not None
