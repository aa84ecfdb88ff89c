"""The actions evaluation audits: questionnaires and their versions, campaigns,
automatic campaigns, responses and the questionnaires of calls.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``), so rewording a label rewrites no row."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Action(TextChoices):
    """The audited actions of evaluation: key ``evaluation.<object>.<verb>``, French label."""

    QUESTIONNAIRE_CREATED = "evaluation.questionnaire.created", _("questionnaire créé")
    QUESTIONNAIRE_UPDATED = "evaluation.questionnaire.updated", _("questionnaire modifié")
    QUESTIONNAIRE_COPIED = "evaluation.questionnaire.copied", _("questionnaire copié")
    QUESTIONNAIRE_ARCHIVED = "evaluation.questionnaire.archived", _("questionnaire archivé")
    VERSION_STARTED = (
        "evaluation.questionnaire_version.started",
        _("nouvelle version de questionnaire"),
    )
    VERSION_PUBLISHED = (
        "evaluation.questionnaire_version.published",
        _("version de questionnaire publiée"),
    )
    VERSION_DISCARDED = (
        "evaluation.questionnaire_version.discarded",
        _("brouillon de questionnaire abandonné"),
    )
    CAMPAIGN_CREATED = "evaluation.campaign.created", _("campagne d'évaluation créée")
    CAMPAIGN_UPDATED = "evaluation.campaign.updated", _("campagne d'évaluation modifiée")
    CAMPAIGN_LAUNCHED = "evaluation.campaign.launched", _("campagne d'évaluation lancée")
    CAMPAIGN_CLOSED = "evaluation.campaign.closed", _("campagne d'évaluation close")
    CAMPAIGN_CANCELLED = "evaluation.campaign.cancelled", _("campagne d'évaluation annulée")
    CAMPAIGN_REMINDED = "evaluation.campaign.reminded", _("non-répondant·es relancé·es")
    CAMPAIGN_AUDIENCE_FALLBACK = (
        "evaluation.campaign.audience_fallback",
        _("campagne envoyée aux inscrit·es faute de feuille d'émargement"),
    )
    CAMPAIGN_FIGURES_RECORDED = (
        "evaluation.campaign.figures_recorded",
        _("chiffres d'une évaluation externe enregistrés"),
    )
    RESPONSE_INTERVIEW_RECORDED = (
        "evaluation.response.interview_recorded",
        _("réponse saisie lors d'un entretien"),
    )
    AUTOMATIC_CAMPAIGN_SAVED = (
        "evaluation.automatic_campaign.saved",
        _("évaluation à chaud automatique enregistrée"),
    )
    AUTOMATIC_CAMPAIGN_DELETED = (
        "evaluation.automatic_campaign.deleted",
        _("évaluation à chaud automatique supprimée"),
    )
    RESPONSE_SUBMITTED = "evaluation.response.submitted", _("réponse envoyée")
    CALL_QUESTIONNAIRE_ATTACHED = (
        "evaluation.call_questionnaire.attached",
        _("questionnaire attaché à un appel"),
    )
    CALL_QUESTIONNAIRE_DETACHED = (
        "evaluation.call_questionnaire.detached",
        _("questionnaire détaché d'un appel"),
    )


@receiver(action_labels, dispatch_uid="evaluation.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Action.choices)
