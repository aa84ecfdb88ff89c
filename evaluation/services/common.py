"""What every evaluation service shares: the names of the audited actions."""


class Action:
    """Names of the audited actions, shown in the organisation's journal."""

    QUESTIONNAIRE_CREATED = "questionnaire créé"
    QUESTIONNAIRE_UPDATED = "questionnaire modifié"
    QUESTIONNAIRE_COPIED = "questionnaire copié"
    QUESTIONNAIRE_ARCHIVED = "questionnaire archivé"
    VERSION_STARTED = "nouvelle version de questionnaire"
    VERSION_PUBLISHED = "version de questionnaire publiée"
    VERSION_DISCARDED = "brouillon de questionnaire abandonné"
    CAMPAIGN_CREATED = "campagne d'évaluation créée"
    CAMPAIGN_UPDATED = "campagne d'évaluation modifiée"
    CAMPAIGN_LAUNCHED = "campagne d'évaluation lancée"
    CAMPAIGN_CLOSED = "campagne d'évaluation close"
    CAMPAIGN_CANCELLED = "campagne d'évaluation annulée"
    CAMPAIGN_REMINDED = "non-répondant·es relancé·es"
    AUTOMATIC_CAMPAIGN_SAVED = "évaluation à chaud automatique enregistrée"
    AUTOMATIC_CAMPAIGN_DELETED = "évaluation à chaud automatique supprimée"
    RESPONSE_SUBMITTED = "réponse envoyée"
