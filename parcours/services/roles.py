"""A programme's team roles: the presets to start from, adding, changing, moving and
deleting a role, and what a change does to the teams' « engagée » state.

A role may be changed freely until the first signature of the engagement. After it, a
change that flips some team's « engagée » state (a role becoming required, a required
role added or deleted) is saved only once confirmed (``confirmed=True``), after the
page listed the teams that change (:func:`role_change_effects`): a team is never
silently « un-engaged »."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from organisations.services import record
from parcours.actions import Action
from parcours.engagement_status import EngagementChange, engagement_changes
from parcours.models import (
    Programme,
    Session,
    Signature,
    TeamInvitation,
    TeamMember,
    TeamRole,
)


@dataclass(frozen=True)
class PresetRole:
    name: str
    description: str = ""
    required: bool = True
    max_per_team: int | None = 1


@dataclass(frozen=True)
class TeamRolePreset:
    label: str
    roles: list[PresetRole] = field(default_factory=list)
    team_label: str = ""  # Programme.TeamLabel value, or "" to leave the label as it is


# Starting points for a programme's roles, offered at creation and on the roles page.
TEAM_ROLE_PRESETS: dict[str, TeamRolePreset] = {
    "pat": TeamRolePreset(
        label=gettext_lazy(
            "Trinôme PAT : élu·e référent·e, chargé·e de mission, responsable de service"
        ),
        roles=[
            PresetRole("Élu·e référent·e", "L'élu·e qui porte le projet pour la collectivité."),
            PresetRole("Chargé·e de mission", "La personne qui anime le projet au quotidien."),
            PresetRole("Responsable de service", "Le ou la responsable du service concerné."),
        ],
        team_label=Programme.TeamLabel.TRINOME,
    ),
    "actors": TeamRolePreset(
        label=gettext_lazy(
            "4 catégories d'acteurs : élus, agents de la collectivité, opérateurs "
            "socio-économiques, agents de l'État déconcentré"
        ),
        roles=[
            PresetRole("Élus", "Un·e élu·e du territoire."),
            PresetRole("Agents de la collectivité", "Un·e agent·e de la collectivité."),
            PresetRole(
                "Opérateurs socio-économiques",
                "Une personne d'une structure socio-économique du territoire.",
            ),
            PresetRole(
                "Agents de l'État déconcentré", "Un·e agent·e d'un service déconcentré de l'État."
            ),
        ],
        team_label=Programme.TeamLabel.QUADRINOME,
    ),
    "none": TeamRolePreset(label=gettext_lazy("Aucun rôle pour l'instant")),
}


def create_preset_roles(programme: Programme, preset: str) -> list[TeamRole]:
    """The roles of ``preset`` in ``programme`` (no check, no journal: callers do)."""
    return TeamRole.objects.bulk_create(
        TeamRole(
            organisation=programme.organisation,
            programme=programme,
            name=role.name,
            description=role.description,
            required=role.required,
            max_per_team=role.max_per_team,
            order=order,
        )
        for order, role in enumerate(TEAM_ROLE_PRESETS[preset].roles)
    )


# --- What a change does ---------------------------------------------------------------


def _required_ids(programme: Programme) -> set:
    return set(
        TeamRole.objects.filter(programme=programme, required=True).values_list("pk", flat=True)
    )


def role_change_effects(*, role: TeamRole, deleting: bool = False) -> list[EngagementChange]:
    """The teams whose « engagée » state flips if ``role`` (as a form filled it, not yet
    saved) is saved, or deleted with ``deleting``."""
    required = _required_ids(role.programme) - {role.pk}
    if role.required and not deleting:
        required.add(role.pk or 0)  # a new role: an id nobody holds
    return engagement_changes(role.programme, required_after=required)


def _refuse_unconfirmed(changes: list[EngagementChange], confirmed: bool) -> None:
    if changes and not confirmed:
        raise ValidationError(
            ngettext(
                "Ce changement modifie l'état d'engagement de %(count)s équipe : "
                "confirmez-le d'abord.",
                "Ce changement modifie l'état d'engagement de %(count)s équipes : "
                "confirmez-le d'abord.",
                len(changes),
            )
            % {"count": len(changes)}
        )


def _lock(programme: Programme) -> Programme:
    """The programme's row locked: two coordinators changing its roles take turns."""
    return Programme.objects.select_for_update().get(pk=programme.pk)


# --- Writes --------------------------------------------------------------------------


@transaction.atomic
def save_team_role(*, role: TeamRole, acting_user, confirmed: bool = False) -> TeamRole:
    """Create or update a role a form already filled in. ``max_per_team``: 1 (exactly one
    person) or None (one or more). Refused when a team already has more holders than
    the role would allow, and (unconfirmed) when teams' « engagée » state would flip."""
    programme = _lock(role.programme)
    role.organisation = programme.organisation
    role.name = " ".join((role.name or "").split())
    if not role.name:
        raise ValidationError({"name": _("Donnez un nom au rôle.")})
    if (
        TeamRole.objects.filter(programme=programme, name__iexact=role.name)
        .exclude(pk=role.pk)
        .exists()
    ):
        raise ValidationError({"name": _("Ce programme a déjà un rôle de ce nom.")})
    if role.max_per_team is not None and role.max_per_team < 1:
        raise ValidationError({"max_per_team": _("Un rôle compte au moins une personne.")})
    if role.pk is not None and role.max_per_team is not None:
        crowded = (
            TeamMember.objects.current()
            .filter(role=role)
            .values("team__name")
            .annotate(count=Count("pk"))
            .filter(count__gt=role.max_per_team)
            .order_by("team__name")
        )
        names = [row["team__name"] for row in crowded]
        if names:
            raise ValidationError(
                {
                    "max_per_team": ngettext(
                        "L'équipe %(teams)s compte déjà plusieurs personnes à ce rôle : "
                        "retirez-en d'abord, ou gardez « une ou plusieurs personnes ».",
                        "Les équipes %(teams)s comptent déjà plusieurs personnes à ce rôle : "
                        "retirez-en d'abord, ou gardez « une ou plusieurs personnes ».",
                        len(names),
                    )
                    % {"teams": ", ".join(f"« {name} »" for name in names)}
                }
            )
    changes = role_change_effects(role=role)
    _refuse_unconfirmed(changes, confirmed)
    role.save()
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.TEAM_ROLE_SAVED,
        target=role.name,
        programme=programme.name,
        required=role.required,
        max_per_team=role.max_per_team,
        order=role.order,
        teams_changed=[change.team.name for change in changes],
    )
    return role


