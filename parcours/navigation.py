"""Entries of the organisation's main navigation that belong to the parcours."""

from django.urls import reverse
from django.utils.translation import gettext as _


def navigation(organisation, role):
    slug = organisation.slug
    return [
        (_("Programmes"), reverse("parcours:programme_list", args=[slug]), "programme_list"),
    ]
