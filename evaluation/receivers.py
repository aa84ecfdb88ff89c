"""Keeping evaluation in step with the parcours: each session created, changed, moved
or cancelled brings its automatic « à chaud » campaign in step (in the parcours
service's transaction)."""

from django.dispatch import receiver
from django_scopes import scope

from parcours.signals import session_changed


@receiver(session_changed, dispatch_uid="evaluation.sync_automatic_campaign")
def on_session_changed(sender, *, session, **kwargs):
    from .services.campaigns import sync_automatic_campaign

    with scope(organisation=session.organisation_id):
        sync_automatic_campaign(session=session)
