"""Every write on programmes, phases, sessions, agendas, teams, team invitations, the
engagement and calendar feeds.

Each service is keyword-only, runs in a transaction, validates with French messages
tied to form fields, writes an audit entry naming the action and sends its messages
through the outbox, on commit. One module per concept; callers import this package:
``from parcours import services``.
"""

from parcours.actions import Action
from parcours.services.agenda import (
    delete_agenda_item,
    delete_workshop,
    save_agenda_item,
    save_workshop,
)
from parcours.services.deletion import (
    DeletionSummary,
    delete_phase,
    delete_session,
    deletion_summary,
)
from parcours.services.engagement import (
    publish_engagement_text,
    remind_missing_signatories,
    sign_engagement,
)
from parcours.services.feeds import calendar_feed_for, renew_calendar_feed
from parcours.services.invitations import (
    RESEND_INTERVAL,
    accept_team_invitation,
    accept_team_invitation_as_newcomer,
    find_team_invitation_by_token,
    invite_people_to_team,
    invite_to_team,
    resend_team_invitation,
    resend_team_invitations_waiting_for,
    revoke_team_invitation,
)
from parcours.services.programmes import (
    DEFAULT_SESSION_KINDS,
    TEAM_ROLE_PRESETS,
    CopyResult,
    archive_programme,
    copy_programme,
    create_programme,
    publish_programme,
    save_phase,
    save_session_kind,
    update_programme,
)
from parcours.services.roles import (
    apply_team_role_preset,
    delete_team_role,
    move_team_role,
    role_change_effects,
    save_team_role,
)
from parcours.services.session_days import DayChange, save_session_days, sync_session_days
from parcours.services.sessions import (
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
from parcours.services.team_history import record_former_team_member, set_membership_dates
from parcours.services.team_import import TeamImportResult, import_teams
from parcours.services.teams import (
    add_team_member,
    create_team,
    remove_team_member,
    rename_team,
    replace_team_member,
)

__all__ = [
    "DEFAULT_SESSION_KINDS",
    "RESEND_INTERVAL",
    "SESSION_FIELDS",
    "SIGNIFICANT_FIELDS",
    "TEAM_ROLE_PRESETS",
    "Action",
    "CopyResult",
    "DayChange",
    "DeletionSummary",
    "TeamImportResult",
    "accept_team_invitation",
    "accept_team_invitation_as_newcomer",
    "add_team_member",
    "apply_team_role_preset",
    "archive_programme",
    "calendar_feed_for",
    "cancel_session",
    "copy_programme",
    "create_programme",
    "create_session",
    "create_team",
    "delete_agenda_item",
    "delete_phase",
    "delete_session",
    "delete_team_role",
    "delete_workshop",
    "deletion_summary",
    "duplicate_session",
    "find_team_invitation_by_token",
    "generate_individual_sessions",
    "import_teams",
    "invite_people_to_team",
    "invite_to_team",
    "move_team_role",
    "overlapping_sessions",
    "publish_engagement_text",
    "publish_programme",
    "record_former_team_member",
    "register_to_session",
    "register_to_workshop",
    "remind_missing_signatories",
    "remove_team_member",
    "rename_team",
    "renew_calendar_feed",
    "replace_team_member",
    "resend_team_invitation",
    "resend_team_invitations_waiting_for",
    "revoke_team_invitation",
    "role_change_effects",
    "save_agenda_item",
    "save_phase",
    "save_session_days",
    "save_session_kind",
    "save_team_role",
    "save_workshop",
    "set_membership_dates",
    "sign_engagement",
    "sync_session_days",
    "unregister_from_session",
    "update_programme",
    "update_session",
    "validate_session",
]
