"""Every write on programmes, phases, sessions, agendas, teams and calendar feeds.

Each service is keyword-only, runs in a transaction, validates with French messages
tied to form fields, writes an audit entry naming the action and dispatches the e-mails
(convocations, change and cancellation notices) after commit. One module per concept;
callers import this package: ``from parcours import services``.
"""

from .agenda import (
    DOCUMENT_MAX_BYTES,
    DOCUMENT_TYPES,
    add_session_document,
    delete_agenda_item,
    delete_workshop,
    remove_session_document,
    save_agenda_item,
    save_workshop,
)
from .applications import (
    UNCHANGED,
    MissingItem,
    add_application_member,
    confirm_member_part,
    join_application,
    missing_checklist,
    missing_items,
    pending_confirmations,
    remove_application_member,
    resend_member_invitation,
    start_application,
    submit_application,
    update_application,
    update_application_member,
    withdraw_application,
)
from .common import Action
from .engagement import (
    publish_engagement_text,
    remind_missing_signatories,
    sign_engagement,
)
from .feeds import calendar_feed_for, renew_calendar_feed
from .programmes import (
    DEFAULT_SESSION_KINDS,
    TEAM_ROLE_PRESETS,
    CopyResult,
    archive_programme,
    copy_programme,
    create_programme,
    delete_phase,
    publish_programme,
    save_phase,
    save_session_kind,
    update_programme,
)
from .sessions import (
    SESSION_FIELDS,
    SIGNIFICANT_FIELDS,
    cancel_session,
    create_session,
    duplicate_session,
    generate_individual_sessions,
    overlapping_sessions,
    register_to_session,
    register_to_workshop,
    unregister_from_session,
    update_session,
    validate_session,
)
from .teams import add_team_member, create_team, remove_team_member, replace_team_member

__all__ = [
    "DEFAULT_SESSION_KINDS",
    "DOCUMENT_MAX_BYTES",
    "DOCUMENT_TYPES",
    "SESSION_FIELDS",
    "SIGNIFICANT_FIELDS",
    "TEAM_ROLE_PRESETS",
    "UNCHANGED",
    "Action",
    "CopyResult",
    "MissingItem",
    "add_application_member",
    "add_session_document",
    "add_team_member",
    "archive_programme",
    "calendar_feed_for",
    "cancel_session",
    "confirm_member_part",
    "copy_programme",
    "create_programme",
    "create_session",
    "create_team",
    "delete_agenda_item",
    "delete_phase",
    "delete_workshop",
    "duplicate_session",
    "generate_individual_sessions",
    "join_application",
    "missing_checklist",
    "missing_items",
    "overlapping_sessions",
    "pending_confirmations",
    "publish_engagement_text",
    "publish_programme",
    "register_to_session",
    "register_to_workshop",
    "remind_missing_signatories",
    "remove_application_member",
    "remove_session_document",
    "remove_team_member",
    "renew_calendar_feed",
    "replace_team_member",
    "resend_member_invitation",
    "save_agenda_item",
    "save_phase",
    "save_session_kind",
    "save_workshop",
    "sign_engagement",
    "start_application",
    "submit_application",
    "unregister_from_session",
    "update_application",
    "update_application_member",
    "update_programme",
    "update_session",
    "validate_session",
    "withdraw_application",
]

# The call for applications (coordinator side).
from .calls import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    CALL_FIELDS,
    add_call_attachment,
    create_call,
    delete_scoring_criterion,
    publication_problems,
    publish_call,
    remove_call_attachment,
    save_scoring_criterion,
    update_call,
)

__all__ += [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_TYPES",
    "CALL_FIELDS",
    "add_call_attachment",
    "create_call",
    "delete_scoring_criterion",
    "publication_problems",
    "publish_call",
    "remove_call_attachment",
    "save_scoring_criterion",
    "update_call",
]

# Selection: reviews, decisions, announcement, team invitations.
from .selection import (  # noqa: E402 (appended after the call services)
    DECISIONS_WITH_REASONS,
    RESEND_INTERVAL,
    accept_team_invitation,
    announce_decisions,
    create_team_from_application,
    criterion_field,
    decide,
    find_team_invitation_by_token,
    invite_to_team,
    reopen_application,
    resend_team_invitation,
    revoke_team_invitation,
    save_review,
    undecided_count,
)

__all__ += [
    "DECISIONS_WITH_REASONS",
    "RESEND_INTERVAL",
    "accept_team_invitation",
    "announce_decisions",
    "create_team_from_application",
    "criterion_field",
    "decide",
    "find_team_invitation_by_token",
    "invite_to_team",
    "reopen_application",
    "resend_team_invitation",
    "revoke_team_invitation",
    "save_review",
    "undecided_count",
]
