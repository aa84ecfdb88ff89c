"""Minutes (comptes rendus) of sessions: versions, items, decisions, actions.

A session has at most one ``Minutes``. What it says lives in its **versions**: version 1
is written as a draft, optionally shared with the attendees for comments, then
validated; a correction of validated minutes is version 2 (then 3…), a new draft copied
from the last validated one. A validated version never changes: the services refuse it,
and database triggers (migration ``0003_minutes``) refuse any update of a validated
version and any insert, update of its content rows, so old versions stay readable as
they were sent.

A version's content is rows: the **attendees** (pre-filled from the attendance sheet,
or chosen among the people expected and free names), the **agenda items** with their
free text, the **decisions** and the **actions** (text, owner — a person with an account
or a named person —, team, deadline). An action with an owner and a deadline becomes an
action of the relevant plan at validation; its ``lineage`` (the id of its first row,
kept by the copies a correction makes) is the plan action's ``source_id``, so a
correction changes or removes that same plan action.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits

__all__ = [
    "Minutes",
    "MinutesAction",
    "MinutesAttendee",
    "MinutesComment",
    "MinutesDecision",
    "MinutesItem",
    "MinutesVersion",
]


class Minutes(models.Model):
    """The minutes of one session; ``status`` is its latest version's."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SHARED = "shared", _("En relecture")
        VALIDATED = "validated", _("Validé")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.OneToOneField(
        "parcours.Session", on_delete=models.CASCADE, related_name="minutes"
    )
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The number of the latest version (the one being written, or the last validated).
    current_number = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("compte rendu")
        verbose_name_plural = _("comptes rendus")
        ordering = ["session__starts_at", "pk"]

    def __str__(self) -> str:
        return str(_("Compte rendu — %(session)s") % {"session": self.session})

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED


class MinutesVersion(models.Model):
    """One version of the minutes: written, shared, validated (then never changed)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SHARED = "shared", _("En relecture")
        VALIDATED = "validated", _("Validée")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The attendees come from the session's attendance sheet (not editable by hand).
    from_sheet = models.BooleanField(default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("version d'un compte rendu")
        verbose_name_plural = _("versions d'un compte rendu")
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_version_once"),
            models.CheckConstraint(
                condition=Q(status="validated", validated_at__isnull=False)
                | ~Q(status="validated"),
                name="minutes_version_validated_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}"

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def is_correction(self) -> bool:
        return self.number > 1


class _Row(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    order = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        abstract = True
        ordering = ["version", "order", "pk"]


class MinutesAttendee(_Row):
    """A person present: an account (from the sheet or the people expected) or a name."""

    version = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=limits.TITLE)
    team = models.ForeignKey(
        "parcours.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(_Row.Meta):
        verbose_name = _("participant·e")
        verbose_name_plural = _("participant·es")

    def __str__(self) -> str:
        return self.name


class MinutesItem(_Row):
    """A point of the agenda and what was said about it (Markdown)."""

    version = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("point de l'ordre du jour"), max_length=limits.TITLE)
    text = models.TextField(_("compte rendu du point"), blank=True, max_length=limits.TEXT)

    class Meta(_Row.Meta):
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")

    def __str__(self) -> str:
        return self.title


class MinutesDecision(_Row):
    version = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("décision"), max_length=limits.NOTE)

    class Meta(_Row.Meta):
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")

    def __str__(self) -> str:
        return self.text[:80]


class MinutesAction(_Row):
    """An action decided: who does what, by when; handed to a plan at validation."""

    version = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=limits.TITLE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pilote"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_name = models.CharField(_("pilote (nom)"), max_length=limits.TITLE, blank=True)
    team = models.ForeignKey(
        "parcours.Team",
        verbose_name=_("équipe"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A working group's or a common plan chosen for an action of no team.
    plan = models.ForeignKey(
        "plans.ActionPlan",
        verbose_name=_("plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    # The id of the action's first row, kept by the copies of the corrections.
    lineage = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta(_Row.Meta):
        verbose_name = _("action décidée")
        verbose_name_plural = _("actions décidées")

    def __str__(self) -> str:
        return self.text

    @property
    def source_id(self) -> int:
        return self.lineage or self.pk

    @property
    def owner_display(self) -> str:
        if self.owner_id:
            return self.owner.get_full_name() or self.owner.email
        return self.owner_name

    @property
    def goes_to_plan(self) -> bool:
        return bool((self.owner_id or self.owner_name) and self.due_on)


class MinutesComment(models.Model):
    """An attendee's (or a writer's) comment on a version shared for comments."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    version = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("commentaire"), max_length=limits.NOTE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("commentaire d'un compte rendu")
        verbose_name_plural = _("commentaires d'un compte rendu")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
