"""Evaluation's tabs on a programme's pages (registered with parcours.programme_tabs)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.models import Access, Role
from organisations.roles import role_in


def programme_tabs(request, organisation, programme) -> list[tuple[str, str, str]]:
    role = role_in(request.user, organisation)
    args = [organisation.slug, programme.pk]
    tabs = []
    if role in (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER):
        tabs.append(
            (_("Évaluations"), reverse("evaluation:campaign_list", args=args), "evaluations")
        )
        tabs.append(
            (
                _("Satisfaction"),
                reverse("evaluation:programme_satisfaction", args=args),
                "satisfaction",
            )
        )
    if role in (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER, Access.PARTICIPANT):
        tabs.append(
            (
                _("Progression"),
                reverse("evaluation:programme_progression", args=args),
                "progression",
            )
        )
    return tabs
