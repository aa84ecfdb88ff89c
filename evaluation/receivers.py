"""Keeping evaluation in step with the parcours: each session created, changed, moved
or cancelled brings its automatic « à chaud » campaign in step; a selected application
that becomes a team brings its answers to the call's questionnaires with it (its T0
self-diagnostic is the team's). Both in the announcing service's transaction."""

from django.dispatch import receiver
from django_scopes import scope

from candidatures.signals import team_created_from_application
from parcours.signals import session_changed


@receiver(session_changed, dispatch_uid="evaluation.sync_automatic_campaign")
def on_session_changed(sender, *, session, **kwargs):
    from evaluation.services.campaigns import sync_automatic_campaign

    with scope(organisation=session.organisation_id):
        sync_automatic_campaign(session=session)


@receiver(team_created_from_application, dispatch_uid="evaluation.carry_over_application")
def on_team_created_from_application(sender, *, application, team, **kwargs):
    from evaluation.services.intake import carry_over_to_team

    with scope(organisation=application.organisation_id):
        carry_over_to_team(application=application, team=team)
