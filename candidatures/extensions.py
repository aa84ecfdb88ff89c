"""The places of the candidatures' pages that the apps above fill
(``sillon.extensions``), and the « Appel à candidatures » tab of a programme.

* ``call_panels``: panels of a call's management page (evaluation adds the call's
  motivation questions and T0 self-diagnostic). Receivers take ``request, organisation,
  call``, are called for the organisation's coordinators only, and return a
  ``HomeSection`` or ``None``.
* ``call_public_panels``: parts of a call's public page, shown to anyone who may read
  the call, anonymous visitors included (ressources adds the call's documents: the AMI's
  rules). Receivers take ``request, organisation, call`` and return a ``HomeSection``
  or ``None``.
* ``application_parts``: parts of an application (evaluation adds its questionnaires).
  Receivers take no argument and return a :class:`candidatures.parts.ApplicationPart`:
  what the part shows the applicants and the reviewers, prints on the receipt, and what
  is still missing before submission.
"""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.extensions import pending_invitations
from parcours.extensions import programme_tabs
from sillon.extensions import ExtensionPoint

call_panels = ExtensionPoint(
    "candidatures.call_panels",
    "A panel of a call's management page: (request, organisation, call) -> HomeSection | None.",
)

call_public_panels = ExtensionPoint(
    "candidatures.call_public_panels",
    "A part of a call's public page, anonymous visitors included: "
    "(request, organisation, call) -> HomeSection | None.",
)

application_parts = ExtensionPoint(
    "candidatures.application_parts",
    "A part of an application: () -> ApplicationPart.",
)


@receiver(programme_tabs, dispatch_uid="candidatures.calls")
def calls_tab(sender, *, request, organisation, programme, **kwargs):
    """The « Appel à candidatures » tab of a programme, for its coordinators."""
    if not request.user.has_perm("parcours.manage_programme", organisation):
        return []
    url = reverse("candidatures:call_list", args=[organisation.slug, programme.pk])
    return [(_("Appel à candidatures"), url, "calls")]


@receiver(pending_invitations, dispatch_uid="candidatures.pending_application_invitations")
def resend_pending_application_invitations(sender, *, email, **kwargs) -> bool:
    """Asking for a login code with an address invited to complete an application
    re-sends that invitation."""
    from candidatures.services.onboarding import resend_application_invitations_waiting_for

    return resend_application_invitations_waiting_for(email=email)
