"""What candidatures announces to the apps above it (evaluation listens; candidatures
never imports it). Sent synchronously by the services, inside their transaction: a
receiver that writes rows writes them in the same transaction, so a service that fails
afterwards leaves nothing behind.

The e-mails of the call for applications are not announced: the services write them
themselves (``candidatures.notices``).
"""

from django.dispatch import Signal

# A selected application became a team. Arguments: ``application``, ``team``. The
# evaluation app carries the application's answers (the T0 self-diagnostic) to the team.
team_created_from_application = Signal()
