"""Groups inside a programme, their séances, and the CODEV method.

A **group** gathers some teams or some people of one programme: a CODEV group of four
PATs (seed 000), a peer sub-group of one actor category (seed 003), a thematic working
group (seed 002). Who was in which group, and when, is kept: a move closes one
membership and opens another.

A **group séance** is a session of the programme attached to one group: its audience is
the group (its teams, and its people as registrations), kept in step by the services
when the group changes, so convocations, reminders, the calendar, iCal and attendance
work as for any session.

A **CODEV séance** has a client (one member of the group) whose **case** is the
question put to the group; the facilitator runs the six steps with a timer and notes;
the consultants' **advice** stays on the case; the client records its **commitments**,
and is asked once, before the group's next séance, what became of them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits


class GroupKind(models.TextChoices):
    CODEV = "codev", _("Groupe de CODEV")
    PEERS = "peers", _("Sous-groupe de pairs")
    WORKING = "working", _("Groupe de travail thématique")


class Group(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("nom"), max_length=limits.TITLE)
    kind = models.CharField(
        _("type de groupe"), max_length=20, choices=GroupKind.choices, default=GroupKind.CODEV
    )
    theme = models.CharField(_("thème"), max_length=limits.TITLE, blank=True)
    description = models.TextField(_("objet du groupe"), blank=True, max_length=limits.NOTE)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("animateur·ices"),
        blank=True,
        related_name="facilitated_groups",
    )
    spokesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("porte-parole"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A working group's action plan (``codev.services.plan_actions.group_plan``).
    plan = models.OneToOneField(
        "plans.ActionPlan",
        verbose_name=_("plan d'action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")
        ordering = ["programme", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="group_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_at__isnull=True)


class GroupMembership(models.Model):
    """A team, or a person, in a group from ``joined_at`` until ``left_at`` (open while
    they are in it). Moving to another group closes this row and opens one there."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(
        "parcours.Team",
        verbose_name=_("équipe"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_memberships",
    )
    joined_at = models.DateTimeField(_("entrée"))
    left_at = models.DateTimeField(_("sortie"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedManager(
        organisation="organisation", _manager_class=models.Manager.from_queryset(MembershipQuerySet)
    )

    class Meta:
        verbose_name = _("membre d'un groupe")
        verbose_name_plural = _("membres des groupes")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, user__isnull=True)
                | Q(team__isnull=True, user__isnull=False),
                name="group_member_is_a_team_or_a_person",
            ),
            models.UniqueConstraint(
                fields=["group", "team"],
                condition=Q(left_at__isnull=True, team__isnull=False),
                name="group_team_once",
            ),
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(left_at__isnull=True, user__isnull=False),
                name="group_person_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.team or self.user)

    @property
    def label(self) -> str:
        if self.team_id:
            return self.team.name
        return self.user.get_full_name() or self.user.email


class CodevStep(models.IntegerChoices):
    """The six steps of a CODEV séance, with their usual length in minutes."""

    EXPOSE = 1, _("Exposé de la situation")
    CLARIFICATION = 2, _("Questions de clarification")
    CONTRACT = 3, _("Contrat : reformulation de la question")
    ADVICE = 4, _("Conseils des consultant·es")
    ACTION_PLAN = 5, _("Plan d'action du client")
    LEARNING = 6, _("Ce que chacun·e a appris")


STEP_MINUTES = {1: 15, 2: 20, 3: 10, 4: 30, 5: 15, 6: 15}


class GroupSession(models.Model):
    """A session of the programme held by one group; for a CODEV group, with its client
    (a member of the group), facilitator and timekeeper; for a working group, the
    meeting's purpose and expected output."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="group_sessions")
    session = models.OneToOneField(
        "parcours.Session", on_delete=models.CASCADE, related_name="group_session"
    )
    purpose = models.CharField(_("objet de la réunion"), max_length=300, blank=True)
    expected_output = models.CharField(_("production attendue"), max_length=300, blank=True)
    client = models.ForeignKey(
        GroupMembership,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="client_sessions",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("animateur·ice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    timekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gardien·ne du temps"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The step running now on the facilitator's tablet, and since when.
    current_step = models.PositiveSmallIntegerField(
        choices=CodevStep.choices, null=True, blank=True
    )
    step_started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("séance de groupe")
        verbose_name_plural = _("séances de groupe")

    def __str__(self) -> str:
        return f"{self.group} — {self.session}"


class StepNote(models.Model):
    """What was said at one step of a CODEV séance, and how long it took."""

    deletion_unlisted = True  # see parcours.services.deletion

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    group_session = models.ForeignKey(
        GroupSession, on_delete=models.CASCADE, related_name="step_notes"
    )
    step = models.PositiveSmallIntegerField(choices=CodevStep.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=limits.TEXT)
    seconds = models.PositiveIntegerField(_("durée (secondes)"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["group_session", "step"], name="step_note_once")
        ]

    def __str__(self) -> str:
        return self.get_step_display()


class Case(models.Model):
    """The client's case for a CODEV séance: the situation and the question it puts to
    the group. Prepared before the séance by the client (a team's members, or the
    person), read by the group."""

    deletion_refusal = _("un cas préparé par le client")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    group_session = models.OneToOneField(
        GroupSession, on_delete=models.CASCADE, related_name="case"
    )
    client = models.ForeignKey(
        GroupMembership, on_delete=models.PROTECT, related_name="cases", verbose_name=_("client")
    )
    title = models.CharField(_("titre du cas"), max_length=limits.TITLE)
    question = models.TextField(_("question posée au groupe"), max_length=limits.NOTE)
    context = models.TextField(_("contexte"), blank=True, max_length=limits.TEXT)
    tried = models.TextField(_("ce qui a déjà été essayé"), blank=True, max_length=limits.TEXT)
    # The question as the group reformulated it (step 3, « contrat »).
    contract = models.TextField(_("question reformulée"), blank=True, max_length=limits.NOTE)
    learning = models.TextField(_("ce que le groupe a appris"), blank=True, max_length=limits.TEXT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The follow-up: asked once before the group's next séance, answered by the client.
    follow_up_asked_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.TextField(
        _("ce que sont devenus les engagements"), blank=True, max_length=limits.NOTE
    )
    follow_up_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("cas")
        verbose_name_plural = _("cas")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class CaseDocument(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=limits.TITLE)
    file = models.FileField(_("fichier"), upload_to="codev/%Y/%m/")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("document du cas")
        verbose_name_plural = _("documents du cas")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Advice(models.Model):
    """One piece of advice a consultant gave the client (step 4), kept on the case."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="advice")
    consultant = models.ForeignKey(
        GroupMembership,
        verbose_name=_("consultant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("conseil"), max_length=limits.NOTE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("conseil")
        verbose_name_plural = _("conseils")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Commitment(models.Model):
    """What the client commits to after the séance: what, who, by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("En cours")
        DONE = "done", _("Réalisé")
        DROPPED = "dropped", _("Abandonné")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="commitments")
    what = models.CharField(_("engagement"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("qui"),
        on_delete=models.PROTECT,
        related_name="codev_commitments",
    )
    due_on = models.DateField(_("pour le"))
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what