def _uses(roles) -> list[str]:
    """What holds on to ``roles``, in words (members past or present, invitations,
    sessions expecting the role); empty when nothing does."""
    reasons = []
    members = TeamMember.objects.filter(role__in=roles).count()
    if members:
        reasons.append(
            ngettext(
                "%(count)s membre d'équipe (actuel ou passé) l'occupe",
                "%(count)s membres d'équipe (actuels ou passés) l'occupent",
                members,
            )
            % {"count": members}
        )
    invitations = TeamInvitation.objects.filter(role__in=roles).count()
    if invitations:
        reasons.append(
            ngettext(
                "%(count)s invitation à rejoindre une équipe le propose",
                "%(count)s invitations à rejoindre une équipe le proposent",
                invitations,
            )
            % {"count": invitations}
        )
    sessions = Session.objects.filter(expected_role__in=roles).count()
    if sessions:
        reasons.append(
            ngettext(
                "%(count)s séance l'attend",
                "%(count)s séances l'attendent",
                sessions,
            )
            % {"count": sessions}
        )
    return reasons


@transaction.atomic
def delete_team_role(*, role: TeamRole, acting_user, confirmed: bool = False) -> None:
    """Delete a role nobody uses (no member, past or present, no invitation, no session
    expecting it)."""
    programme = _lock(role.programme)
    reasons = _uses([role])
    if reasons:
        raise ValidationError(
            _("Le rôle « %(role)s » ne peut pas être supprimé : %(reasons)s.")
            % {"role": role.name, "reasons": " ; ".join(reasons)}
        )
    changes = role_change_effects(role=role, deleting=True)
    _refuse_unconfirmed(changes, confirmed)
    name = role.name
    try:
        role.delete()
    except ProtectedError:
        raise ValidationError(
            _("Le rôle « %(role)s » ne peut pas être supprimé : des candidatures l'utilisent.")
            % {"role": name}
        ) from None
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.TEAM_ROLE_DELETED,
        target=name,
        programme=programme.name,
        teams_changed=[change.team.name for change in changes],
    )


@transaction.atomic
def move_team_role(*, role: TeamRole, acting_user, step: int) -> TeamRole:
    """Move ``role`` one place up (``step=-1``) or down (``step=1``) in the programme's
    roles; the orders are renumbered 0, 1, 2…"""
    programme = _lock(role.programme)
    roles = list(TeamRole.objects.filter(programme=programme).order_by("order", "name", "pk"))
    index = next(i for i, other in enumerate(roles) if other.pk == role.pk)
    target = index + (1 if step > 0 else -1)
    if not 0 <= target < len(roles):
        return role
    roles[index], roles[target] = roles[target], roles[index]
    for order, other in enumerate(roles):
        other.order = order
    TeamRole.objects.bulk_update(roles, ["order"])
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.TEAM_ROLE_SAVED,
        target=role.name,
        programme=programme.name,
        order=target,
    )
    return roles[target]


@transaction.atomic
def apply_team_role_preset(*, programme: Programme, acting_user, preset: str) -> list[TeamRole]:
    """Replace ``programme``'s roles by those of ``preset`` (and its team label). Only
    while nobody signed the engagement and nothing uses the roles."""
    if preset not in TEAM_ROLE_PRESETS:
        raise ValidationError({"preset": _("Choisissez un des modèles proposés.")})
    programme = _lock(programme)
    if Signature.objects.filter(text__programme=programme).exists():
        raise ValidationError(
            {
                "preset": _(
                    "Des membres ont déjà signé l'engagement : les rôles ne peuvent plus être "
                    "remplacés d'un bloc. Modifiez-les un par un."
                )
            }
        )
    roles = list(TeamRole.objects.filter(programme=programme))
    reasons = _uses(roles) if roles else []
    if reasons:
        raise ValidationError(
            {
                "preset": _(
                    "Les rôles actuels sont utilisés (%(reasons)s) : ils ne peuvent pas être "
                    "remplacés d'un bloc. Modifiez-les un par un."
                )
                % {"reasons": " ; ".join(reasons)}
            }
        )
    try:
        TeamRole.objects.filter(programme=programme).delete()
    except ProtectedError:
        raise ValidationError(
            {"preset": _("Des candidatures utilisent les rôles actuels : modifiez-les un par un.")}
        ) from None
    chosen = TEAM_ROLE_PRESETS[preset]
    created = create_preset_roles(programme, preset)
    if chosen.team_label and programme.team_label != chosen.team_label:
        programme.team_label = chosen.team_label
        programme.save(update_fields=["team_label"])
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.TEAM_ROLE_PRESET_APPLIED,
        target=programme.name,
        preset=preset,
        roles=[role.name for role in created],
    )
    return created
