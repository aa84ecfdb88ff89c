"""Action plans: what a territory takes home from the parcours.

Each team (or working group) has one **plan**, written in three **stages**: the fiche
d'intention, the feuille de route and the plan d'action. A stage is a Markdown document
whose sections the programme defines (``StageTemplate``); team members draft it and
submit it, each submission is kept as a **version** that the coordinator or a trainer
comments on and marks « validé ».

A plan holds **actions** (objective, targets, owner, means, start, deadline, status,
progress, indicators). An action may come from a CODEV commitment, a decision in
minutes or a working-group meeting, and says so (``source_*``). Every change to an
action is an **update** row: a dated note by a named person, with the new progress and
status and the fields it changed, so the history says who changed what and when. An
action carries a ``version`` number, and a change made on a stale copy is refused rather
than silently overwriting a colleague's edit.

A cohort's **common plan** (seed 002) is a plan of kind ``common`` whose entries point
at chosen actions of several teams or groups, with a priority and a lead: the action
stays one row, so an update shows on both sides.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits


class Stage(models.TextChoices):
    INTENTION = "intention", _("Fiche d'intention")
    ROADMAP = "roadmap", _("Feuille de route")
    ACTION_PLAN = "action_plan", _("Plan d'action")


# The sections of a stage when its programme defined none (one heading per line).
DEFAULT_SECTIONS = {
    Stage.INTENTION: [
        "Contexte et enjeux du territoire",
        "Ce que nous voulons changer",
        "Acteurs à associer",
        "Premières pistes",
    ],
    Stage.ROADMAP: [
        "Objectifs",
        "Étapes et calendrier",
        "Gouvernance et pilotage",
        "Moyens",
        "Points de vigilance",
    ],
    Stage.ACTION_PLAN: [
        "Vision et objectifs",
        "Axes de travail",
        "Pilotage et suivi",
        "Indicateurs",
    ],
}


class StageTemplate(models.Model):
    """The sections a programme asks for in one stage, with a short guidance text."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="plan_templates"
    )
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices)
    guidance = models.TextField(_("consignes"), blank=True, max_length=limits.NOTE)
    sections = models.TextField(
        _("sections"),
        max_length=limits.NOTE,
        help_text=_("Un titre de section par ligne."),
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("modèle d'étape")
        verbose_name_plural = _("modèles d'étape")
        ordering = ["programme", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "stage"], name="plan_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} — {self.programme}"

    @property
    def section_titles(self) -> list[str]:
        return [line.strip() for line in self.sections.splitlines() if line.strip()]


class ActionPlan(models.Model):
    """The plan of one team, of one group (a working group links its plan), or the
    common plan of a cohort."""

    class Kind(models.TextChoices):
        TEAM = "team", _("Plan d'une équipe")
        GROUP = "group", _("Plan d'un groupe de travail")
        COMMON = "common", _("Plan d'action commun")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="action_plans"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.TEAM)
    team = models.OneToOneField(
        "parcours.Team",
        verbose_name=_("équipe"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_plan",
    )
    title = models.CharField(_("titre"), max_length=limits.TITLE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last time anything changed in the plan (a stage saved, an action updated).
    touched_at = models.DateTimeField(_("dernière mise à jour"), null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("plan d'action")
        verbose_name_plural = _("plans d'action")
        ordering = ["programme", "kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="team", team__isnull=False) | ~Q(kind="team"),
                name="plan_team_has_team",
            )
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        if self.team_id:
            return str(self.team)
        return str(self.get_kind_display())


class StageVersion(models.Model):
    """One stage of a plan as written: the working draft (one per plan and stage), or a
    submitted version, kept as it was submitted, which a coordinator or trainer reviews."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumise")
        CHANGES = "changes", _("À reprendre")
        VALIDATED = "validated", _("Validée")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="stage_versions")
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices)
    # 0 for the draft; 1, 2… for the submitted versions of the stage.
    number = models.PositiveIntegerField(_("version"), default=0)
    body = models.TextField(_("contenu"), blank=True, max_length=limits.TEXT)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking of the draft: a save on a stale copy is refused.
    revision = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("version d'étape")
        verbose_name_plural = _("versions d'étape")
        ordering = ["plan", "stage", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "stage", "number"], name="stage_version_number_once"
            ),
            models.CheckConstraint(
                condition=Q(number=0, status="draft") | (Q(number__gt=0) & ~Q(status="draft")),
                name="stage_version_draft_is_zero",
            ),
        ]

    def __str__(self) -> str:
        if self.number == 0:
            return f"{self.get_stage_display()} (brouillon)"
        return f"{self.get_stage_display()} v{self.number}"


class StageComment(models.Model):
    """A reviewer's (or a team member's) comment on a submitted version."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    version = models.ForeignKey(StageVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("commentaire"), max_length=limits.NOTE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionQuerySet(models.QuerySet):
    def late(self, today: date | None = None):
        """Actions past their deadline and not finished nor abandoned."""
        today = today or timezone.localdate()
        return self.filter(due_on__lt=today, status__in=Action.OPEN_STATUSES)


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "todo", _("À lancer")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Terminée")
        DROPPED = "dropped", _("Abandonnée")

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)
    CLOSED_STATUSES = (Status.DONE, Status.DROPPED)

    class Source(models.TextChoices):
        MANUAL = "manual", _("Saisie directement")
        CODEV = "codev", _("Engagement de CODEV")
        MINUTES = "minutes", _("Décision d'un compte rendu")
        WORKING_GROUP = "working_group", _("Réunion d'un groupe de travail")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("intitulé"), max_length=limits.TITLE)
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)
    objective = models.TextField(_("objectif"), blank=True, max_length=limits.NOTE)
    targets = models.TextField(_("cibles"), blank=True, max_length=limits.NOTE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pilote"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    owner_name = models.CharField(
        _("pilote partenaire"),
        max_length=limits.TITLE,
        blank=True,
        help_text=_("Si le pilote n'est pas membre de l'équipe : le nom d'un partenaire."),
    )
    partners = models.TextField(_("partenaires"), blank=True, max_length=limits.NOTE)
    means = models.TextField(_("moyens"), blank=True, max_length=limits.NOTE)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    indicators = models.TextField(_("indicateurs"), blank=True, max_length=limits.NOTE)
    source = models.CharField(
        _("origine"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    # The row the action came from in the app that created it (a commitment's id…).
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_label = models.CharField(_("provenance"), max_length=limits.TITLE, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: every change raises it; a change made on an older copy is refused.
    version = models.PositiveIntegerField(default=1)

    objects = ScopedManager(
        organisation="organisation", _manager_class=models.Manager.from_queryset(ActionQuerySet)
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["plan", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_max"),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(due_on__gte=F("starts_on")),
                name="action_due_after_start",
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=Q(source_id__isnull=False),
                name="action_source_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.due_on and self.due_on < today and self.status in self.OPEN_STATUSES)

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def owner_display(self) -> str:
        if self.owner_id:
            return self.owner.get_full_name() or self.owner.email
        return self.owner_name


class ActionUpdate(models.Model):
    """One change to an action, by a named person at a date: a note, the progress and
    status after it, and the fields it changed (``changes``: field → [before, after])."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=limits.NOTE)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"))
    status = models.CharField(_("état"), max_length=20, choices=Action.Status.choices)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("mise à jour")
        verbose_name_plural = _("mises à jour")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["action", "-created_at"], name="action_update_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="update_progress_max")
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.created_at:%d/%m/%Y}"


class CommonPlanEntry(models.Model):
    """An action chosen into a cohort's common plan, with its priority and its lead."""

    class Priority(models.IntegerChoices):
        HIGH = 1, _("Haute")
        MEDIUM = 2, _("Moyenne")
        LOW = 3, _("Basse")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    common_plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="entries")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="common_entries")
    priority = models.PositiveSmallIntegerField(
        _("priorité"), choices=Priority.choices, default=Priority.MEDIUM
    )
    lead = models.CharField(_("chef de file"), max_length=limits.TITLE, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("action du plan commun")
        verbose_name_plural = _("actions du plan commun")
        ordering = ["common_plan", "priority", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["common_plan", "action"], name="common_entry_once")
        ]

    def __str__(self) -> str:
        return str(self.action)


class FollowUpSession(models.Model):
    """A session of the programme where the plans are followed up (« SUIVI PLANS
    D'ACTION »): before it, its teams are asked to update their plan."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.OneToOneField(
        "parcours.Session", on_delete=models.CASCADE, related_name="plan_follow_up"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("séance de suivi des plans")
        verbose_name_plural = _("séances de suivi des plans")

    def __str__(self) -> str:
        return str(self.session)
