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

# --- The call for applications -------------------------------------------------------
# All sent by the services inside their transaction; notifications writes the e-mails.

# Someone was invited to complete an application (the lead added them, or asked again).
# Arguments: ``member`` (ApplicationMember, with its token), ``acting_user``.
application_member_invited = Signal()

# An application was submitted. Arguments: ``application``, ``acting_user``. The
# confirmation e-mail carries the PDF receipt (``parcours.receipts``).
application_submitted = Signal()

# The coordinator announced decisions. Arguments: ``applications`` (list, each with
# ``decision`` and ``decision_reasons`` set), ``acting_user``.
application_decisions_announced = Signal()

# Someone was invited to join a team. Arguments: ``invitation`` (TeamInvitation),
# ``acting_user``.
team_invitation_sent = Signal()

# A selected application became a team. Arguments: ``application``, ``team``. The
# evaluation app carries the application's answers (the T0 self-diagnostic) to the team.
team_created_from_application = Signal()

# --- Date polls ----------------------------------------------------------------------
# Sent by the services inside their transaction; notifications writes the e-mails.

# Polls were opened: their voters are asked to answer. Arguments: ``polls`` (list of
# DatePoll), ``acting_user``.
date_polls_opened = Signal()

# Slots were added to an open poll: those who already answered are told. Arguments:
# ``poll``, ``slots`` (the new Slot rows), ``recipients`` (users who had answered),
# ``acting_user``.
date_poll_slots_added = Signal()
