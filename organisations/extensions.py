"""The places of the organisation's pages that the apps above fill
(``sillon.extensions``), and what organisations tells about a person's account.

* ``home_panels``: panels of an organisation's home page (the parcours adds « Prochaines
  séances »). Receivers take ``request, organisation`` and return a
  :class:`~organisations.home_sections.HomeSection` or ``None``.
* ``navigation``: entries of the main navigation, between « Accueil » and « Membres ».
  Receivers take ``organisation, role`` and return ``[(label, url, key), …]``.
* ``participations``: organisations where a person takes part without a membership (the
  parcours adds "member of a team"). Receivers take ``user`` and return an unevaluated
  queryset of rows with an ``organisation_id``; they run with scopes disabled, once per
  request, and ``organisations.roles`` reads them with the memberships in one query.
* ``outbox``: queue an e-mail of the organisation (an invitation) in the outbox, which
  lives above (``notifications``): receivers take ``organisation, to_email, kind,
  subject, text, html, url`` inside the caller's transaction and return the queued
  message, whose ``dispatch_delayed`` is true after commit when the broker was down
  (the message then waits for the outbox flush).
"""

from django.dispatch import receiver

from accounts.extensions import deletion_blockers, pending_invitations, personal_data
from organisations.personal_data import export_for_user, last_coordinator_blocker
from sillon.extensions import ExtensionPoint

home_panels = ExtensionPoint(
    "organisations.home_panels",
    "A panel of an organisation's home page: (request, organisation) -> HomeSection | None.",
)

navigation = ExtensionPoint(
    "organisations.navigation",
    "Entries of the main navigation: (organisation, role) -> [(label, url, key), …].",
    many=True,
)

participations = ExtensionPoint(
    "organisations.participations",
    "Organisations where a person takes part without a membership: (user) -> a queryset "
    "of rows with an organisation_id (read in one UNION with the memberships).",
)

outbox = ExtensionPoint(
    "organisations.outbox",
    "Queue one e-mail of an organisation for delivery after commit: (organisation, "
    "to_email, kind, subject, text, html, url) -> the outbox message.",
)


@receiver(personal_data, dispatch_uid="organisations.personal_data")
def organisations_personal_data(sender, *, user, **kwargs):
    return "organisations", export_for_user(user)


@receiver(deletion_blockers, dispatch_uid="organisations.last_coordinator")
def last_coordinator(sender, *, user, **kwargs) -> list[str]:
    return last_coordinator_blocker(user)


@receiver(pending_invitations, dispatch_uid="organisations.pending_invitations")
def resend_pending_invitations(sender, *, email, **kwargs) -> bool:
    """Asking for a login code with an invited address re-sends the invitation."""
    from organisations.services import resend_invitations_waiting_for

    return resend_invitations_waiting_for(email=email)
