"""Every write of the evaluation engine: questionnaires and versions, the builder,
campaigns, answers. One module per concept; callers import this package
(``from evaluation import services``) or, for the builder and campaigns, their module
(``services.builder``, ``services.campaigns``)."""

from evaluation.actions import Action
from evaluation.services import builder, campaigns
from evaluation.services.answers import (
    Conflict,
    SaveResult,
    draft_values,
    ensure_open,
    missing_required,
    participation_for,
    response_key,
    save_anonymous_draft,
    save_answers,
    start_response,
    stored_values,
    submit_anonymous,
    submit_response,
    visible_questions,
)
from evaluation.services.questionnaires import (
    copy_questionnaire,
    copy_version_content,
    create_questionnaire,
    current_version,
    discard_draft,
    draft_version,
    ensure_editable,
    publish_version,
    start_new_version,
    validate_publishable,
)

__all__ = [
    "Action",
    "Conflict",
    "SaveResult",
    "builder",
    "campaigns",
    "copy_questionnaire",
    "copy_version_content",
    "create_questionnaire",
    "current_version",
    "discard_draft",
    "draft_values",
    "draft_version",
    "ensure_editable",
    "ensure_open",
    "missing_required",
    "participation_for",
    "publish_version",
    "response_key",
    "save_anonymous_draft",
    "save_answers",
    "start_new_version",
    "start_response",
    "stored_values",
    "submit_anonymous",
    "submit_response",
    "validate_publishable",
    "visible_questions",
]
