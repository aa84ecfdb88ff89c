"""The programme's « Plans d'action » tab (``parcours.extensions.programme_tabs``), for
the coordinators, trainers and observers, who reach the overview of every team's plan.

Imported by ``plans.extensions`` (where the app's receivers are autodiscovered)."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.roles import role_in
from parcours.extensions import programme_tabs

from .access import STAFF_READERS


@receiver(programme_tabs, dispatch_uid="plans.overview")
def plans_tab(sender, *, request, organisation, programme, **kwargs):
    if role_in(request.user, organisation) not in STAFF_READERS:
        return []
    url = reverse("plans:overview", args=[organisation.slug, programme.pk])
    return [(_("Plans d'action"), url, "plans")]
