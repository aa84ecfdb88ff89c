"""Signal receivers: lower apps announce events, notifications turns them into messages."""

from django.dispatch import receiver

import notifications.bounces  # noqa: F401  (connects anymail's tracking signal)
from evaluation.signals import respondents_reminded
from notifications import (
    application_notices,
    engagement_notices,
    evaluation_notices,
    poll_notices,
    session_notices,
)
from parcours.signals import (
    application_decisions_announced,
    application_member_invited,
    application_submitted,
    date_poll_slots_added,
    date_polls_opened,
    engagement_reminder_requested,
    programme_published,
    session_notice,
    team_invitation_sent,
)


@receiver(session_notice, dispatch_uid="notifications.session_notice")
def on_session_notice(sender, *, session, notice, details=None, **kwargs):
    session_notices.send_session_notice(session, notice, details or {})


@receiver(programme_published, dispatch_uid="notifications.programme_published")
def on_programme_published(sender, *, programme, **kwargs):
    session_notices.send_programme_calendars(programme)


@receiver(respondents_reminded, dispatch_uid="notifications.respondents_reminded")
def on_respondents_reminded(sender, *, campaign, recipients, acting_user=None, **kwargs):
    evaluation_notices.send_campaign_reminder(campaign, recipients, acting_user)


@receiver(engagement_reminder_requested, dispatch_uid="notifications.engagement_reminder")
def on_engagement_reminder(sender, *, text, recipients, acting_user=None, **kwargs):
    engagement_notices.send_engagement_reminder(text, recipients, acting_user)


@receiver(application_member_invited, dispatch_uid="notifications.application_member_invited")
def on_application_member_invited(sender, *, member, acting_user=None, **kwargs):
    application_notices.send_member_invitation(member, acting_user)


@receiver(application_submitted, dispatch_uid="notifications.application_submitted")
def on_application_submitted(sender, *, application, acting_user=None, **kwargs):
    application_notices.send_submission_confirmation(application, acting_user)


@receiver(
    application_decisions_announced, dispatch_uid="notifications.application_decisions_announced"
)
def on_application_decisions_announced(sender, *, applications, acting_user=None, **kwargs):
    application_notices.send_decisions(applications, acting_user)


@receiver(team_invitation_sent, dispatch_uid="notifications.team_invitation_sent")
def on_team_invitation_sent(sender, *, invitation, acting_user=None, **kwargs):
    application_notices.send_team_invitation(invitation, acting_user)


@receiver(date_polls_opened, dispatch_uid="notifications.date_polls_opened")
def on_date_polls_opened(sender, *, polls, acting_user=None, **kwargs):
    poll_notices.send_polls_opened(polls, acting_user)


@receiver(date_poll_slots_added, dispatch_uid="notifications.date_poll_slots_added")
def on_date_poll_slots_added(sender, *, poll, slots, recipients, acting_user=None, **kwargs):
    poll_notices.send_slots_added(poll, slots, recipients, acting_user)
