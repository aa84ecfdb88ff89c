"""Permissions on the parcours. Object-level visibility (which session a person may
see) lives in ``parcours.selectors``; these take the organisation."""

import rules

from organisations.rules import is_coordinator, is_member, is_trainer

rules.add_perm("parcours.view_calendar", is_member)
rules.add_perm("parcours.manage_programme", is_coordinator)

# Reviewing applications (scoring, commenting) is open to coordinators and trainers;
# deciding and announcing is the coordinators' (``manage_programme``).
rules.add_perm("parcours.review_applications", is_coordinator | is_trainer)
