"""What parcours announces to the apps above it (notifications turns these into
messages; parcours never imports them).

Both signals are sent synchronously by the services, inside their transaction: a
receiver that writes rows (the outbox) writes them in the same transaction, so a
service that fails afterwards leaves nothing behind.
"""

from django.dispatch import Signal

# A session's expected people must hear about it. Arguments: ``session`` (saved, as it
# is now), ``notice`` in NOTICES, ``details`` (for "change": {"changed": [field names],
# "previous": {field: previous value, dates as ISO strings}}; otherwise {}).
session_notice = Signal()

# A programme has just been published (and its participants are to be told).
# Arguments: ``programme``.
programme_published = Signal()

# A session was created, changed, moved or cancelled (whatever the programme's status):
# apps keeping things in step with sessions (evaluation's "à chaud" campaigns) listen.
# Arguments: ``session``.
session_changed = Signal()

CONVOCATION = "convocation"
CHANGE = "change"
CANCELLATION = "cancellation"
NOTICES = (CONVOCATION, CHANGE, CANCELLATION)

# A coordinator asked to remind the team members who have not signed the programme's
# current engagement (at most once an hour). Sent inside the service's transaction.
# Arguments: ``text`` (the current EngagementText), ``recipients`` (users),
# ``acting_user``.
engagement_reminder_requested = Signal()
