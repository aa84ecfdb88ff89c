"""The actions parcours audits: programmes, phases, sessions, their agenda and
documents, teams, team invitations and the engagement.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``), so rewording a label rewrites no row."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Action(TextChoices):
    """The audited actions of parcours: key ``parcours.<object>.<verb>``, French label."""

    PROGRAMME_CREATED = "parcours.programme.created", _("programme créé")
    PROGRAMME_UPDATED = "parcours.programme.updated", _("programme modifié")
    PROGRAMME_PUBLISHED = "parcours.programme.published", _("programme publié")
    PROGRAMME_ARCHIVED = "parcours.programme.archived", _("programme archivé")
    PROGRAMME_COPIED = "parcours.programme.copied", _("programme copié")
    CATALOGUE_SAVED = "parcours.catalogue.saved", _("fiche catalogue enregistrée")
    CATALOGUE_PUBLISHED = "parcours.catalogue.published", _("fiche catalogue publiée")
    CATALOGUE_UNPUBLISHED = "parcours.catalogue.unpublished", _("fiche catalogue retirée")
    PHASE_SAVED = "parcours.phase.saved", _("phase enregistrée")
    PHASE_DELETED = "parcours.phase.deleted", _("phase supprimée")
    SESSION_KIND_SAVED = "parcours.session_kind.saved", _("type de séance enregistré")
    SESSION_CREATED = "parcours.session.created", _("séance créée")
    SESSION_UPDATED = "parcours.session.updated", _("séance modifiée")
    SESSION_MOVED = "parcours.session.moved", _("séance déplacée")
    SESSION_CANCELLED = "parcours.session.cancelled", _("séance annulée")
    SESSION_DUPLICATED = "parcours.session.duplicated", _("séance dupliquée")
    SESSION_DELETED = "parcours.session.deleted", _("séance supprimée")
    SESSION_TIMES_UPDATED = "parcours.session.times_updated", _("horaires de séance modifiés")
    CONVOCATION_RESENT = "parcours.convocation.resent", _("convocation renvoyée")
    INDIVIDUAL_SESSIONS_GENERATED = (
        "parcours.individual_sessions.generated",
        _("séances individuelles générées"),
    )
    AGENDA_UPDATED = "parcours.agenda.updated", _("programme de la journée modifié")
    DOCUMENT_ADDED = "parcours.session_document.added", _("document ajouté")
    DOCUMENT_REMOVED = "parcours.session_document.removed", _("document retiré")
    TEAM_CREATED = "parcours.team.created", _("équipe créée")
    TEAM_RENAMED = "parcours.team.renamed", _("équipe renommée")
    TEAM_ROLE_SAVED = "parcours.team_role.saved", _("rôle d'équipe enregistré")
    TEAM_ROLE_DELETED = "parcours.team_role.deleted", _("rôle d'équipe supprimé")
    TEAM_ROLE_PRESET_APPLIED = (
        "parcours.team_role.preset_applied",
        _("rôles d'équipe remplacés par un modèle"),
    )
    TEAM_MEMBER_ADDED = "parcours.team_member.added", _("membre d'équipe ajouté")
    TEAM_MEMBER_REPLACED = "parcours.team_member.replaced", _("membre d'équipe remplacé")
    TEAM_MEMBER_REMOVED = "parcours.team_member.removed", _("membre d'équipe retiré")
    TEAM_MEMBER_DATED = (
        "parcours.team_member.dated",
        _("dates d'arrivée et de départ d'un membre d'équipe modifiées"),
    )
    TEAMS_IMPORTED = "parcours.teams.imported", _("équipes importées")
    ENGAGEMENT_PUBLISHED = "parcours.engagement.published", _("engagement publié")
    ENGAGEMENT_SIGNED = "parcours.engagement.signed", _("engagement signé")
    ENGAGEMENT_REMINDED = "parcours.engagement.reminded", _("signataires de l'engagement relancés")
    TEAM_INVITATION_SENT = (
        "parcours.team_invitation.sent",
        _("invitation à rejoindre une équipe envoyée"),
    )
    TEAM_INVITATION_ACCEPTED = (
        "parcours.team_invitation.accepted",
        _("invitation à rejoindre une équipe acceptée"),
    )
    TEAM_INVITATION_REVOKED = (
        "parcours.team_invitation.revoked",
        _("invitation à rejoindre une équipe annulée"),
    )


@receiver(action_labels, dispatch_uid="parcours.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Action.choices)
