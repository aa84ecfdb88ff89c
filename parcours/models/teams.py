import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits


def new_token() -> str:
    return secrets.token_urlsafe(32)


class TeamRole(models.Model):
    """A role in a territory's team, per programme (the trinôme: élu·e référent·e,
    chargé·e de mission, responsable de service; seed 003's four actor categories)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="team_roles"
    )
    name = models.CharField(_("nom"), max_length=100)
    description = models.TextField(_("description"), blank=True, max_length=limits.NOTE)
    required = models.BooleanField(_("indispensable"), default=True)
    # 1: exactly one person holds the role; None: one or more (no upper bound).
    max_per_team = models.PositiveSmallIntegerField(
        _("nombre par équipe"), null=True, blank=True, default=1
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("rôle d'équipe")
        verbose_name_plural = _("rôles d'équipe")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="team_role_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_single(self) -> bool:
        """Held by exactly one person per team (else: one or more)."""
        return self.max_per_team == 1

    def has_room_for(self, count: int) -> bool:
        """Whether ``count`` holders in one team stay within the role's bound."""
        return self.max_per_team is None or count <= self.max_per_team


class Team(models.Model):
    """A territory's team in a cohort (for a PAT, its trinôme)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    cohort = models.ForeignKey("parcours.Cohort", on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("nom"), max_length=200)
    territory = models.ForeignKey(
        "territoires.Territory",
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    project = models.ForeignKey(
        "territoires.Project",
        verbose_name=_("projet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("équipe")
        verbose_name_plural = _("équipes")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class TeamMemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_at__isnull=True)


class TeamMember(models.Model):
    """A person in a team, holding a role. A replaced member keeps their row with
    ``left_at`` set, so the history of who held the role when is kept."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.ForeignKey(
        TeamRole,
        verbose_name=_("rôle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    # The person's own structure when a team gathers several (a collectif of directors
    # from a commune, its CCAS and its intercommunalité).
    structure = models.CharField(_("structure"), max_length=200, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(
        organisation="organisation", _manager_class=models.Manager.from_queryset(TeamMemberQuerySet)
    )

    class Meta:
        verbose_name = _("membre d'équipe")
        verbose_name_plural = _("membres d'équipe")
        ordering = ["team", "role__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(left_at__isnull=True),
                name="team_member_once_per_team",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.team})"


class TeamInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class TeamInvitation(models.Model):
    """An e-mail inviting someone to join a team with a role: accepting it creates the
    team membership, for an account created or linked at that moment."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    team = models.ForeignKey("parcours.Team", on_delete=models.CASCADE, related_name="invitations")
    role = models.ForeignKey(
        "parcours.TeamRole", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("adresse e-mail"))
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    member = models.ForeignKey(
        "parcours.TeamMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(
        organisation="organisation",
        _manager_class=models.Manager.from_queryset(TeamInvitationQuerySet),
    )

    class Meta:
        verbose_name = _("invitation à rejoindre une équipe")
        verbose_name_plural = _("invitations à rejoindre une équipe")
        ordering = ["team", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="team_invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.team}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email
