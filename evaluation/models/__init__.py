"""Models of the evaluation engine, one module per concept."""

from evaluation.models.campaigns import (
    PROGRESSION_MOMENTS,
    SATISFACTION_MOMENTS,
    AutomaticCampaign,
    Campaign,
    CampaignReminder,
    Moment,
)
from evaluation.models.questionnaires import (
    CHARTED_KINDS,
    CHOICE_KINDS,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    TEXT_KINDS,
    Choice,
    Criterion,
    Purpose,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from evaluation.models.responses import Answer, AnswerChange, Participation, Response

__all__ = [
    "CHARTED_KINDS",
    "CHOICE_KINDS",
    "LONG_TEXT_MAX",
    "PROGRESSION_MOMENTS",
    "SATISFACTION_MOMENTS",
    "SHORT_TEXT_MAX",
    "TEXT_KINDS",
    "Answer",
    "AnswerChange",
    "AutomaticCampaign",
    "Campaign",
    "CampaignReminder",
    "Choice",
    "Criterion",
    "Moment",
    "Participation",
    "Purpose",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "Section",
]
