"""What parcours announces to the apps above it (parcours never imports them).

Sent synchronously by the services, inside their transaction: a receiver that writes
rows writes them in the same transaction, so a service that fails afterwards leaves
nothing behind. The messages of parcours are not announced: the services write them
themselves (``parcours.notices``).
"""

from django.dispatch import Signal

# A session was created, changed, moved or cancelled (whatever the programme's status):
# apps keeping things in step with sessions (evaluation's "à chaud" campaigns) listen.
# Arguments: ``session``.
session_changed = Signal()
