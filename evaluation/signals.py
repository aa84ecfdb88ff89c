"""What evaluation announces to the apps above it (notifications turns these into
messages; evaluation never imports it). Sent synchronously inside the service's
transaction, so the messages are written with the change or not at all."""

from django.dispatch import Signal

# A coordinator asked to remind the non-respondents of a campaign ("relancer").
# Arguments: ``campaign``, ``recipients`` (users), ``acting_user``.
respondents_reminded = Signal()
