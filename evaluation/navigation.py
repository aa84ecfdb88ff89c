"""Entries of the organisation's main navigation that belong to evaluation."""

from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.models import Access, Role


def navigation(organisation, role):
    slug = organisation.slug
    entries = []
    if role == Role.COORDINATOR:
        entries.append(
            (
                _("Questionnaires"),
                reverse("evaluation:questionnaire_list", args=[slug]),
                "questionnaire_list",
            )
        )
    if role in (Access.PARTICIPANT, Role.TRAINER, Role.COORDINATOR):
        entries.append(
            (
                _("Mes questionnaires"),
                reverse("evaluation:my_campaigns", args=[slug]),
                "my_campaigns",
            )
        )
    return entries
